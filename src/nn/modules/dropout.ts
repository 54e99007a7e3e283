// src/nn/modules/dropout.ts — nn.Dropout, nn.Dropout1d/2d/3d, nn.AlphaDropout, nn.FeatureAlphaDropout: active in
// training mode, the identity in eval.
import { ValueError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { alphaDropout, dropout, dropout1d, dropout2d, dropout3d, featureAlphaDropout } from '../functional/dropout.js';
import { reprFloat } from './conv.js';
import { Module } from './module.js';

abstract class DropoutNd extends Module {
  constructor(readonly p = 0.5, readonly inplace = false) {
    super();
    if (p < 0 || p > 1) throw new ValueError(`${this.constructor.name}: dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override extraRepr(): string {
    return `p=${reprFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}

/** Zeroes elements with probability p while training and scales the rest by 1/(1 − p) (torch.nn.Dropout). */
export class Dropout extends DropoutNd {
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, { inplace: this.inplace });
  }
}

/** Zeroes whole channels with probability p while training (torch.nn.Dropout2d). */
export class Dropout2d extends DropoutNd {
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training, { inplace: this.inplace });
  }
}

/** Zeroes whole channels of [N, C, L] with probability p while training (torch.nn.Dropout1d). */
export class Dropout1d extends DropoutNd {
  forward(x: Tensor): Tensor {
    return dropout1d(x, this.p, this.training, { inplace: this.inplace });
  }
}

/** Zeroes whole channels of [N, C, D, H, W] with probability p while training (torch.nn.Dropout3d). */
export class Dropout3d extends DropoutNd {
  forward(x: Tensor): Tensor {
    return dropout3d(x, this.p, this.training, { inplace: this.inplace });
  }
}

/** Alpha dropout for self-normalising (SELU) networks while training (torch.nn.AlphaDropout). */
export class AlphaDropout extends DropoutNd {
  forward(x: Tensor): Tensor {
    return alphaDropout(x, this.p, this.training, { inplace: this.inplace });
  }
}

/** Alpha dropout of whole channels while training (torch.nn.FeatureAlphaDropout). */
export class FeatureAlphaDropout extends DropoutNd {
  forward(x: Tensor): Tensor {
    return featureAlphaDropout(x, this.p, this.training, { inplace: this.inplace });
  }
}
