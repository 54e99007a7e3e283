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
  floor, ceil, round, trunc, reciprocal, erf, square, clamp, where, maskedFill,
} from './ops/elementwise.js';
export {
  view, reshape, permute, transpose, t, expand, unsqueeze, squeeze, flatten, narrow, select, clone, contiguous, detach,
} from './ops/views.js';
export type { Index } from './ops/indexing-views.js';
// reductions
// end reductions
// linear algebra, joining and indexing
// end linear algebra

import { backward, grad } from './ops/autograd.js';
import { gradcheck, GradcheckError } from './autograd/gradcheck.js';
import { clamp } from './ops/elementwise.js';

/** torch.clip, an alias of clamp. */
export const clip = clamp;

/** torch.autograd: backward, grad, gradcheck. */
export const autograd = { backward, grad, gradcheck, GradcheckError };

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

/** torch.cuda: kindling has no CUDA backend; these answer honestly. */
export const cuda = {
  isAvailable: (): boolean => false,
  deviceCount: (): number => 0,
  synchronize: (): void => {},
};
