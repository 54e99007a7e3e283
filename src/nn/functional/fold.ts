// src/nn/functional/fold.ts — F.unfold (im2col) and F.fold (col2im): the copy of the convolution's window
// view and its adjoint (addInto through the same overlapping view), each the other's gradient.
import { TYPE_NAMES, isFloating } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import { fmtShape, numelOf } from '../../core/shape.js';
import { defineOp, denseOf, denseView, type Op } from '../../ops/define.js';
import { squeeze, unsqueeze } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type Geometry, type IntOrTuple, ntuple, paddedBuffer, windows } from './conv.js';

interface FoldParams extends Geometry {
  readonly kernel: readonly number[];
  /** The image's spatial size [H, W] and the grid of blocks [Oh, Ow]. */
  readonly image: readonly number[];
  readonly blocks: readonly number[];
}

const unfoldOp: Op<FoldParams> = defineOp<FoldParams>({
  name: 'im2col',
  gradFn: 'Im2ColBackward0',
  meta: ([x], p) => ({ shape: [x.dims[0], x.dims[1] * numelOf(p.kernel), numelOf(p.blocks)], dtype: x.dtype }),
  forward: (be, [x], out, p) => {
    if (numelOf(x.shape) === 0) return;
    let src = x;
    if (p.padBefore.some((v) => v !== 0)) {
      const [whole, interior] = paddedBuffer(be, x.shape, p, x.storage.dtype);
      be.copy(x, interior);
      src = whole;
    }
    const view = windows(src, p.kernel, p.blocks, p);
    be.copy(view, denseView(out, view.shape));
  },
  backward: (g, [x], _, p) => [foldOp([g], { ...p, image: x.dims.slice(2) })],
  saves: 'none',
  overwrites: true,
});

const foldOp: Op<FoldParams> = defineOp<FoldParams>({
  name: 'col2im',
  gradFn: 'Col2ImBackward0',
  meta: ([x], p) => ({ shape: [x.dims[0], x.dims[1] / numelOf(p.kernel), ...p.image], dtype: x.dtype }),
  forward: (be, [x], out, p) => {
    const shape = [x.shape[0], x.shape[1] / numelOf(p.kernel), ...p.image];
    const target = denseView(out, shape);
    be.fill(target, 0);
    if (numelOf(x.shape) === 0) return;
    const padded = p.padBefore.some((v) => v !== 0);
    const [whole, interior] = padded ? paddedBuffer(be, shape, p, out.dtype) : [target, target];
    const view = windows(whole, p.kernel, p.blocks, p);
    const cols = denseOf(be, x);
    be.addInto({ ...denseView(cols.storage, view.shape, cols.offset) }, view);
    if (padded) be.copy(interior, target);
  },
  backward: (g, _, __, p) => [unfoldOp([g], p)],
  saves: 'none',
  overwrites: true,
});

export interface FoldOptions {
  dilation?: IntOrTuple;
  padding?: IntOrTuple;
  stride?: IntOrTuple;
}

const pairOf = (op: string, name: string, v: IntOrTuple): [number, number] => {
  if (typeof v !== 'number' && v.length !== 2) throw new RuntimeError(`${op}: It is expected ${name} equals to 2, but got size ${v.length}`);
  return ntuple(op, name, v, 2) as [number, number];
};

/** The geometry of im2col/col2im with PyTorch's checks (shape_check in Im2Col.cpp / Col2Im.cpp). */
function foldGeometry(op: string, image: readonly number[], kernelSize: IntOrTuple, { dilation = 1, padding = 0, stride = 1 }: FoldOptions): FoldParams {
  const k = pairOf(op, 'kernel_size', kernelSize), d = pairOf(op, 'dilation', dilation), p = pairOf(op, 'padding', padding), s = pairOf(op, 'stride', stride);
  if (k.some((v) => v <= 0)) throw new RuntimeError(`${op}: kernel size should be greater than zero, but got kernel_height: ${k[0]} kernel_width: ${k[1]}`);
  if (s.some((v) => v <= 0)) throw new RuntimeError(`${op}: stride should be greater than zero, but got stride_height: ${s[0]} stride_width: ${s[1]}`);
  if (d.some((v) => v <= 0)) throw new RuntimeError(`${op}: dilation should be greater than zero, but got dilation_height: ${d[0]} dilation_width: ${d[1]}`);
  if (p.some((v) => v < 0)) throw new RuntimeError(`${op}: padding should be non-negative, but got pad_height: ${p[0]} pad_width: ${p[1]}`);
  const blocks = image.map((n, i) => Math.floor((n + 2 * p[i] - (d[i] * (k[i] - 1) + 1)) / s[i]) + 1);
  return { kernel: k, dilation: d, stride: s, padBefore: p, padAfter: p, groups: 1, image, blocks };
}

const fmtPair = (v: readonly number[]): string => `(${v.join(', ')})`;

/**
 * Extracts sliding blocks: [N, C, H, W] (or [C, H, W]) → [N, C·kh·kw, L] with one column per block (F.unfold).
 * @example F.unfold(torch.ones(1, 2, 3, 3), 2).shape // torch.Size([1, 8, 4])
 */
export function unfold(input: Tensor, kernelSize: IntOrTuple, options: FoldOptions = {}): Tensor {
  const op = 'im2col';
  if ((input.dim() !== 3 && input.dim() !== 4) || input.dims.slice(input.dim() - 3).some((n) => n === 0)) {
    throw new RuntimeError(`${op}: Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${fmtShape(input.dims)}`);
  }
  if (!isFloating(input.dtype)) throw new RuntimeError(`${op}: "im2col_out_cpu" not implemented for '${TYPE_NAMES[input.dtype]}'`);
  const p = foldGeometry(op, input.dims.slice(-2), kernelSize, options);
  if (p.blocks.some((b) => b < 1)) {
    throw new RuntimeError(
      `${op}: Given input with spatial size ${fmtPair(p.image)}, kernel_size=${fmtPair(p.kernel)}, dilation=${fmtPair(p.dilation)}, padding=${fmtPair(p.padBefore)}, ` +
        `calculated shape of the array of sliding blocks as ${fmtPair(p.blocks)}, but its components must be at least one.`,
    );
  }
  const batched = input.dim() === 4;
  const out = unfoldOp([batched ? input : unsqueeze(input, 0)], p);
  return batched ? out : squeeze(out, 0);
}

/**
 * Sums sliding blocks back into an image: [N, C·kh·kw, L] (or [C·kh·kw, L]) → [N, C, *outputSize],
 * the adjoint of unfold (F.fold).
 */
export function fold(input: Tensor, outputSize: IntOrTuple, kernelSize: IntOrTuple, options: FoldOptions = {}): Tensor {
  const op = 'col2im';
  if ((input.dim() !== 2 && input.dim() !== 3) || input.dims.slice(input.dim() - 2).some((n) => n === 0)) {
    throw new RuntimeError(`${op}: Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ${fmtShape(input.dims)}`);
  }
  if (!isFloating(input.dtype)) throw new RuntimeError(`${op}: "col2im_out_cpu" not implemented for '${TYPE_NAMES[input.dtype]}'`);
  const p = foldGeometry(op, pairOf(op, 'output_size', outputSize), kernelSize, options);
  const [c, l] = input.dims.slice(-2) as [number, number], kk = numelOf(p.kernel);
  if (c % kk !== 0) {
    throw new RuntimeError(`${op}: Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${c} and kernel_size=${fmtPair(p.kernel)}.`);
  }
  if (p.blocks.some((b) => b < 1) || l !== numelOf(p.blocks)) {
    throw new RuntimeError(
      `${op}: Given output_size=${fmtPair(p.image)}, kernel_size=${fmtPair(p.kernel)}, dilation=${fmtPair(p.dilation)}, padding=${fmtPair(p.padBefore)}, stride=${fmtPair(p.stride)}, ` +
        `expected size of input's dimension 2 to match the calculated number of sliding blocks ${p.blocks[0]} * ${p.blocks[1]} = ${numelOf(p.blocks)}, but got input.size(2)=${l}.`,
    );
  }
  const batched = input.dim() === 3;
  const out = foldOp([batched ? input : unsqueeze(input, 0)], p);
  return batched ? out : squeeze(out, 0);
}
