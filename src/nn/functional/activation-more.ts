// src/nn/functional/activation-more.ts — F.relu6, F.selu, F.celu, F.softsign, F.tanhshrink, F.hardshrink,
// F.softshrink, F.threshold, F.softmin, F.prelu: compositions of pointwise ops (autograd flows through
// their parts), in place through the engine's in-place rules where PyTorch offers it.
import { isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import { inPlace } from '../../ops/in-place.js';
import { abs, add, div, expm1, gt, lt, minimum, mul, neg, sub, tanh as tanhOp, where } from '../../ops/elementwise.js';
import type { DtypeOptions } from '../../ops/reduce.js';
import { reshape } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import { elu, hardtanh, type Inplace, softmax } from './activation.js';

/** `f(input)`, or written into `input` with its history taken over (PyTorch's `inplace=True`). */
const maybeInPlace = (name: string, input: Tensor, inplace: boolean, f: (x: Tensor) => Tensor): Tensor =>
  inplace ? inPlace(`${name}_`, input, [], (self) => f(self)) : f(input);

function checkFloating(kernel: string, x: Tensor): void {
  if (!isFloating(x.dtype)) throw new RuntimeError(`${kernel.split('_')[0]}: "${kernel}" not implemented for '${TYPE_NAMES[x.dtype]}'`);
}

/** min(max(x, 0), 6) (F.relu6). */
export function relu6(input: Tensor, { inplace = false }: Inplace = {}): Tensor {
  return hardtanh(input, { minVal: 0, maxVal: 6, inplace });
}

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** scale·elu(x, α) with PyTorch's self-normalising constants (F.selu). */
export function selu(input: Tensor, { inplace = false }: Inplace = {}): Tensor {
  return maybeInPlace('selu', input, inplace, (x) => mul(elu(x, { alpha: SELU_ALPHA }), SELU_SCALE));
}

/** max(0, x) + min(0, α·(exp(x/α) − 1)) (F.celu). */
export function celu(input: Tensor, { alpha = 1, inplace = false }: { alpha?: number } & Inplace = {}): Tensor {
  if (alpha === 0) throw new RuntimeError('celu: ZeroDivisionError: alpha cannot be 0 for CELU');
  checkFloating('elu_cpu', input);
  // expm1 sees min(x, 0) only, so that a large x (whose branch is not taken) cannot overflow into a NaN gradient.
  return maybeInPlace('celu', input, inplace, (x) => where(gt(x, 0), x, mul(expm1(div(minimum(x, 0), alpha)), alpha)));
}

/** x / (1 + |x|) (F.softsign). */
export function softsign(input: Tensor): Tensor {
  return div(input, add(abs(input), 1));
}

/** x − tanh(x) (F.tanhshrink). */
export function tanhshrink(input: Tensor): Tensor {
  return sub(input, tanhOp(input));
}

/** x where |x| > λ, else 0 (F.hardshrink). */
export function hardshrink(input: Tensor, lambd = 0.5): Tensor {
  checkFloating('hardshrink_cpu', input);
  return where(gt(abs(input), lambd), input, 0);
}

/** x − λ above λ, x + λ below −λ, 0 between (F.softshrink). */
export function softshrink(input: Tensor, lambd = 0.5): Tensor {
  if (lambd < 0) throw new RuntimeError(`softshrink: lambda must be greater or equal to 0, but found to be ${lambd}.`);
  checkFloating('softshrink_cpu', input);
  return where(gt(input, lambd), sub(input, lambd), where(lt(input, -lambd), add(input, lambd), 0));
}

/** x where x > threshold, else value (F.threshold). */
export function threshold(input: Tensor, threshold: number, value: number, { inplace = false }: Inplace = {}): Tensor {
  return maybeInPlace('threshold', input, inplace, (x) => where(gt(x, threshold), x, value));
}

/** softmax(−x) along `dim` (F.softmin). */
export function softmin(input: Tensor, dim: number | null, options: DtypeOptions = {}): Tensor {
  return softmax(neg(input), dim, options);
}

/** x where x > 0, else weight·x, with one weight or one per channel (dim 1) (F.prelu). */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  const channels = input.dim() >= 2 ? input.dims[1] : 1;
  if (weight.numel() !== 1 && weight.numel() !== channels) {
    throw new RuntimeError(`prelu: Mismatch of parameter numbers and input channel size. Found parameter numbers = ${weight.numel()} and channel size = ${channels}.`);
  }
  const w = weight.numel() === 1 || input.dim() < 2 ? reshape(weight, []) : reshape(weight, [channels, ...input.dims.slice(2).map(() => 1)]);
  return where(gt(input, 0), input, mul(w, input));
}
