// src/backends/js/indexing.ts — gather, scatter and scatter-add along one dim.
import type { CpuStorage as Storage, CpuView as View, ScatterReduce } from '../backend.js';
import { offsetsOf } from './strided.js';

/** Offsets into `x` of index's positions with `dim` zeroed, and index's own offsets. */
function positions(x: View, dim: number, index: View): { base: Int32Array; idx: Int32Array } {
  const zeroed = x.strides.map((s, d) => (d === dim ? 0 : s));
  return { base: offsetsOf(index.shape, zeroed, x.offset), idx: offsetsOf(index.shape, index.strides, index.offset) };
}

export function gather(x: View, dim: number, index: View, out: Storage): void {
  const { base, idx } = positions(x, dim, index);
  const src = x.storage.data, ind = index.storage.data, o = out.data, s = x.strides[dim] ?? 0;
  for (let i = 0; i < base.length; i++) o[i] = src[base[i] + ind[idx[i]] * s];
}

export function scatterAdd(dst: View, dim: number, index: View, src: View): void {
  const { base, idx } = positions(dst, dim, index);
  const from = offsetsOf(index.shape, src.strides, src.offset);
  const d = dst.storage.data, ind = index.storage.data, v = src.storage.data, s = dst.strides[dim] ?? 0;
  for (let i = 0; i < base.length; i++) d[base[i] + ind[idx[i]] * s] += v[from[i]];
}

export function scatter(dst: View, dim: number, index: View, src: View, reduce: ScatterReduce): void {
  const { base, idx } = positions(dst, dim, index);
  const from = offsetsOf(index.shape, src.strides, src.offset);
  const d = dst.storage.data, ind = index.storage.data, v = src.storage.data, s = dst.strides[dim] ?? 0;
  if (reduce === 'assign') for (let i = 0; i < base.length; i++) d[base[i] + ind[idx[i]] * s] = v[from[i]];
  else for (let i = 0; i < base.length; i++) d[base[i] + ind[idx[i]] * s] *= v[from[i]];
}
