// src/ops/define.ts — defineOp and defineView: the one place that checks meta, runs kernels,
// records graph nodes, saves tensors and sums gradients back to input shapes and dtypes.
import { type DType, isFloating, TYPE_NAMES } from '../core/dtype.js';
import { AllocationError, RuntimeError } from '../core/errors.js';
import { contiguousStrides, isContiguousLayout, numelOf, sameShape } from '../core/shape.js';
import type { Backend, Storage, View } from '../backends/backend.js';
import { backend } from '../backends/select.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { type Edge, Node } from '../autograd/node.js';
import { emptyTensor, Tensor, uninitTensor } from '../tensor/tensor.js';

/** What an op's meta function decides before anything is allocated. */
export interface Meta {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Inputs are converted to this dtype before the kernel (type promotion). */
  readonly cast?: DType;
  /** Inputs are broadcast to `shape` as stride-0 views before the kernel (Note [Broadcasting]). */
  readonly expand?: boolean;
}

export type Grads = readonly (Tensor | null)[];

/** Which tensors the backward reads, so that in-place changes to them are caught. */
export type Saves = 'none' | 'inputs' | 'output' | 'all';

export interface OpSpec<P> {
  readonly name: string;
  readonly gradFn: string;
  /** Validates inputs (throwing PyTorch's errors) and gives the output's shape and dtype. */
  readonly meta: (inputs: readonly Tensor[], params: P) => Meta;
  readonly forward: (be: Backend, inputs: readonly View[], out: Storage, params: P) => void;
  /** Gradients of the inputs, written with ops; null for non-differentiable ops. */
  readonly backward: ((g: Tensor, inputs: readonly Tensor[], out: Tensor, params: P) => Grads) | null;
  readonly saves: Saves;
  /** The forward writes every element of `out`, so it need not start zeroed. */
  readonly overwrites?: boolean;
}

/** An op: call it with its tensor inputs and its parameters. */
export type Op<P> = (inputs: readonly Tensor[], params: P) => Tensor;

// Note [Broadcasting]
// Binary ops expand operands to the common shape (stride 0) only as kernel views, so kernels never
// broadcast and no graph node is added; OpNode.apply sums each gradient back to its input's
// shape and converts it to the input's dtype, so no backward formula un-broadcasts by hand.

/** Whether an op on these inputs must be recorded. */
export function isRecording(inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

function edgeOf(t: Tensor): Edge {
  if (t.gradFn instanceof Node) return t.gradFn;
  return t.requiresGrad ? t : null;
}

class OpNode<P> extends Node {
  constructor(
    readonly name: string,
    private inputs: readonly Tensor[],
    private out: Tensor | null,
    private readonly params: P,
    private readonly backwardFn: NonNullable<OpSpec<P>['backward']>,
  ) {
    super(inputs.map(edgeOf));
  }
  apply(g: Tensor): (Tensor | null)[] {
    // freeInputs drops the output; the engine's checkSaved refuses a released node before apply.
    if (this.out === null) throw new RuntimeError(`${this.name}: backward called after its graph was freed`);
    const grads = this.backwardFn(g, this.inputs, this.out, this.params);
    return this.inputs.map((t, i) => {
      const gi = grads[i] ?? null;
      return gi === null || this.next[i] === null ? null : reduceGrad(gi, t);
    });
  }
  protected override replaceInput(from: Tensor, to: Tensor): void {
    this.inputs = this.inputs.map((t) => (t === from ? to : t));
  }
  protected override freeInputs(): void {
    this.inputs = this.inputs.map(() => PLACEHOLDER);
    this.out = null;
  }
}

const PLACEHOLDER = new Tensor({ dtype: 'float32', data: new Float32Array(0), version: 0 }, [0]);

/** Links `out` to a new node running `backward`, saving what the spec says. */
export function record<P>(
  name: string,
  inputs: readonly Tensor[],
  out: Tensor,
  params: P,
  backward: NonNullable<OpSpec<P>['backward']>,
  saves: Saves,
): Tensor {
  const node = new OpNode(name, inputs, out, params, backward);
  if (saves === 'inputs' || saves === 'all') node.save(...inputs);
  if (saves === 'output' || saves === 'all') node.save(out);
  node.output = out;
  out.setGradFn(node);
  return out;
}

/** The kernel view of an input after type promotion (to `cast`) and broadcasting (to `expandTo`). */
function kernelInput(t: Tensor, cast: DType | undefined, expandTo: readonly number[] | null, be: Backend): View {
  let v = t.kernelView();
  if (cast !== undefined && t.dtype !== cast) {
    const dense = denseView(be.alloc(cast, t.numel()), t.dims);
    be.copy(v, dense);
    v = dense;
  }
  if (expandTo !== null && !sameShape(t.dims, expandTo)) v = expandView(v, expandTo);
  return v;
}

/** A row-major view of `shape` over `storage` starting at `offset`. */
export function denseView(storage: Storage, shape: readonly number[], offset = 0): View {
  return { storage, shape, strides: contiguousStrides(shape), offset };
}

/** The view itself when it is contiguous, else a contiguous copy. */
export function denseOf(be: Backend, v: View): View {
  if (isContiguousLayout(v.shape, v.strides)) return v;
  const out = denseView(be.alloc(v.storage.dtype, numelOf(v.shape)), v.shape);
  be.copy(v, out);
  return out;
}

/** A stride-0 view of `v` broadcast to `shape` (shapes already checked compatible). */
export function expandView(v: View, shape: readonly number[]): View {
  const off = shape.length - v.shape.length;
  const strides = shape.map((n, i) => {
    const j = i - off;
    if (j < 0) return 0;
    return v.shape[j] === 1 && n !== 1 ? 0 : v.strides[j];
  });
  return { storage: v.storage, shape, strides, offset: v.offset };
}

/** Makes an op from its spec (STYLE §3). */
export function defineOp<P = undefined>(spec: OpSpec<P>): Op<P> {
  // Everything is read off the spec once, here: the closure below is shared by every op, and
  // property loads on specs of many shapes would go megamorphic in V8 (0.15 -> 0.5 µs per small
  // op once a program has used a few dozen ops).
  const { name, gradFn, backward, saves, meta: metaOf, forward } = spec;
  const overwrites = spec.overwrites === true;
  return (inputs, params) => {
    const meta = metaOf(inputs, params);
    const shape = meta.shape, dtype = meta.dtype, cast = meta.cast, expandTo = meta.expand === true ? shape : null;
    const be = backend();
    let out: Tensor;
    try {
      const views: View[] = [];
      for (const t of inputs) views.push(kernelInput(t, cast, expandTo, be));
      out = overwrites ? uninitTensor(shape, dtype) : emptyTensor(shape, dtype);
      // An empty output has nothing to compute, and kernels need not handle the degenerate sizes
      // around an empty dim (a [0, 5, 10^12] input still has a 10^12-long axis).
      if (out.storage.data.length !== 0) forward(be, views, out.storage, params);
    } catch (e) {
      throw e instanceof AllocationError ? e.forOp(name) : e;
    }
    if (backward !== null && isRecording(inputs)) record(gradFn, inputs, out, params, backward, saves);
    return out;
  };
}

export interface Layout {
  readonly dims: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export interface ViewSpec<P> {
  readonly name: string;
  readonly gradFn: string;
  /** Validates and computes the view's layout over the same storage. */
  readonly layout: (x: Tensor, params: P) => Layout;
  /** The gradient of the input given the gradient of the view. */
  readonly backward: (g: Tensor, x: Tensor, params: P) => Tensor;
}

/** Makes a view op: no kernel runs, the result shares the input's storage. */
export function defineView<P>(spec: ViewSpec<P>): (x: Tensor, params: P) => Tensor {
  const { gradFn, backward } = spec;
  return (x, params) => {
    const l = spec.layout(x, params);
    const out = x.asView(l.dims, l.strides, l.offset);
    if (isRecording([x])) record(gradFn, [x], out, params, (g, [input]) => [backward(g, input, params)], 'none');
    return out;
  };
}

/** A gradient summed down to `t`'s shape (undoing broadcasting) and cast to `t`'s dtype. */
function reduceGrad(g: Tensor, t: Tensor): Tensor {
  let r = g;
  if (!sameShape(r.dims, t.dims)) r = sumTo(r, t.dims);
  if (r.dtype !== t.dtype) r = toDtype(r, t.dtype);
  return r;
}

/** Sums `g` over the dims that broadcasting added or stretched, giving `shape`. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.dims.length - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.dims.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.dims[i] !== 1)) axes.push(i);
  }
  if (axes.length === 0 && g.dims.length === shape.length) return g;
  return sumToOp([g], { axes, shape });
}

const sumToOp = defineOp<{ axes: number[]; shape: readonly number[] }>({
  name: 'sum',
  gradFn: 'SumBackward1',
  meta: ([g], { shape }) => ({ shape, dtype: g.dtype }),
  forward: (be, [g], out, { axes }) => { be.reduce('sum', g, axes, out); },
  backward: (g, [x]) => [expandTo(g, x.dims)],
  saves: 'none',
  overwrites: true,
});

/** Broadcasts `t` to `shape` as a view (shapes already compatible). */
export function expandTo(t: Tensor, shape: readonly number[]): Tensor {
  return sameShape(t.dims, shape) ? t : expandOp(t, shape);
}

const expandOp = defineView<readonly number[]>({
  name: 'expand',
  gradFn: 'ExpandBackward0',
  layout: (x, shape) => {
    const v = expandView(x.kernelView(), shape);
    return { dims: shape, strides: v.strides, offset: v.offset };
  },
  backward: (g, x) => sumTo(g, x.dims),
});

/** Converts to another dtype (a copy); the gradient converts back. */
export const toDtype = (x: Tensor, dtype: DType): Tensor => (x.dtype === dtype ? x : toDtypeOp([x], dtype));

const toDtypeOp = defineOp<DType>({
  name: 'to',
  gradFn: 'ToCopyBackward0',
  meta: ([x], dtype) => ({ shape: x.dims, dtype }),
  forward: (be, [x], out) => { be.copy(x, denseView(out, x.shape)); },
  backward: (g, [x]) => [toDtype(g, x.dtype)],
  saves: 'none',
  overwrites: true,
});

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
 * PyTorch's refusal to write into a tensor whose elements share memory (an expanded view), where the
 * result would depend on the order of the writes.
 */
function checkNoOverlap(op: string, x: Tensor): void {
  if (x.numel() === 0) return;
  for (let d = 0; d < x.dims.length; d++) {
    if (x.strides[d] === 0 && x.dims[d] > 1) {
      throw new RuntimeError(
        `${op}: unsupported operation: more than one element of the written-to tensor refers to a single memory location. ` +
          'Please clone() the tensor before performing the operation.',
      );
    }
  }
}

/**
 * Runs an in-place op as `compute` out of place, then writes the result into `x` and makes
 * `x` take over its history. When the op is recorded, `compute` gets a snapshot of `x` that
 * shares its graph position, so that what the backward saved is never overwritten. Only a fill
 * with one value (`fill`) may write into an expanded view.
 */
export function inPlace(op: string, x: Tensor, others: readonly Tensor[], compute: (self: Tensor) => Tensor, fill = false): Tensor {
  checkInPlace(op, x);
  if (!fill) checkNoOverlap(op, x);
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
