// src/nn/functional/index.ts — torch.nn.functional, imported as F.
export { linear } from './linear.js';
export { relu, type Inplace } from './activation.js';
export { mseLoss, type Reduction } from './loss.js';
// layers (conv, pool, norm, dropout, embedding)
// end layers
// activations and losses
// end activations and losses
