// src/nn/functional/grid.ts — F.affineGrid and F.gridSample (2-D and 3-D; bilinear or nearest; zeros / border /
// reflection padding), composed from ops as PyTorch's grid samplers compute them, so that gradients reach
// both the input (through gather) and the grid (through the interpolation weights).
import { isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { NotImplementedError, RuntimeError, ValueError } from '../../core/errors.js';
import { fmtShape } from '../../core/shape.js';
import { abs, add, clamp, floor, ge, logicalAnd, le, mul, remainder, round, sub, where } from '../../ops/elementwise.js';
import { gather, stack } from '../../ops/indexing.js';
import { bmm } from '../../ops/linalg.js';
import { reshape, unsqueeze } from '../../ops/views.js';
import { linspace, ones } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** PyTorch's linspace_from_neg_one: pixel centres in [−1, 1] (shrunk by (n − 1)/n without aligned corners). */
function steps(n: number, alignCorners: boolean, like: Tensor): Tensor {
  if (n <= 1) return linspace(0, 0, n, { dtype: like.dtype, device: like.device });
  const range = linspace(-1, 1, n, { dtype: like.dtype, device: like.device });
  return alignCorners ? range : range.mul(n - 1).div(n);
}

/**
 * The sampling grid of a batch of affine transforms: theta [N, 2, 3] for size [N, C, H, W] gives [N, H, W, 2]
 * (theta [N, 3, 4] for [N, C, D, H, W] gives [N, D, H, W, 3]) (F.affine_grid).
 */
export function affineGrid(theta: Tensor, size: readonly number[], { alignCorners = false }: { alignCorners?: boolean } = {}): Tensor {
  const op = 'affine_grid', tuple = `(${size.join(', ')})`;
  if (!isFloating(theta.dtype)) throw new ValueError(`${op}: Expected theta to have floating point type, but got torch.${theta.dtype}`);
  if (size.length !== 4 && size.length !== 5) {
    throw new NotImplementedError(`${op}: affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${tuple}.`);
  }
  const k = size.length - 2;
  if (theta.dim() !== 3 || theta.dims[1] !== k || theta.dims[2] !== k + 1) {
    throw new ValueError(`${op}: Expected a batch of ${k}D affine matrices of shape Nx${k}x${k + 1} for size ${tuple}. Got torch.Size([${theta.dims.join(', ')}]).`);
  }
  const n = size[0], spatial = size.slice(2);
  if (theta.dims[0] !== n) throw new RuntimeError(`${op}: Expected size for first two dimensions of batch2 tensor to be: [${n}, ${k + 1}] but got: [${theta.dims[0]}, ${k + 1}].`);
  // Coordinates are listed x first (the last dim), then y (and z), then a column of ones.
  const axes = spatial.map((len, i) => {
    const shape = spatial.map((_, j) => (j === i ? len : 1));
    return steps(len, alignCorners, theta).reshape(shape).expand(spatial);
  }).reverse();
  const base = stack([...axes, ones(spatial, { dtype: theta.dtype, device: theta.device })], -1);
  const points = spatial.reduce((a, b) => a * b, 1);
  const grid = bmm(reshape(base, [1, points, k + 1]).expand(n, points, k + 1), theta.transpose(1, 2));
  return reshape(grid, [n, ...spatial, k]);
}

export type GridSampleMode = 'bilinear' | 'nearest' | 'bicubic';
export type GridPaddingMode = 'zeros' | 'border' | 'reflection';

export interface GridSampleOptions {
  mode?: GridSampleMode;
  paddingMode?: GridPaddingMode;
  alignCorners?: boolean;
}

/** PyTorch's reflect_coordinates: folds `x` into [low, high] (given doubled) by reflection. */
function reflect(x: Tensor, twiceLow: number, twiceHigh: number): Tensor {
  if (twiceLow === twiceHigh) return mul(x, 0);
  const min = twiceLow / 2, span = (twiceHigh - twiceLow) / 2;
  const dist = abs(sub(x, min));
  const extra = remainder(dist, span), flips = floor(dist.div(span));
  return where(remainder(flips, 2).eq(0), add(extra, min), add(sub(span, extra), min));
}

/** PyTorch's grid_sampler_compute_source_index: a normalised coordinate to a pixel coordinate, padded. */
function sourceIndex(coord: Tensor, size: number, padding: GridPaddingMode, alignCorners: boolean): Tensor {
  let x = alignCorners ? mul(add(coord, 1), (size - 1) / 2) : mul(add(coord, 1), size).sub(1).div(2);
  if (padding === 'border') x = clamp(x, 0, size - 1);
  else if (padding === 'reflection') {
    x = alignCorners ? reflect(x, 0, 2 * (size - 1)) : reflect(x, -1, 2 * size - 1);
    x = clamp(x, 0, size - 1);
  }
  return x;
}

/** input[n, c, (z,) y, x] at integer positions [N, P] per coordinate (x first), zero where out of bounds, as [N, C, P]. */
function pick(flat: Tensor, coords: readonly Tensor[], sizes: readonly number[]): Tensor {
  const [x, ...rest] = coords;
  let inside = logicalAnd(ge(x, 0), le(x, sizes[0] - 1)), index = clamp(x, 0, sizes[0] - 1), stride = sizes[0];
  rest.forEach((c, j) => {
    const size = sizes[j + 1];
    inside = logicalAnd(inside, logicalAnd(ge(c, 0), le(c, size - 1)));
    index = add(index, mul(clamp(c, 0, size - 1), stride));
    stride *= size;
  });
  const at = where(inside, index, 0).to('int64');
  const values = gather(flat, 2, unsqueeze(at, 1).expand(flat.dims[0], flat.dims[1], at.dims[1]));
  return mul(values, unsqueeze(inside.to(flat.dtype), 1));
}

/**
 * Samples input [N, C, H, W] at the normalised (x, y) positions of grid [N, Ho, Wo, 2] in [−1, 1], giving
 * [N, C, Ho, Wo]; or [N, C, D, H, W] at (x, y, z) of grid [N, Do, Ho, Wo, 3] (trilinear as 'bilinear') (F.grid_sample).
 */
export function gridSample(input: Tensor, grid: Tensor, { mode = 'bilinear', paddingMode = 'zeros', alignCorners = false }: GridSampleOptions = {}): Tensor {
  const modeName: string = mode, paddingName: string = paddingMode;
  if (modeName !== 'bilinear' && modeName !== 'nearest' && modeName !== 'bicubic') {
    throw new ValueError(`grid_sample: nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${modeName}'`);
  }
  if (paddingName !== 'zeros' && paddingName !== 'border' && paddingName !== 'reflection') {
    throw new ValueError(`grid_sample: nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${paddingName}'`);
  }
  const op = 'grid_sampler', shapes = `input with sizes ${fmtShape(input.dims)} and grid with sizes ${fmtShape(grid.dims)}`;
  if (input.dims[0] !== grid.dims[0] || (input.dim() !== grid.dim() && input.dim() >= 4)) {
    throw new RuntimeError(`${op}: grid_sampler(): expected grid and input to have same batch size, but got ${shapes}`);
  }
  if (input.dim() !== grid.dim() || (input.dim() !== 4 && input.dim() !== 5)) {
    throw new RuntimeError(`${op}: grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got ${shapes}`);
  }
  if (grid.dims[grid.dim() - 1] !== input.dim() - 2) {
    throw new RuntimeError(`${op}: grid_sampler(): expected grid to have size ${input.dim() - 2} in last dimension, but got grid with sizes ${fmtShape(grid.dims)}`);
  }
  if (!isFloating(input.dtype)) throw new RuntimeError(`${op}: grid_sampler_2d_cpu not implemented for ${TYPE_NAMES[input.dtype]}`);
  if (mode === 'bicubic') throw new NotImplementedError(`${op}: kindling's grid_sample supports the bilinear and nearest modes`);
  const [n, c] = input.dims as [number, number], k = input.dim() - 2;
  const sizes = input.dims.slice(2).reverse(), outSpatial = grid.dims.slice(1, -1); // sizes x first: W, H (, D)
  const count = outSpatial.reduce((a, b) => a * b, 1);
  const points = reshape(grid.to(input.dtype), [n, count, k]);
  const coords = sizes.map((size, i) => sourceIndex(points.select(2, i), size, paddingMode, alignCorners));
  const flat = reshape(input, [n, c, -1]);
  let out: Tensor;
  if (mode === 'nearest') out = pick(flat, coords.map((x) => round(x)), sizes);
  else {
    // The 2^k neighbours, each weighted by the volume of the opposite box; the floors carry no gradient.
    const lo = coords.map((x) => floor(x));
    const terms = Array.from({ length: 1 << k }, (_, corner) => {
      const at = lo.map((l, i) => ((corner >> i) & 1 ? add(l, 1) : l));
      const weight = coords.map((x, i) => ((corner >> i) & 1 ? sub(x, lo[i]) : sub(add(lo[i], 1), x))).reduce((a, b) => mul(a, b));
      return mul(pick(flat, at, sizes), unsqueeze(weight, 1));
    });
    out = terms.reduce((a, b) => add(a, b));
  }
  return reshape(out, [n, c, ...outSpatial]);
}
