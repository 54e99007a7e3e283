// src/nn/modules/flatten.ts — Flatten, Unflatten and Identity: shape-only modules.
import { RuntimeError } from '../../core/errors.js';
import { wrapDim } from '../../core/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from './module.js';

/** Flattens dims startDim..endDim into one (default: all but the batch dim). */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Splits dim `dim` into `unflattenedSize` (one entry may be -1, inferred). */
export class Unflatten extends Module {
  readonly unflattenedSize: readonly number[];
  constructor(readonly dim: number, unflattenedSize: readonly number[]) {
    super();
    this.unflattenedSize = [...unflattenedSize];
  }
  forward(x: Tensor): Tensor {
    const d = wrapDim(this.dim, x.dim(), 'unflatten');
    const sizes = this.unflattenedSize, size = x.dims[d];
    const known = sizes.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    const inferred = sizes.includes(-1);
    if (inferred ? known === 0 || size % known !== 0 : known !== size) {
      throw new RuntimeError(
        `unflatten: Provided sizes [${sizes.join(', ')}] don't multiply up to the size of dim ${this.dim} (${size}) in the input tensor`,
      );
    }
    return x.view([...x.dims.slice(0, d), ...sizes, ...x.dims.slice(d + 1)]);
  }
  override extraRepr(): string {
    // PyTorch prints the tuple it was given; a JS array prints as that tuple.
    const sizes = this.unflattenedSize.length === 1 ? `(${this.unflattenedSize[0]},)` : `(${this.unflattenedSize.join(', ')})`;
    return `dim=${this.dim}, unflattened_size=${sizes}`;
  }
}

/** Returns its input unchanged; constructor arguments are accepted and ignored, as in PyTorch. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}
