// src/nn/modules/normalization.ts — nn.BatchNorm1d/2d, nn.InstanceNorm1d/2d/3d, nn.LayerNorm, nn.GroupNorm, with
// PyTorch's parameters, running-statistics buffers (state-dict names included) and train/eval rules.
import { ValueError } from '../../core/errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { empty, ones, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from '../functional/norm.js';
import * as init from '../init.js';
import { Parameter } from '../parameter.js';
import { reprFloat, reprTuple } from './conv.js';
import { Module } from './module.js';

export interface BatchNormOptions {
  eps?: number;
  /** null: a cumulative average over all batches seen. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}

const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** What BatchNorm1d and BatchNorm2d share (PyTorch's _BatchNorm). */
abstract class BatchNormNd extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  // Buffers are fields named as PyTorch names them, because field names are the state-dict keys.
  running_mean: Tensor | null = null;
  running_var: Tensor | null = null;
  num_batches_tracked: Tensor | null = null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(readonly numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true }: BatchNormOptions = {}) {
    super();
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(empty(numFeatures)) : null;
    this.bias = affine ? new Parameter(empty(numFeatures)) : null;
    this.registerBuffer('running_mean', trackRunningStats ? zeros(numFeatures) : null);
    this.registerBuffer('running_var', trackRunningStats ? ones(numFeatures) : null);
    this.registerBuffer('num_batches_tracked', trackRunningStats ? zeros([], { dtype: 'int64' }) : null);
    this.resetParameters();
  }

  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  get runningVar(): Tensor | null {
    return this.running_var;
  }
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }

  /** Zeroes the running mean and batch count and sets the running variance to one. */
  resetRunningStats(): void {
    noGrad(() => {
      this.running_mean?.zero_();
      this.running_var?.fill_(1);
      this.num_batches_tracked?.zero_();
    });
  }

  /** As torch.nn._BatchNorm.reset_parameters: running statistics reset, weight ones, bias zeros. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }

  protected abstract checkInputDim(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkInputDim(x);
    let factor = this.momentum ?? 0;
    const tracked = this.num_batches_tracked;
    if (this.training && this.trackRunningStats && tracked !== null) {
      noGrad(() => tracked.add_(1));
      factor = this.momentum ?? 1 / tracked.item();
    }
    // Batch statistics in training, and in eval when there are no running statistics to use.
    const useBatchStats = this.training || (this.running_mean === null && this.running_var === null);
    const keepRunning = !this.training || this.trackRunningStats;
    return batchNorm(
      x, keepRunning ? this.running_mean : null, keepRunning ? this.running_var : null,
      this.weight, this.bias, useBatchStats, factor, this.eps,
    );
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${reprFloat(this.eps)}, momentum=${reprFloat(this.momentum)}, ` +
      `affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/** Batch normalisation of [N, C] or [N, C, L] per channel (torch.nn.BatchNorm1d). */
export class BatchNorm1d extends BatchNormNd {
  protected checkInputDim(x: Tensor): void {
    if (x.dim() !== 2 && x.dim() !== 3) throw new ValueError(`${this.constructor.name}: expected 2D or 3D input (got ${x.dim()}D input)`);
  }
}

/** Batch normalisation of [N, C, H, W] per channel (torch.nn.BatchNorm2d). */
export class BatchNorm2d extends BatchNormNd {
  protected checkInputDim(x: Tensor): void {
    if (x.dim() !== 4) throw new ValueError(`${this.constructor.name}: expected 4D input (got ${x.dim()}D input)`);
  }
}

/** Normalisation over the trailing dims given by normalizedShape (torch.nn.LayerNorm). */
export class LayerNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  constructor(normalizedShape: number | readonly number[], { eps = 1e-5, elementwiseAffine = true }: { eps?: number; elementwiseAffine?: boolean } = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? new Parameter(empty(this.normalizedShape)) : null;
    this.bias = elementwiseAffine ? new Parameter(empty(this.normalizedShape)) : null;
    this.resetParameters();
  }

  /** Weight ones, bias zeros, as torch.nn.LayerNorm.reset_parameters. */
  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `${reprTuple(this.normalizedShape)}, eps=${reprFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

/** Normalisation over groups of channels (torch.nn.GroupNorm). */
export class GroupNorm extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly eps: number;
  readonly affine: boolean;
  constructor(readonly numGroups: number, readonly numChannels: number, { eps = 1e-5, affine = true }: { eps?: number; affine?: boolean } = {}) {
    super();
    if (numChannels % numGroups !== 0) throw new ValueError('GroupNorm: num_channels must be divisible by num_groups');
    this.eps = eps;
    this.affine = affine;
    this.weight = affine ? new Parameter(empty(numChannels)) : null;
    this.bias = affine ? new Parameter(empty(numChannels)) : null;
    this.resetParameters();
  }

  /** Weight ones, bias zeros, as torch.nn.GroupNorm.reset_parameters. */
  resetParameters(): void {
    if (this.weight) init.ones_(this.weight);
    if (this.bias) init.zeros_(this.bias);
  }
  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${reprFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

/** What InstanceNorm1d, 2d and 3d share (PyTorch's _InstanceNorm): no affine and no running statistics by default. */
abstract class InstanceNormNd extends Module {
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  running_mean: Tensor | null = null;
  running_var: Tensor | null = null;
  num_batches_tracked: Tensor | null = null;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(readonly numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = false, trackRunningStats = false }: BatchNormOptions & { momentum?: number } = {}) {
    super();
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(ones(numFeatures)) : null;
    this.bias = affine ? new Parameter(zeros(numFeatures)) : null;
    this.registerBuffer('running_mean', trackRunningStats ? zeros(numFeatures) : null);
    this.registerBuffer('running_var', trackRunningStats ? ones(numFeatures) : null);
    this.registerBuffer('num_batches_tracked', trackRunningStats ? zeros([], { dtype: 'int64' }) : null);
  }

  /** The rank of an unbatched input: 2 for InstanceNorm1d, 3 for 2d, 4 for 3d. */
  protected abstract readonly noBatchDim: number;

  forward(x: Tensor): Tensor {
    const d = this.noBatchDim;
    if (x.dim() !== d && x.dim() !== d + 1) throw new ValueError(`${this.constructor.name}: expected ${d}D or ${d + 1}D input (got ${x.dim()}D input)`);
    const batched = x.dim() === d + 1;
    const useInputStats = this.training || !this.trackRunningStats;
    const y = instanceNorm(batched ? x : x.unsqueeze(0), this.running_mean, this.running_var, this.weight, this.bias, useInputStats, this.momentum, this.eps);
    return batched ? y : y.squeeze(0);
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${reprFloat(this.eps)}, momentum=${reprFloat(this.momentum)}, ` +
      `affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/** Instance normalisation of [N, C, L] or [C, L] (torch.nn.InstanceNorm1d). */
export class InstanceNorm1d extends InstanceNormNd {
  protected readonly noBatchDim = 2;
}

/** Instance normalisation of [N, C, H, W] or [C, H, W] (torch.nn.InstanceNorm2d). */
export class InstanceNorm2d extends InstanceNormNd {
  protected readonly noBatchDim = 3;
}

/** Instance normalisation of [N, C, D, H, W] or [C, D, H, W] (torch.nn.InstanceNorm3d). */
export class InstanceNorm3d extends InstanceNormNd {
  protected readonly noBatchDim = 4;
}
