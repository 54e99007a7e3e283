// src/nn/utils.ts — torch.nn.utils: gradient clipping (by total norm, by value) and flattening
// parameters to one vector and back.
import { ArgumentTypeError, constructorName, RuntimeError } from '../core/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { div } from '../ops/elementwise.js';
import { cat, stack } from '../ops/indexing.js';

/** One tensor or several, as torch.nn.utils accepts them. */
export type TensorOrTensors = Tensor | Iterable<Tensor>;

const asList = (parameters: TensorOrTensors): Tensor[] => (parameters instanceof Tensor ? [parameters] : [...parameters]);

/** Python's repr of a float (`2.0`, `inf`), for messages that quote one. */
function pyFloat(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** torch.norm(x, p) of all elements, for any order p (0, ±inf included), as a 0-d tensor. */
function vectorNorm(x: Tensor, p: number): Tensor {
  if (p === Infinity) return x.abs().amax();
  if (p === -Infinity) return x.abs().amin();
  if (p === 0) return x.ne(0).sum().type(x.dtype);
  if (p === 1) return x.abs().sum();
  if (p === 2) return x.mul(x).sum().sqrt();
  return x.abs().pow(p).sum().pow(1 / p);
}

/**
 * Scales the gradients of `parameters` in place so that their joint `normType`-norm is at most
 * `maxNorm`, and returns that norm (before clipping) as a tensor, as torch.nn.utils.clip_grad_norm_.
 * @example
 * loss.backward();
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);  // tensor(4.6403) when the norm was 4.6403
 */
export function clipGradNorm_(
  parameters: TensorOrTensors,
  maxNorm: number,
  normType = 2,
  { errorIfNonfinite = false }: { errorIfNonfinite?: boolean } = {},
): Tensor {
  const grads = asList(parameters).flatMap((p) => (p.grad === null ? [] : [p.grad]));
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    const total = normType === Infinity
      ? stack(grads.map((g) => g.detach().abs().amax())).amax()
      : vectorNorm(stack(grads.map((g) => vectorNorm(g.detach(), normType))), normType);
    if (errorIfNonfinite && !Number.isFinite(total.item())) {
      throw new RuntimeError(
        `The total norm of order ${pyFloat(normType)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
          'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
      );
    }
    // Multiplying by a coefficient clamped to 1 (rather than testing it) is PyTorch's formula.
    const clipCoef = div(maxNorm, total.add(1e-6)).clamp(null, 1.0);
    for (const g of grads) g.mul_(clipCoef);
    return total;
  });
}

/**
 * Clamps every gradient of `parameters` in place to [-clipValue, clipValue]
 * (torch.nn.utils.clip_grad_value_).
 * @example
 * nn.utils.clipGradValue_(model.parameters(), 0.5);
 */
export function clipGradValue_(parameters: TensorOrTensors, clipValue: number): void {
  noGrad(() => {
    for (const p of asList(parameters)) p.grad?.clamp_(-clipValue, clipValue);
  });
}

/**
 * The parameters flattened and joined into one 1-D tensor (torch.nn.utils.parameters_to_vector).
 * @example
 * nn.utils.parametersToVector(new nn.Linear(3, 2).parameters()).shape;  // torch.Size([8])
 */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  return cat([...parameters].map((p) => p.reshape(-1)));
}

/**
 * Writes consecutive slices of `vec` into the parameters (torch.nn.utils.vector_to_parameters).
 * PyTorch rebinds each parameter's `.data` to a view of `vec`; kindling copies the values, so the
 * parameters keep their own storage and later writes to `vec` don't reach them.
 * @example
 * nn.utils.vectorToParameters(torch.zeros(8), linear.parameters());
 */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) {
    throw new ArgumentTypeError(`expected torch.Tensor, but got: ${constructorName(vec) ?? typeof vec}`);
  }
  let pointer = 0;
  noGrad(() => {
    for (const p of parameters) {
      const n = p.numel();
      p.copy_(vec.narrow(0, pointer, n).viewAs(p));
      pointer += n;
    }
  });
}

/** torch.nn.utils.rnn: PackedSequence, padSequence, packPaddedSequence, padPackedSequence, packSequence. */
export * as rnn from './utils/rnn.js';
