// src/nn/functional/index.ts — torch.nn.functional, imported as F.
export { bilinear, linear } from './linear.js';
// layers (conv, pool, norm, dropout, embedding)
export { conv1d, conv2d, convTranspose2d, type ConvOptions, type ConvTransposeOptions, type IntOrTuple } from './conv.js';
export { maxPool2d, avgPool2d, adaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './pool.js';
export { batchNorm, layerNorm, groupNorm } from './norm.js';
export { dropout, dropout2d } from './dropout.js';
export { embedding } from './embedding.js';
// end layers
// activations and losses
export {
  relu, leakyRelu, elu, gelu, silu, sigmoid, tanh, softmax, logSoftmax, softplus, hardtanh, type Inplace, type GeluApproximate,
} from './activation.js';
export { logsigmoid, hardswish, hardsigmoid, mish, glu } from './activation.js';
export { mseLoss, l1Loss, smoothL1Loss, huberLoss, klDiv, type Reduction, type KLDivReduction, type ReductionOptions } from './loss.js';
export {
  nllLoss, crossEntropy, binaryCrossEntropy, binaryCrossEntropyWithLogits,
  type NLLLossOptions, type CrossEntropyOptions, type BCEWithLogitsOptions,
} from './classification-loss.js';
// end activations and losses
// padding, shapes, distances
export { pad, type PadMode, type PadOptions } from './pad.js';
export { oneHot, pixelShuffle, pixelUnshuffle } from './shape.js';
export { normalize, cosineSimilarity, pairwiseDistance } from './distance.js';
// end padding, shapes, distances
// attention
export {
  scaledDotProductAttention, multiHeadAttentionForward, type ScaledDotProductAttentionOptions, type MultiHeadAttentionOptions,
} from './attention.js';
// end attention
