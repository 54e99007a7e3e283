// src/nn/functional/pool.ts — F.maxPool2d, F.avgPool2d, F.adaptiveAvgPool2d over window views of the
// padded input, with PyTorch's output sizes, divisors, grad_fn names and first-max gradient routing.
import { allocArray } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import { contiguousStrides, numelOf } from '../../core/shape.js';
import type { Backend, PoolGeometry as BackendPoolGeometry, Storage, View } from '../../backends/backend.js';
import { defineOp, denseOf, denseView, type Grads, type Op } from '../../ops/define.js';
import { matmul } from '../../ops/linalg.js';
import { reshape, t } from '../../ops/views.js';
import { tensor, zeros } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';
import { type IntOrTuple, ntuple } from './conv.js';

/** Window size, step, padding and dilation of a 2-D pooling, and its output size. */
type PoolGeometry = BackendPoolGeometry;

/** PyTorch's pooling_output_shape: floor or ceil division, and no window may start in the right padding. */
export function poolOutputSize(size: number, k: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  const span = size + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0);
  let out = Math.floor(span / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

/**
 * A buffer holding x inside `value`-filled padding, large enough for every window (ceil mode may
 * run past the padding), and the view of the windows: [...lead, Oh, Ow, kh, kw].
 */
function paddedWindows(be: Backend, x: View, geo: PoolGeometry, value: number): [View, View] {
  const lead = x.shape.slice(0, -2), [h, w] = x.shape.slice(-2) as [number, number];
  const [ph, pw] = geo.padding, [sh, sw] = geo.stride, [dh, dw] = geo.dilation, [kh, kw] = geo.kernel, [oh, ow] = geo.out;
  const hp = Math.max(h + 2 * ph, (oh - 1) * sh + dh * (kh - 1) + 1);
  const wp = Math.max(w + 2 * pw, (ow - 1) * sw + dw * (kw - 1) + 1);
  const whole = denseView(be.alloc(x.storage.dtype, numelOf(lead) * hp * wp), [...lead, hp, wp]);
  if (value !== 0) be.fill(whole, value);
  const interior: View = { storage: whole.storage, shape: x.shape, strides: whole.strides, offset: ph * wp + pw };
  const leadStrides = whole.strides.slice(0, -2);
  const view: View = {
    storage: whole.storage,
    shape: [...lead, oh, ow, kh, kw],
    strides: [...leadStrides, sh * wp, sw, dh * wp, dw],
    offset: 0,
  };
  return [interior, view];
}

/** For each output position and window slot, the flat index (h·W + w) of the input element it reads. */
function indexTable(be: Backend, w: number, geo: PoolGeometry): Storage {
  const [oh, ow] = geo.out, [kh, kw] = geo.kernel;
  const table = new Float64Array(oh * ow * kh * kw);
  let i = 0;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const r = y * geo.stride[0] - geo.padding[0] + ky * geo.dilation[0];
          const c = x * geo.stride[1] - geo.padding[1] + kx * geo.dilation[1];
          table[i++] = r * w + c;
        }
      }
    }
  }
  return be.fromArray('int64', table);
}

/** out (int64, [...lead, Oh, Ow]) = flat input index of the first maximum of each window. */
export function maxPoolIndices(be: Backend, x: View, out: Storage, geo: PoolGeometry): void {
  if (be.maxPool2dIndices?.(x, out, geo)) return;
  const [interior, view] = paddedWindows(be, x, geo, -Infinity);
  be.copy(x, interior);
  const lead = numelOf(x.shape.slice(0, -2)), positions = geo.out[0] * geo.out[1], window = geo.kernel[0] * geo.kernel[1];
  const cols = be.alloc(x.storage.dtype, numelOf(view.shape));
  be.copy(view, denseView(cols, view.shape));
  const values = be.alloc(x.storage.dtype, lead * positions), slots = be.alloc('int64', lead * positions);
  be.argReduce('max', denseView(cols, [lead * positions, window]), 1, values, slots);
  const w = x.shape[x.shape.length - 1];
  const table: View = { storage: indexTable(be, w, geo), shape: [lead, positions, window], strides: [0, window, 1], offset: 0 };
  be.gather(table, 2, denseView(slots, [lead, positions, 1]), out);
}

/** out = the sum of each zero-padded window divided by PyTorch's divisor. */
export function avgPoolForward(be: Backend, x: View, divisor: View, out: Storage, geo: PoolGeometry): void {
  const [interior, view] = paddedWindows(be, x, geo, 0);
  be.copy(x, interior);
  const sums = be.alloc(out.dtype, numelOf(divisor.shape));
  const n = view.shape.length;
  be.reduce('sum', view, [n - 2, n - 1], sums);
  be.binary('div', denseView(sums, divisor.shape), divisor, out);
}

/** out (x-shaped) = the adjoint of avgPoolForward applied to g: g / divisor spread over each window. */
export function avgPoolInputGrad(be: Backend, g: View, divisor: View, out: Storage, inShape: readonly number[], geo: PoolGeometry): void {
  const scaled = be.alloc(out.dtype, numelOf(g.shape));
  be.binary('div', g, divisor, scaled);
  const target = denseView(out, inShape);
  const [interior, view] = paddedWindows(be, target, geo, 0);
  const spread: View = { storage: scaled, shape: view.shape, strides: [...contiguousStrides(g.shape), 0, 0], offset: 0 };
  be.addInto(spread, view);
  be.copy(interior, target);
}

/** avg_pool2d's divisor per output position: the window's size, clipped to the padded or the real input. */
function divisorView(be: Backend, shape: readonly number[], dtype: Storage['dtype'], geo: PoolGeometry, countIncludePad: boolean, override: number | null): View {
  const [h, w] = shape.slice(-2) as [number, number], [oh, ow] = geo.out;
  // Built on the host and handed to the backend (wrapped on the CPU, uploaded to a device).
  const table = allocArray(dtype, oh * ow);
  const span = (o: number, d: 0 | 1, size: number): [number, number] => {
    const start = o * geo.stride[d] - geo.padding[d];
    const end = Math.min(start + geo.kernel[d], size + geo.padding[d]);
    return [end - start, Math.min(end, size) - Math.max(start, 0)];
  };
  for (let y = 0; y < oh; y++) {
    const [padH, realH] = span(y, 0, h);
    for (let x = 0; x < ow; x++) {
      const [padW, realW] = span(x, 1, w);
      table[y * ow + x] = override ?? (countIncludePad ? padH * padW : realH * realW);
    }
  }
  const outShape = [...shape.slice(0, -2), oh, ow];
  return { storage: be.fromArray(dtype, table), shape: outShape, strides: [...outShape.slice(0, -2).map(() => 0), ow, 1], offset: 0 };
}

interface AvgParams extends PoolGeometry {
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
}

const outShapeOf = (dims: readonly number[], geo: PoolGeometry): number[] => [...dims.slice(0, -2), ...geo.out];

const avgPoolOp: Op<AvgParams> = defineOp<AvgParams>({
  name: 'avg_pool2d',
  gradFn: 'AvgPool2DBackward0',
  meta: ([x], p) => ({ shape: outShapeOf(x.dims, p), dtype: x.dtype }),
  forward: (be, [x], out, p) => {
    avgPoolForward(be, x, divisorView(be, x.shape, out.dtype, p, p.countIncludePad, p.divisorOverride), out, p);
  },
  backward: (g, [x], _, p): Grads => [avgPoolGradOp([g], { ...p, inShape: x.dims })],
  saves: 'none',
});

const avgPoolGradOp: Op<AvgParams & { inShape: readonly number[] }> = defineOp<AvgParams & { inShape: readonly number[] }>({
  name: 'avg_pool2d_backward',
  gradFn: 'AvgPool2DBackwardBackward0',
  meta: ([g], p) => ({ shape: p.inShape, dtype: g.dtype }),
  forward: (be, [g], out, p) => {
    avgPoolInputGrad(be, g, divisorView(be, p.inShape, out.dtype, p, p.countIncludePad, p.divisorOverride), out, p.inShape, p);
  },
  backward: (h, _, __, p): Grads => [avgPoolOp([h], p)],
  saves: 'none',
});

/** out = x's values at flat (h·W + w) plane indices (the max-pool output, given the indices of its maxima). */
function gatherAtIndices(be: Backend, x: View, indices: View, out: Storage): void {
  const lead = x.shape.slice(0, -2), plane = numelOf(x.shape.slice(-2)), positions = numelOf(indices.shape.slice(-2));
  const src = denseOf(be, x);
  be.gather({ ...src, shape: [...lead, plane], strides: [...contiguousStrides(lead).map((s) => s * plane), 1] }, lead.length, denseView(indices.storage, [...lead, positions], indices.offset), out);
}

interface MaxParams extends PoolGeometry {
  /** Filled by the forward: the index of each window's maximum, for the backward and returnIndices. */
  readonly found: { indices?: Tensor };
}

/**
 * Max pooling. The same pass finds the index of each maximum, which the backward routes the
 * gradient to (PyTorch's max_pool2d_with_indices); it is kept on the call's params.
 */
const maxPoolOp: Op<MaxParams> = defineOp<MaxParams>({
  name: 'max_pool2d',
  gradFn: 'MaxPool2DWithIndicesBackward0',
  meta: ([x], p) => ({ shape: outShapeOf(x.dims, p), dtype: x.dtype }),
  forward: (be, [x], out, p) => {
    const shape = outShapeOf(x.shape, p), n = numelOf(shape);
    const indices = be.allocUninit?.('int64', n) ?? be.alloc('int64', n);
    if (!be.maxPool2dIndices?.(x, indices, p, out)) {
      maxPoolIndices(be, x, indices, p);
      gatherAtIndices(be, x, denseView(indices, shape), out);
    }
    p.found.indices = new Tensor(indices, shape);
  },
  backward: (g, [x], _, p): Grads => [maxPoolGradOp([g, indicesOf(p)], { inShape: x.dims, geo: p })],
  saves: 'none',
  overwrites: true,
});

function indicesOf(p: MaxParams): Tensor {
  if (p.found.indices === undefined) throw new RuntimeError('max_pool2d: indices requested before the forward ran');
  return p.found.indices;
}

/** The gathering at known indices: max pooling's gradient's own gradient (double backward). */
const gatherAtIndicesOp = defineOp({
  name: 'max_pool2d',
  gradFn: 'MaxPool2DWithIndicesBackward0',
  meta: ([x, indices]) => ({ shape: indices.dims, dtype: x.dtype }),
  forward: (be, [x, indices], out) => {
    gatherAtIndices(be, x, indices, out);
  },
  backward: (g, [x, indices]): Grads => [maxPoolGradOp([g, indices], { inShape: x.dims, geo: null }), null],
  saves: 'inputs',
  overwrites: true,
});

/**
 * The gradient of max pooling: zeros of the input's shape with each output gradient added at its
 * window's maximum. The indices come from the forward, so they need no bounds check (checking
 * them in scatterAdd cost more than the scatter itself).
 */
const maxPoolGradOp: Op<{ inShape: readonly number[]; geo: PoolGeometry | null }> = defineOp<{ inShape: readonly number[]; geo: PoolGeometry | null }>({
  name: 'max_pool2d_backward',
  gradFn: 'MaxPool2DWithIndicesBackwardBackward0',
  meta: ([g], p) => ({ shape: p.inShape, dtype: g.dtype }),
  forward: (be, [g, indices], out, { inShape, geo }) => {
    if (geo !== null && be.maxPool2dBackward?.(g, indices, out, inShape, geo)) return;
    const lead = inShape.slice(0, -2), positions = numelOf(indices.shape.slice(-2));
    const dst = denseView(out, [...lead, numelOf(inShape.slice(-2))]);
    be.fill(dst, 0);
    const gd = denseOf(be, g);
    be.scatterAdd(dst, lead.length, denseView(indices.storage, [...lead, positions], indices.offset), { ...gd, shape: [...lead, positions], strides: contiguousStrides([...lead, positions]) });
  },
  // Linear in g: its gradient gathers the incoming gradient at the same indices.
  backward: (h, [, indices]) => [gatherAtIndicesOp([h, indices], undefined), null],
  saves: 'none',
  overwrites: true, // both paths write every element (the composed one fills with zeros first)
});

function checkPoolInput(op: string, x: Tensor): void {
  if ((x.dim() !== 3 && x.dim() !== 4) || x.dims.slice(1).some((n) => n === 0)) {
    throw new RuntimeError(`${op}: non-empty 3D or 4D (batch mode) tensor expected for input`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new RuntimeError(`${op}: "${op}" not implemented for '${x.dtype}'`);
}

function poolGeometry(op: string, x: Tensor, kernelSize: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, ceilMode: boolean): PoolGeometry {
  checkPoolInput(op, x);
  const k = ntuple(op, 'kernel_size', kernelSize, 2) as [number, number];
  const s = (stride === null || (Array.isArray(stride) && stride.length === 0) ? k : ntuple(op, 'stride', stride, 2)) as [number, number];
  const p = ntuple(op, 'padding', padding, 2) as [number, number], d = ntuple(op, 'dilation', dilation, 2) as [number, number];
  if (k.some((v) => v <= 0)) throw new RuntimeError(`${op}: kernel size should be greater than zero, but got kH: ${k[0]} kW: ${k[1]}`);
  if (s.some((v) => v <= 0)) throw new RuntimeError(`${op}: stride should be greater than zero, but got dH: ${s[0]} dW: ${s[1]}`);
  if (d.some((v) => v <= 0)) throw new RuntimeError(`${op}: dilation should be greater than zero, but got dilationH: ${d[0]} dilationW: ${d[1]}`);
  p.forEach((v) => {
    if (v < 0) throw new RuntimeError(`${op}: pad must be non-negative, but got pad: ${v}`);
  });
  p.forEach((v, i) => {
    if (v > k[i] / 2) throw new RuntimeError(`${op}: pad should be at most half of kernel size, but got pad=${v} and kernel_size=${k[i]}`);
  });
  const [h, w] = x.dims.slice(-2) as [number, number];
  const out: [number, number] = [poolOutputSize(h, k[0], p[0], s[0], d[0], ceilMode), poolOutputSize(w, k[1], p[1], s[1], d[1], ceilMode)];
  if (out[0] < 1 || out[1] < 1) {
    const c = x.dims[x.dim() - 3];
    throw new RuntimeError(`${op}: Given input size: (${c}x${h}x${w}). Calculated output size: (${c}x${out[0]}x${out[1]}). Output size is too small`);
  }
  return { kernel: k, stride: s, padding: p, dilation: d, out };
}

export interface MaxPool2dOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

/** 2-D max pooling (F.max_pool2d); with `returnIndices: true`, also the flat index of each maximum. */
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, options?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, options: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, options: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  const { stride = null, padding = 0, dilation = 1, ceilMode = false, returnIndices = false } = options;
  const geo = poolGeometry('max_pool2d', input, kernelSize, stride, padding, dilation, ceilMode);
  const params: MaxParams = { ...geo, found: {} };
  const values = maxPoolOp([input], params);
  // An empty output skips the forward, which would have found the (equally empty) indices.
  params.found.indices ??= zeros(values.dims, { dtype: 'int64', device: values.device });
  return returnIndices ? [values, indicesOf(params)] : values;
}

export interface AvgPool2dOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** 2-D average pooling (F.avg_pool2d), with PyTorch's countIncludePad, ceilMode and divisorOverride. */
export function avgPool2d(input: Tensor, kernelSize: IntOrTuple, options: AvgPool2dOptions = {}): Tensor {
  const { stride = null, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null } = options;
  const geo = poolGeometry('avg_pool2d', input, kernelSize, stride, padding, 1, ceilMode);
  if (divisorOverride === 0) throw new RuntimeError('avg_pool2d: divisor must be not zero');
  return avgPoolOp([input], { ...geo, countIncludePad, divisorOverride });
}

/** The [out, in] averaging matrix of adaptive pooling: row o averages in[⌊o·I/O⌋ … ⌈(o+1)·I/O⌉). */
export function adaptiveMatrix(size: number, out: number, like: Tensor): Tensor {
  const m = allocArray('float64', out * size) as Float64Array;
  for (let o = 0; o < out; o++) {
    const start = Math.floor((o * size) / out), end = Math.ceil(((o + 1) * size) / out);
    for (let i = start; i < end; i++) m[o * size + i] = 1 / (end - start);
  }
  return reshape(tensor(m, { dtype: 'float64' }).to({ dtype: like.dtype, device: like.device }), [out, size]);
}

const adaptiveAvgPoolOp = defineOp<{ rows: Tensor; cols: Tensor }>({
  name: 'adaptive_avg_pool2d',
  gradFn: 'AdaptiveAvgPool2DBackward0',
  meta: ([x], { rows, cols }) => ({ shape: [...x.dims.slice(0, -2), rows.dims[0], cols.dims[0]], dtype: x.dtype }),
  // out = rows @ x @ colsᵀ: averaging is separable, so two products replace the per-window loops.
  forward: (be, [x], out, { rows, cols }) => {
    const lead = x.shape.slice(0, -2), [oh, h] = rows.dims as [number, number], [ow, w] = cols.dims as [number, number];
    const mid = be.alloc(out.dtype, numelOf(lead) * oh * w);
    be.matmul({ ...rows.kernelView(), shape: [...lead, oh, h], strides: [...lead.map(() => 0), h, 1] }, x, mid);
    be.matmul(denseView(mid, [...lead, oh, w]), { ...cols.kernelView(), shape: [...lead, w, ow], strides: [...lead.map(() => 0), 1, w] }, out);
  },
  backward: (g, _, __, { rows, cols }): Grads => [matmul(matmul(t(rows), g), cols)],
  saves: 'none',
});

/** 2-D adaptive average pooling to `outputSize` (null keeps that input size) (F.adaptive_avg_pool2d). */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  const op = 'adaptive_avg_pool2d';
  checkPoolInput(op, input);
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  if (sizes.length !== 2) throw new RuntimeError(`${op}: output_size must be 2`);
  const [h, w] = input.dims.slice(-2) as [number, number];
  const oh = sizes[0] ?? h, ow = sizes[1] ?? w;
  if (oh < 0 || ow < 0) throw new RuntimeError(`${op}: elements of output_size must be greater than or equal to 0 but received {${oh}, ${ow}}`);
  return adaptiveAvgPoolOp([input], { rows: adaptiveMatrix(h, oh, input), cols: adaptiveMatrix(w, ow, input) });
}
