// src/ops/multinomial.ts — torch.multinomial, drawing from the generator exactly as PyTorch 1.13's CPU kernel:
// without replacement through exponential draws (the Gumbel trick), with replacement by
// binary search in the normalised cumulative distribution.
import { RuntimeError } from '../core/errors.js';
import { defaultGenerator, type Generator, uniform53 } from '../core/random.js';
import { hostArray } from '../tensor/device.js';
import { tensor } from '../tensor/creation.js';
import { drawExponentialInto } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { argmax } from './argreduce.js';
import { topk } from './scan-sort.js';
import { reshape } from './views.js';

/** The generator= keyword of multinomial. */
export interface MultinomialOptions {
  generator?: Generator;
}

type Rows = { values: Float32Array | Float64Array; rows: number; n: number; double: boolean };

/** The probabilities as host rows, after PyTorch's argument checks. */
function readRows(input: Tensor, numSamples: number, replacement: boolean): Rows {
  if (input.dims.length < 1 || input.dims.length > 2) throw new RuntimeError('multinomial: prob_dist must be 1 or 2 dim');
  if (input.dtype !== 'float32' && input.dtype !== 'float64') {
    const name = { int32: 'Int', int64: 'Long', bool: 'Bool', uint8: 'Byte' }[input.dtype];
    throw new RuntimeError(`multinomial: multinomial only supports floating-point dtypes for input, got: ${name}`);
  }
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new RuntimeError('multinomial: cannot sample n_sample <= 0 samples');
  const n = input.dims[input.dims.length - 1];
  if (!replacement && numSamples > n) throw new RuntimeError('multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  if (n > 2 ** 24) throw new RuntimeError('multinomial: number of categories cannot exceed 2^24');
  const values = hostArray('multinomial', input, 'await input.cpuAsync() and sample on the host') as Float32Array | Float64Array;
  return { values, rows: n === 0 ? 0 : values.length / n, n, double: input.dtype === 'float64' };
}

/**
 * `numSamples` category indices per row of the probability rows in `input` (1-D or 2-D, non-negative, not
 * necessarily normalised), with or without `replacement` (torch.multinomial). The draws reproduce
 * PyTorch's CPU stream for the same seed.
 * @example torch.multinomial(torch.tensor([0.1, 0.2, 0.3, 0.4]), 6, true, { generator: new torch.Generator().manualSeed(0) }) // tensor([3, 3, 2, 3, 3, 3])
 */
export function multinomial(input: Tensor, numSamples: number, replacement = false, { generator }: MultinomialOptions = {}): Tensor {
  const rows = readRows(input, numSamples, replacement), gen = generator ?? defaultGenerator;
  const shape = input.dims.length === 1 ? [numSamples] : [input.dims[0], numSamples];
  if (rows.values.length === 0) return reshape(tensor([], { dtype: 'int64' }), shape);
  return !replacement ? withoutReplacement(input, rows, numSamples, gen) : withReplacement(rows, numSamples, gen, shape);
}

/** argmax (or the top numSamples) of p / q with q ~ Exp(1): PyTorch's path without replacement, one exponential per element. */
function withoutReplacement(input: Tensor, { values, rows, n }: Rows, numSamples: number, gen: Generator): Tensor {
  let valid = true;
  for (let i = 0; i < values.length; i++) if (!(values[i] >= 0 && values[i] < Infinity)) valid = false;
  if (!valid) throw new RuntimeError('multinomial: probability tensor contains either `inf`, `nan` or element < 0');
  for (let r = 0; r < rows; r++) {
    let any = false;
    for (let j = 0; j < n; j++) if (values[r * n + j] !== 0) any = true;
    if (!any) throw new RuntimeError('multinomial: invalid multinomial distribution (sum of probabilities <= 0)');
  }
  const q = values instanceof Float32Array ? new Float32Array(values.length) : new Float64Array(values.length);
  drawExponentialInto(gen, q, 1);
  // The division rounds in the input's dtype (the typed array does it), as at::div_out does.
  for (let i = 0; i < q.length; i++) q[i] = values[i] / q[i];
  const scores = reshape(tensor(q, { dtype: input.dtype }), input.dims);
  return numSamples === 1 ? argmax(scores, -1, true) : topk(scores, numSamples).indices;
}

/** One 53-bit uniform per sample, found by binary search in the row's normalised running sum. */
function withReplacement({ values, rows, n, double }: Rows, numSamples: number, gen: Generator, shape: number[]): Tensor {
  const round = double ? (v: number) => v : Math.fround;
  const cum = new Float64Array(n), sums = new Float64Array(rows);
  // Every row is checked before the first draw, so a bad row leaves the generator untouched.
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const v = values[r * n + j];
      if (v < 0) throw new RuntimeError('multinomial: invalid multinomial distribution (encountering probability entry < 0)');
      if (!Number.isFinite(v)) throw new RuntimeError('multinomial: invalid multinomial distribution (encountering probability entry = infinity or NaN)');
      s = round(s + v);
    }
    if (!(s > 0)) throw new RuntimeError('multinomial: invalid multinomial distribution (sum of probabilities <= 0)');
    sums[r] = s;
  }
  const out = new Float64Array(rows * numSamples);
  for (let r = 0; r < rows; r++) {
    // The running sum in the input's dtype, divided by the total in it too (scalar_t in PyTorch's kernel).
    let s = 0;
    for (let j = 0; j < n; j++) {
      s = round(s + values[r * n + j]);
      cum[j] = round(s / sums[r]);
    }
    cum[n - 1] = 1;
    for (let k = 0; k < numSamples; k++) {
      const u = uniform53(gen); // uniform_real_distribution<double>(0, 1)
      let left = 0, right = n;
      while (right - left > 0) {
        const mid = left + Math.floor((right - left) / 2);
        if (cum[mid] < u) left = mid + 1;
        else right = mid;
      }
      out[r * numSamples + k] = left;
    }
  }
  return reshape(tensor(out, { dtype: 'int64' }), shape);
}
