// src/nn/modules/parameter-containers.ts — nn.ParameterList and nn.ParameterDict: parameters held under
// their names ("0", "1", … or given keys) as own fields, so that Module finds, names and saves them
// (Note [Containers as fields]); printed as PyTorch 1.13 prints them.
import { TYPE_NAMES } from '../../core/dtype.js';
import { IndexError, NotImplementedError, ValueError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Parameter } from '../parameter.js';
import { Module } from './module.js';

/** A tensor as a Parameter (a plain tensor is wrapped, as PyTorch's containers do). */
const asParameter = (t: Tensor): Parameter => (t instanceof Parameter ? t : new Parameter(t));

/** The parameters stored on `owner`, with their field names, in field order. */
const own = (owner: Module): [string, Parameter][] => Object.entries(owner).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);

function setParameter(owner: Module, name: string, p: Tensor): void {
  if (name.includes('.')) throw new ValueError(`parameter name can't contain ".", got: ${name}`);
  if (name === '') throw new ValueError('parameter name can\'t be empty string ""');
  Reflect.set(owner, name, asParameter(p));
}

const sizeOf = (p: Tensor): string => p.dims.join('x');

/** A list of parameters, registered so that modules and optimizers find them; it has no forward. */
export class ParameterList extends Module {
  constructor(values: Iterable<Tensor> = []) {
    super();
    this.extend(values);
  }

  override get length(): number {
    return own(this).length;
  }

  /** The parameter at `index`; negative indices count from the end. */
  get(index: number): Parameter {
    const list = own(this), i = index < 0 ? index + list.length : index;
    const entry = Number.isInteger(i) ? list[i] : undefined;
    if (entry === undefined) throw new IndexError(`index ${index} is out of range`);
    return entry[1];
  }

  /** Replaces the parameter at `index`. */
  set(index: number, value: Tensor): this {
    const n = this.length, i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new IndexError(`index ${index} is out of range`);
    setParameter(this, String(i), value);
    return this;
  }

  /** Adds a parameter at the end and returns this. */
  append(value: Tensor): this {
    setParameter(this, String(this.length), value);
    return this;
  }

  /** Adds parameters at the end and returns this. */
  extend(values: Iterable<Tensor>): this {
    for (const v of values) this.append(v);
    return this;
  }

  *[Symbol.iterator](): Iterator<Parameter> {
    for (const [, p] of own(this)) yield p;
  }

  forward(): Tensor {
    throw new NotImplementedError('Module [ParameterList] is missing the required "forward" function');
  }

  override extraRepr(): string {
    return own(this).map(([k, p]) => `  (${k}): Parameter containing: [torch.${p.dtype} of size ${sizeOf(p)}]`).join('\n');
  }
}

/**
 * Parameters under string keys; it has no forward. A plain object's entries are stored sorted by key
 * (as PyTorch 1.13 sorts a dict's), a Map's or a list of pairs' in their order.
 */
export class ParameterDict extends Module {
  constructor(parameters: Record<string, Tensor> | Iterable<readonly [string, Tensor]> = []) {
    super();
    this.update(parameters);
  }

  /** Adds or replaces entries, with the ordering rule of the constructor. */
  update(parameters: Record<string, Tensor> | Iterable<readonly [string, Tensor]>): this {
    const entries = Symbol.iterator in parameters ? [...parameters] : Object.entries(parameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [k, p] of entries) this.set(k, p);
    return this;
  }

  /** The parameter under `key`, or undefined (like Map.get). */
  get(key: string): Parameter | undefined {
    return this.has(key) ? (Reflect.get(this, key) as Parameter) : undefined;
  }

  /** Stores a parameter under `key` and returns this. */
  set(key: string, value: Tensor): this {
    setParameter(this, key, value);
    return this;
  }

  has(key: string): boolean {
    return Object.hasOwn(this, key) && Reflect.get(this, key) instanceof Parameter;
  }

  /** Removes the parameter under `key`; whether it was there. */
  delete(key: string): boolean {
    return this.has(key) && Reflect.deleteProperty(this, key);
  }

  keys(): string[] {
    return own(this).map(([k]) => k);
  }

  values(): Parameter[] {
    return own(this).map(([, p]) => p);
  }

  entries(): [string, Parameter][] {
    return own(this);
  }

  override get length(): number {
    return own(this).length;
  }

  /** Iterates over the keys, as Python's `for k in parameter_dict`. */
  *[Symbol.iterator](): Iterator<string> {
    yield* this.keys();
  }

  forward(): Tensor {
    throw new NotImplementedError('Module [ParameterDict] is missing the required "forward" function');
  }

  override extraRepr(): string {
    // PyTorch 1.13 prints a dict's parameters by tensor type name (torch.FloatTensor), a list's by dtype.
    return own(this).map(([k, p]) => `  (${k}): Parameter containing: [torch.${TYPE_NAMES[p.dtype]}Tensor of size ${sizeOf(p)}]`).join('\n');
  }
}
