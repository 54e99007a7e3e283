// src/backends/backend.ts — the primitive set every backend implements. Types only.
import type { DataArray, DType } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';

/** Where a tensor's elements live: host memory, or the one WebGPU device (printed `webgpu:0`). */
export type Device = 'cpu' | 'webgpu';

/**
 * A flat block of elements of one dtype on one device; opaque outside its backend, which alone
 * knows how to reach the elements (Note [Device seam]).
 * Note [Saved tensor versions]
 * `version` counts in-place writes. Autograd records it when it saves a tensor and refuses
 * to use the tensor in backward if it has changed since.
 */
export interface Storage {
  readonly dtype: DType;
  readonly device: Device;
  readonly numel: number;
  version: number;
  /** Frees a device storage's memory now (Note [Device memory]); CPU storages leave it to the garbage collector. */
  dispose?(): void;
}

/** CPU storage: a typed array over a JS ArrayBuffer, owned by the garbage collector. */
export interface CpuStorage extends Storage {
  readonly device: 'cpu';
  readonly data: DataArray;
}

/** A strided window onto a storage; all counts are in elements. */
export interface View<S extends Storage = Storage> {
  readonly storage: S;
  readonly shape: Shape;
  readonly strides: Shape;
  readonly offset: number;
}

/** A view onto a CPU storage: what host code and the CPU backends' kernels read. */
export type CpuView = View<CpuStorage>;

// Note [Device seam]
// Every tensor's storage carries its device, and each op runs on the backend of its inputs' device
// (tensor/device.ts backendOf). Kernels take views and storages of their own backend only: a CPU
// backend's are typed arrays (CpuStorage), a device backend's are handles (GPU buffers) that no code
// outside it dereferences. Host code reaches elements only through CpuStorage.data, after checking
// the device; a device storage is read with the asynchronous readAsync, and host data reaches a
// device only through fromArray (an upload). Kernels are declared in method syntax so that a
// Backend<CpuStorage> is assignable to Backend (method parameters are bivariant).

export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'rsqrt' | 'abs' | 'sign' | 'sigmoid' | 'tanh' | 'relu'
  | 'sin' | 'cos' | 'log1p' | 'expm1' | 'floor' | 'ceil' | 'round' | 'trunc' | 'reciprocal'
  | 'erf' | 'logicalNot' | 'isnan'
  | 'erfinv' | 'lgamma' | 'digamma' | 'trigamma';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2'
  | 'floorDivide' | 'remainder'
  /** C's fmod: the remainder with the dividend's sign (a − b·trunc(a/b)). */
  | 'fmod'
  /** a where b > 0 (or NaN), else 0: PyTorch's threshold_backward at threshold 0, ReLU's gradient. */
  | 'thresholdBackward'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor';

export type ReduceOp = 'sum' | 'prod' | 'amax' | 'amin' | 'any' | 'all';
/** Activations with a parameter: leakyRelu's negative slope, elu's alpha (silu and gelu take none). */
export type ActivationOp = 'leakyRelu' | 'elu' | 'silu' | GeluOp;
/** gelu with the exact normal CDF (erf) and with its tanh approximation. */
export type GeluOp = 'gelu' | 'geluTanh';
export type ArgReduceOp = 'max' | 'min';
/** How scatter combines a source value with the destination's: replace it or multiply it. */
export type ScatterReduce = 'assign' | 'multiply';
/** Running reductions along one axis (cumsum, cumprod). */
export type CumulativeOp = 'sum' | 'prod';

/** Stride, padding before/after, dilation (per spatial dim) and groups of a convolution. */
export interface ConvGeometry {
  readonly stride: readonly number[];
  readonly padBefore: readonly number[];
  readonly padAfter: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

/**
 * Optional fast convolution kernels (x [N, C, *S], w [Cout, C/G, *K], g [N, Cout, *O]). Each
 * returns false when it does not handle the case (dtype, dims, layout), and the caller composes
 * the convolution from the primitives instead.
 */
export interface ConvKernels<S extends Storage = Storage> {
  /** out = conv(x, w), plus the bias b [Cout] when given. */
  forward(x: View<S>, w: View<S>, b: View<S> | null, out: S, geo: ConvGeometry): boolean;
  inputGrad(g: View<S>, w: View<S>, out: S, inShape: readonly number[], geo: ConvGeometry): boolean;
  weightGrad(g: View<S>, x: View<S>, out: S, kernel: readonly number[], geo: ConvGeometry): boolean;
}

/** Kernel, stride, padding, dilation and output size of a 2-D pooling (each [h, w]). */
export interface PoolGeometry {
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly out: readonly number[];
}

/** One Adam or AdamW step's constants, computed in double precision as PyTorch 1.13's single-tensor Adam does. */
export interface AdamConstants {
  readonly maximize: boolean;
  /** AdamW's factor 1 − lr·weightDecay, applied to the parameter first; 1 for Adam. */
  readonly decay: number;
  /** Adam's L2 term, added to the gradient as weightDecay·param; 0 for AdamW. */
  readonly weightDecay: number;
  readonly beta1: number;
  readonly beta2: number;
  /** lr / (1 − beta1^step) */
  readonly stepSize: number;
  /** √(1 − beta2^step) */
  readonly biasCorrection2Sqrt: number;
  readonly eps: number;
}

/** One step of SGD with momentum, as PyTorch 1.13's single-tensor SGD takes it. */
export interface SGDConstants {
  readonly maximize: boolean;
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  /** The buffer starts as a copy of the gradient (the parameter's first step). */
  readonly first: boolean;
}

/**
 * Sampling kernels. Each fills the whole of `out` in order from a generator's state buffer (Note
 * [Generator state] in core/generator.ts), advancing it in place, and draws exactly what the reference in
 * core/random.ts draws: same values, same final state. The dtype is the array's (an int64 tensor's is a
 * Float64Array); integer arrays store as JavaScript typed arrays do.
 */
export interface RandomKernels {
  uniform(state: Uint32Array, out: Float32Array | Float64Array, from: number, to: number): void;
  /** `elementwise`: one normal_distribution<double> draw per element, as for a non-contiguous tensor. */
  normal(state: Uint32Array, out: Float32Array | Float64Array, mean: number, std: number, elementwise: boolean): void;
  randint(state: Uint32Array, out: Float32Array | Float64Array | Int32Array | Uint8Array, low: number, high: number): void;
  bernoulli(state: Uint32Array, out: Float32Array | Float64Array | Uint8Array, p: number): void;
  exponential(state: Uint32Array, out: Float32Array | Float64Array, lambd: number): void;
}

/**
 * Kernels on views. They write into `out` (contiguous, already allocated with the right dtype
 * and size), trust their arguments (TypeScript has checked shapes and dtypes), never
 * broadcast (operands arrive expanded with stride 0), and never see autograd or Tensor. A device
 * backend's kernels may only queue work: its results become visible through readAsync.
 */
export interface Backend<S extends Storage = Storage> {
  readonly name: 'js' | 'native' | 'webgpu';
  readonly device: Device;
  /** Whether tensors of `dtype` can live on this backend's device (webgpu refuses float64). */
  supports(dtype: DType): boolean;
  /** A zero-filled storage. */
  alloc(dtype: DType, numel: number): S;
  /**
   * A storage whose contents are unspecified, for outputs a kernel overwrites entirely; zeroing
   * large buffers costs more than small kernels do. Backends without it use alloc.
   */
  allocUninit?(dtype: DType, numel: number): S;
  /**
   * A storage holding `data`'s elements: CPU backends wrap the array without copying (the caller
   * gives it up), a device backend uploads a copy.
   */
  fromArray(dtype: DType, data: DataArray): S;
  /**
   * The storage's elements once all work queued before the call has run: the only way to read a
   * device storage. A CPU backend resolves to the live array (as `read`), a device backend to a fresh copy.
   */
  readAsync(storage: S): Promise<DataArray>;
  /** Resolves when all work queued so far has finished. */
  synchronize(): Promise<void>;
  /** dst[i] = cast(src[i]) through both layouts; dst may be any non-overlapping view. */
  copy(src: View<S>, dst: View<S>): void;
  /** dst[i] = value through dst's layout. */
  fill(dst: View<S>, value: number): void;
  /** out = op(x); out has x's dtype except for logicalNot and isnan (bool). */
  unary(op: UnaryOp, x: View<S>, out: S): void;
  /** out = a op b; a and b share shape and dtype; out is bool for comparisons and logical ops. */
  binary(op: BinaryOp, a: View<S>, b: View<S>, out: S): void;
  /** out = cond ? a : b; all three share one shape. */
  where(cond: View<S>, a: View<S>, b: View<S>, out: S): void;
  /** Reduces `axes` (sorted, unique) away; out holds the remaining dims in order. */
  reduce(op: ReduceOp, x: View<S>, axes: readonly number[], out: S): void;
  /** Max or min along one axis, with the int64 index of the first extreme (NaN wins, as in PyTorch). */
  argReduce(op: ArgReduceOp, x: View<S>, axis: number, values: S, indices: S): void;
  /** out[..., m, n] = a[..., m, k] @ b[..., k, n]; batch dims already broadcast. */
  matmul(a: View<S>, b: View<S>, out: S): void;
  /** out[i][j][k] = x[index[i][j][k]][j][k] for dim 0, likewise for other dims; out has index's shape. */
  gather(x: View<S>, dim: number, index: View<S>, out: S): void;
  /** dst[index[i][j]][j] += src[i][j] for dim 0, likewise for other dims. */
  scatterAdd(dst: View<S>, dim: number, index: View<S>, src: View<S>): void;
  /**
   * dst[index[i][j]][j] = src[i][j] (or *= with 'multiply') for dim 0, likewise for other dims; CPU backends
   * go in index order, so the last of several writes to one place wins.
   */
  scatter(dst: View<S>, dim: number, index: View<S>, src: View<S>, reduce: ScatterReduce): void;
  /** dst[i] += src[i] in index order; dst may overlap itself (the adjoint of an overlapping view). */
  addInto(src: View<S>, dst: View<S>): void;
  /**
   * out = the running sum or product of x along `axis` (out dense in x's shape); CPU backends accumulate
   * floats in double precision, as PyTorch's CPU kernels do.
   */
  cumulative(op: CumulativeOp, x: View<S>, axis: number, out: S): void;
  /** Stable sort along `axis`, writing values and int64 indices; NaN sorts as the largest. */
  sort(x: View<S>, axis: number, descending: boolean, values: S, indices: S): void;
  /** Optional fused update y += alpha·x for a dense x and a whole storage y of the same size and dtype. */
  axpy?(alpha: number, x: View<S>, y: S): boolean;
  /** out = x limited to [min, max] (±Infinity for a missing bound), NaN kept, in one pass; false when not handled. */
  clamp?(x: View<S>, min: number, max: number, out: S): boolean;
  /** out = op(x) with its parameter, in one pass; false when not handled. */
  activation?(op: ActivationOp, x: View<S>, param: number, out: S): boolean;
  /** out = grad·op'(x) over views of one shape, in one pass; false when not handled. */
  activationBackward?(op: GeluOp, grad: View<S>, x: View<S>, out: S): boolean;
  /**
   * out = x + value·a·b, or x + value·a/b with `divide` (PyTorch's addcmul and addcdiv, rounded in that
   * order), in one pass over views of one shape; false when not handled.
   */
  addcmul?(x: View<S>, a: View<S>, b: View<S>, value: number, divide: boolean, out: S): boolean;
  /**
   * Optional fused optimizer updates, each one pass over storages of one dtype and length (a dense
   * parameter's elements, its gradient's and its state's), updated in place; false when not handled.
   */
  adamStep?(param: S, grad: S, expAvg: S, expAvgSq: S, maxExpAvgSq: S | null, c: AdamConstants): boolean;
  sgdStep?(param: S, grad: S, momentumBuffer: S, c: SGDConstants): boolean;
  /** Fast convolutions, where the backend has them. */
  readonly conv?: ConvKernels<S>;
  /**
   * Fast max-pooling: out (int64, [...lead, Oh, Ow]) = flat h·W + w index of the first maximum of
   * each window of x [...lead, H, W], and the maxima into `values` when given; false when the case
   * is not handled.
   */
  maxPool2dIndices?(x: View<S>, out: S, geo: PoolGeometry, values?: S): boolean;
  /** out = softmax, or with `log` log-softmax, of x along `axis`; false when not handled. */
  softmax?(x: View<S>, axis: number, log: boolean, out: S): boolean;
  /** out = the (log-)softmax gradient along `axis` from the incoming g and the forward's output y; false when not handled. */
  softmaxBackward?(g: View<S>, y: View<S>, axis: number, log: boolean, out: S): boolean;
  /**
   * Layer normalisation of x's dense [rows, cols]: y = (x − mean)·rstd per row, ·weight and +bias where
   * given (dense [cols]), with mean and rstd [rows] kept for the backward; statistics in double, rstd =
   * 1/√(biased variance + eps). False when not handled.
   */
  layerNorm?(x: View<S>, weight: View<S> | null, bias: View<S> | null, eps: number, y: S, mean: S, rstd: S): boolean;
  /**
   * layerNorm's gradients from g [rows, cols] (dense) and the forward's x, mean and rstd: dx, dWeight and
   * dBias, each written where given. False when not handled.
   */
  layerNormBackward?(g: View<S>, x: View<S>, mean: View<S>, rstd: View<S>, weight: View<S> | null, dx: S | null, dWeight: S | null, dBias: S | null): boolean;
  /**
   * An LSTM step's gate arithmetic in one pass, from gates [N, 4H] (i, f, g, o) and c [N, H]: out
   * [2, N, H] = h' = σ(o)·tanh(c') and c' = σ(f)·c + σ(i)·tanh(g), acts [5, N, H] = σ(i), σ(f),
   * tanh(g), σ(o), tanh(c'); false when not handled.
   */
  lstmCell?(gates: View<S>, c: View<S>, out: S, acts: S): boolean;
  /**
   * lstmCell's gradient from those of h' and c' ([N, H] each), c and the forward's acts (a dense
   * [5, N, H] view): dGates [N, 4H] and dcPrev [N, H]; false when not handled.
   */
  lstmCellBackward?(gradH: View<S>, gradC: View<S>, c: View<S>, acts: View<S>, dGates: S, dcPrev: S): boolean;
  /**
   * One direction of an LSTM layer over T steps of N rows (PyTorch's mkldnn_rnn_layer), on dense views: for
   * each step t in order (from the last with `reverse`), gates[t] = xp[t] + h·wᵀ and y[t], cs[t] = the
   * cell's h' and c' from gates[t] and c, where h and c are h0 and c0 at the first step and the previous
   * step's after. xp [T·N, 4H], w [4H, H], h0 and c0 [N, H]; writes gates [T·N, 4H], y and cs [T·N, H].
   * False when not handled.
   */
  lstmLayer?(xp: View<S>, w: View<S>, h0: View<S>, c0: View<S>, reverse: boolean, gates: S, y: S, cs: S): boolean;
  /**
   * lstmLayer's gradients, from those of y [T·N, H] and of the last step's h and c [N, H] (dense, or null for
   * none) and the forward's gates, w, c0 and cs (dense): dGates [T·N, 4H] (xp's), dh0 and dc0 [N, H]. False
   * when not handled.
   */
  lstmLayerBackward?(gates: View<S>, w: View<S>, c0: View<S>, cs: View<S>, gradY: View<S> | null, gradH: View<S> | null, gradC: View<S> | null,
    reverse: boolean, dGates: S, dh0: S, dc0: S): boolean;
  /**
   * Scaled dot-product attention softmax(scale·q·kᵀ + mask)·v without the weights in memory (PyTorch's CPU
   * flash attention), on q [B1, B2, L, D], k [B1, B2, S, D] and v [B1, B2, S, Dv] with unit last stride, an
   * additive mask broadcast to [B1, B2, L, S] or none, and with `causal` key j masked for query i < j. Writes
   * out dense as [B1, L, B2, Dv] (the heads side by side, as PyTorch's flash kernel lays them out) and lse
   * [B1, B2, L], each row's log-sum-exp. False when not handled.
   */
  attention?(q: View<S>, k: View<S>, v: View<S>, mask: View<S> | null, causal: boolean, scale: number, out: S, lse: S): boolean;
  /**
   * attention's gradients from gradOut [B1, B2, L, Dv] (unit last stride) and the forward's out (as a
   * [B1, B2, L, Dv] view) and lse: dq, dk and dv of q's, k's and v's shapes [B1, B2, R, C], laid out dense
   * as [B1, R, B2, C] like out (so that heads split from one projection get their gradient without a
   * copy). False when not handled.
   */
  attentionBackward?(q: View<S>, k: View<S>, v: View<S>, mask: View<S> | null, causal: boolean, scale: number, out: View<S>, gradOut: View<S>,
    lse: View<S>, dq: S, dk: S, dv: S): boolean;
  /** Max-pooling's gradient: out (inShape) = zeros plus g added at `indices`; false when not handled. */
  maxPool2dBackward?(g: View<S>, indices: View<S>, out: S, inShape: readonly number[], geo: PoolGeometry): boolean;
}

/** A CPU backend: the only kind with synchronous reads, and with host sampling kernels. */
export interface CpuBackend extends Backend<CpuStorage> {
  readonly name: 'js' | 'native';
  readonly device: 'cpu';
  /** The storage's elements, synchronously: the live array. */
  read(storage: CpuStorage): DataArray;
  /** Fast sampling into host arrays; without it the reference in core/random.ts draws. */
  readonly random?: RandomKernels;
}

/** What a device backend tells `torch.webgpu` about its memory (torch.cuda.memory_allocated, empty_cache). */
export interface DeviceRuntime {
  /** Bytes held by live tensors' storages on the device. */
  memoryAllocated(): number;
  /** Bytes the device's buffer pool holds: live storages' and cached idle ones. */
  memoryReserved(): number;
  /** Releases cached, unused device memory. */
  emptyCache(): void;
  /** The adapter's name: vendor, architecture, device and description, as the driver reports them. */
  deviceName(): string;
  /** Starts recording the storages allocated from now on (scopes nest). */
  openScope(): void;
  /** Ends the innermost recording: disposes what it recorded except `keep`, which joins the enclosing scope. */
  closeScope(keep: ReadonlySet<Storage>): void;
}

// Note [Device memory]
// A device storage's memory returns to its backend's pool when the garbage collector finds the storage
// (a FinalizationRegistry, whose callbacks run between event-loop turns, so a loop that never awaits holds
// everything it allocates until it does), or at once through dispose(). A scope (torch.webgpu.scope) records
// the storages allocated while its function runs and disposes those not kept when it returns.
