// src/nn/modules/attention.ts — nn.MultiheadAttention, with PyTorch 1.13's parameters (names,
// shapes, initial draws) and printed form; the math is F.multiHeadAttentionForward.
import { AssertionError } from '../../core/errors.js';
import { isFloating } from '../../core/dtype.js';
import { empty } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { multiHeadAttention } from '../functional/attention.js';
import * as init from '../init.js';
import { Parameter } from '../parameter.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/** A Linear under the name PyTorch gives the output projection of attention (it prints so). */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface MultiheadAttentionOptions {
  dropout?: number;
  bias?: boolean;
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  /** Inputs and outputs are [N, L, E] rather than [L, N, E]. */
  batchFirst?: boolean;
}

export interface MultiheadAttentionForwardOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}

type MhaIn = [query: Tensor, key: Tensor, value: Tensor, options?: MultiheadAttentionForwardOptions];

/**
 * Attention from a query to key-value pairs with numHeads heads (torch.nn.MultiheadAttention).
 * Returns the output and the attention weights (averaged over heads), or null without needWeights.
 * @example const [out, weights] = new nn.MultiheadAttention(8, 2)(x, x, x)
 */
export class MultiheadAttention extends Module<MhaIn, [Tensor, Tensor | null]> {
  // Fields are named as PyTorch names its parameters (they are the state-dict keys).
  readonly in_proj_weight: Parameter | null;
  readonly q_proj_weight: Parameter | null;
  readonly k_proj_weight: Parameter | null;
  readonly v_proj_weight: Parameter | null;
  readonly in_proj_bias: Parameter | null;
  readonly out_proj: NonDynamicallyQuantizableLinear;
  readonly bias_k: Parameter | null;
  readonly bias_v: Parameter | null;
  readonly kdim: number;
  readonly vdim: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly addZeroAttn: boolean;
  readonly batchFirst: boolean;

  constructor(readonly embedDim: number, readonly numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const { dropout = 0, bias = true, addBiasKv = false, addZeroAttn = false, batchFirst = false } = options;
    this.kdim = options.kdim ?? embedDim;
    this.vdim = options.vdim ?? embedDim;
    const sameDim = this.kdim === embedDim && this.vdim === embedDim;
    this.dropout = dropout;
    this.addZeroAttn = addZeroAttn;
    this.batchFirst = batchFirst;
    this.headDim = Math.trunc(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) throw new AssertionError('embed_dim must be divisible by num_heads');
    this.in_proj_weight = sameDim ? new Parameter(empty(3 * embedDim, embedDim)) : null;
    this.q_proj_weight = sameDim ? null : new Parameter(empty(embedDim, embedDim));
    this.k_proj_weight = sameDim ? null : new Parameter(empty(embedDim, this.kdim));
    this.v_proj_weight = sameDim ? null : new Parameter(empty(embedDim, this.vdim));
    this.in_proj_bias = bias ? new Parameter(empty(3 * embedDim)) : null;
    this.bias_k = addBiasKv ? new Parameter(empty(1, 1, embedDim)) : null;
    this.bias_v = addBiasKv ? new Parameter(empty(1, 1, embedDim)) : null;
    // The projection draws its Linear initialisation first, as PyTorch's constructor does.
    this.out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias });
    this.resetParameters();
  }

  /** As PyTorch's _reset_parameters: xavier-uniform projections, zero biases, xavier-normal bias_k/v. */
  resetParameters(): void {
    if (this.in_proj_weight) init.xavierUniform_(this.in_proj_weight);
    for (const w of [this.q_proj_weight, this.k_proj_weight, this.v_proj_weight]) if (w) init.xavierUniform_(w);
    if (this.in_proj_bias) {
      init.constant_(this.in_proj_bias, 0);
      if (this.out_proj.bias) init.constant_(this.out_proj.bias, 0);
    }
    if (this.bias_k) init.xavierNormal_(this.bias_k);
    if (this.bias_v) init.xavierNormal_(this.bias_v);
  }

  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true } = options;
    if (keyPaddingMask !== null && keyPaddingMask.dtype !== 'bool' && !isFloating(keyPaddingMask.dtype)) {
      throw new AssertionError('only bool and floating types of key_padding_mask are supported');
    }
    const separate = this.in_proj_weight === null;
    // Batch-first inputs stay as they are (Note [Attention layouts]); PyTorch transposes them.
    return multiHeadAttention(
      query, key, value, this.embedDim, this.numHeads, this.in_proj_weight, this.in_proj_bias, this.bias_k, this.bias_v,
      this.addZeroAttn, this.dropout, this.out_proj.weight, this.out_proj.bias,
      {
        training: this.training, keyPaddingMask, needWeights, attnMask, averageAttnWeights, useSeparateProjWeight: separate,
        qProjWeight: this.q_proj_weight, kProjWeight: this.k_proj_weight, vProjWeight: this.v_proj_weight,
      },
      this.batchFirst,
    );
  }
}
