// src/ops/define.ts — defineOp and defineView: the one place that checks meta, runs kernels,
// records graph nodes, saves tensors and sums gradients back to input shapes and dtypes.
import { allocArray, type DType } from '../core/dtype.js';
import { AllocationError, RuntimeError } from '../core/errors.js';
import { contiguousStrides, isContiguousLayout, numelOf, sameShape } from '../core/shape.js';
import type { Backend, Storage, View } from '../backends/backend.js';
import { backend } from '../backends/select.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { type Edge, Node } from '../autograd/node.js';
import { backendOf, checkSupports, deviceName, hostStorage, isCpuStorage } from '../tensor/device.js';
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
  /**
   * Output element i depends only on element i of each (broadcast) input, and the forward reads
   * that before it writes output element i: the forward may write over an input (Note [Direct in-place]).
   */
  readonly elementwise?: boolean;
}

/**
 * An op: call it with its tensor inputs and its parameters. An in-place op passes its target as
 * `into` when nothing records (Note [Direct in-place]); the result is then `into` itself when the
 * op could write there directly, and a new tensor otherwise.
 */
export type Op<P> = (inputs: readonly Tensor[], params: P, into?: Tensor) => Tensor;

// Note [Direct in-place]
// An in-place op that nothing records runs its kernel with `out` over x's own elements when x is
// one dense run (contiguous, at any offset), the result has x's shape and dtype, and every input
// either reads x at the very addresses being written or lies outside x's memory: an elementwise
// kernel then reads each element before writing it. Otherwise the op runs out of place and
// inPlace copies the result in.

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

/** Where a gradient for `t` goes: the node that made it, `t` itself if it is a leaf that requires grad, else nowhere. */
export function edgeOf(t: Tensor): Edge {
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

const PLACEHOLDER = new Tensor(backend().fromArray('float32', new Float32Array(0)), [0]);

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

/**
 * The kernel view of an input after type promotion (to `cast`) and broadcasting (to `expandTo`),
 * starting from `v`, its view on the op's backend.
 */
function kernelInput(t: Tensor, v: View, cast: DType | undefined, expandTo: readonly number[] | null, be: Backend): View {
  if (cast !== undefined && t.dtype !== cast) {
    const dense = denseView(be.alloc(cast, t.numel()), t.dims);
    be.copy(v, dense);
    return expandTo !== null && !sameShape(t.dims, expandTo) ? expandView(dense, expandTo) : dense;
  }
  return expandTo !== null && !sameShape(t.dims, expandTo) ? expandView(v, expandTo) : v;
}

/**
 * The backend of an op with an input on a device, with `views` (re)made on it (Note [Same device]).
 * Kept out of defineOp's closure, so that the CPU path stays small enough for V8 to inline.
 */
function onDevice(name: string, inputs: readonly Tensor[], dtype: DType, cast: DType | undefined, expandTo: readonly number[] | null, views: View[]): Backend {
  const be = backendOf(name, inputs);
  // A dtype the device lacks (float64 on webgpu) is refused before anything is allocated there.
  checkSupports(name, be, dtype);
  if (cast !== undefined) checkSupports(name, be, cast);
  views.length = 0;
  for (const t of inputs) {
    const v = t.storage.device === be.device ? t.kernelView() : uploadScalar(t, be);
    views.push(kernelInput(t, v, cast, expandTo, be));
  }
  return be;
}

/** A 0-d CPU tensor's value as a one-element storage on `be`, for an op running there. */
function uploadScalar(t: Tensor, be: Backend): View {
  // Its gradient would have to come back from the device synchronously, which WebGPU cannot do.
  if (t.requiresGrad && isGradEnabled()) {
    throw new RuntimeError(
      `a 0-d cpu tensor that requires grad cannot join an op on ${deviceName(be.device)}; move it there with .to('${be.device}') first`,
    );
  }
  const value = allocArray(t.dtype, 1);
  value[0] = hostStorage('upload', t, 'a CPU tensor').data[t.offset];
  return { storage: be.fromArray(t.dtype, value), shape: [], strides: [], offset: 0 };
}

/** A row-major view of `shape` over `storage` starting at `offset`. */
export function denseView<S extends Storage>(storage: S, shape: readonly number[], offset = 0): View<S> {
  return { storage, shape, strides: contiguousStrides(shape), offset };
}

/** The view itself when it is contiguous, else a contiguous copy. */
export function denseOf(be: Backend, v: View): View {
  if (isContiguousLayout(v.shape, v.strides)) return v;
  const out = denseView(be.alloc(v.storage.dtype, numelOf(v.shape)), v.shape);
  be.copy(v, out);
  return out;
}

/**
 * A storage over exactly the elements of `x` for a kernel to write, when x is one dense run and
 * no view in `reads` overlaps it other than element for element (Note [Direct in-place]): x's own
 * storage when x fills it, else a window onto it (no copy). Null otherwise.
 */
export function directTarget(be: Backend, x: Tensor, reads: readonly View[]): Storage | null {
  if (!x.isContiguous() || x.storage.device !== be.device) return null;
  const start = x.offset, n = x.numel(), target = x.kernelView();
  for (const v of reads) {
    const same = v.offset === start && numelOf(v.shape) === n && isContiguousLayout(v.shape, v.strides);
    if (!same && mayOverlap(v, target)) return null;
  }
  const s = x.storage;
  if (start === 0 && n === s.numel) return s;
  // A window onto part of a storage exists on the CPU only (a typed-array view); a device kernel writes whole storages.
  return isCpuStorage(s) ? be.fromArray(x.dtype, s.data.subarray(start, start + n)) : null;
}

/** Whether two views may share an element: one storage, address ranges that meet (strides are never negative). */
export function mayOverlap(a: View, b: View): boolean {
  if (a.storage !== b.storage) return false;
  const lastA = lastOffset(a), lastB = lastOffset(b);
  return lastA >= 0 && lastB >= 0 && a.offset <= lastB && b.offset <= lastA;
}

/** The offset of a view's last element in memory, or -1 when it has none. */
function lastOffset(v: View): number {
  let last = v.offset;
  for (let d = 0; d < v.shape.length; d++) {
    if (v.shape[d] === 0) return -1;
    last += (v.shape[d] - 1) * v.strides[d];
  }
  return last;
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
  const overwrites = spec.overwrites === true, elementwise = spec.elementwise === true;
  return (inputs, params, into) => {
    const meta = metaOf(inputs, params);
    const shape = meta.shape, dtype = meta.dtype, cast = meta.cast, expandTo = meta.expand === true ? shape : null;
    let be: Backend = backend(), out: Tensor;
    try {
      // Note [Same device]: an op runs on the CPU until an input lives elsewhere (one check per
      // input, in the loop that is needed anyway: per-op overhead stays flat).
      const views: View[] = [];
      for (const t of inputs) {
        const v = t.kernelView();
        if (v.storage.device !== 'cpu') break;
        views.push(kernelInput(t, v, cast, expandTo, be));
      }
      if (views.length !== inputs.length) be = onDevice(name, inputs, dtype, cast, expandTo, views);
      if (into !== undefined && elementwise && dtype === into.dtype && sameShape(shape, into.dims) && !isRecording(inputs)) {
        const target = directTarget(be, into, views);
        if (target !== null) {
          forward(be, views, target, params);
          return into;
        }
      }
      out = overwrites ? uninitTensor(be, shape, dtype) : emptyTensor(be, shape, dtype);
      // An empty output has nothing to compute, and kernels need not handle the degenerate sizes
      // around an empty dim (a [0, 5, 10^12] input still has a 10^12-long axis).
      if (out.storage.numel !== 0) forward(be, views, out.storage, params);
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
