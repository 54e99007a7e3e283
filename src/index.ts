// src/index.ts — composition root: the public `torch` namespace. Imports ops/methods.ts once.
import './ops/methods.js';
import { installPrinting } from './tensor/print.js';
import { defaultGenerator, Generator, type GeneratorState } from './core/random.js';

installPrinting();

export type { DType } from './core/dtype.js';
export { getDefaultDtype, setDefaultDtype } from './core/dtype.js';
export {
  KindlingError, RuntimeError, IndexError, ValueError, ArgumentTypeError, AssertionError, NotImplementedError,
} from './core/errors.js';
export { Generator } from './core/random.js';
export { Tensor, type NestedList } from './tensor/tensor.js';
export type { Device } from './backends/backend.js';
export { TorchDevice, type DeviceLike, type DeviceName } from './tensor/device.js';
export { Size } from './tensor/size.js';
export {
  tensor, zeros, ones, empty, full, arange, linspace, eye, rand, randn, randint, randperm,
  zerosLike, onesLike, emptyLike, fullLike, randLike, randnLike, randintLike,
  type TensorOptions,
} from './tensor/creation.js';
export { setPrintoptions, getPrintoptions, type PrintOptions } from './tensor/print.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './autograd/grad-mode.js';
export {
  add, sub, mul, div, pow, maximum, minimum, atan2, remainder, floorDivide,
  eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalXor, logicalNot, isnan,
  neg, exp, log, sqrt, rsqrt, abs, sign, sigmoid, tanh, relu, sin, cos, log1p, expm1,
  floor, ceil, round, trunc, reciprocal, erf, square, clamp, where, maskedFill, addcmul, addcdiv,
} from './ops/elementwise.js';
export {
  view, reshape, permute, transpose, t, expand, unsqueeze, squeeze, flatten, narrow, select, clone, contiguous, detach,
} from './ops/views.js';
export type { Index } from './ops/indexing-views.js';
// reductions
export {
  sum, mean, prod, variance as var, std, amax, amin, logsumexp, all, any, type Dim, type DtypeOptions, type VarOptions,
} from './ops/reduce.js';
export { max, min, median, argmax, argmin, type ValuesIndices } from './ops/argreduce.js';
export { softmax, logSoftmax } from './ops/softmax.js';
// end reductions
// linear algebra, joining and indexing
export { mm, mv, bmm, matmul, dot, outer, addmm } from './ops/linalg.js';
export {
  cat, stack, split, chunk, unbind, indexSelect, gather, scatterAdd, indexAdd, maskedSelect,
} from './ops/indexing.js';
// end linear algebra
// everyday ops
export { cumsum, cumprod, sort, argsort, topk, type CumulativeOptions, type SortOptions, type TopkOptions } from './ops/scan-sort.js';
export { flip, fliplr, flipud, roll, repeat, tile, tril, triu } from './ops/rearrange.js';
export { lerp, isfinite, isinf, isposinf, isneginf, isclose, allclose, nanToNum, type CloseOptions, type NanToNumOptions } from './ops/numeric.js';
export { multinomial, type MultinomialOptions } from './ops/multinomial.js';
export { diagonal, diag, trace } from './ops/diagonal.js';
export { einsum } from './ops/einsum.js';
export { baddbmm, addbmm, addmv, kron, cross, type BetaAlpha } from './ops/products.js';
export { scatter, indexFill, type ScatterOptions } from './ops/scatter.js';
export { meshgrid, type MeshgridOptions } from './ops/rearrange.js';
export { norm, type MatrixOrd, type NormOptions } from './ops/norms.js';
import { linalgNorm, matrixNorm, vectorNorm } from './ops/norms.js';
import { linalgCross } from './ops/products.js';
/** torch.linalg: norm, vectorNorm, matrixNorm, cross. */
export const linalg = { norm: linalgNorm, vectorNorm, matrixNorm, cross: linalgCross };
// end everyday ops

export * as nn from './nn/index.js';
export * as F from './nn/functional/index.js';

import { backward, grad } from './ops/autograd.js';
import { gradcheck, GradcheckError } from './autograd/gradcheck.js';
import { Function, FunctionCtx } from './ops/function.js';
import { clamp } from './ops/elementwise.js';
import { type DeviceLike, parseDevice, TorchDevice } from './tensor/device.js';

/** torch.clip, an alias of clamp. */
export const clip = clamp;

/** torch.autograd: backward, grad, gradcheck, Function. */
export const autograd = { backward, grad, gradcheck, GradcheckError, Function, FunctionCtx };

/** Seeds the default generator (torch.manual_seed) and returns it. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** Seeds the default generator non-deterministically (torch.seed) and returns the seed. */
export function seed(): number {
  return defaultGenerator.seed();
}

/** The seed the default generator was last seeded with (torch.initial_seed). */
export function initialSeed(): number {
  return defaultGenerator.initialSeed();
}

/** A snapshot of the default generator's state (torch.get_rng_state). */
export function getRngState(): GeneratorState {
  return defaultGenerator.getState();
}

/** Restores the default generator's state (torch.set_rng_state). */
export function setRngState(state: GeneratorState): void {
  defaultGenerator.setState(state);
}

export const float32 = 'float32', float64 = 'float64', int32 = 'int32', int64 = 'int64', bool = 'bool', uint8 = 'uint8';
export const float = float32, double = float64, long = int64;

export { setNumThreads, getNumThreads, backendName } from './backends/select.js';

/**
 * torch.device: the device value for a name ('cpu', 'webgpu', 'webgpu:0'), as `x.device` returns it.
 * @example torch.device('webgpu').toString() // 'webgpu:0'
 */
export function device(name: DeviceLike): TorchDevice {
  return TorchDevice.of(parseDevice('device', name));
}

/** torch.cuda: kindling has no CUDA backend (its GPU device is webgpu); these answer honestly. */
export const cuda = {
  isAvailable: (): boolean => false,
  deviceCount: (): number => 0,
  synchronize: (): void => {},
};

export { webgpu } from './webgpu.js';

// data and serialization
import * as data from './data/index.js';
import { deserialize, loadFromUrl, SafetensorError, serialize } from './io/safetensors.js';
import { load as loadSafetensors, loadMetadata, save as saveSafetensors } from './io/safetensors-file.js';

export * as data from './data/index.js';
export type { StateDict } from './io/safetensors.js';

/** torch.utils: `torch.utils.data.DataLoader` and the rest of torch.utils.data. */
export const utils = { data };

/** Saves a state dict (name → tensor) to `path` in the safetensors format, atomically. */
export const save = saveSafetensors;

/** Loads a state dict saved by `save` (or any safetensors file of supported dtypes). */
export const load = loadSafetensors;

export { loadFromUrl };

/** The safetensors format: `save`/`load` on files, `serialize`/`deserialize` on bytes, `loadMetadata`, `loadFromUrl`. */
export const safetensors = { save: saveSafetensors, load: loadSafetensors, loadMetadata, serialize, deserialize, loadFromUrl, SafetensorError };
// end data and serialization
// optim
export * as optim from './optim/index.js';
// end optim
// random
export { bernoulli, normal, type GeneratorOptions, type NormalOptions } from './tensor/random.js';
// end random
// distributed
export * as distributed from './distributed/index.js';
// end distributed
