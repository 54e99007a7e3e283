// src/data/mnist.browser.ts — the browser's twin of mnist.ts: a page has no files, so the IDX file readers
// refuse, naming what works there instead (fetch the bytes, then torch.data.parseIdx).
import { RuntimeError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Dataset } from './dataset.js';

function noFiles(op: string): never {
  throw new RuntimeError(`${op}: reading IDX files needs Node; in a browser fetch the bytes and use torch.data.parseIdx(bytes, name)`);
}

/** Options of the MNIST datasets, as in Node. */
export interface MNISTOptions {
  train?: boolean;
  transform?: (image: Tensor) => Tensor;
  targetTransform?: (label: number) => number;
}

/** Refused in a browser (no files). */
export function readIdx(_path: string): Tensor {
  return noFiles('readIdx');
}

/** Refused in a browser (no files). */
export class MNIST extends Dataset<[Tensor, number]> {
  constructor(_root: string, _options: MNISTOptions = {}) {
    super();
    noFiles(new.target.name);
  }

  get length(): number {
    return 0;
  }

  get(_index: number): [Tensor, number] {
    return noFiles(this.constructor.name);
  }
}

/** Refused in a browser (no files). */
export class FashionMNIST extends MNIST {}
