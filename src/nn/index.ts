// src/nn/index.ts — torch.nn: modules, Parameter, init and functional.
export { Module } from './modules/module.js';
export { Parameter } from './parameter.js';
export { Linear } from './modules/linear.js';
export { ReLU } from './modules/activation.js';
export { Loss, MSELoss } from './modules/loss.js';
export * as init from './init.js';
export * as functional from './functional/index.js';
// layers (conv, pool, norm, dropout, embedding)
// end layers
// activations, losses and containers
// end activations, losses and containers
// utils
export * as utils from './utils.js';
// end utils
