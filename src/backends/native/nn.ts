// src/backends/native/nn.ts — the neural-network kernels on the addon: 2-D convolution forward and
// gradients, max pooling with its indices and gradient, fused (log-)softmax, layer norm and the fused
// LSTM cell and layer, blockwise attention, each with its gradient.
import type { ConvGeometry, ConvKernels, CpuBackend as Backend, CpuStorage as Storage, CpuView as View, PoolGeometry } from '../backend.js';
import * as reference from '../js/norm.js';
import type { Addon } from './addon.js';
import { desc, isDense, isFloat, numelOf, viewsDesc } from './views.js';

/** The convolution, pooling and softmax kernels of the native backend. */
export function nnKernels(
  addon: Addon,
  denseIn: (x: View, order: readonly number[]) => View,
): Required<Pick<Backend, 'conv' | 'maxPool2dIndices' | 'maxPool2dBackward' | 'softmax' | 'softmaxBackward' | 'lstmCell' | 'lstmCellBackward' | 'lstmLayer' | 'lstmLayerBackward' | 'attention' | 'attentionBackward' | 'layerNorm' | 'layerNormBackward'>> {
  // The native convolutions take dense float32 NCHW/OIHW operands with symmetric 2-D padding.
  const conv2dDesc = (x: readonly number[], o: number, kernel: readonly number[], geo: ConvGeometry, a: View, b: View, ...extra: number[]): boolean => {
    const f32 = a.storage.data instanceof Float32Array && b.storage.data instanceof Float32Array;
    if (!f32 || x.length !== 4 || !isDense(a) || !isDense(b) || geo.padBefore.some((p, i) => p !== geo.padAfter[i])) return false;
    desc.set([...x, o, kernel[0], kernel[1], ...geo.stride, ...geo.padBefore, ...geo.dilation, geo.groups, a.offset, b.offset, ...extra]);
    return true;
  };
  const conv: ConvKernels<Storage> = {
    forward: (x, w, b, out, geo) => {
      if (b !== null && !(b.storage.data instanceof Float32Array && isDense(b))) return false;
      if (!conv2dDesc(x.shape, w.shape[0], w.shape.slice(2), geo, x, w, b?.offset ?? 0)) return false;
      return addon.conv2dForward(x.storage.data as Float32Array, w.storage.data as Float32Array, b === null ? null : (b.storage.data as Float32Array), out.data, desc);
    },
    inputGrad: (g, w, out, inShape, geo) =>
      conv2dDesc(inShape, w.shape[0], w.shape.slice(2), geo, g, w) &&
      addon.conv2dInputGrad(g.storage.data as Float32Array, w.storage.data as Float32Array, out.data, desc),
    weightGrad: (g, x, out, kernel, geo) =>
      conv2dDesc(x.shape, g.shape[1], kernel, geo, x, g) &&
      addon.conv2dWeightGrad(x.storage.data as Float32Array, g.storage.data as Float32Array, out.data, desc),
  };

  const poolDesc = (shape: readonly number[], geo: PoolGeometry, ...offsets: number[]): Float64Array => {
    const [h, w] = shape.slice(-2) as [number, number];
    desc.set([numelOf(shape.slice(0, -2)), h, w, ...geo.out, ...geo.kernel, ...geo.stride, ...geo.padding, ...geo.dilation, ...offsets]);
    return desc;
  };

  const maxPool2dIndices = (x: View, out: Storage, geo: PoolGeometry, values?: Storage): boolean => {
    if (!isFloat(x.storage.data) || x.shape.length < 2) return false;
    const v = denseIn(x, x.shape.map((_, d) => d));
    addon.maxPool2dIndices(v.storage.data as Float32Array | Float64Array, out.data, values?.data ?? null, poolDesc(x.shape, geo, v.offset));
    return true;
  };

  /** [A, R, B] around `axis`. */
  const around = (shape: readonly number[], axis: number): [number, number, number] =>
    [numelOf(shape.slice(0, axis)), shape[axis], numelOf(shape.slice(axis + 1))];

  const softmax = (x: View, axis: number, log: boolean, out: Storage): boolean => {
    const data = x.storage.data;
    if (!isFloat(data) || data.constructor !== out.data.constructor || !isDense(x)) return false;
    addon.softmax(data, out.data, ...around(x.shape, axis), log, x.offset);
    return true;
  };

  const softmaxBackward = (g: View, y: View, axis: number, log: boolean, out: Storage): boolean => {
    const a = g.storage.data, b = y.storage.data;
    if (!isFloat(a) || a.constructor !== b.constructor || a.constructor !== out.data.constructor || !isDense(g) || !isDense(y)) return false;
    addon.softmaxBackward(a, b as typeof a, out.data, ...around(g.shape, axis), log, g.offset, y.offset);
    return true;
  };

  const maxPool2dBackward = (g: View, indices: View, out: Storage, inShape: readonly number[], geo: PoolGeometry): boolean => {
    if (!isFloat(g.storage.data) || g.storage.dtype !== out.dtype || !isDense(g) || !isDense(indices) || inShape.length < 2) return false;
    addon.maxPool2dBackward(g.storage.data, indices.storage.data, out.data, poolDesc(inShape, geo, g.offset, indices.offset));
    return true;
  };

  /** Whether every array is a float array of `first`'s type. */
  const sameFloat = (first: View, ...rest: (View | Storage)[]): boolean =>
    isFloat(first.storage.data) && rest.every((x) => ('storage' in x ? x.storage : x).data.constructor === first.storage.data.constructor);

  // The kernel reads gates [N, 4H] through its [N, H] strides, gate k at k·H columns along.
  const lstmCell = (gates: View, c: View, out: Storage, acts: Storage): boolean => {
    const [n, h] = c.shape as [number, number];
    if (addon.lstmCell === undefined || !sameFloat(gates, c, out, acts) || out.data.length < 2 * n * h || acts.data.length < 5 * n * h) return false;
    addon.lstmCell(gates.storage.data as Float32Array, c.storage.data as Float32Array, out.data, acts.data, viewsDesc([n, h], [gates, c], [gates.strides, c.strides]));
    return true;
  };

  const lstmCellBackward = (gradH: View, gradC: View, c: View, acts: View, dGates: Storage, dcPrev: Storage): boolean => {
    const [n, h] = c.shape as [number, number];
    if (addon.lstmCellBackward === undefined || !sameFloat(gradH, gradC, c, acts, dGates, dcPrev) || !isDense(acts)
      || acts.offset + 5 * n * h > acts.storage.data.length || dGates.data.length < 4 * n * h || dcPrev.data.length < n * h) return false;
    const f = (v: View) => v.storage.data as Float32Array;
    addon.lstmCellBackward(f(gradH), f(gradC), f(c), f(acts), dGates.data, dcPrev.data, acts.offset,
      viewsDesc([n, h], [gradH, gradC, c], [gradH.strides, gradC.strides, c.strides]));
    return true;
  };

  /** Whether a view is dense with exactly this shape. */
  const denseOf = (v: View, rows: number, cols: number): boolean => v.shape.length === 2 && v.shape[0] === rows && v.shape[1] === cols && isDense(v);
  /** Whether a storage holds at least n elements of a float type. */
  const fits = (s: Storage, n: number): boolean => s.data.length >= n;

  const lstmLayer = (xp: View, w: View, h0: View, c0: View, reverse: boolean, gates: Storage, y: Storage, cs: Storage): boolean => {
    if (addon.lstmLayer === undefined || h0.shape.length !== 2) return false;
    const [n, h] = h0.shape as [number, number], rows = xp.shape[0], steps = rows / n;
    if (!Number.isInteger(steps) || !sameFloat(xp, w, h0, c0, gates, y, cs) || !denseOf(xp, rows, 4 * h) || !denseOf(w, 4 * h, h)
      || !denseOf(h0, n, h) || !denseOf(c0, n, h) || !fits(gates, rows * 4 * h) || !fits(y, rows * h) || !fits(cs, rows * h)) return false;
    desc.set([xp.offset, w.offset, h0.offset, c0.offset]);
    const f = (v: View) => v.storage.data as Float32Array;
    addon.lstmLayer(f(xp), f(w), f(h0), f(c0), gates.data, y.data, cs.data, steps, n, h, reverse, desc);
    return true;
  };

  const lstmLayerBackward = (gates: View, w: View, c0: View, cs: View, gradY: View | null, gradH: View | null, gradC: View | null,
    reverse: boolean, dGates: Storage, dh0: Storage, dc0: Storage): boolean => {
    if (addon.lstmLayerBackward === undefined || c0.shape.length !== 2) return false;
    const [n, h] = c0.shape as [number, number], rows = gates.shape[0], steps = rows / n;
    const grads = [gradY, gradH, gradC].filter((g) => g !== null);
    if (!Number.isInteger(steps) || !sameFloat(gates, w, c0, cs, ...grads, dGates, dh0, dc0) || !denseOf(gates, rows, 4 * h) || !denseOf(w, 4 * h, h)
      || !denseOf(c0, n, h) || !denseOf(cs, rows, h) || (gradY !== null && !denseOf(gradY, rows, h)) || [gradH, gradC].some((g) => g !== null && !denseOf(g, n, h))
      || !fits(dGates, rows * 4 * h) || !fits(dh0, n * h) || !fits(dc0, n * h)) return false;
    desc.set([gates.offset, w.offset, c0.offset, cs.offset, gradY?.offset ?? 0, gradH?.offset ?? 0, gradC?.offset ?? 0]);
    const f = (v: View | null) => (v === null ? null : (v.storage.data as Float32Array));
    addon.lstmLayerBackward(gates.storage.data as Float32Array, w.storage.data as Float32Array, c0.storage.data as Float32Array, cs.storage.data as Float32Array,
      f(gradY), f(gradH), f(gradC), dGates.data, dh0.data, dc0.data, steps, n, h, reverse, desc);
    return true;
  };

  /** A 4-D view of this shape with unit stride along its last dim, written to desc at `at` as offset and strides; the next index. */
  const heads = (v: View, shape: readonly number[], at: number): number => {
    if (v.shape.length !== 4 || shape.some((n, i) => v.shape[i] !== n) || (v.strides[3] !== 1 && v.shape[3] !== 1)) return -1;
    desc.set([v.offset, v.strides[0], v.strides[1], v.strides[2]], at);
    return at + 4;
  };
  /** The descriptor's head, then q, k, v and the mask from index 8; the next index, or -1 when a view does not fit. */
  const attentionDesc = (q: View, k: View, v: View, mask: View | null, causal: boolean, scale: number): number => {
    if (q.shape.length !== 4 || k.shape.length !== 4 || v.shape.length !== 4) return -1;
    const [b1, b2, l, d] = q.shape, s = k.shape[2], dv = v.shape[3];
    desc.set([b1, b2, l, s, d, dv, scale, causal ? 1 : 0]);
    let at = heads(q, [b1, b2, l, d], 8);
    if (at >= 0) at = heads(k, [b1, b2, s, d], at);
    if (at >= 0) at = heads(v, [b1, b2, s, dv], at);
    if (at < 0) return -1;
    if (mask === null) {
      desc.set([0, 0, 0, 0, 0], at);
    } else {
      if (mask.shape.length !== 4 || [b1, b2, l, s].some((n, i) => mask.shape[i] !== n)) return -1;
      desc.set([mask.offset, ...mask.strides], at);
    }
    return at + 5;
  };

  const attention = (q: View, k: View, v: View, mask: View | null, causal: boolean, scale: number, out: Storage, lse: Storage): boolean => {
    if (addon.attention === undefined || !sameFloat(q, k, v, out, lse, ...(mask === null ? [] : [mask]))) return false;
    const at = attentionDesc(q, k, v, mask, causal, scale);
    if (at < 0) return false;
    const [b1, b2, l] = q.shape, dv = v.shape[3];
    if (!fits(out, b1 * b2 * l * dv) || !fits(lse, b1 * b2 * l)) return false;
    // out dense as [B1, L, B2, Dv]
    desc.set([0, l * b2 * dv, dv, b2 * dv], at);
    const f = (x: View) => x.storage.data as Float32Array;
    addon.attention(f(q), f(k), f(v), mask === null ? null : f(mask), out.data, lse.data, desc);
    return true;
  };

  const attentionBackward = (q: View, k: View, v: View, mask: View | null, causal: boolean, scale: number, out: View, gradOut: View, lse: View,
    dq: Storage, dk: Storage, dv: Storage): boolean => {
    if (addon.attentionBackward === undefined || !sameFloat(q, k, v, out, gradOut, lse, dq, dk, dv, ...(mask === null ? [] : [mask]))) return false;
    let at = attentionDesc(q, k, v, mask, causal, scale);
    if (at < 0) return false;
    const [b1, b2, l, d] = q.shape, s = k.shape[2], vd = v.shape[3];
    at = heads(out, [b1, b2, l, vd], at);
    if (at >= 0) at = heads(gradOut, [b1, b2, l, vd], at);
    if (at < 0 || !isDense(lse) || numelOf(lse.shape) !== b1 * b2 * l || !fits(dq, b1 * b2 * l * d) || !fits(dk, b1 * b2 * s * d) || !fits(dv, b1 * b2 * s * vd)) return false;
    // dq, dk and dv dense as [B1, R, B2, C]
    desc.set([lse.offset, 0, l * b2 * d, d, b2 * d, 0, s * b2 * d, d, b2 * d, 0, s * b2 * vd, vd, b2 * vd], at);
    const f = (x: View) => x.storage.data as Float32Array;
    addon.attentionBackward(f(q), f(k), f(v), mask === null ? null : f(mask), f(out), f(gradOut), f(lse), dq.data, dk.data, dv.data, desc);
    return true;
  };

  /** The [rows, cols] of a dense 2-D view, or null for any other. */
  const rowsOf = (v: View): [number, number] | null => (v.shape.length === 2 && isDense(v) ? [v.shape[0], v.shape[1]] : null);
  const denseVector = (v: View | null, n: number): boolean => v === null || (v.shape.length === 1 && v.shape[0] === n && isDense(v));

  const layerNorm = (x: View, weight: View | null, bias: View | null, eps: number, y: Storage, mean: Storage, rstd: Storage): boolean => {
    const rc = rowsOf(x);
    if (rc === null || !sameFloat(x, y, mean, rstd, ...[weight, bias].filter((v) => v !== null))) return false;
    const [r, c] = rc;
    if (!denseVector(weight, c) || !denseVector(bias, c) || y.data.length < r * c || mean.data.length < r || rstd.data.length < r) return false;
    if (addon.layerNorm === undefined) return reference.layerNorm(x, weight, bias, eps, y, mean, rstd);
    desc.set([x.offset, weight?.offset ?? 0, bias?.offset ?? 0]);
    addon.layerNorm(x.storage.data as Float32Array, (weight?.storage.data ?? null) as Float32Array | null, (bias?.storage.data ?? null) as Float32Array | null,
      y.data, mean.data, rstd.data, r, c, eps, desc);
    return true;
  };

  const layerNormBackward = (g: View, x: View, mean: View, rstd: View, weight: View | null, dx: Storage | null, dWeight: Storage | null, dBias: Storage | null): boolean => {
    const rc = rowsOf(x), outs = [dx, dWeight, dBias].filter((s) => s !== null);
    if (rc === null || !sameFloat(x, g, mean, rstd, ...outs, ...(weight === null ? [] : [weight]))) return false;
    const [r, c] = rc;
    if (rowsOf(g)?.join() !== rc.join() || !denseVector(weight, c) || !denseVector(mean, r) || !denseVector(rstd, r)
      || (dx !== null && dx.data.length < r * c) || [dWeight, dBias].some((s) => s !== null && s.data.length < c)) return false;
    if (addon.layerNormBackward === undefined) return reference.layerNormBackward(g, x, mean, rstd, weight, dx, dWeight, dBias);
    desc.set([g.offset, x.offset, mean.offset, rstd.offset, weight?.offset ?? 0]);
    const f = (v: View) => v.storage.data as Float32Array;
    addon.layerNormBackward(f(g), f(x), f(mean), f(rstd), weight === null ? null : f(weight), dx?.data ?? null, dWeight?.data ?? null, dBias?.data ?? null, r, c, desc);
    return true;
  };

  return { conv, maxPool2dIndices, maxPool2dBackward, softmax, softmaxBackward, lstmCell, lstmCellBackward, lstmLayer, lstmLayerBackward, attention, attentionBackward, layerNorm, layerNormBackward };
}
