// src/tensor/random.ts — torch.bernoulli, torch.normal and the draws behind Tensor.bernoulli_/exponential_,
// consuming the generator exactly as PyTorch 1.13's CPU kernels do.
import { type DType, getDefaultDtype, isFloating } from '../core/dtype.js';
import { NotImplementedError, RuntimeError } from '../core/errors.js';
import { defaultGenerator, type Generator } from '../core/random.js';
import { checkShape } from '../core/shape.js';
import { empty } from './creation.js';
import { type DeviceLike, hostArray, hostStorage, placement } from './device.js';
import { bernoulliInto, exponentialInto, normalInto } from './draw.js';
import { Tensor } from './tensor.js';

/** The generator= keyword of PyTorch's random functions. */
export interface GeneratorOptions {
  generator?: Generator;
}

type FloatArray = Float32Array | Float64Array;
type FloatDtype = 'float32' | 'float64';

function checkFloating(op: string, kernel: string, t: Tensor): FloatDtype {
  if (!isFloating(t.dtype)) throw new NotImplementedError(`${op}: "${kernel}" not implemented for '${t.dtype}'`);
  return t.dtype as FloatDtype;
}

/** Probabilities read once from a tensor, with the precision PyTorch draws against them in. */
export interface Probabilities {
  values: ArrayLike<number>;
  double: boolean;
}

/** Reads and checks a probability tensor (floating, every element in [0, 1]) for drawBernoulli. */
export function probabilities(p: Tensor): Probabilities {
  const double = checkFloating('bernoulli_', 'bernoulli_tensor_cpu_p_', p) === 'float64';
  const values = hostArray('bernoulli', p, 'await p.cpuAsync() and draw on the host (probabilities are read there)');
  // PyTorch checks each p as it draws; checking first leaves the generator untouched on error.
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] <= 1)) throw new RuntimeError('bernoulli_: Expected p_in >= 0 && p_in <= 1 to be true, but got false.');
  }
  return { values, double };
}

/**
 * Fills `out` with 0/1 draws, one per element: with probability `p`, or with the probabilities in order.
 * A scalar p draws a 53-bit uniform per element (bernoulli_distribution<double>); a tensor p
 * draws in p's own precision, 53 bits for float64 and 24 for float32 (PyTorch's bernoulli_tensor_cpu_kernel).
 */
export function drawBernoulli(gen: Generator, out: FloatArray, p: number | Probabilities): void {
  if (typeof p === 'number') {
    if (!(p >= 0 && p <= 1)) throw new RuntimeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
    bernoulliInto(gen, out, p);
    return;
  }
  const { values, double } = p;
  for (let i = 0; i < out.length; i++) {
    // uniform_real_distribution<double> keeps the low 53 bits of random64; <float> the low 24 of random.
    const u = double
      ? ((gen.random() & 0x1fffff) * 4294967296 + gen.random()) / 9007199254740992
      : (gen.random() & 0xffffff) / 16777216;
    out[i] = u < values[i] ? 1 : 0;
  }
}

/** Fills `out` with Exp(lambd) draws, as Tensor.exponential_ does. */
export function drawExponentialInto(gen: Generator, out: FloatArray, lambd: number): void {
  if (!(lambd >= 0)) throw new RuntimeError(`exponential_ expects lambda >= 0.0, but found lambda=${lambd}`);
  exponentialInto(gen, out, lambd);
}

/**
 * 0/1 draws with the probabilities in `input` (torch.bernoulli), or with one probability `p` for every element.
 * @example torch.manualSeed(0); torch.bernoulli(torch.full([5], 0.5)) // tensor([1., 0., 1., 1., 1.])
 */
export function bernoulli(input: Tensor, options?: GeneratorOptions): Tensor;
export function bernoulli(input: Tensor, p: number, options?: GeneratorOptions): Tensor;
export function bernoulli(input: Tensor, a: number | GeneratorOptions = {}, b: GeneratorOptions = {}): Tensor {
  const [p, options] = typeof a === 'number' ? [a, b] : [input, a];
  const dtype = checkFloating('bernoulli', 'bernoulli_tensor_cpu_self_', input);
  const probs = typeof p === 'number' ? p : probabilities(p);
  return drawn('bernoulli', input.dims, dtype, input.device, (out) => { drawBernoulli(options.generator ?? defaultGenerator, out, probs); });
}

/**
 * A new tensor of `dims` on `device` whose values `draw` fills on the host, in order, then uploaded
 * there: seeded draws equal the CPU's on every device. The device is checked before anything is drawn.
 */
function drawn(op: string, dims: readonly number[], dtype: FloatDtype, device: DeviceLike, draw: (out: FloatArray) => void): Tensor {
  const be = placement(op, device, dtype);
  const host = empty([...dims], { dtype });
  const data = hostStorage(op, host, 'a CPU tensor').data as FloatArray;
  draw(data);
  return be.device === 'cpu' ? host : new Tensor(be.fromArray(dtype, data), host.dims);
}

/** Options of torch.normal's scalar form: generator=, dtype=, requires_grad=, device=. */
export interface NormalOptions extends GeneratorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  device?: DeviceLike;
}

/**
 * Samples of N(mean, std²) in a tensor of `size` (torch.normal(mean, std, size)): the same draws as
 * `torch.empty(size).normal_(mean, std)`.
 * @example torch.manualSeed(0); torch.normal(0, 1, [3]) // tensor([ 1.5410, -0.2934, -2.1788])
 */
export function normal(mean: number, std: number, size: readonly number[], options: NormalOptions = {}): Tensor {
  if (!(std >= 0)) throw new RuntimeError(`normal expects std >= 0.0, but found std ${std}`);
  const dtype = options.dtype ?? getDefaultDtype();
  checkShape('empty', size); // the shape error first, as from the torch.empty that PyTorch's normal starts with
  if (!isFloating(dtype)) throw new NotImplementedError(`normal: "normal_kernel_cpu" not implemented for '${dtype}'`);
  const out = drawn('normal', size, dtype as FloatDtype, options.device ?? 'cpu', (data) => {
    normalInto(options.generator ?? defaultGenerator, data, mean, std);
  });
  if (options.requiresGrad) out.requiresGrad_(true);
  return out;
}
