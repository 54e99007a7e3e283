// src/backends/js/norm.ts — layer norm and its gradient per row, in double precision: the reference
// the native kernels match, and what makes layer norm one graph node on every CPU backend.
import type { CpuStorage as Storage, CpuView as View } from '../backend.js';

/** x's [rows, cols] when it is dense 2-D, else null (the op hands dense rows). */
function rowsOf(x: View): [number, number] | null {
  const [r, c] = x.shape;
  return x.shape.length === 2 && x.strides[1] === 1 && (r <= 1 || x.strides[0] === c) ? [r, c] : null;
}

/** Element j of an optional dense vector, or `none`. */
const at = (v: View | null, j: number, none: number): number => (v === null ? none : v.storage.data[v.offset + j]);

export function layerNorm(x: View, weight: View | null, bias: View | null, eps: number, y: Storage, mean: Storage, rstd: Storage): boolean {
  const rc = rowsOf(x);
  if (rc === null) return false;
  const [rows, cols] = rc, xd = x.storage.data;
  for (let r = 0; r < rows; r++) {
    const base = x.offset + r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += xd[base + j];
    const m = s / cols;
    let q = 0;
    for (let j = 0; j < cols; j++) q += (xd[base + j] - m) ** 2;
    mean.data[r] = m;
    rstd.data[r] = 1 / Math.sqrt(q / cols + eps);
    const mt = mean.data[r], rt = rstd.data[r];
    for (let j = 0; j < cols; j++) y.data[r * cols + j] = (xd[base + j] - mt) * rt * at(weight, j, 1) + at(bias, j, 0);
  }
  return true;
}

export function layerNormBackward(g: View, x: View, mean: View, rstd: View, weight: View | null, dx: Storage | null, dWeight: Storage | null, dBias: Storage | null): boolean {
  const rc = rowsOf(x);
  if (rc === null || rowsOf(g) === null) return false;
  const [rows, cols] = rc, xd = x.storage.data, gd = g.storage.data;
  const sw = new Float64Array(cols), sb = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const xb = x.offset + r * cols, gb = g.offset + r * cols;
    const m = mean.storage.data[mean.offset + r], rs = rstd.storage.data[rstd.offset + r];
    let a = 0, b = 0;
    for (let j = 0; j < cols; j++) {
      const xhat = (xd[xb + j] - m) * rs, gw = gd[gb + j] * at(weight, j, 1);
      a += gw;
      b += gw * xhat;
      sw[j] += gd[gb + j] * xhat;
      sb[j] += gd[gb + j];
    }
    if (dx === null) continue;
    for (let j = 0; j < cols; j++) {
      const xhat = (xd[xb + j] - m) * rs;
      dx.data[r * cols + j] = rs * (gd[gb + j] * at(weight, j, 1) - a / cols - xhat * (b / cols));
    }
  }
  dWeight?.data.set(sw);
  dBias?.data.set(sb);
  return true;
}
