// src/ops/in-place.ts — in-place ops: PyTorch's autograd rules for them, and running an op out of
// place then writing its result into x (with CopySlices when x is a view being recorded).
import { type DType, isFloating, TYPE_NAMES } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { sameShape } from '../core/shape.js';
import { backend } from '../backends/select.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { Node } from '../autograd/node.js';
import { emptyTensor, Tensor } from '../tensor/tensor.js';
import { isRecording, record } from './define.js';

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

/**
 * Runs an in-place op as `compute` out of place, then writes the result into `x` and makes
 * `x` take over its history. When the op is recorded, `compute` gets a snapshot of `x` that
 * shares its graph position, so that what the backward saved is never overwritten.
 */
export function inPlace(op: string, x: Tensor, others: readonly Tensor[], compute: (self: Tensor) => Tensor): Tensor {
  checkInPlace(op, x);
  const recording = isRecording([x, ...others]);
  const self = recording ? snapshot(x) : x;
  const r = compute(self);
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
    backend().fill(region(gb).kernelView(), 0);
    return [gb, gr];
  }, 'none');
  record('AsStridedBackward0', [base], x, undefined, (g) => {
    const gb = emptyTensor(base.dims, g.dtype);
    backend().copy(g.kernelView(), region(gb).kernelView());
    return [gb];
  }, 'none');
}

/** A contiguous copy made by the backend, outside the graph. */
function denseCopy(t: Tensor): Tensor {
  const out = emptyTensor(t.dims, t.dtype);
  backend().copy(t.kernelView(), out.kernelView());
  return out;
}

/** torch.can_cast: no float to integer and no non-bool to bool. */
function canCast(from: DType, to: DType): boolean {
  if (isFloating(from) && !isFloating(to)) return false;
  return !(from !== 'bool' && to === 'bool');
}

/**
 * Whether an in-place op on `x` with `operand` may run as one kernel writing straight into x's
 * storage: nothing is recorded, x fills its storage densely from offset 0, and the operand has
 * x's shape and dtype and does not overlap x other than element for element.
 */
function directInPlace(x: Tensor, operand: Tensor): boolean {
  if (isRecording([x, operand]) || x.offset !== 0 || !x.isContiguous() || x.numel() !== x.storage.data.length) return false;
  if (!sameShape(x.dims, operand.dims) || x.dtype !== operand.dtype) return false;
  return operand.storage !== x.storage || (operand.offset === 0 && operand.isContiguous());
}

/** x += alpha·y in one fused kernel when the backend has one and the case allows it; false otherwise. */
export function axpyInPlace(x: Tensor, y: Tensor, alpha: number): boolean {
  if (!directInPlace(x, y) || !backend().axpy?.(alpha, y.kernelView(), x.storage)) return false;
  x.storage.version++;
  return true;
}

/** x = x op y written straight into x's storage when the case allows it; false otherwise. */
export function binaryInPlace(op: 'add' | 'sub' | 'mul' | 'div', x: Tensor, y: Tensor): boolean {
  if (!directInPlace(x, y)) return false;
  backend().binary(op, x.kernelView(), y.kernelView(), x.storage);
  x.storage.version++;
  return true;
}

/** Copies `r` into `x`'s elements (casting) and counts the in-place write. */
export function writeInto(x: Tensor, r: Tensor): void {
  backend().copy(r.kernelView(), x.kernelView());
  x.storage.version++;
}

/** A private copy of `x`'s values that stands at `x`'s place in the graph. */
function snapshot(x: Tensor): Tensor {
  const be = backend();
  const s = emptyTensor(x.dims, x.dtype);
  be.copy(x.kernelView(), s.kernelView());
  if (x.requiresGrad) {
    if (x.gradFn !== null) s.setGradFn(x.gradFn);
    else s.requiresGrad_(true);
  }
  return s;
}
