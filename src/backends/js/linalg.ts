// src/backends/js/linalg.ts — batched matrix product, accumulated in float64 rows.
import type { CpuStorage as Storage, CpuView as View } from '../backend.js';
import { offsetsOf } from './strided.js';

export function matmul(a: View, b: View, out: Storage): void {
  const nd = a.shape.length;
  const m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
  const batchShape = a.shape.slice(0, nd - 2);
  const aBatch = offsetsOf(batchShape, a.strides.slice(0, nd - 2), a.offset);
  const bBatch = offsetsOf(batchShape, b.strides.slice(0, nd - 2), b.offset);
  const am = a.strides[nd - 2], ak = a.strides[nd - 1], bk = b.strides[nd - 2], bn = b.strides[nd - 1];
  const x = a.storage.data, y = b.storage.data, o = out.data;
  const row = new Float64Array(n);
  for (let t = 0; t < aBatch.length; t++) {
    const ao = aBatch[t], bo = bBatch[t], oo = t * m * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = x[ao + i * am + p * ak];
        const bp = bo + p * bk;
        for (let j = 0; j < n; j++) row[j] += av * y[bp + j * bn];
      }
      for (let j = 0; j < n; j++) o[oo + i * n + j] = row[j];
    }
  }
}
