// src/backends/js/scan.ts — running sums and products along one axis (cumsum, cumprod).
import type { CpuStorage as Storage, CpuView as View, CumulativeOp } from '../backend.js';
import { split } from './reduce.js';

export function cumulative(op: CumulativeOp, x: View, axis: number, out: Storage): void {
  const { outer, inner } = split(x, [axis]);
  const src = x.storage.data, o = out.data, n = inner.length;
  // out is contiguous in x's shape: the scanned axis has stride `step` there.
  let step = 1;
  for (let d = axis + 1; d < x.shape.length; d++) step *= x.shape[d];
  for (let i = 0; i < outer.length; i++) {
    const base = outer[i], outBase = Math.floor(i / step) * step * n + (i % step);
    // A JS number is a double: float32 accumulates as PyTorch's CPU kernel does (acc_type double).
    let acc = op === 'sum' ? 0 : 1;
    for (let j = 0; j < n; j++) {
      const v = src[base + inner[j]];
      acc = op === 'sum' ? acc + v : acc * v;
      o[outBase + j * step] = acc;
    }
  }
}
