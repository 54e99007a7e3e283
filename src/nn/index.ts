// src/nn/index.ts — torch.nn: modules, Parameter, init and functional.
export { Module } from './modules/module.js';
export { Parameter } from './parameter.js';
export { Bilinear, Linear } from './modules/linear.js';
export * as init from './init.js';
export * as functional from './functional/index.js';
// layers (conv, pool, norm, dropout, embedding)
export {
  Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, type ConvModuleOptions, type ConvTransposeModuleOptions, type PaddingMode,
} from './modules/conv.js';
export {
  MaxPool1d, MaxPool2d, MaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d,
  AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d,
} from './modules/pooling.js';
export {
  BatchNorm1d, BatchNorm2d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d, LayerNorm, GroupNorm, type BatchNormOptions,
} from './modules/normalization.js';
export { Dropout, Dropout2d } from './modules/dropout.js';
export { Embedding } from './modules/sparse.js';
// end layers
// activations, losses and containers
export {
  ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softmax, LogSoftmax, Softplus, Hardtanh,
} from './modules/activation.js';
export { Hardswish, Hardsigmoid, Mish, GLU, LogSigmoid } from './modules/activation.js';
export { ReLU6, SELU, CELU, Softsign, Tanhshrink, Hardshrink, Softshrink, Threshold, Softmin, PReLU } from './modules/activation-more.js';
export {
  Loss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,
} from './modules/loss.js';
export {
  MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss, CosineEmbeddingLoss, TripletMarginLoss, PoissonNLLLoss, GaussianNLLLoss,
  MultiLabelSoftMarginLoss, MultiMarginLoss,
} from './modules/loss-more.js';
export { Sequential, ModuleList, ModuleDict } from './modules/container.js';
export { Flatten, Unflatten, Identity } from './modules/flatten.js';
export { ParameterList, ParameterDict } from './modules/parameter-containers.js';
export {
  ConstantPad1d, ConstantPad2d, ConstantPad3d, ZeroPad2d, ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d, ReplicationPad3d,
} from './modules/padding.js';
export {
  Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, PixelShuffle, PixelUnshuffle, Fold, Unfold, CosineSimilarity, PairwiseDistance, type UpsampleOptions,
} from './modules/sampling.js';
// end activations, losses and containers
// utils
export * as utils from './utils.js';
// end utils
// attention, transformers and recurrent layers
export {
  MultiheadAttention, NonDynamicallyQuantizableLinear, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions,
} from './modules/attention.js';
export {
  TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer,
  type TransformerActivation, type TransformerLayerOptions, type TransformerOptions, type EncoderLayerForwardOptions,
  type DecoderLayerForwardOptions, type EncoderForwardOptions, type TransformerForwardOptions,
} from './modules/transformer.js';
export { RNN, LSTM, GRU, type RNNOptions, type RNNModuleOptions, type LSTMOptions, type LSTMState } from './modules/rnn.js';
export { RNNCell, LSTMCell, GRUCell } from './modules/rnn-cell.js';
// end attention
// parallel
export * as parallel from './parallel/index.js';
// end parallel
