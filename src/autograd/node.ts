// src/autograd/node.ts — a recorded op in the graph: its edges, saved tensors and backward.
import { TYPE_NAMES } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import type { GradNode, Tensor } from '../tensor/tensor.js';

/** Where the gradient of one input goes: the node that made it, a leaf to accumulate into, or nowhere. */
export type Edge = Node | Tensor | null;

/** PyTorch's description of a saved tensor in version errors: `[torch.FloatTensor [2, 3]]`. */
function describe(t: Tensor): string {
  return `[torch.${TYPE_NAMES[t.dtype]}Tensor [${t.dims.join(', ')}]]`;
}

/**
 * One recorded op. `next` holds an edge per differentiable input; `apply` maps the gradient
 * of the output to one gradient per input (already summed to the input's shape).
 */
export abstract class Node implements GradNode {
  abstract readonly name: string;
  /** The tensor this node produced, for retainGrad and error messages. */
  output: Tensor | null = null;
  private saved: Tensor[] = [];
  private versions: number[] = [];
  private released = false;

  constructor(readonly next: readonly Edge[]) {}

  /** Records tensors the backward will read, with their versions (Note [Saved tensor versions]). */
  save(...tensors: Tensor[]): void {
    for (const t of tensors) {
      this.saved.push(t);
      this.versions.push(t.storage.version);
    }
  }

  /** Replaces a saved tensor by another (used when an in-place op snapshots its input). */
  replaceSaved(from: Tensor, to: Tensor): void {
    for (let i = 0; i < this.saved.length; i++) {
      if (this.saved[i] === from) {
        this.saved[i] = to;
        this.versions[i] = to.storage.version;
      }
    }
    this.replaceInput(from, to);
  }

  /** Subclasses that keep inputs for backward swap them here. */
  protected replaceInput(_from: Tensor, _to: Tensor): void {}

  /** Throws PyTorch's errors if the graph was freed or a saved tensor was modified in place. */
  checkSaved(): void {
    if (this.released) {
      throw new RuntimeError(
        'backward: Trying to backward through the graph a second time (or directly access saved tensors after they have ' +
          'already been freed). Saved intermediate values of the graph are freed when you call .backward() or ' +
          'autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or ' +
          'if you need to access saved tensors after calling backward.',
      );
    }
    for (let i = 0; i < this.saved.length; i++) {
      const t = this.saved[i];
      if (t.storage.version !== this.versions[i]) {
        const producer = t.gradFn ? `, which is output 0 of ${t.gradFn.name},` : '';
        throw new RuntimeError(
          `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
            `${describe(t)}${producer} is at version ${t.storage.version}; expected version ${this.versions[i]} ` +
            `instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, ` +
            `with torch.autograd.set_detect_anomaly(True).`,
        );
      }
    }
  }

  /** Frees what backward needed, unless the graph is retained. */
  release(): void {
    this.released = true;
    this.saved = [];
    this.versions = [];
    this.freeInputs();
  }

  /** Subclasses drop their references to saved inputs here. */
  protected freeInputs(): void {}

  /** Gradients of the inputs given the gradient of the output. */
  abstract apply(g: Tensor): (Tensor | null)[];
}
