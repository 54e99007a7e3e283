// src/nn/modules/sparse.ts — nn.Embedding and nn.EmbeddingBag: lookup tables of numEmbeddings rows, initialised
// N(0, 1) with the padding row zeroed, as torch.nn.Embedding and torch.nn.EmbeddingBag.
import { AssertionError } from '../../core/errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { empty } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { embedding } from '../functional/embedding.js';
import { embeddingBag, type EmbeddingBagMode } from '../functional/embedding-bag.js';
import * as init from '../init.js';
import { Parameter } from '../parameter.js';
import { Module } from './module.js';

/** Rows of `weight` looked up by int64 indices (torch.nn.Embedding); the paddingIdx row gets no gradient. */
export class Embedding extends Module {
  readonly weight: Parameter;
  readonly paddingIdx: number | null;
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, { paddingIdx = null }: { paddingIdx?: number | null } = {}) {
    super();
    if (paddingIdx !== null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
      throw new AssertionError('Embedding: Padding_idx must be within num_embeddings');
    }
    this.paddingIdx = paddingIdx !== null && paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.weight = new Parameter(empty(numEmbeddings, embeddingDim));
    this.resetParameters();
  }

  /** Same draws as torch.nn.Embedding.reset_parameters: normal_, then the padding row set to zero. */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.get(this.paddingIdx).fill_(0));
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}

export interface EmbeddingBagModuleOptions {
  mode?: EmbeddingBagMode;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
}

/** Sums, means or maxima of embedding rows over bags of indices (torch.nn.EmbeddingBag). */
export class EmbeddingBag extends Module {
  readonly weight: Parameter;
  readonly mode: EmbeddingBagMode;
  readonly includeLastOffset: boolean;
  readonly paddingIdx: number | null;
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, { mode = 'mean', includeLastOffset = false, paddingIdx = null }: EmbeddingBagModuleOptions = {}) {
    super();
    if (paddingIdx !== null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
      throw new AssertionError('EmbeddingBag: padding_idx must be within num_embeddings');
    }
    this.mode = mode;
    this.includeLastOffset = includeLastOffset;
    this.paddingIdx = paddingIdx !== null && paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.weight = new Parameter(empty(numEmbeddings, embeddingDim));
    this.resetParameters();
  }

  /** Same draws as torch.nn.EmbeddingBag.reset_parameters: normal_, then the padding row set to zero. */
  resetParameters(): void {
    init.normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.get(this.paddingIdx).fill_(0));
  }

  forward(input: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return embeddingBag(input, this.weight, offsets, { mode: this.mode, perSampleWeights, includeLastOffset: this.includeLastOffset, paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}, mode=${this.mode}${this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}
