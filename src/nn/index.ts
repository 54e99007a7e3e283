// src/nn/index.ts — torch.nn: modules, Parameter, init and functional.
export { Module } from './modules/module.js';
export { Parameter } from './parameter.js';
export { Bilinear, Linear } from './modules/linear.js';
export * as init from './init.js';
export * as functional from './functional/index.js';
// layers (conv, pool, norm, dropout, embedding)
export { Conv1d, Conv2d, ConvTranspose2d, type ConvModuleOptions, type ConvTransposeModuleOptions } from './modules/conv.js';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './modules/pooling.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm, type BatchNormOptions } from './modules/normalization.js';
export { Dropout, Dropout2d } from './modules/dropout.js';
export { Embedding } from './modules/sparse.js';
// end layers
// activations, losses and containers
export {
  ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Softmax, LogSoftmax, Softplus, Hardtanh,
} from './modules/activation.js';
export {
  Loss, MSELoss, L1Loss, SmoothL1Loss, HuberLoss, NLLLoss, CrossEntropyLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss,
} from './modules/loss.js';
export { Sequential, ModuleList, ModuleDict } from './modules/container.js';
export { Flatten, Unflatten, Identity } from './modules/flatten.js';
// end activations, losses and containers
// utils
export * as utils from './utils.js';
// end utils
// parallel
export * as parallel from './parallel/index.js';
// end parallel
