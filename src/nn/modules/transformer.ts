// src/nn/modules/transformer.ts — nn.TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer,
// TransformerDecoder and Transformer as PyTorch 1.13 builds them: same submodules, names, draws and
// printed form; post-norm or pre-norm (normFirst) residual blocks around MultiheadAttention.
import { AssertionError, RuntimeError } from '../../core/errors.js';
import { isFloating } from '../../core/dtype.js';
import { defaultGenerator } from '../../core/random.js';
import { add, gt, where } from '../../ops/elementwise.js';
import { unsqueeze } from '../../ops/views.js';
import { arange } from '../../tensor/creation.js';
import type { DeviceLike } from '../../tensor/device.js';
import type { Tensor } from '../../tensor/tensor.js';
import { gelu, relu } from '../functional/activation.js';
import * as init from '../init.js';
import { MultiheadAttention } from './attention.js';
import { ModuleList } from './container.js';
import { Dropout } from './dropout.js';
import { Linear } from './linear.js';
import { type AnyModule, Module } from './module.js';
import { LayerNorm } from './normalization.js';

/** 'relu', 'gelu', or any tensor function (a module such as new nn.GELU() becomes a child, as in PyTorch). */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

export interface TransformerLayerOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: TransformerActivation;
  layerNormEps?: number;
  /** Inputs and outputs are [N, L, E] rather than [L, N, E]. */
  batchFirst?: boolean;
  /** LayerNorm before each block (pre-norm) rather than after the residual sum. */
  normFirst?: boolean;
}

function activationFn(activation: TransformerActivation): (x: Tensor) => Tensor {
  if (typeof activation === 'function') return activation;
  // Looked up by name, so that a misspelt string from untyped callers gets PyTorch's error.
  const named: Partial<Record<string, (x: Tensor) => Tensor>> = { relu, gelu };
  const fn = named[activation];
  if (fn !== undefined) return fn;
  throw new RuntimeError(`activation should be relu/gelu, not ${activation}`);
}

function checkPaddingMask(mask: Tensor | null): void {
  if (mask !== null && mask.dtype !== 'bool' && !isFloating(mask.dtype)) {
    throw new AssertionError('only bool and floating types of key_padding_mask are supported');
  }
}

/**
 * `count` copies of `layer` in a ModuleList, equal in values to it (PyTorch's _get_clones deep-copies):
 * each copy is built with the random state put back afterwards, so cloning draws nothing.
 */
function clones<M extends AnyModule>(layer: M, count: number, make: () => M): ModuleList<M> {
  const copies: M[] = [];
  for (let i = 0; i < count; i++) {
    const state = defaultGenerator.getState();
    const copy = make();
    defaultGenerator.setState(state);
    copy.loadStateDict(layer.stateDict());
    copy.train(layer.training);
    copies.push(copy);
  }
  return new ModuleList<M>(copies);
}

// Note [Field order of Transformer layers]
// Module walks fields in declaration order (class fields are defined before the constructor body
// runs), and that order is PyTorch's registration order: it fixes state-dict keys, parameters()
// and the printed form. The base class therefore declares its parts abstract (no own fields) and
// each layer declares them in PyTorch's order, `activation` last.

/** What encoder and decoder layers share: the attention and feed-forward blocks and the residual rule. */
abstract class TransformerLayerBase<In extends unknown[]> extends Module<In> {
  abstract readonly self_attn: MultiheadAttention;
  abstract readonly linear1: Linear;
  abstract readonly dropout: Dropout;
  abstract readonly linear2: Linear;
  abstract readonly normFirst: boolean;
  abstract readonly activation: (x: Tensor) => Tensor;

  get batchFirst(): boolean {
    return this.self_attn.batchFirst;
  }

  protected selfAttention(x: Tensor, mask: Tensor | null, padding: Tensor | null, drop: Dropout): Tensor {
    return drop(this.self_attn(x, x, x, { attnMask: mask, keyPaddingMask: padding, needWeights: false })[0]);
  }

  protected feedForward(x: Tensor, drop: Dropout): Tensor {
    return drop(this.linear2(this.dropout(this.activation(this.linear1(x)))));
  }

  /** x + block(norm(x)) in pre-norm, norm(x + block(x)) in post-norm. */
  protected residual(x: Tensor, norm: LayerNorm, block: (y: Tensor) => Tensor): Tensor {
    return this.normFirst ? add(x, block(norm(x))) : norm(add(x, block(x)));
  }
}

export interface EncoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * Self-attention then a feed-forward network, each in a residual block (torch.nn.TransformerEncoderLayer).
 * @example new nn.TransformerEncoderLayer(512, 8, { batchFirst: true })(src, { srcKeyPaddingMask })
 */
export class TransformerEncoderLayer extends TransformerLayerBase<[src: Tensor, options?: EncoderLayerForwardOptions]> {
  readonly self_attn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly normFirst: boolean;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly activation: (x: Tensor) => Tensor;

  constructor(readonly dModel: number, readonly nhead: number, readonly options: TransformerLayerOptions = {}) {
    super();
    const { dimFeedforward = 2048, dropout = 0.1, batchFirst = false, normFirst = false, layerNormEps = 1e-5 } = options;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst });
    this.linear1 = new Linear(dModel, dimFeedforward);
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel);
    this.normFirst = normFirst;
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.activation = activationFn(options.activation ?? 'relu');
  }

  forward(src: Tensor, { srcMask = null, srcKeyPaddingMask = null }: EncoderLayerForwardOptions = {}): Tensor {
    checkPaddingMask(srcKeyPaddingMask);
    const x = this.residual(src, this.norm1, (y) => this.selfAttention(y, srcMask, srcKeyPaddingMask, this.dropout1));
    return this.residual(x, this.norm2, (y) => this.feedForward(y, this.dropout2));
  }
}

export interface DecoderLayerForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * Self-attention, attention to the encoder's memory, then a feed-forward network
 * (torch.nn.TransformerDecoderLayer).
 */
export class TransformerDecoderLayer extends TransformerLayerBase<[tgt: Tensor, memory: Tensor, options?: DecoderLayerForwardOptions]> {
  readonly self_attn: MultiheadAttention;
  readonly multihead_attn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly normFirst: boolean;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;
  readonly activation: (x: Tensor) => Tensor;

  constructor(readonly dModel: number, readonly nhead: number, readonly options: TransformerLayerOptions = {}) {
    super();
    const { dimFeedforward = 2048, dropout = 0.1, batchFirst = false, normFirst = false, layerNormEps = 1e-5 } = options;
    this.self_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst });
    this.multihead_attn = new MultiheadAttention(dModel, nhead, { dropout, batchFirst });
    this.linear1 = new Linear(dModel, dimFeedforward);
    this.dropout = new Dropout(dropout);
    this.linear2 = new Linear(dimFeedforward, dModel);
    this.normFirst = normFirst;
    this.norm1 = new LayerNorm(dModel, { eps: layerNormEps });
    this.norm2 = new LayerNorm(dModel, { eps: layerNormEps });
    this.norm3 = new LayerNorm(dModel, { eps: layerNormEps });
    this.dropout1 = new Dropout(dropout);
    this.dropout2 = new Dropout(dropout);
    this.dropout3 = new Dropout(dropout);
    this.activation = activationFn(options.activation ?? 'relu');
  }

  forward(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): Tensor {
    const { tgtMask = null, memoryMask = null, tgtKeyPaddingMask = null, memoryKeyPaddingMask = null } = options;
    const cross = (y: Tensor): Tensor =>
      this.dropout2(this.multihead_attn(y, memory, memory, { attnMask: memoryMask, keyPaddingMask: memoryKeyPaddingMask, needWeights: false })[0]);
    let x = this.residual(tgt, this.norm1, (y) => this.selfAttention(y, tgtMask, tgtKeyPaddingMask, this.dropout1));
    x = this.residual(x, this.norm2, cross);
    return this.residual(x, this.norm3, (y) => this.feedForward(y, this.dropout3));
  }
}

export interface EncoderForwardOptions {
  mask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/** numLayers copies of an encoder layer, then an optional norm (torch.nn.TransformerEncoder). */
export class TransformerEncoder extends Module<[src: Tensor, options?: EncoderForwardOptions]> {
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly norm: LayerNorm | null;

  constructor(encoderLayer: TransformerEncoderLayer, readonly numLayers: number, norm: LayerNorm | null = null) {
    super();
    this.layers = clones(encoderLayer, numLayers, () =>
      new TransformerEncoderLayer(encoderLayer.dModel, encoderLayer.nhead, encoderLayer.options));
    this.norm = norm;
  }

  forward(src: Tensor, { mask = null, srcKeyPaddingMask = null }: EncoderForwardOptions = {}): Tensor {
    checkPaddingMask(srcKeyPaddingMask);
    let x = src;
    for (const layer of this.layers) x = layer(x, { srcMask: mask, srcKeyPaddingMask });
    return this.norm === null ? x : this.norm(x);
  }
}

/** numLayers copies of a decoder layer, then an optional norm (torch.nn.TransformerDecoder). */
export class TransformerDecoder extends Module<[tgt: Tensor, memory: Tensor, options?: DecoderLayerForwardOptions]> {
  readonly layers: ModuleList<TransformerDecoderLayer>;
  readonly norm: LayerNorm | null;

  constructor(decoderLayer: TransformerDecoderLayer, readonly numLayers: number, norm: LayerNorm | null = null) {
    super();
    this.layers = clones(decoderLayer, numLayers, () =>
      new TransformerDecoderLayer(decoderLayer.dModel, decoderLayer.nhead, decoderLayer.options));
    this.norm = norm;
  }

  forward(tgt: Tensor, memory: Tensor, options: DecoderLayerForwardOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = layer(x, memory, options);
    return this.norm === null ? x : this.norm(x);
  }
}

export interface TransformerOptions extends TransformerLayerOptions {
  dModel?: number;
  nhead?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  customEncoder?: TransformerEncoder | null;
  customDecoder?: TransformerDecoder | null;
}

export interface TransformerForwardOptions extends DecoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * An encoder-decoder Transformer (torch.nn.Transformer); every matrix parameter is then re-drawn
 * with xavier_uniform_, as PyTorch's _reset_parameters does.
 * @example const model = new nn.Transformer({ dModel: 64, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2 })
 */
export class Transformer extends Module<[src: Tensor, tgt: Tensor, options?: TransformerForwardOptions]> {
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;
  readonly dModel: number;
  readonly nhead: number;
  readonly batchFirst: boolean;

  constructor(options: TransformerOptions = {}) {
    super();
    const { dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, layerNormEps = 1e-5 } = options;
    const layerOptions: TransformerLayerOptions = {
      dimFeedforward: options.dimFeedforward, dropout: options.dropout, activation: options.activation,
      layerNormEps, batchFirst: options.batchFirst, normFirst: options.normFirst,
    };
    this.encoder = options.customEncoder ?? new TransformerEncoder(
      new TransformerEncoderLayer(dModel, nhead, layerOptions), numEncoderLayers, new LayerNorm(dModel, { eps: layerNormEps }));
    this.decoder = options.customDecoder ?? new TransformerDecoder(
      new TransformerDecoderLayer(dModel, nhead, layerOptions), numDecoderLayers, new LayerNorm(dModel, { eps: layerNormEps }));
    for (const p of this.parameters()) if (p.dim() > 1) init.xavierUniform_(p);
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = options.batchFirst ?? false;
  }

  forward(src: Tensor, tgt: Tensor, options: TransformerForwardOptions = {}): Tensor {
    const batch = this.batchFirst ? 0 : 1;
    if (src.dim() === 3 && src.dims[batch] !== tgt.dims[batch]) throw new RuntimeError('the batch number of src and tgt must be equal');
    if (src.dims[src.dim() - 1] !== this.dModel || tgt.dims[tgt.dim() - 1] !== this.dModel) {
      throw new RuntimeError('the feature number of src and tgt must be equal to d_model');
    }
    const { srcMask = null, srcKeyPaddingMask = null, ...decoderOptions } = options;
    const memory = this.encoder(src, { mask: srcMask, srcKeyPaddingMask });
    return this.decoder(tgt, memory, decoderOptions);
  }

  /** A float [sz, sz] mask, −∞ above the diagonal and 0 elsewhere, so position i attends to j ≤ i. */
  static generateSquareSubsequentMask(sz: number, { device = 'cpu' }: { device?: DeviceLike } = {}): Tensor {
    const i = unsqueeze(arange(sz, { dtype: 'int64', device }), 1), j = unsqueeze(arange(sz, { dtype: 'int64', device }), 0);
    return where(gt(j, i), -Infinity, 0);
  }
}
