// src/backends/native/addon.ts — loads the Node-API addon: the one `npm install` built from source
// (build/Release), else the prebuilt one the npm package carries (prebuilds/, scripts/prebuild.mjs).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { DataArray } from '../../core/dtype.js';

type FloatArray = Float32Array | Float64Array;

/** The functions native/src/addon.cc exports; descriptors are Float64Arrays of ints. */
export interface Addon {
  unary(op: number, x: FloatArray, out: DataArray, desc: Float64Array): void;
  binary(op: number, a: FloatArray, b: FloatArray, out: DataArray, desc: Float64Array): void;
  copy(src: FloatArray, dst: FloatArray, desc: Float64Array): void;
  axpy(alpha: number, x: FloatArray, xOffset: number, y: DataArray, n: number): void;
  clamp(x: FloatArray, out: DataArray, lo: number, hi: number, desc: Float64Array): void;
  activation(op: number, param: number, x: FloatArray, out: DataArray, desc: Float64Array): void;
  /** Absent from builds before gelu (as its activation codes). */
  activationBackward?(op: number, grad: FloatArray, x: FloatArray, out: DataArray, desc: Float64Array): void;
  addcmul(divide: boolean, value: number, x: FloatArray, a: FloatArray, b: FloatArray, out: DataArray, desc: Float64Array): void;
  fill(dst: FloatArray, offset: number, n: number, value: number): void;
  /** constants: [sign, decay, weightDecay, beta1, beta2, stepSize, biasCorrection2Sqrt, eps]. */
  adamStep(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null, constants: Float64Array): void;
  /** constants: [sign, lr, momentum, dampening, weightDecay, nesterov, first]. */
  sgdStep(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray, constants: Float64Array): void;
  compare(op: number, a: FloatArray, b: FloatArray, out: DataArray, desc: Float64Array): void;
  where(cond: DataArray, a: FloatArray, b: FloatArray, out: DataArray, desc: Float64Array): void;
  argReduce(isMax: boolean, x: FloatArray, values: DataArray, indices: DataArray, a: number, r: number, b: number, offset: number): void;
  reduce(op: number, x: FloatArray, out: DataArray, a: number, r: number, b: number, offset: number): void;
  /** Running sums (op 0) or products (op 1) over R of a dense x[A, R, B]; absent from addons built before it. */
  /** How many unary op codes the build knows (absent before erf's, code 19). */
  unaryCodes?: number;
  cumulative?(op: number, x: FloatArray, out: DataArray, a: number, r: number, b: number, offset: number): void;
  sumOuterInner(x: FloatArray, out: DataArray, a: number, k: number, r: number, offset: number): void;
  softmax(x: FloatArray, out: DataArray, a: number, r: number, b: number, log: boolean, offset: number): void;
  softmaxBackward(g: FloatArray, y: FloatArray, out: DataArray, a: number, r: number, b: number, log: boolean, offsetG: number, offsetY: number): void;
  /** Layer norm and its gradient (kernels/norm.h); absent from addons built before them. offsets: [x, weight, bias]. */
  layerNorm?(x: FloatArray, weight: FloatArray | null, bias: FloatArray | null, y: DataArray, mean: DataArray, rstd: DataArray, rows: number, cols: number, eps: number, offsets: Float64Array): void;
  /** offsets: [g, x, mean, rstd, weight]. */
  layerNormBackward?(g: FloatArray, x: FloatArray, mean: FloatArray, rstd: FloatArray, weight: FloatArray | null, dx: DataArray | null, dWeight: DataArray | null, dBias: DataArray | null, rows: number, cols: number, offsets: Float64Array): void;
  /** The fused LSTM cell (kernels/rnn.h); absent from addons built before it. */
  lstmCell?(gates: FloatArray, c: FloatArray, out: DataArray, acts: DataArray, desc: Float64Array): void;
  lstmCellBackward?(gradH: FloatArray, gradC: FloatArray, c: FloatArray, acts: FloatArray, dGates: DataArray, dcPrev: DataArray, actsOffset: number, desc: Float64Array): void;
  /** The fused LSTM layer (kernels/rnn.h); absent from addons built before it. offsets: [xp, w, h0, c0]. */
  lstmLayer?(xp: FloatArray, w: FloatArray, h0: FloatArray, c0: FloatArray, gates: DataArray, y: DataArray, cs: DataArray,
    steps: number, n: number, h: number, reverse: boolean, offsets: Float64Array): void;
  /** Blockwise attention (kernels/attention.h); absent from addons built before it. desc: see nn.ts. */
  attention?(q: FloatArray, k: FloatArray, v: FloatArray, mask: FloatArray | null, out: DataArray, lse: DataArray, desc: Float64Array): void;
  attentionBackward?(q: FloatArray, k: FloatArray, v: FloatArray, mask: FloatArray | null, out: FloatArray, gradOut: FloatArray, lse: FloatArray,
    dq: DataArray, dk: DataArray, dv: DataArray, desc: Float64Array): void;
  /** offsets: [gates, w, c0, cs, gradY, gradH, gradC]. */
  lstmLayerBackward?(gates: FloatArray, w: FloatArray, c0: FloatArray, cs: FloatArray, gradY: FloatArray | null, gradH: FloatArray | null,
    gradC: FloatArray | null, dGates: DataArray, dh0: DataArray, dc0: DataArray, steps: number, n: number, h: number, reverse: boolean, offsets: Float64Array): void;
  matmul(a: FloatArray, b: FloatArray, out: DataArray, desc: Float64Array): void;
  maxPool2dIndices(x: FloatArray, indices: DataArray, values: DataArray | null, desc: Float64Array): void;
  maxPool2dBackward(g: FloatArray, indices: DataArray, out: DataArray, desc: Float64Array): void;
  gather(x: FloatArray, index: DataArray, out: DataArray, dim: number, desc: Float64Array): void;
  scatterAdd(dst: FloatArray, index: DataArray, src: FloatArray, dim: number, desc: Float64Array): void;
  conv2dForward(x: Float32Array, w: Float32Array, bias: Float32Array | null, out: DataArray, desc: Float64Array): boolean;
  conv2dInputGrad(g: Float32Array, w: Float32Array, out: DataArray, desc: Float64Array): boolean;
  conv2dWeightGrad(x: Float32Array, g: Float32Array, out: DataArray, desc: Float64Array): boolean;
  /** Makes glibc serve large allocations from its reusable heap; false where not glibc. */
  tuneMalloc(): boolean;
  /** The byte offset at which the buffer is 64-byte aligned; with `huge`, asks for transparent huge pages under it. */
  alignBuffer(buffer: ArrayBuffer, huge: boolean): number;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  isa(): string;
  randomUniform(state: Uint32Array, out: FloatArray, from: number, to: number): void;
  randomNormal(state: Uint32Array, out: FloatArray, mean: number, std: number, elementwise: boolean): void;
  randomInt(state: Uint32Array, out: FloatArray | Int32Array | Uint8Array, low: number, high: number): void;
  randomBernoulli(state: Uint32Array, out: FloatArray | Uint8Array, p: number): void;
  randomExponential(state: Uint32Array, out: FloatArray, lambd: number): void;
  /** The error class that kernel failures (a failed scratch allocation) are thrown as. */
  setErrorClass(errorClass: new (message: string) => Error): void;
}

/** The addon, or the reason it could not be loaded. */
export function loadAddon(): Addon | Error {
  try {
    const require = createRequire(import.meta.url);
    const load = require('node-gyp-build') as (dir: string) => unknown;
    // dist/src/backends/native/ → the package root, which holds build/ and prebuilds/.
    return load(fileURLToPath(new URL('../../../../', import.meta.url))) as Addon;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
