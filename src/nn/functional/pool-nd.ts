// src/nn/functional/pool-nd.ts — 1-D and 3-D pooling on the 2-D kernels: 1-D pools run on a unit-height
// image (as PyTorch's max_pool1d and avg_pool1d do), 3-D pools are separable (max and mean over a box are
// those over H×W, then over D), so they reuse the fast 2-D window kernels and their gradients. Adaptive max
// pooling is separable too: per dim, an index_select into padded windows and a max over each window.
import { isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import { fmtShape, numelOf } from '../../core/shape.js';
import { floorDivide, add, mul } from '../../ops/elementwise.js';
import { gather, indexSelect } from '../../ops/indexing.js';
import { matmul } from '../../ops/linalg.js';
import { reshape, squeeze, unsqueeze } from '../../ops/views.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type IntOrTuple, ntuple } from './conv.js';
import { adaptiveAvgPool2d, adaptiveMatrix, avgPool2d, type AvgPool2dOptions, maxPool2d, type MaxPool2dOptions, poolOutputSize } from './pool.js';

/** PyTorch's check that a 1-D pooling argument is one int (an int or a one-element list). */
function single(op: string, name: string, v: IntOrTuple): number {
  if (typeof v !== 'number' && v.length !== 1) throw new RuntimeError(`${op}: ${op}() argument '${name}' should contain one int (got ${v.length})`);
  return ntuple(op, name, v, 1)[0];
}

function checkRank(op: string, x: Tensor): void {
  if (x.dim() !== 2 && x.dim() !== 3) {
    throw new RuntimeError(`${op}: Expected 2 to 3 dimensions, but got ${x.dim()}-dimensional tensor for argument #1 'self' (while checking arguments for ${op})`);
  }
}

/** A 1-D pooling run as a 2-D one over [..., 1, L]. */
const onRow = (x: Tensor, pool: (row: Tensor) => Tensor): Tensor => squeeze(pool(unsqueeze(x, -2)), -2);

export type MaxPool1dOptions = MaxPool2dOptions;

/** 1-D max pooling over [N, C, L] or [C, L] (F.max_pool1d); with `returnIndices`, also each maximum's index. */
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, options?: MaxPool1dOptions & { returnIndices?: false }): Tensor;
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, options: MaxPool1dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, options: MaxPool1dOptions = {}): Tensor | [Tensor, Tensor] {
  const op = 'max_pool1d';
  const { stride = null, padding = 0, dilation = 1, ceilMode = false, returnIndices = false } = options;
  if ((input.dim() !== 2 && input.dim() !== 3) || input.dims.slice(1).some((n) => n === 0)) {
    throw new RuntimeError(`${op}: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${fmtShape(input.dims)}`);
  }
  const k = single(op, 'kernel_size', kernelSize);
  const s = stride === null || (typeof stride !== 'number' && stride.length === 0) ? k : single(op, 'stride', stride);
  if (s === 0) throw new RuntimeError(`${op}: stride should not be zero`);
  const o = { stride: [1, s], padding: [0, single(op, 'padding', padding)], dilation: [1, single(op, 'dilation', dilation)], ceilMode };
  const x = unsqueeze(input, -2);
  if (!returnIndices) return squeeze(maxPool2d(x, [1, k], o), -2);
  const [values, indices] = maxPool2d(x, [1, k], { ...o, returnIndices: true });
  return [squeeze(values, -2), squeeze(indices, -2)];
}

export type AvgPool1dOptions = Omit<AvgPool2dOptions, 'divisorOverride'>;

/** 1-D average pooling over [N, C, L] or [C, L] (F.avg_pool1d). */
export function avgPool1d(input: Tensor, kernelSize: IntOrTuple, options: AvgPool1dOptions = {}): Tensor {
  const op = 'avg_pool1d';
  checkRank(op, input);
  const { stride = null, padding = 0, ceilMode = false, countIncludePad = true } = options;
  const k = single(op, 'kernel_size', kernelSize);
  const s = stride === null || (typeof stride !== 'number' && stride.length === 0) ? k : single(op, 'stride', stride);
  return onRow(input, (x) => avgPool2d(x, [1, k], { stride: [1, s], padding: [0, single(op, 'padding', padding)], ceilMode, countIncludePad }));
}

/** 1-D adaptive average pooling of [N, C, L] or [C, L] to `outputSize` (F.adaptive_avg_pool1d). */
export function adaptiveAvgPool1d(input: Tensor, outputSize: IntOrTuple): Tensor {
  const op = 'adaptive_avg_pool1d';
  checkRank(op, input);
  const o = single(op, 'output_size', outputSize);
  return onRow(input, (x) => adaptiveAvgPool2d(x, [1, o]));
}

interface Geometry3d {
  k: number[];
  s: number[];
  p: number[];
  d: number[];
  out: number[];
}

/** PyTorch's pool3d_shape_check: ranks, positive sizes, padding at most half the kernel, a non-empty output. */
function geometry3d(op: string, x: Tensor, kernelSize: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, ceilMode: boolean): Geometry3d {
  if ((x.dim() !== 4 && x.dim() !== 5) || x.dims.slice(1).some((n) => n === 0)) throw new RuntimeError(`${op}: non-empty 4D or 5D (batch mode) tensor expected for input`);
  const k = ntuple(op, 'kernel_size', kernelSize, 3);
  const s = stride === null || (typeof stride !== 'number' && stride.length === 0) ? k : ntuple(op, 'stride', stride, 3);
  const p = ntuple(op, 'padding', padding, 3), d = ntuple(op, 'dilation', dilation, 3);
  if (k.some((v) => v <= 0)) throw new RuntimeError(`${op}: kernel size should be greater than zero, but got kT: ${k[0]} kH: ${k[1]} kW: ${k[2]}`);
  if (s.some((v) => v <= 0)) throw new RuntimeError(`${op}: stride should be greater than zero, but got dT: ${s[0]} dH: ${s[1]} dW: ${s[2]}`);
  if (d.some((v) => v <= 0)) throw new RuntimeError(`${op}: dilation should be greater than zero, but got dilationT: ${d[0]} dilationH: ${d[1]} dilationW: ${d[2]}`);
  p.forEach((v, i) => {
    if (v < 0 || v > k[i] / 2) throw new RuntimeError(`${op}: pad should be at most half of kernel size, but got pad=${v} and kernel_size=${k[i]}`);
  });
  const spatial = x.dims.slice(-3);
  if (op === 'avg_pool3d' && spatial.some((n, i) => n + 2 * p[i] < k[i])) {
    throw new RuntimeError(`${op}: input image (T: ${spatial[0]} H: ${spatial[1]} W: ${spatial[2]}) smaller than kernel size (kT: ${k[0]} kH: ${k[1]} kW: ${k[2]})`);
  }
  const out = spatial.map((n, i) => poolOutputSize(n, k[i], p[i], s[i], d[i], ceilMode));
  if (out.some((o) => o < 1)) {
    const c = x.dims[x.dim() - 4];
    throw new RuntimeError(`${op}: Given input size: (${c}x${spatial.join('x')}). Calculated output size: (${c}x${out.join('x')}). Output size is too small`);
  }
  return { k, s, p, d, out };
}

/** Runs a separable 3-D pooling: `hw` over [B, D, H, W], then `depth` over [B, D, Oh·Ow]; B = N·C. */
function separable(x: Tensor, hw: (t: Tensor) => Tensor, depth: (t: Tensor) => Tensor): Tensor {
  const lead = x.dims.slice(0, -3), [d, h, w] = x.dims.slice(-3) as [number, number, number];
  const b = numelOf(lead);
  const planes = hw(reshape(x, [b, d, h, w]));
  const [oh, ow] = planes.dims.slice(-2) as [number, number];
  const y = depth(reshape(planes, [b, d, oh * ow]));
  return reshape(y, [...lead, y.dims[1], oh, ow]);
}

/** 3-D max pooling over [N, C, D, H, W] or [C, D, H, W] (F.max_pool3d); with `returnIndices`, also flat d·H·W + h·W + w indices. */
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, options?: MaxPool2dOptions & { returnIndices?: false }): Tensor;
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, options: MaxPool2dOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, options: MaxPool2dOptions = {}): Tensor | [Tensor, Tensor] {
  const { stride = null, padding = 0, dilation = 1, ceilMode = false, returnIndices = false } = options;
  const { k, s, p, d } = geometry3d('max_pool3d', input, kernelSize, stride, padding, dilation, ceilMode);
  const opts = (i: number, j: number) => ({ stride: [s[i], s[j]], padding: [p[i], p[j]], dilation: [d[i], d[j]], ceilMode, returnIndices: true as const });
  // Each stage keeps the first maximum in scan order, so together they find the box's first maximum, as PyTorch.
  const found: { plane?: Tensor; depth?: Tensor } = {};
  const values = separable(input, (t) => {
    const [v, i] = maxPool2d(t, [k[1], k[2]], opts(1, 2));
    found.plane = i;
    return v;
  }, (t) => {
    const [v, i] = maxPool2d(t, [k[0], 1], { ...opts(0, 0), stride: [s[0], 1], padding: [p[0], 0], dilation: [d[0], 1] });
    found.depth = i;
    return v;
  });
  const { plane, depth } = found;
  if (!returnIndices || plane === undefined || depth === undefined) return values;
  const positions = plane.dims[2] * plane.dims[3], [h, w] = input.dims.slice(-2) as [number, number];
  const z = floorDivide(depth, positions); // the input depth of each maximum
  const within = gather(reshape(plane, [plane.dims[0], plane.dims[1], positions]), 1, z);
  return [values, reshape(add(mul(z, h * w), within), values.dims)];
}

/** 3-D average pooling over [N, C, D, H, W] or [C, D, H, W] (F.avg_pool3d). */
export function avgPool3d(input: Tensor, kernelSize: IntOrTuple, options: AvgPool2dOptions = {}): Tensor {
  const { stride = null, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null } = options;
  const { k, s, p } = geometry3d('avg_pool3d', input, kernelSize, stride, padding, 1, ceilMode);
  if (divisorOverride === 0) throw new RuntimeError('avg_pool3d: divisor must be not zero');
  // The divisor is a product of per-dim window sizes, so the mean is separable; an override divides the sum.
  const sumOnly = divisorOverride === null ? null : 1;
  const pooled = separable(
    input,
    (t) => avgPool2d(t, [k[1], k[2]], { stride: [s[1], s[2]], padding: [p[1], p[2]], ceilMode, countIncludePad, divisorOverride: sumOnly }),
    (t) => avgPool2d(t, [k[0], 1], { stride: [s[0], 1], padding: [p[0], 0], ceilMode, countIncludePad, divisorOverride: sumOnly }),
  );
  return divisorOverride === null ? pooled : pooled.div(divisorOverride);
}

/** 3-D adaptive average pooling to `outputSize` (null keeps that size) (F.adaptive_avg_pool3d). */
export function adaptiveAvgPool3d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  const op = 'adaptive_avg_pool3d';
  if (input.dim() !== 4 && input.dim() !== 5) throw new RuntimeError(`${op}: adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got ${fmtShape(input.dims)}`);
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize, outputSize] : outputSize;
  if (sizes.length !== 3) throw new RuntimeError(`${op}: adaptive_avg_pool3d: output_size must be 3`);
  const [depth, h, w] = input.dims.slice(-3) as [number, number, number];
  const od = sizes[0] ?? depth;
  // Averaging is separable: H×W with the 2-D kernel, then D as one product with the [Od, D] averaging matrix.
  return separable(input, (t) => adaptiveAvgPool2d(t, [sizes[1] ?? h, sizes[2] ?? w]), (t) => matmul(adaptiveMatrix(depth, od, t), t));
}

/**
 * Adaptive max pooling of the trailing `sizes.length` dims, separable (one stage per dim, last first):
 * output o reads input [⌊o·I/O⌋, ⌈(o+1)·I/O⌉), gathered into windows padded to the longest by repeating their
 * last element (which never changes a maximum), then max over the window keeps the first maximum. Returns the
 * values and the flat index of each maximum within the pooled dims.
 */
function adaptiveMax(x: Tensor, sizes: readonly number[]): [Tensor, Tensor] {
  const k = sizes.length, n = x.dim();
  let y = x, flat: Tensor | null = null, inner = 1;
  for (let j = k - 1; j >= 0; j--) {
    const d = n - k + j, len = x.dims[d], out = sizes[j];
    const starts = Array.from({ length: out }, (_, o) => Math.floor((o * len) / out));
    const ends = Array.from({ length: out }, (_, o) => Math.ceil(((o + 1) * len) / out));
    const w = Math.max(1, ...starts.map((s, o) => ends[o] - s));
    const table = Float64Array.from({ length: out * w }, (_, i) => Math.min(starts[Math.floor(i / w)] + (i % w), ends[Math.floor(i / w)] - 1));
    const picked = indexSelect(y, d, tensor(table, { dtype: 'int64', device: x.device }));
    const [values, slot] = reshape(picked, [...y.dims.slice(0, d), out, w, ...y.dims.slice(d + 1)]).max(d + 1);
    const shape = y.dims.map((_, i) => (i === d ? out : 1));
    const src = add(slot, reshape(tensor(Float64Array.from(starts), { dtype: 'int64', device: x.device }), shape));
    flat = flat === null ? src : add(gather(flat, d, src), mul(src, inner));
    inner *= len;
    y = values;
  }
  return [y, flat ?? y];
}

function adaptiveMaxPool(op: string, input: Tensor, sizes: readonly (number | null)[], returnIndices: boolean): Tensor | [Tensor, Tensor] {
  const k = sizes.length;
  if (input.dims.slice(1).some((n) => n === 0)) {
    const d = input.dims.findIndex((n, i) => i > 0 && n === 0);
    throw new RuntimeError(`${op}: ${op}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${fmtShape(input.dims)} with dimension ${d} being empty`);
  }
  if (!isFloating(input.dtype)) throw new RuntimeError(`${op}: "${op}" not implemented for '${TYPE_NAMES[input.dtype]}'`);
  const spatial = input.dims.slice(input.dim() - k);
  const [values, indices] = adaptiveMax(input, sizes.map((s, i) => s ?? spatial[i]));
  return returnIndices ? [values, indices] : values;
}

export interface AdaptiveMaxPoolOptions {
  returnIndices?: boolean;
}

/** 1-D adaptive max pooling of [N, C, L] or [C, L] (F.adaptive_max_pool1d); with `returnIndices`, also each maximum's index. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: IntOrTuple, options?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool1d(input: Tensor, outputSize: IntOrTuple, options: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: IntOrTuple, { returnIndices = false }: AdaptiveMaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  const op = 'adaptive_max_pool1d';
  checkRank(op, input);
  return adaptiveMaxPool(op, input, [single(op, 'output_size', outputSize)], returnIndices);
}

/** 2-D adaptive max pooling of [N, C, H, W] or [C, H, W] (F.adaptive_max_pool2d); null keeps that size. */
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[], options?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[], options: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[], { returnIndices = false }: AdaptiveMaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  const op = 'adaptive_max_pool2d';
  if (input.dim() !== 3 && input.dim() !== 4) throw new RuntimeError(`${op}: ${op}(): Expected 3D or 4D tensor, but got: ${fmtShape(input.dims)}`);
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  if (sizes.length !== 2) throw new RuntimeError(`${op}: ${op}(): internal error: output_size.size() must be 2`);
  return adaptiveMaxPool(op, input, sizes, returnIndices);
}

/** 3-D adaptive max pooling of [N, C, D, H, W] or [C, D, H, W] (F.adaptive_max_pool3d); null keeps that size. */
export function adaptiveMaxPool3d(input: Tensor, outputSize: number | readonly (number | null)[], options?: { returnIndices?: false }): Tensor;
export function adaptiveMaxPool3d(input: Tensor, outputSize: number | readonly (number | null)[], options: { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, outputSize: number | readonly (number | null)[], { returnIndices = false }: AdaptiveMaxPoolOptions = {}): Tensor | [Tensor, Tensor] {
  const op = 'adaptive_max_pool3d';
  if (input.dim() !== 4 && input.dim() !== 5) throw new RuntimeError(`${op}: ${op}(): Expected 4D or 5D tensor, but got: ${fmtShape(input.dims)}`);
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize, outputSize] : outputSize;
  if (sizes.length !== 3) throw new RuntimeError(`${op}: ${op}(): internal error: output_size.size() must be 3`);
  return adaptiveMaxPool(op, input, sizes, returnIndices);
}
