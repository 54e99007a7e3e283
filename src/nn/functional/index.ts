// src/nn/functional/index.ts — torch.nn.functional, imported as F.
export { bilinear, linear } from './linear.js';
// layers (conv, pool, norm, dropout, embedding)
export { conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d, type ConvOptions, type ConvTransposeOptions, type IntOrTuple } from './conv.js';
export { maxPool2d, avgPool2d, adaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './pool.js';
export { batchNorm, layerNorm, groupNorm, instanceNorm } from './norm.js';
export { dropout, dropout2d } from './dropout.js';
export { embedding } from './embedding.js';
// end layers
// activations and losses
export {
  relu, leakyRelu, elu, gelu, silu, sigmoid, tanh, softmax, logSoftmax, softplus, hardtanh, type Inplace, type GeluApproximate,
} from './activation.js';
export { logsigmoid, hardswish, hardsigmoid, mish, glu } from './activation.js';
export { relu6, selu, celu, softsign, tanhshrink, hardshrink, softshrink, threshold, softmin, prelu } from './activation-more.js';
export { mseLoss, l1Loss, smoothL1Loss, huberLoss, klDiv, type Reduction, type KLDivReduction, type ReductionOptions } from './loss.js';
export {
  nllLoss, crossEntropy, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  type NLLLossOptions, type CrossEntropyOptions, type BCEWithLogitsOptions,
} from './classification-loss.js';
export {
  marginRankingLoss, hingeEmbeddingLoss, softMarginLoss, cosineEmbeddingLoss, tripletMarginLoss, poissonNllLoss, gaussianNllLoss,
  multilabelSoftMarginLoss, multiMarginLoss, type TripletMarginOptions, type PoissonNllOptions, type GaussianNllOptions, type MultiMarginOptions,
} from './margin-loss.js';
// end activations and losses
// padding, shapes, distances
export { pad, type PadMode, type PadOptions } from './pad.js';
export { oneHot, pixelShuffle, pixelUnshuffle } from './shape.js';
export { normalize, cosineSimilarity, pairwiseDistance } from './distance.js';
export { unfold, fold, type FoldOptions } from './fold.js';
export { interpolate, type InterpolateMode, type InterpolateOptions } from './sampling.js';
export {
  maxPool1d, maxPool3d, avgPool1d, avgPool3d, adaptiveAvgPool1d, adaptiveAvgPool3d, adaptiveMaxPool1d, adaptiveMaxPool2d, adaptiveMaxPool3d,
  type MaxPool1dOptions, type AvgPool1dOptions, type AdaptiveMaxPoolOptions,
} from './pool-nd.js';
// end padding, shapes, distances
// attention
export {
  scaledDotProductAttention, multiHeadAttentionForward, type ScaledDotProductAttentionOptions, type MultiHeadAttentionOptions,
} from './attention.js';
// end attention
