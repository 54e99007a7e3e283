// src/nn/functional/sampling.ts — F.interpolate (nearest, nearest-exact, linear, bilinear, trilinear,
// bicubic, area) as separable resampling: along each spatial dim, a weighted sum of index_selects whose
// indices and weights follow PyTorch's source-index formulas (UpSample.h), so autograd comes for free.
import { isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { NotImplementedError, RuntimeError, ValueError } from '../../core/errors.js';
import { add, mul } from '../../ops/elementwise.js';
import { indexSelect } from '../../ops/indexing.js';
import { tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { adaptiveAvgPool1d, adaptiveAvgPool3d } from './pool-nd.js';
import { adaptiveAvgPool2d } from './pool.js';

export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'trilinear' | 'bicubic' | 'area';

export interface InterpolateOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
  antialias?: boolean;
}

const MODES: readonly InterpolateMode[] = ['nearest', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area', 'nearest-exact'];
const NEEDS: Partial<Record<InterpolateMode, number>> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

/** One dim's resampling: output position j reads input `index[t][j]` with weight `weight[t][j]` for each tap t. */
interface Taps {
  index: number[][];
  weight: number[][] | null;
}

/** PyTorch's area_pixel_compute_source_index (align_corners, or half-pixel centres clamped at 0 except for cubic). */
function sourceIndex(scale: number, j: number, alignCorners: boolean, cubic: boolean): number {
  if (alignCorners) return scale * j;
  const src = scale * (j + 0.5) - 0.5;
  return !cubic && src < 0 ? 0 : src;
}

/** The source-to-output scale: PyTorch's area_pixel_compute_scale. */
function areaScale(n: number, out: number, alignCorners: boolean, scale: number | null): number {
  if (alignCorners) return out > 1 ? (n - 1) / (out - 1) : 0;
  return scale !== null && scale > 0 ? 1 / scale : n / out;
}

function nearestTaps(n: number, out: number, scale: number | null, exact: boolean): Taps {
  // PyTorch computes this in float32, and copies or halves indices exactly for scale 1 and 2.
  const s = Math.fround(scale !== null && scale > 0 ? 1 / scale : n / out);
  const index = Array.from({ length: out }, (_, j) => {
    if (!exact && out === n) return j;
    if (!exact && out === 2 * n) return j >> 1;
    return Math.min(Math.floor(Math.fround((exact ? j + 0.5 : j) * s)), n - 1);
  });
  return { index: [index], weight: null };
}

function linearTaps(n: number, out: number, alignCorners: boolean, scale: number | null): Taps {
  const s = areaScale(n, out, alignCorners, scale);
  const i0: number[] = [], i1: number[] = [], w0: number[] = [], w1: number[] = [];
  for (let j = 0; j < out; j++) {
    const src = sourceIndex(s, j, alignCorners, false), lo = Math.floor(src), lambda = src - lo;
    i0.push(lo);
    i1.push(lo < n - 1 ? lo + 1 : lo);
    w0.push(1 - lambda);
    w1.push(lambda);
  }
  return { index: [i0, i1], weight: [w0, w1] };
}

const A = -0.75; // PyTorch's bicubic coefficient
const cubic1 = (x: number): number => ((A + 2) * x - (A + 3)) * x * x + 1;
const cubic2 = (x: number): number => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;

function cubicTaps(n: number, out: number, alignCorners: boolean, scale: number | null): Taps {
  const s = areaScale(n, out, alignCorners, scale);
  const index: number[][] = [[], [], [], []], weight: number[][] = [[], [], [], []];
  for (let j = 0; j < out; j++) {
    const src = sourceIndex(s, j, alignCorners, true), lo = Math.floor(src), t = src - lo;
    const w = [cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)];
    for (let k = 0; k < 4; k++) {
      index[k].push(Math.min(Math.max(lo - 1 + k, 0), n - 1)); // reads past the edge repeat the edge
      weight[k].push(w[k]);
    }
  }
  return { index, weight };
}

/** Resamples dim `d` of x with `taps`: Σ_t index_select(x, d, index_t) · weight_t. */
function resample(x: Tensor, d: number, taps: Taps): Tensor {
  const opts = { device: x.device };
  const shape = x.dims.map((_, i) => (i === d ? -1 : 1));
  const terms = taps.index.map((idx, t) => {
    const picked = indexSelect(x, d, tensor(Float64Array.from(idx), { dtype: 'int64', ...opts }));
    if (taps.weight === null) return picked;
    return mul(picked, tensor(Float64Array.from(taps.weight[t]), { dtype: 'float64' }).to({ dtype: x.dtype, ...opts }).reshape(shape));
  });
  return terms.reduce((acc, term) => add(acc, term));
}

const tupleRepr = (v: readonly number[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`);
const asList = (v: number | readonly number[], k: number): number[] => (typeof v === 'number' ? new Array<number>(k).fill(v) : [...v]);

/** Output sizes and the scales handed to the kernels, as torch.nn.functional.interpolate computes them. */
function outputSizes(x: Tensor, k: number, o: InterpolateOptions): { size: number[]; scales: (number | null)[] } {
  const spatial = x.dims.slice(2);
  const { size = null, scaleFactor = null, recomputeScaleFactor = null } = o;
  if (size !== null && scaleFactor !== null) throw new ValueError('interpolate: only one of size or scale_factor should be defined');
  if (size !== null) {
    if (typeof size !== 'number' && size.length !== k) {
      throw new ValueError(
        `interpolate: Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of [${spatial.join(', ')}] and output size of ${tupleRepr(size)}. ` +
          'Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.',
      );
    }
    if (recomputeScaleFactor === true) throw new ValueError('interpolate: recompute_scale_factor is not meaningful with an explicit size.');
    return { size: asList(size, k), scales: new Array<null>(k).fill(null) };
  }
  if (scaleFactor === null) throw new ValueError('interpolate: either size or scale_factor should be defined');
  if (typeof scaleFactor !== 'number' && scaleFactor.length !== k) {
    throw new ValueError(
      `interpolate: Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of [${spatial.join(', ')}] and scale_factor of shape ${tupleRepr(scaleFactor)}. ` +
        'Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.',
    );
  }
  const scales = asList(scaleFactor, k);
  return { size: spatial.map((n, i) => Math.floor(n * scales[i])), scales: recomputeScaleFactor === true ? scales.map(() => null) : scales };
}

/**
 * Up- or down-samples the spatial dims of [N, C, *spatial] to `size` or by `scaleFactor` (F.interpolate).
 * @example F.interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: false })
 */
export function interpolate(input: Tensor, options: InterpolateOptions = {}): Tensor {
  const { mode = 'nearest', alignCorners = null, antialias = false } = options;
  const op = 'interpolate', n = input.dim(), k = n - 2;
  if (!MODES.includes(mode) || n < 3 || n > 5) {
    throw new NotImplementedError(`${op}: Input Error: Only 3D, 4D and 5D input Tensors supported (got ${n}D) for the modes: ${MODES.join(' | ')} (got ${mode})`);
  }
  const interpolating = mode === 'linear' || mode === 'bilinear' || mode === 'bicubic' || mode === 'trilinear';
  if (!interpolating && alignCorners !== null) {
    throw new ValueError(`${op}: align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear`);
  }
  if (antialias && mode !== 'bilinear' && mode !== 'bicubic') throw new ValueError(`${op}: Anti-alias option is only supported for bilinear and bicubic modes`);
  if (antialias) throw new NotImplementedError(`${op}: antialias is not supported in kindling`);
  const needs = NEEDS[mode];
  if (needs !== undefined && needs !== n) throw new NotImplementedError(`${op}: Got ${n}D input, but ${mode} mode needs ${needs}D input`);
  const { size, scales } = outputSizes(input, k, options);
  const spatial = input.dims.slice(2);
  if (size.some((s) => s <= 0) || spatial.some((s) => s <= 0)) {
    const names = ['D', 'H', 'W'].slice(3 - k);
    const fmt = (v: readonly number[]): string => `(${v.map((s, i) => `${names[i]}: ${s}`).join(', ')})`;
    throw new RuntimeError(`${op}: Input and output sizes should be greater than 0, but got input ${fmt(spatial)} and output ${fmt(size)}`);
  }
  if (mode === 'area') return [adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveAvgPool3d][k - 1](input, size);
  if (!isFloating(input.dtype)) {
    const kernel = mode.startsWith('nearest') ? 'compute_indices_weights_nearest' : mode === 'bicubic' ? 'compute_indices_weights_cubic' : 'compute_indices_weights_linear';
    throw new RuntimeError(`${op}: "${kernel}" not implemented for '${TYPE_NAMES[input.dtype]}'`);
  }
  let y = input;
  spatial.forEach((len, i) => {
    const taps = mode === 'nearest' || mode === 'nearest-exact' ? nearestTaps(len, size[i], scales[i], mode === 'nearest-exact')
      : mode === 'bicubic' ? cubicTaps(len, size[i], alignCorners ?? false, scales[i])
      : linearTaps(len, size[i], alignCorners ?? false, scales[i]);
    y = resample(y, i + 2, taps);
  });
  return y;
}
