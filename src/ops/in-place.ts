// src/ops/in-place.ts — in-place ops: PyTorch's autograd and memory-overlap rules for them, the
// direct write into x (Note [Direct in-place]), and otherwise running the op out of place and
// copying its result in (with CopySlices when x is a view being recorded).
import { type DType, isFloating, TYPE_NAMES } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { sameShape } from '../core/shape.js';
import type { Backend } from '../backends/backend.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { Node } from '../autograd/node.js';
import { backendOf, sameDeviceError } from '../tensor/device.js';
import { emptyTensor, Tensor } from '../tensor/tensor.js';
import { directTarget, isRecording, mayOverlap, record } from './define.js';
import { checkMultiOutputView } from './indexing.js';

/** Checks PyTorch's rules for in-place ops on tensors that autograd tracks. */
export function checkInPlace(op: string, x: Tensor): void {
  if (!isGradEnabled()) return;
  if (x.isLeaf && x.requiresGrad) {
    throw new RuntimeError(`${op}: a leaf Variable that requires grad is being used in an in-place operation.`);
  }
  const base = x.base;
  if (base !== null && base.isLeaf && base.requiresGrad) {
    throw new RuntimeError(`${op}: a view of a leaf Variable that requires grad is being used in an in-place operation.`);
  }
}

const INTERNAL_OVERLAP =
  'unsupported operation: more than one element of the written-to tensor refers to a single memory location. ' +
  'Please clone() the tensor before performing the operation.';
const PARTIAL_OVERLAP =
  'unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. ' +
  'Please clone() the tensor before performing the operation.';

/**
 * PyTorch's memory-overlap rules for writing into `x` while reading `operands`: x may not repeat
 * an element (a broadcast view), and an operand sharing x's memory must hold exactly x's elements
 * or none of them, where both layouts are dense enough to tell (PyTorch's get_overlap_status).
 */
export function checkOverlap(op: string, x: Tensor, operands: readonly Tensor[]): void {
  if (x.numel() === 0) return;
  for (let d = 0; d < x.dims.length; d++) {
    if (x.strides[d] === 0 && x.dims[d] > 1) throw new RuntimeError(`${op}: ${INTERNAL_OVERLAP}`);
  }
  for (const t of operands) {
    if (t !== x && t.storage === x.storage && partiallyOverlap(x, t)) throw new RuntimeError(`${op}: ${PARTIAL_OVERLAP}`);
  }
}

/** Two dense layouts over one storage whose address ranges meet without being the same elements. */
function partiallyOverlap(a: Tensor, b: Tensor): boolean {
  const n = a.numel(), m = b.numel();
  if (n === 0 || m === 0 || !isNonOverlappingAndDense(a) || !isNonOverlappingAndDense(b)) return false;
  if (a.offset === b.offset && n === m) return !sameShape(a.strides, b.strides);
  return a.offset < b.offset + m && b.offset < a.offset + n;
}

/** Whether some order of the dims makes the layout contiguous (PyTorch's is_non_overlapping_and_dense). */
function isNonOverlappingAndDense(t: Tensor): boolean {
  const dims = t.dims.map((_, d) => d).filter((d) => t.dims[d] > 1).sort((a, b) => t.strides[a] - t.strides[b]);
  let expected = 1;
  for (const d of dims) {
    if (t.strides[d] !== expected) return false;
    expected *= t.dims[d];
  }
  return true;
}

/**
 * How an in-place op computes its result: out of place from `self`, or, when `into` is given
 * (nothing records), straight into `into`'s elements where it can, returning `into` itself.
 */
export type InPlaceCompute = (self: Tensor, into: Tensor | undefined) => Tensor;

/**
 * Runs an in-place op: straight into x when `compute` can (Note [Direct in-place]), else out of
 * place, then writes the result into `x` and makes `x` take over its history. When the op is
 * recorded, `compute` gets a snapshot of `x` that shares its graph position, so that what the
 * backward saved is never overwritten. `overlapRules` false skips PyTorch's overlap errors, as
 * its fill_ and masked_fill_ do.
 */
export function inPlace(op: string, x: Tensor, others: readonly Tensor[], compute: InPlaceCompute, overlapRules = true): Tensor {
  checkInPlace(op, x);
  if (overlapRules) checkOverlap(op, x, others);
  const recording = isRecording([x, ...others]);
  if (recording) checkMultiOutputView(op, x);
  const r = recording ? compute(snapshot(x), undefined) : compute(x, x);
  if (r === x) {
    x.storage.version++;
    return x;
  }
  if (!canCast(r.dtype, x.dtype)) {
    throw new RuntimeError(
      `${op}: result type ${TYPE_NAMES[r.dtype]} can't be cast to the desired output type ${TYPE_NAMES[x.dtype]}`,
    );
  }
  if (!sameShape(r.dims, x.dims)) {
    throw new RuntimeError(
      `${op}: output with shape [${x.dims.join(', ')}] doesn't match the broadcast shape [${r.dims.join(', ')}]`,
    );
  }
  const base = x.base;
  if (recording && r.gradFn instanceof Node && base !== null) {
    rebaseView(base, x, r);
    return x;
  }
  writeInto(x, r);
  if (recording && r.gradFn instanceof Node) {
    r.gradFn.output = x;
    x.setGradFn(r.gradFn);
  }
  return x;
}

/**
 * An in-place write of `r` into the view `x` of `base`, recorded as PyTorch's CopySlices on the
 * base: the base's gradient flows to its old history outside the view's region and to `r`
 * inside it, and the view becomes a strided view of the updated base.
 */
function rebaseView(base: Tensor, x: Tensor, r: Tensor): void {
  if (!base.isContiguous() || base.offset !== 0) {
    throw new RuntimeError('in-place write into a view: the base tensor must be contiguous to track gradients');
  }
  // CopySlices reads no values, so the old base needs only its place in the graph, not a copy.
  const oldBase = new Tensor(base.storage, base.dims);
  if (base.gradFn !== null) oldBase.setGradFn(base.gradFn);
  writeInto(x, r);
  const region = (g: Tensor): Tensor => g.asView(x.dims, x.strides, x.offset);
  record('CopySlices', [oldBase, r], base, undefined, (g) => {
    const gb = denseCopy(g);
    const gr = denseCopy(region(gb));
    backendOf('CopySlices', [gb]).fill(region(gb).kernelView(), 0);
    return [gb, gr];
  }, 'none');
  record('AsStridedBackward0', [base], x, undefined, (g) => {
    const be = backendOf('AsStridedBackward0', [g]);
    const gb = emptyTensor(be, base.dims, g.dtype);
    be.copy(g.kernelView(), region(gb).kernelView());
    return [gb];
  }, 'none');
}

/** A contiguous copy made by the tensor's backend, outside the graph. */
function denseCopy(t: Tensor, be: Backend = backendOf('copy', [t])): Tensor {
  const out = emptyTensor(be, t.dims, t.dtype);
  be.copy(t.kernelView(), out.kernelView());
  return out;
}

/** torch.can_cast: no float to integer and no non-bool to bool. */
function canCast(from: DType, to: DType): boolean {
  if (isFloating(from) && !isFloating(to)) return false;
  return !(from !== 'bool' && to === 'bool');
}

/** x += alpha·y as one fused kernel straight into x (see directTarget) when the backend has one and y is x's shape and dtype. */
export function axpyInto(x: Tensor, y: Tensor, alpha: number): boolean {
  const be = backendOf('add_', [x, y]), v = y.kernelView();
  if (be.axpy === undefined || x.dtype !== y.dtype || !sameShape(x.dims, y.dims)) return false;
  const target = directTarget(be, x, [v]);
  return target !== null && be.axpy(alpha, v, target);
}

/** Copies `src` (x's shape, any dtype: values are cast) into x's elements through both layouts; returns x. */
export function copyInto(x: Tensor, src: Tensor): Tensor {
  const be = backendOf('copy_', [x, src]), dst = x.kernelView();
  let v = src.kernelView();
  if (v.storage === dst.storage && v.offset === dst.offset && sameShape(v.strides, dst.strides)) return x;
  // PyTorch refuses overlaps it can see; those it cannot (a broadcast source) read the values from before the copy.
  if (mayOverlap(v, dst)) v = denseCopy(src, be).kernelView();
  be.copy(v, dst);
  return x;
}

/** Fills x's elements, whatever its layout; returns x. */
export function fillInto(x: Tensor, value: number): Tensor {
  backendOf('fill_', [x]).fill(x.kernelView(), value);
  return x;
}

/** Copies `r` into `x`'s elements (casting) and counts the in-place write. */
export function writeInto(x: Tensor, r: Tensor): void {
  // A 0-d CPU x may have joined an op on a device, but the result cannot come back synchronously.
  if (r.storage.device !== x.storage.device) throw sameDeviceError('copy_', r.storage.device, x.storage.device);
  backendOf('copy_', [x, r]).copy(r.kernelView(), x.kernelView());
  x.storage.version++;
}

/** A private copy of `x`'s values that stands at `x`'s place in the graph. */
function snapshot(x: Tensor): Tensor {
  const s = denseCopy(x);
  if (x.requiresGrad) {
    if (x.gradFn !== null) s.setGradFn(x.gradFn);
    else s.requiresGrad_(true);
  }
  return s;
}
