// src/nn/modules/sampling.ts — nn.Upsample, nn.UpsamplingNearest2d, nn.UpsamplingBilinear2d,
// nn.PixelShuffle, nn.PixelUnshuffle, nn.Fold, nn.Unfold, nn.CosineSimilarity, nn.PairwiseDistance:
// hyper-parameters printed as PyTorch prints them, the math in nn.functional.
import type { Tensor } from '../../tensor/tensor.js';
import type { IntOrTuple } from '../functional/conv.js';
import { cosineSimilarity, pairwiseDistance } from '../functional/distance.js';
import { fold, type FoldOptions, unfold } from '../functional/fold.js';
import { interpolate, type InterpolateMode } from '../functional/sampling.js';
import { pixelShuffle, pixelUnshuffle } from '../functional/shape.js';
import { pyFloat } from './activation.js';
import { reprTuple } from './conv.js';
import { Module } from './module.js';

export interface UpsampleOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
}

/** Resamples [N, C, *spatial] to a size or by a scale factor (torch.nn.Upsample). */
export class Upsample extends Module {
  readonly size: number | readonly number[] | null;
  readonly scaleFactor: number | readonly number[] | null;
  readonly mode: InterpolateMode;
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean | null;
  constructor({ size = null, scaleFactor = null, mode = 'nearest', alignCorners = null, recomputeScaleFactor = null }: UpsampleOptions = {}) {
    super();
    this.size = size;
    this.scaleFactor = scaleFactor;
    this.mode = mode;
    this.alignCorners = alignCorners;
    this.recomputeScaleFactor = recomputeScaleFactor;
  }
  forward(x: Tensor): Tensor {
    const { size, scaleFactor, mode, alignCorners, recomputeScaleFactor } = this;
    return interpolate(x, { size, scaleFactor, mode, alignCorners, recomputeScaleFactor });
  }
  override extraRepr(): string {
    // PyTorch stores scale factors as floats: 2 prints as 2.0, (2,) as (2.0,).
    const s = this.scaleFactor;
    if (s === null) return `size=${reprTuple(this.size)}, mode=${this.mode}`;
    const scale = typeof s === 'number' ? pyFloat(s) : s.length === 1 ? `(${pyFloat(s[0])},)` : `(${s.map(pyFloat).join(', ')})`;
    return `scale_factor=${scale}, mode=${this.mode}`;
  }
}

/** Nearest-neighbour upsampling of [N, C, H, W] (torch.nn.UpsamplingNearest2d). */
export class UpsamplingNearest2d extends Upsample {
  constructor({ size = null, scaleFactor = null }: Pick<UpsampleOptions, 'size' | 'scaleFactor'> = {}) {
    super({ size, scaleFactor, mode: 'nearest' });
  }
}

/** Bilinear upsampling of [N, C, H, W] with aligned corners (torch.nn.UpsamplingBilinear2d). */
export class UpsamplingBilinear2d extends Upsample {
  constructor({ size = null, scaleFactor = null }: Pick<UpsampleOptions, 'size' | 'scaleFactor'> = {}) {
    super({ size, scaleFactor, mode: 'bilinear', alignCorners: true });
  }
}

/** [*, C·r², H, W] → [*, C, H·r, W·r] (torch.nn.PixelShuffle). */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/** [*, C, H·r, W·r] → [*, C·r², H, W] (torch.nn.PixelUnshuffle). */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}

/** Extracts sliding blocks into columns (torch.nn.Unfold). */
export class Unfold extends Module {
  readonly dilation: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly stride: IntOrTuple;
  constructor(readonly kernelSize: IntOrTuple, { dilation = 1, padding = 0, stride = 1 }: FoldOptions = {}) {
    super();
    this.dilation = dilation;
    this.padding = padding;
    this.stride = stride;
  }
  forward(x: Tensor): Tensor {
    const { dilation, padding, stride } = this;
    return unfold(x, this.kernelSize, { dilation, padding, stride });
  }
  override extraRepr(): string {
    return `kernel_size=${reprTuple(this.kernelSize)}, dilation=${reprTuple(this.dilation)}, padding=${reprTuple(this.padding)}, stride=${reprTuple(this.stride)}`;
  }
}

/** Sums columns of sliding blocks back into an image (torch.nn.Fold). */
export class Fold extends Module {
  readonly dilation: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly stride: IntOrTuple;
  constructor(readonly outputSize: IntOrTuple, readonly kernelSize: IntOrTuple, { dilation = 1, padding = 0, stride = 1 }: FoldOptions = {}) {
    super();
    this.dilation = dilation;
    this.padding = padding;
    this.stride = stride;
  }
  forward(x: Tensor): Tensor {
    const { dilation, padding, stride } = this;
    return fold(x, this.outputSize, this.kernelSize, { dilation, padding, stride });
  }
  override extraRepr(): string {
    return `output_size=${reprTuple(this.outputSize)}, kernel_size=${reprTuple(this.kernelSize)}, dilation=${reprTuple(this.dilation)}, ` +
      `padding=${reprTuple(this.padding)}, stride=${reprTuple(this.stride)}`;
  }
}

/** Cosine similarity of two inputs along `dim` (torch.nn.CosineSimilarity). */
export class CosineSimilarity extends Module {
  constructor(readonly dim = 1, readonly eps = 1e-8) {
    super();
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, { dim: this.dim, eps: this.eps });
  }
}

/** p-norm distance between rows of two inputs (torch.nn.PairwiseDistance). */
export class PairwiseDistance extends Module {
  constructor(readonly norm = 2, readonly eps = 1e-6, readonly keepdim = false) {
    super();
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, { p: this.norm, eps: this.eps, keepdim: this.keepdim });
  }
}
