// src/data/collate.ts — defaultCollate: merges a list of dataset items into one batch, as PyTorch's default_collate.
import { allocArray, type DType } from '../core/dtype.js';
import { ArgumentTypeError, constructorName, RuntimeError } from '../core/errors.js';
import { fmtShape, sameShape } from '../core/shape.js';
import { backend } from '../backends/select.js';
import { stack } from '../ops/indexing.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * The batch type the default collate makes from items of type T: tensors, numbers and booleans
 * become one tensor with a leading batch dim, strings a string array, and arrays and objects are
 * collated position by position and key by key.
 */
export type Collated<T> = T extends Tensor | number | boolean
  ? Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

/** Where in the item a collate error happened, e.g. ` at [0].image`. */
const where = (path: string): string => (path === '' ? '' : ` at ${path}`);

function kindOf(x: unknown): string {
  if (x instanceof Tensor) return 'a Tensor';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? `an object (${constructorName(x) ?? 'no prototype'})` : `a ${typeof x}`;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Throws unless every entry passes `ok`, naming the first entry that does not. */
function checkAll(batch: readonly unknown[], ok: (x: unknown) => boolean, path: string): void {
  const bad = batch.findIndex((x) => !ok(x));
  if (bad >= 0) {
    throw new ArgumentTypeError(
      `defaultCollate${where(path)}: entry 0 is ${kindOf(batch[0])} but entry ${bad} is ${kindOf(batch[bad])}`,
    );
  }
}

/** Stacks equal-shape tensors along a new leading dim (torch.stack: dtypes promote, autograd records it). */
function stackBatch(batch: readonly Tensor[], path: string): Tensor {
  const first = batch[0].dims;
  const bad = batch.findIndex((t) => !sameShape(t.dims, first));
  if (bad >= 0) {
    throw new RuntimeError(
      `defaultCollate${where(path)}: stack expects each tensor to be equal size, but got ${fmtShape(first)} ` +
        `at entry 0 and ${fmtShape(batch[bad].dims)} at entry ${bad}`,
    );
  }
  return stack(batch, 0);
}

/** Numbers become int64 when all are integers and float64 otherwise (PyTorch's rule for Python ints and floats). */
function scalars(batch: readonly unknown[], path: string): Tensor {
  const allBool = batch.every((x) => typeof x === 'boolean');
  checkAll(batch, (x) => typeof x === 'number' || typeof x === 'boolean', path);
  const values = batch.map(Number);
  const dtype: DType = allBool ? 'bool' : values.every(Number.isInteger) ? 'int64' : 'float64';
  const data = allocArray(dtype, values.length);
  data.set(values);
  return new Tensor(backend().fromArray(dtype, data), [values.length]);
}

function collate(batch: readonly unknown[], path: string): unknown {
  const elem = batch[0];
  if (elem instanceof Tensor) {
    checkAll(batch, (x) => x instanceof Tensor, path);
    return stackBatch(batch as readonly Tensor[], path);
  }
  if (typeof elem === 'number' || typeof elem === 'boolean') return scalars(batch, path);
  if (typeof elem === 'string') {
    checkAll(batch, (x) => typeof x === 'string', path);
    return [...batch];
  }
  if (Array.isArray(elem)) {
    checkAll(batch, Array.isArray, path);
    const n = elem.length;
    const bad = (batch as readonly unknown[][]).findIndex((x) => x.length !== n);
    if (bad >= 0) {
      throw new RuntimeError(
        `defaultCollate${where(path)}: each element in list of batch should be of equal size ` +
          `(entry 0 has ${n} elements, entry ${bad} has ${(batch[bad] as unknown[]).length})`,
      );
    }
    return elem.map((_, i) => collate(batch.map((x) => (x as unknown[])[i]), `${path}[${i}]`));
  }
  if (isPlainObject(elem)) {
    checkAll(batch, isPlainObject, path);
    const keys = Object.keys(elem);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const bad = batch.findIndex((x) => !(key in (x as Record<string, unknown>)));
      if (bad >= 0) throw new RuntimeError(`defaultCollate${where(path)}: entry ${bad} has no key '${key}' (entry 0 has it)`);
      out[key] = collate(batch.map((x) => (x as Record<string, unknown>)[key]), `${path}.${key}`);
    }
    return out;
  }
  throw new ArgumentTypeError(
    `defaultCollate${where(path)}: batch must contain tensors, numbers, booleans, strings, arrays or plain objects; ` +
      `found ${kindOf(elem)}`,
  );
}

/**
 * Merges dataset items into a batch as PyTorch's default_collate: tensors are stacked on a new
 * leading dim, numbers become an int64 (all integers) or float64 tensor, booleans a bool tensor,
 * and arrays and plain objects are collated per position and per key.
 * @example defaultCollate([[torch.zeros(2), 1], [torch.ones(2), 0]]) // [tensor([[0., 0.], [1., 1.]]), tensor([1, 0])]
 */
export function defaultCollate<T>(batch: readonly T[]): Collated<T> {
  if (batch.length === 0) throw new RuntimeError('defaultCollate: cannot collate an empty batch');
  return collate(batch, '') as Collated<T>;
}
