// src/nn/functional/conv.ts — F.conv1d, F.conv2d, F.convTranspose2d: one convolution op (PyTorch's
// aten::convolution, grad_fn ConvolutionBackward0) over im2col views, and its two adjoint ops.
import { ArgumentTypeError, RuntimeError } from '../../core/errors.js';
import { fmtShape, numelOf } from '../../core/shape.js';
import type { Backend, ConvGeometry, Storage, View } from '../../backends/backend.js';
import { defineOp, denseOf, denseView, expandView, type Grads, type Meta, type Op } from '../../ops/define.js';
import { sum } from '../../ops/reduce.js';
import { squeeze, unsqueeze } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';

// Note [Convolution kernels]
// A convolution is three products, each one function `(be, …views, out, geometry) => void` built
// from copy, fill, addInto and matmul, so that a native backend can later route each to a fast kernel:
//   convForward      out = conv(x, w)                   im2col(x), then w @ cols
//   convInputGrad    out = convᵀ(g, w) (x-shaped)       wᵀ @ g, then col2im: addInto an overlapping view
//   convWeightGrad   out = Σ_batch g @ im2col(x)ᵀ        (w-shaped)
// im2col is a strided view of the zero-padded input, shape [N, G, C/G, *K, *O], whose window and
// output dims step by dilation and stride; copying it contiguous gives [N, G, C/G·∏K, ∏O]. The
// adjoint of that copy is addInto through the same (overlapping) view. A transposed convolution is
// convInputGrad run forwards, so the three kernels also serve it, and each adjoint op's gradient is
// again one of the three.

/** Stride, padding (before and after each spatial dim), dilation and groups of the forward convolution. */
export type Geometry = ConvGeometry;

const hasPadding = (geo: Geometry): boolean => geo.padBefore.some((p) => p !== 0) || geo.padAfter.some((p) => p !== 0);

/** A zero-filled [N, C, *padded] buffer and the view of its interior that has `shape`. */
export function paddedBuffer(be: Backend, shape: readonly number[], geo: Geometry, dtype: Storage['dtype']): [View, View] {
  const padded = shape.map((n, i) => (i < 2 ? n : n + geo.padBefore[i - 2] + geo.padAfter[i - 2]));
  const whole = denseView(be.alloc(dtype, numelOf(padded)), padded);
  const offset = geo.padBefore.reduce((acc, p, i) => acc + p * whole.strides[i + 2], 0);
  return [whole, { storage: whole.storage, shape, strides: whole.strides, offset }];
}

/** The im2col view [N, G, C/G, *K, *O] of a (padded) input `src` of shape [N, C, *S]. */
export function windows(src: View, kernel: readonly number[], out: readonly number[], geo: Geometry): View {
  const [n, c] = src.shape as [number, number];
  const [sn, sc] = src.strides as [number, number];
  const spatial = src.strides.slice(2);
  const cg = c / geo.groups;
  return {
    storage: src.storage,
    shape: [n, geo.groups, cg, ...kernel, ...out],
    strides: [sn, cg * sc, sc, ...spatial.map((s, i) => s * geo.dilation[i]), ...spatial.map((s, i) => s * geo.stride[i])],
    offset: src.offset,
  };
}

/** im2col(x) as a contiguous [N, G, C/G·∏K, ∏O] buffer, zeros read outside x. */
function im2col(be: Backend, x: View, kernel: readonly number[], out: readonly number[], geo: Geometry): View {
  let src = x;
  if (hasPadding(geo)) {
    const [whole, interior] = paddedBuffer(be, x.shape, geo, x.storage.dtype);
    be.copy(x, interior);
    src = whole;
  }
  const view = windows(src, kernel, out, geo);
  const cols = denseView(be.alloc(x.storage.dtype, numelOf(view.shape)), view.shape);
  be.copy(view, cols);
  const [n, c] = x.shape as [number, number];
  return denseView(cols.storage, [n, geo.groups, (c / geo.groups) * numelOf(kernel), numelOf(out)]);
}

/** out [N, Cout, *O] = conv(x [N, C, *S], w [Cout, C/G, *K]) + b [Cout] (Note [Convolution kernels]). */
export function convForward(be: Backend, x: View, w: View, b: View | undefined, out: Storage, geo: Geometry): void {
  if (be.conv?.forward(x, w, b ?? null, out, geo)) return;
  const kernel = w.shape.slice(2);
  const outSpatial = outputSize(x.shape.slice(2), kernel, geo);
  const cols = im2col(be, x, kernel, outSpatial, geo);
  const [n, g, ck] = cols.shape as [number, number, number];
  const cog = w.shape[0] / g;
  const wd = denseOf(be, w);
  be.matmul({ storage: wd.storage, shape: [n, g, cog, ck], strides: [0, cog * ck, ck, 1], offset: wd.offset }, cols, out);
  if (b !== undefined) addBias(be, out, [n, w.shape[0], ...outSpatial], b);
}

/** out [N, C, *S] = the adjoint of convForward in x, applied to g [N, Cout, *O] (col2im of wᵀ @ g). */
export function convInputGrad(be: Backend, g: View, w: View, out: Storage, inShape: readonly number[], geo: Geometry): void {
  if (be.conv?.inputGrad(g, w, out, inShape, geo)) return;
  const kernel = w.shape.slice(2), outSpatial = g.shape.slice(2);
  const [n, cout] = g.shape as [number, number];
  const groups = geo.groups, cog = cout / groups, cg = inShape[1] / groups;
  const ck = cg * numelOf(kernel), p = numelOf(outSpatial);
  const wd = denseOf(be, w), gd = denseOf(be, g);
  const cols = be.alloc(out.dtype, n * groups * ck * p);
  be.matmul(
    { storage: wd.storage, shape: [n, groups, ck, cog], strides: [0, cog * ck, 1, ck], offset: wd.offset },
    { storage: gd.storage, shape: [n, groups, cog, p], strides: [cout * p, cog * p, p, 1], offset: gd.offset },
    cols,
  );
  const target = denseView(out, inShape);
  be.fill(target, 0);
  const [whole, interior] = hasPadding(geo) ? paddedBuffer(be, inShape, geo, out.dtype) : [target, target];
  const view = windows(whole, kernel, outSpatial, geo);
  be.addInto(denseView(cols, view.shape), view);
  if (whole !== target) be.copy(interior, target);
}

/** out [Cout, C/G, *K] = Σ over the batch of g [N, Cout, *O] @ im2col(x)ᵀ: the weight's gradient. */
export function convWeightGrad(be: Backend, g: View, x: View, out: Storage, kernel: readonly number[], geo: Geometry): void {
  if (be.conv?.weightGrad(g, x, out, kernel, geo)) return;
  const outSpatial = g.shape.slice(2);
  const cols = im2col(be, x, kernel, outSpatial, geo);
  const [n, groups, ck, p] = cols.shape as [number, number, number, number];
  const cout = g.shape[1], cog = cout / groups;
  const gd = denseOf(be, g);
  const perSample = be.alloc(out.dtype, n * cout * ck);
  be.matmul(
    { storage: gd.storage, shape: [n, groups, cog, p], strides: [cout * p, cog * p, p, 1], offset: gd.offset },
    { storage: cols.storage, shape: [n, groups, p, ck], strides: [groups * ck * p, ck * p, 1, p], offset: 0 },
    perSample,
  );
  be.reduce('sum', denseView(perSample, [n, cout * ck]), [0], out);
}

/** Output spatial size of a convolution: ⌊(S + pads − d·(k−1) − 1) / s⌋ + 1. */
function outputSize(spatial: readonly number[], kernel: readonly number[], geo: Geometry): number[] {
  return spatial.map(
    (s, i) => Math.floor((s + geo.padBefore[i] + geo.padAfter[i] - geo.dilation[i] * (kernel[i] - 1) - 1) / geo.stride[i]) + 1,
  );
}

interface ConvParams extends Geometry {
  readonly transposed: boolean;
  readonly outputPadding: readonly number[];
}

/** Spatial size of a transposed convolution's output: (I − 1)·s − pads + d·(k − 1) + outputPadding + 1. */
function transposedSize(spatial: readonly number[], kernel: readonly number[], p: ConvParams): number[] {
  return spatial.map(
    (n, i) => (n - 1) * p.stride[i] - p.padBefore[i] - p.padAfter[i] + p.dilation[i] * (kernel[i] - 1) + p.outputPadding[i] + 1,
  );
}

const TYPE_NAMES = { float32: 'FloatTensor', float64: 'DoubleTensor', int32: 'IntTensor', int64: 'LongTensor', bool: 'BoolTensor', uint8: 'ByteTensor' } as const;

/** PyTorch's checks of the stride, padding, dilation and output padding of aten::convolution. */
function checkGeometry(op: string, p: ConvParams): void {
  if (p.stride.some((s) => s <= 0)) throw new RuntimeError(`${op}: non-positive stride is not supported`);
  if ([...p.padBefore, ...p.padAfter].some((s) => s < 0)) throw new RuntimeError(`${op}: negative padding is not supported`);
  if (p.outputPadding.some((s) => s < 0)) throw new RuntimeError(`${op}: negative output_padding is not supported`);
  if (p.dilation.some((s) => s <= 0)) throw new RuntimeError(`${op}: dilation should be greater than zero, but got ${fmtShape(p.dilation)}`);
}

/** PyTorch's checks of aten::convolution, with its messages. */
function convMeta(op: string, inputs: readonly Tensor[], p: ConvParams): Meta {
  const [x, w] = inputs, b = inputs.at(2); // no bias: two inputs
  const [n, c] = x.dims as [number, number];
  const kernel = w.dims.slice(2);
  if (x.dtype !== w.dtype) {
    throw new RuntimeError(
      `${op}: Input type (torch.${TYPE_NAMES[x.dtype]}) and weight type (torch.${TYPE_NAMES[w.dtype]}) should be the same`,
    );
  }
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new RuntimeError(`${op}: "slow_conv2d_cpu" not implemented for '${x.dtype}'`);
  if (w.dims[0] % p.groups !== 0) {
    throw new RuntimeError(
      `${op}: Given groups=${p.groups}, expected weight to be divisible by ${p.groups} at dimension 0, but got weight of size [${fmtShape(w.dims)}] instead`,
    );
  }
  const expectedC = p.transposed ? w.dims[0] : w.dims[1] * p.groups;
  if (c !== expectedC) {
    throw new RuntimeError(
      `${op}: Given ${p.transposed ? 'transposed=1, ' : ''}groups=${p.groups}, weight of size ${fmtShape(w.dims)}, expected input${fmtShape(x.dims)} ` +
        `to have ${expectedC} channels, but got ${c} channels instead`,
    );
  }
  const cout = p.transposed ? w.dims[1] * p.groups : w.dims[0];
  if (b !== undefined && (b.dims.length !== 1 || b.dims[0] !== cout)) {
    throw new RuntimeError(
      `${op}: Given weight of size ${fmtShape(w.dims)}, expected bias to be 1-dimensional with ${cout} elements, but got bias of size ${fmtShape(b.dims)} instead`,
    );
  }
  if (b !== undefined && b.dtype !== x.dtype) throw new RuntimeError(`${op}: expected input and bias to have the same dtype`);
  checkGeometry(op, p);
  const spatial = x.dims.slice(2);
  if (p.transposed) {
    const size = transposedSize(spatial, kernel, p);
    if (size.some((s) => s < 0)) {
      throw new RuntimeError(
        `${op}: Given input size per channel: (${spatial.join(' x ')}). Calculated output size per channel: (${size.join(' x ')}). Output size is too small`,
      );
    }
    return { shape: [n, cout, ...size], dtype: x.dtype };
  }
  const padded = spatial.map((s, i) => s + p.padBefore[i] + p.padAfter[i]);
  if (padded.some((s, i) => s < p.dilation[i] * (kernel[i] - 1) + 1)) {
    throw new RuntimeError(
      `${op}: Calculated padded input size per channel: (${padded.join(' x ')}). Kernel size: (${kernel.map((k, i) => p.dilation[i] * (k - 1) + 1).join(' x ')}). ` +
        `Kernel size can't be greater than actual input size`,
    );
  }
  return { shape: [n, cout, ...outputSize(spatial, kernel, p)], dtype: x.dtype };
}

/** Adds the bias per channel: out[n, c, …] += b[c]. */
function addBias(be: Backend, out: Storage, shape: readonly number[], b: View): void {
  const biasView = expandView({ ...b, shape: [b.shape[0], ...shape.slice(2).map(() => 1)], strides: [b.strides[0], ...shape.slice(2).map(() => 0)] }, shape);
  const sum = be.alloc(out.dtype, numelOf(shape));
  be.binary('add', denseView(out, shape), biasView, sum);
  be.copy(denseView(sum, shape), denseView(out, shape));
}

const convolutionOp: Op<ConvParams> = defineOp<ConvParams>({
  name: 'convolution',
  gradFn: 'ConvolutionBackward0',
  meta: (inputs, p) => convMeta('convolution', inputs, p),
  forward: (be, inputs, out, p) => {
    const [x, w] = inputs, b = inputs.at(2);
    const n = x.shape[0];
    const cout = p.transposed ? w.shape[1] * p.groups : w.shape[0];
    const spatial = p.transposed ? transposedSize(x.shape.slice(2), w.shape.slice(2), p) : outputSize(x.shape.slice(2), w.shape.slice(2), p);
    const shape = [n, cout, ...spatial];
    if (numelOf(shape) === 0) return;
    if (!p.transposed) {
      convForward(be, x, w, b, out, p);
      return;
    }
    convInputGrad(be, x, w, out, shape, p);
    if (b !== undefined) addBias(be, out, shape, b);
  },
  backward: (g, inputs, _, p): Grads => {
    const [x, w] = inputs, b = inputs.at(2);
    const channelAxes = [0, ...g.dims.slice(2).map((__, i) => i + 2)];
    const gb = b !== undefined && b.requiresGrad ? sum(g, channelAxes) : null;
    if (p.transposed) {
      return [x.requiresGrad ? convolutionOp([g, w], { ...p, transposed: false }) : null, w.requiresGrad ? weightGrad(x, g, w.dims, p) : null, gb];
    }
    return [x.requiresGrad ? inputGrad(g, w, x.dims, p) : null, w.requiresGrad ? weightGrad(g, x, w.dims, p) : null, gb];
  },
  saves: 'inputs',
  overwrites: true,
});

const inputGradOp = defineOp<Geometry & { inShape: readonly number[] }>({
  name: 'convolution_backward_input',
  gradFn: 'ConvolutionBackwardBackward0',
  meta: ([g], p) => ({ shape: p.inShape, dtype: g.dtype }),
  forward: (be, [g, w], out, p) => {
    convInputGrad(be, g, w, out, p.inShape, p);
  },
  // Bilinear in (g, w): each gradient is the forward convolution or the weight gradient.
  backward: (h, [g, w], _, p) => [
    g.requiresGrad ? convolutionOp([h, w], { ...p, transposed: false, outputPadding: p.stride.map(() => 0) }) : null,
    w.requiresGrad ? weightGrad(g, h, w.dims, p) : null,
  ],
  saves: 'inputs',
  overwrites: true,
});

const weightGradOp = defineOp<Geometry & { wShape: readonly number[] }>({
  name: 'convolution_backward_weight',
  gradFn: 'ConvolutionBackwardBackward0',
  meta: ([g], p) => ({ shape: p.wShape, dtype: g.dtype }),
  forward: (be, [g, x], out, p) => {
    convWeightGrad(be, g, x, out, p.wShape.slice(2), p);
  },
  backward: (h, [g, x], _, p) => [
    g.requiresGrad ? convolutionOp([x, h], { ...p, transposed: false, outputPadding: p.stride.map(() => 0) }) : null,
    x.requiresGrad ? inputGrad(g, h, x.dims, p) : null,
  ],
  saves: 'inputs',
  overwrites: true,
});

const geometry = (p: Geometry): Geometry => ({ stride: p.stride, padBefore: p.padBefore, padAfter: p.padAfter, dilation: p.dilation, groups: p.groups });
const inputGrad = (g: Tensor, w: Tensor, inShape: readonly number[], p: Geometry): Tensor => inputGradOp([g, w], { ...geometry(p), inShape });
const weightGrad = (g: Tensor, x: Tensor, wShape: readonly number[], p: Geometry): Tensor => weightGradOp([g, x], { ...geometry(p), wShape });

/** An int or a per-dim list, as PyTorch's `_pair` / `_single`. */
export type IntOrTuple = number | readonly number[];

/** Expands an int to `n` copies; a list must have `n` entries. */
export function ntuple(op: string, name: string, v: IntOrTuple, n: number): number[] {
  const out = typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (out.length !== n) throw new RuntimeError(`${op}: expected ${name} to be a single integer value or a list of ${n} values`);
  const bad = out.findIndex((x) => !Number.isInteger(x));
  if (bad >= 0) throw new ArgumentTypeError(`${op}(): argument '${name}' must be tuple of ints, but found element of type float at pos ${bad}`);
  return out;
}

export interface ConvOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple | 'same' | 'valid';
  dilation?: IntOrTuple;
  groups?: number;
}

export interface ConvTransposeOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  dilation?: IntOrTuple;
}

/** Shared front end: unbatched inputs, option parsing and 'same' padding (extra padding after, as PyTorch). */
function convNd(op: string, d: number, x: Tensor, w: Tensor, b: Tensor | null, params: (kernel: readonly number[]) => ConvParams): Tensor {
  if (x.dim() !== d + 1 && x.dim() !== d + 2) {
    throw new RuntimeError(`${op}: Expected ${d + 1}D (unbatched) or ${d + 2}D (batched) input to ${op}, but got input of size: ${fmtShape(x.dims)}`);
  }
  if (w.dim() !== d + 2) throw new RuntimeError(`${op}: weight should have at least three dimensions`);
  const batched = x.dim() === d + 2;
  const out = convolutionOp(b === null ? [batched ? x : unsqueeze(x, 0), w] : [batched ? x : unsqueeze(x, 0), w, b], params(w.dims.slice(2)));
  return batched ? out : squeeze(out, 0);
}

function forwardParams(op: string, d: number, { stride = 1, padding = 0, dilation = 1, groups = 1 }: ConvOptions) {
  return (kernel: readonly number[]): ConvParams => {
    const s = ntuple(op, 'stride', stride, d), dil = ntuple(op, 'dilation', dilation, d);
    let before: number[], after: number[];
    if (padding === 'valid') before = after = new Array<number>(d).fill(0);
    else if (padding === 'same') {
      if (s.some((v) => v !== 1)) throw new RuntimeError(`${op}: padding='same' is not supported for strided convolutions`);
      const total = kernel.map((k, i) => dil[i] * (k - 1));
      before = total.map((t) => Math.floor(t / 2));
      after = total.map((t, i) => t - before[i]);
    } else if (typeof padding === 'string') {
      throw new RuntimeError(`${op}: Invalid padding string: '${String(padding)}'`);
    } else before = after = ntuple(op, 'padding', padding, d);
    if (groups <= 0 || !Number.isInteger(groups)) throw new RuntimeError(`${op}: non-positive groups is not supported`);
    return { stride: s, padBefore: before, padAfter: after, dilation: dil, groups, transposed: false, outputPadding: new Array<number>(d).fill(0) };
  };
}

/** 1-D convolution over [N, C, L] (or unbatched [C, L]) with weight [Cout, C/groups, K] (F.conv1d). */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  return convNd('conv1d', 1, input, weight, bias, forwardParams('conv1d', 1, options));
}

/** 2-D convolution over [N, C, H, W] (or unbatched [C, H, W]) with weight [Cout, C/groups, kH, kW] (F.conv2d). */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  return convNd('conv2d', 2, input, weight, bias, forwardParams('conv2d', 2, options));
}

/** 3-D convolution over [N, C, D, H, W] (or unbatched [C, D, H, W]) with weight [Cout, C/groups, kD, kH, kW] (F.conv3d). */
export function conv3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvOptions = {}): Tensor {
  return convNd('conv3d', 3, input, weight, bias, forwardParams('conv3d', 3, options));
}

/** A d-dimensional transposed convolution: the gradient of the forward one in its input. */
function convTransposeNd(op: string, d: number, input: Tensor, weight: Tensor, bias: Tensor | null, options: ConvTransposeOptions): Tensor {
  const { stride = 1, padding = 0, outputPadding = 0, groups = 1, dilation = 1 } = options;
  return convNd(op, d, input, weight, bias, () => {
    const s = ntuple(op, 'stride', stride, d), dil = ntuple(op, 'dilation', dilation, d), pad = ntuple(op, 'padding', padding, d);
    const outPad = ntuple(op, 'output_padding', outputPadding, d);
    if (outPad.some((o, i) => o >= s[i] && o >= dil[i])) {
      const names = ['depth', 'height', 'width'].slice(3 - d);
      const list = (what: string, v: readonly number[]): string => v.map((x, i) => `${what}_${names[i]}: ${x}`).join(' ');
      throw new RuntimeError(
        `${op}: output padding must be smaller than either stride or dilation, but got ${list('output_padding', outPad)} ${list('stride', s)} ${list('dilation', dil)}`,
      );
    }
    return { stride: s, padBefore: pad, padAfter: pad, dilation: dil, groups, transposed: true, outputPadding: outPad };
  });
}

/** 1-D transposed convolution, weight [Cin, Cout/groups, k] (F.conv_transpose1d). */
export function convTranspose1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {}): Tensor {
  return convTransposeNd('conv_transpose1d', 1, input, weight, bias, options);
}

/** 2-D transposed convolution (the gradient of conv2d in its input), weight [Cin, Cout/groups, kH, kW] (F.conv_transpose2d). */
export function convTranspose2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {}): Tensor {
  return convTransposeNd('conv_transpose2d', 2, input, weight, bias, options);
}

/** 3-D transposed convolution, weight [Cin, Cout/groups, kD, kH, kW] (F.conv_transpose3d). */
export function convTranspose3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTransposeOptions = {}): Tensor {
  return convTransposeNd('conv_transpose3d', 3, input, weight, bias, options);
}
