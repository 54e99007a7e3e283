// src/nn/functional/grid.ts — F.affineGrid and F.gridSample (2-D: bilinear or nearest, zeros / border /
// reflection padding), composed from ops as PyTorch's grid_sampler_2d computes them, so that gradients reach
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

/** input[n, c, y, x] at integer pixel positions [N, P] (zero where out of bounds), as [N, C, P]. */
function pick(flat: Tensor, ix: Tensor, iy: Tensor, h: number, w: number): Tensor {
  const inside = logicalAnd(logicalAnd(ge(ix, 0), le(ix, w - 1)), logicalAnd(ge(iy, 0), le(iy, h - 1)));
  const index = where(inside, add(mul(clamp(iy, 0, h - 1), w), clamp(ix, 0, w - 1)), 0).to('int64');
  const values = gather(flat, 2, unsqueeze(index, 1).expand(flat.dims[0], flat.dims[1], index.dims[1]));
  return mul(values, unsqueeze(inside.to(flat.dtype), 1));
}

/**
 * Samples input [N, C, H, W] at the normalised (x, y) positions of grid [N, Ho, Wo, 2] in [−1, 1],
 * giving [N, C, Ho, Wo] (F.grid_sample).
 */
export function gridSample(input: Tensor, grid: Tensor, { mode = 'bilinear', paddingMode = 'zeros', alignCorners = false }: GridSampleOptions = {}): Tensor {
  const modeName: string = mode, paddingName: string = paddingMode;
  if (modeName !== 'bilinear' && modeName !== 'nearest' && modeName !== 'bicubic') {
    throw new ValueError(`grid_sample: nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${modeName}'`);
  }
  if (paddingName !== 'zeros' && paddingName !== 'border' && paddingName !== 'reflection') {
    throw new ValueError(`grid_sample: nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${paddingName}'`);
  }
  const op = 'grid_sampler', sizes = `input with sizes ${fmtShape(input.dims)} and grid with sizes ${fmtShape(grid.dims)}`;
  if (input.dims[0] !== grid.dims[0] || (input.dim() !== grid.dim() && input.dim() >= 4)) {
    throw new RuntimeError(`${op}: grid_sampler(): expected grid and input to have same batch size, but got ${sizes}`);
  }
  if (input.dim() !== grid.dim() || (input.dim() !== 4 && input.dim() !== 5)) {
    throw new RuntimeError(`${op}: grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got ${sizes}`);
  }
  if (grid.dims[grid.dim() - 1] !== input.dim() - 2) {
    throw new RuntimeError(`${op}: grid_sampler(): expected grid to have size ${input.dim() - 2} in last dimension, but got grid with sizes ${fmtShape(grid.dims)}`);
  }
  if (!isFloating(input.dtype)) throw new RuntimeError(`${op}: grid_sampler_2d_cpu not implemented for ${TYPE_NAMES[input.dtype]}`);
  if (input.dim() === 5 || mode === 'bicubic') throw new NotImplementedError(`${op}: kindling's grid_sample supports 4-D inputs with bilinear or nearest modes`);
  const [n, c, h, w] = input.dims as [number, number, number, number], [ho, wo] = grid.dims.slice(1, 3) as [number, number];
  const points = reshape(grid.to(input.dtype), [n, ho * wo, 2]);
  const ix = sourceIndex(points.select(2, 0), w, paddingMode, alignCorners), iy = sourceIndex(points.select(2, 1), h, paddingMode, alignCorners);
  const flat = reshape(input, [n, c, h * w]);
  let out: Tensor;
  if (mode === 'nearest') out = pick(flat, round(ix), round(iy), h, w);
  else {
    // The four neighbours, each weighted by the area of the opposite rectangle; the floors carry no gradient.
    const x0 = floor(ix), y0 = floor(iy), x1 = add(x0, 1), y1 = add(y0, 1);
    const [ex, wx] = [sub(x1, ix), sub(ix, x0)], [ey, wy] = [sub(y1, iy), sub(iy, y0)];
    out = add(
      add(mul(pick(flat, x0, y0, h, w), unsqueeze(mul(ex, ey), 1)), mul(pick(flat, x1, y0, h, w), unsqueeze(mul(wx, ey), 1))),
      add(mul(pick(flat, x0, y1, h, w), unsqueeze(mul(ex, wy), 1)), mul(pick(flat, x1, y1, h, w), unsqueeze(mul(wx, wy), 1))),
    );
  }
  return reshape(out, [n, c, ho, wo]);
}
