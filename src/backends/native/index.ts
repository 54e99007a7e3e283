// src/backends/native/index.ts — the native backend: the JS reference with its heavy kernels
// (float32/float64 elementwise, copies, reductions, matmul) routed to the C++ addon.
import { Buffer } from 'node:buffer';
import { arrayType, type DataArray, type DType, itemsize } from '../../core/dtype.js';
import { contiguousStrides } from '../../core/shape.js';
import type { ArgReduceOp, Backend, BinaryOp, ConvGeometry, ConvKernels, PoolGeometry, ReduceOp, Storage, UnaryOp, View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { SLAB_MAX, setSlabAligner } from '../js/slab.js';
import type { Addon } from './addon.js';

const UNARY_CODES: Partial<Record<UnaryOp, number>> = {
  neg: 0, exp: 1, log: 2, sqrt: 3, rsqrt: 4, abs: 5, sigmoid: 6, tanh: 7, relu: 8, sin: 9, cos: 10,
  log1p: 11, expm1: 12, reciprocal: 13, sign: 14,
};
const BINARY_CODES: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, pow: 6, thresholdBackward: 7 };
const REDUCE_CODES: Partial<Record<ReduceOp, number>> = { sum: 0, amax: 1, amin: 2 };
const COMPARE_CODES: Partial<Record<BinaryOp, number>> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };

// Below this size V8's own zero-filled allocation is as fast as an uninitialised one.
const UNINIT_MIN_BYTES = 1 << 16;
// Buffers from this size up are put on transparent huge pages (addon alignBuffer).
const HUGE_MIN_BYTES = 1 << 22;
// Storages above the JS backend's slab limit get their own buffer, aligned like PyTorch's to 64 bytes.
const ALIGN = 64;

// Below these sizes the JS loop beats the cost of crossing into C++.
const ELEMENTWISE_MIN = 2048;
/**
 * Whether a small op stays in JavaScript: only when its views are dense (strided or broadcast
 * reads cost the JS loops far more than a native call). No rest arguments: this runs on every op.
 */
const smallDense = (n: number, a: View, b?: View, c?: View): boolean =>
  n < ELEMENTWISE_MIN && isDense(a) && (b === undefined || isDense(b)) && (c === undefined || isDense(c));
const MATMUL_MIN_FLOPS = 4096;

const isFloat = (a: DataArray): a is Float32Array | Float64Array => a instanceof Float32Array || a instanceof Float64Array;

// One reusable descriptor buffer: calls are synchronous, so it is never shared.
const desc = new Float64Array(256);

/**
 * Merges adjacent dims that every view walks contiguously through, so kernels see few dims
 * with long inner runs. Returns the merged shape and the strides of each view.
 */
function coalesce(shape: readonly number[], ...strides: (readonly number[])[]): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, v) => outStrides[v][last] === s[d] * n)) {
      outShape[last] *= n;
      strides.forEach((s, v) => {
        outStrides[v][last] = s[d];
      });
    } else {
      outShape.push(n);
      strides.forEach((s, v) => outStrides[v].push(s[d]));
    }
  }
  return [outShape, outStrides];
}

/**
 * Writes the descriptor the addon's Views<k> reads: [ndim, offset of each view..., shape...,
 * strides of each view...].
 */
function viewsDesc(shape: readonly number[], views: readonly View[], strides: readonly (readonly number[])[]): Float64Array {
  let at = 0;
  desc[at++] = shape.length;
  for (const v of views) desc[at++] = v.offset;
  desc.set(shape, at);
  at += shape.length;
  for (const s of strides) {
    desc.set(s, at);
    at += s.length;
  }
  return desc;
}

/** The descriptor of views that share `shape`, with the dims they all walk contiguously merged. */
function coalescedDesc(shape: readonly number[], ...views: View[]): Float64Array {
  const [merged, strides] = coalesce(shape, ...views.map((v) => v.strides));
  return viewsDesc(merged, views, strides);
}

const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function isDense(v: View): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const n = v.shape[i];
    if (n === 1) continue;
    if (v.strides[i] !== expected) return false;
    expected *= n;
  }
  return true;
}

/** Builds the native backend over a loaded addon. */
export function makeNativeBackend(addon: Addon): Required<Backend> & { addon: Addon } {
  addon.tuneMalloc();
  setSlabAligner((buffer) => addon.alignBuffer(buffer, false));

  /** A 64-byte aligned array in its own buffer (zero-filled or not), on huge pages when large. */
  const alignedArray = (dtype: DType, numel: number, zeroed: boolean): DataArray => {
    const bytes = numel * itemsize(dtype);
    // Node's unsafe buffers come straight from malloc, skipping the zero-fill.
    const raw = zeroed ? new ArrayBuffer(bytes + ALIGN) : Buffer.allocUnsafeSlow(bytes + ALIGN).buffer;
    return new (arrayType(dtype))(raw, addon.alignBuffer(raw, bytes >= HUGE_MIN_BYTES), numel);
  };

  const alloc = (dtype: DType, numel: number): Storage =>
    numel * itemsize(dtype) <= SLAB_MAX ? jsBackend.alloc(dtype, numel) : { dtype, data: alignedArray(dtype, numel, true), version: 0 };

  // Large outputs skip zero-filling.
  const allocUninit = (dtype: DType, numel: number): Storage =>
    numel * itemsize(dtype) < UNINIT_MIN_BYTES ? alloc(dtype, numel) : { dtype, data: alignedArray(dtype, numel, false), version: 0 };

  const unary = (op: UnaryOp, x: View, out: Storage): void => {
    const code = UNARY_CODES[op], data = x.storage.data;
    if (code === undefined || !isFloat(data) || smallDense(out.data.length, x)) {
      jsBackend.unary(op, x, out);
      return;
    }
    addon.unary(code, data, out.data, coalescedDesc(x.shape, x));
  };

  const binary = (op: BinaryOp, a: View, b: View, out: Storage): void => {
    const code = BINARY_CODES[op] ?? COMPARE_CODES[op], x = a.storage.data, y = b.storage.data;
    if (code === undefined || !isFloat(x) || !isFloat(y) || smallDense(out.data.length, a, b)) {
      jsBackend.binary(op, a, b, out);
      return;
    }
    const d = coalescedDesc(a.shape, a, b);
    if (op in COMPARE_CODES) addon.compare(code, x, y, out.data, d);
    else addon.binary(code, x, y, out.data, d);
  };

  const where = (cond: View, a: View, b: View, out: Storage): void => {
    const c = cond.storage.data, x = a.storage.data, y = b.storage.data;
    if (!(c instanceof Uint8Array) || !isFloat(x) || !isFloat(y) || x.constructor !== y.constructor || smallDense(out.data.length, cond, a, b)) {
      jsBackend.where(cond, a, b, out);
      return;
    }
    addon.where(c, x, y, out.data, coalescedDesc(a.shape, cond, a, b));
  };

  /** `x` itself when dense, else a dense copy made natively, with dims in the order `order`. */
  const denseIn = (x: View, order: readonly number[]): View => {
    const shape = order.map((d) => x.shape[d]), strides = order.map((d) => x.strides[d]);
    const view = { storage: x.storage, shape, strides, offset: x.offset };
    if (isDense(view)) return view;
    const storage = jsBackend.alloc(x.storage.dtype, numelOf(shape));
    const dense = { storage, shape, strides: contiguousStrides(shape), offset: 0 };
    copy(view, dense);
    return dense;
  };

  const argReduce = (op: ArgReduceOp, x: View, axis: number, values: Storage, indices: Storage): void => {
    const data = x.storage.data;
    if (!isFloat(data) || numelOf(x.shape) < 256 || x.shape[axis] === 0) {
      jsBackend.argReduce(op, x, axis, values, indices);
      return;
    }
    const v = denseIn(x, x.shape.map((_, d) => d));
    const a = numelOf(x.shape.slice(0, axis)), b = numelOf(x.shape.slice(axis + 1));
    addon.argReduce(op === 'max', v.storage.data as Float32Array | Float64Array, values.data, indices.data, a, x.shape[axis], b, v.offset);
  };

  const copy = (src: View, dst: View): void => {
    const s = src.storage.data, d = dst.storage.data;
    if (!isFloat(s) || !isFloat(d) || s.constructor !== d.constructor || numelOf(dst.shape) < ELEMENTWISE_MIN) {
      jsBackend.copy(src, dst);
      return;
    }
    addon.copy(s, d, coalescedDesc(dst.shape, src, dst));
  };

  const reduce = (op: ReduceOp, x: View, axes: readonly number[], out: Storage): void => {
    const code = REDUCE_CODES[op], data = x.storage.data;
    if (code === undefined || !isFloat(data) || numelOf(x.shape) < ELEMENTWISE_MIN || axes.length === 0) {
      jsBackend.reduce(op, x, axes, out);
      return;
    }
    const contiguousAxes = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
    if (contiguousAxes) {
      // [A, R, B] with the reduced dims in the middle: no reordering needed.
      const v = denseIn(x, x.shape.map((_, d) => d));
      const first = axes[0], last = axes[axes.length - 1];
      addon.reduce(code, v.storage.data as Float32Array | Float64Array, out.data,
        numelOf(x.shape.slice(0, first)), numelOf(x.shape.slice(first, last + 1)), numelOf(x.shape.slice(last + 1)), v.offset);
      return;
    }
    // Scattered axes (e.g. all but the channel dim of a bias gradient): reduce one run of adjacent
    // axes at a time, the last run first, each pass over the (shrinking) dense result of the previous,
    // where a permuting copy to bring the axes together would cost more than all the passes. A sum
    // over everything but one dim takes one pass.
    let v = denseIn(x, x.shape.map((_, d) => d));
    const kept = x.shape.findIndex((_, d) => !axes.includes(d));
    if (op === 'sum' && x.shape.length - axes.length === 1 && kept > 0 && kept < x.shape.length - 1) {
      addon.sumOuterInner(v.storage.data as Float32Array | Float64Array, out.data, numelOf(x.shape.slice(0, kept)), x.shape[kept], numelOf(x.shape.slice(kept + 1)), v.offset);
      return;
    }
    let shape = [...x.shape];
    for (let last = axes.length - 1; last >= 0;) {
      let first = last;
      while (first > 0 && axes[first - 1] === axes[first] - 1) first--;
      const a0 = axes[first], a1 = axes[last];
      const outer = numelOf(shape.slice(0, a0)), inner = numelOf(shape.slice(a1 + 1));
      const dst = first === 0 ? out : allocUninit(out.dtype, outer * inner);
      addon.reduce(code, v.storage.data as Float32Array | Float64Array, dst.data, outer, numelOf(shape.slice(a0, a1 + 1)), inner, v.offset);
      shape = [...shape.slice(0, a0), ...shape.slice(a1 + 1)];
      v = { storage: dst, shape, strides: contiguousStrides(shape), offset: 0 };
      last = first - 1;
    }
  };

  const matmul = (a: View, b: View, out: Storage): void => {
    const x = a.storage.data, y = b.storage.data, nd = a.shape.length;
    const m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
    if (!isFloat(x) || !isFloat(y) || x.constructor !== y.constructor || m * n * k < MATMUL_MIN_FLOPS) {
      jsBackend.matmul(a, b, out);
      return;
    }
    const batch = a.shape.slice(0, nd - 2);
    const [shape, [sa, sb]] = coalesce(batch, a.strides.slice(0, nd - 2), b.strides.slice(0, nd - 2));
    const nb = shape.length;
    desc[0] = nb;
    desc[1] = m;
    desc[2] = k;
    desc[3] = n;
    desc[4] = a.offset;
    desc[5] = b.offset;
    desc.set(shape, 6);
    desc.set(sa, 6 + nb);
    desc.set(sb, 6 + 2 * nb);
    const at = 6 + 3 * nb;
    desc[at] = a.strides[nd - 2];
    desc[at + 1] = a.strides[nd - 1];
    desc[at + 2] = b.strides[nd - 2];
    desc[at + 3] = b.strides[nd - 1];
    addon.matmul(x, y, out.data, desc);
  };

  // The native convolutions take dense float32 NCHW/OIHW operands with symmetric 2-D padding.
  const conv2dDesc = (x: readonly number[], o: number, kernel: readonly number[], geo: ConvGeometry, a: View, b: View, ...extra: number[]): boolean => {
    const f32 = a.storage.data instanceof Float32Array && b.storage.data instanceof Float32Array;
    if (!f32 || x.length !== 4 || !isDense(a) || !isDense(b) || geo.padBefore.some((p, i) => p !== geo.padAfter[i])) return false;
    desc.set([...x, o, kernel[0], kernel[1], ...geo.stride, ...geo.padBefore, ...geo.dilation, geo.groups, a.offset, b.offset, ...extra]);
    return true;
  };
  const conv: ConvKernels = {
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

  const axpy = (alpha: number, x: View, y: Storage): boolean => {
    const data = x.storage.data;
    if (!isFloat(data) || data.constructor !== y.data.constructor || !isDense(x) || y.data.length < ELEMENTWISE_MIN) return false;
    addon.axpy(alpha, data, x.offset, y.data, y.data.length);
    return true;
  };

  // gather / scatterAdd: float data with an int64 index (a Float64Array, Note [int64 storage]).
  const gather = (x: View, dim: number, index: View, out: Storage): void => {
    const data = x.storage.data;
    if (!isFloat(data) || index.storage.dtype !== 'int64' || out.data.length < 256) {
      jsBackend.gather(x, dim, index, out);
      return;
    }
    // Not coalesced: the indexed dim must stay a dim of its own.
    addon.gather(data, index.storage.data, out.data, dim, viewsDesc(index.shape, [x, index], [x.strides, index.strides]));
  };

  const scatterAdd = (dst: View, dim: number, index: View, src: View): void => {
    const d = dst.storage.data, s = src.storage.data;
    if (!isFloat(d) || !isFloat(s) || d.constructor !== s.constructor || index.storage.dtype !== 'int64' || numelOf(index.shape) < 256) {
      jsBackend.scatterAdd(dst, dim, index, src);
      return;
    }
    const views = [dst, index, src];
    addon.scatterAdd(d, index.storage.data, s, dim, viewsDesc(index.shape, views, views.map((v) => v.strides)));
  };

  return {
    ...jsBackend, name: 'native', addon, alloc, allocUninit, axpy, unary, binary, where, copy, reduce, argReduce, matmul, gather, scatterAdd, conv, maxPool2dIndices, maxPool2dBackward, softmax, softmaxBackward,
  };
}
