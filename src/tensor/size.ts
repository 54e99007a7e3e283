// src/tensor/size.ts — torch.Size: a read-only array of dims that prints as PyTorch's.

/** The shape of a tensor; prints `torch.Size([4, 10])`. */
export class Size extends Array<number> {
  /** Builds a Size from a list of dims (never a single length, unlike Array's constructor). */
  static of_(dims: readonly number[]): Size {
    const s = new Size();
    for (const d of dims) s.push(d);
    return Object.freeze(s);
  }
  // Array methods like map() build new instances through this species; keep them plain arrays.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  /** Number of elements of a tensor of this shape. */
  numel(): number {
    let n = 1;
    for (const d of this) n *= d;
    return n;
  }
  override toString(): string {
    return `torch.Size([${this.join(', ')}])`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
