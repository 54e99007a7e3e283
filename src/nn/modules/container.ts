// src/nn/modules/container.ts — Sequential, ModuleList and ModuleDict: modules held under their
// names ("0", "1", … or given keys) as own fields, so that Module finds, names and prints them.
import { ArgumentTypeError, IndexError, NotImplementedError, ValueError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type AnyModule, Module } from './module.js';

// Note [Containers as fields]
// Module walks an instance's own enumerable fields in insertion order. JS orders integer-like
// keys first, ascending, which is the order of Sequential's and ModuleList's "0", "1", …; a
// container therefore declares no fields of its own and stores each child under its name.

/** Stores `module` under `name` on `owner`, with PyTorch's checks on the name. */
function addModule(owner: AnyModule, name: string, module: AnyModule): void {
  if (!(module instanceof Module)) throw new ArgumentTypeError(`${String(module)} is not a Module subclass`);
  if (name.includes('.')) throw new ValueError(`module name can't contain ".", got: ${name}`);
  if (name === '') throw new ValueError('module name can\'t be empty string ""');
  if (name in owner && !(Reflect.get(owner, name) instanceof Module)) throw new ValueError(`attribute '${name}' already exists`);
  Reflect.set(owner, name, module);
}

/** The child at position `index` (negative counts from the end), or PyTorch's IndexError. */
function childAt(owner: AnyModule, index: number): [string, AnyModule] {
  const kids = [...owner.namedChildren()];
  const i = index < 0 ? index + kids.length : index;
  const kid = Number.isInteger(i) ? kids[i] : undefined;
  if (kid === undefined) throw new IndexError(`index ${index} is out of range`);
  return kid;
}

/** Replaces all children of `owner` by `modules`, named "0", "1", …. */
function renumber(owner: AnyModule, modules: readonly AnyModule[]): void {
  for (const [k] of [...owner.namedChildren()]) Reflect.deleteProperty(owner, k);
  modules.forEach((m, i) => {
    addModule(owner, String(i), m);
  });
}

/**
 * Modules applied in order, each to the previous one's output. Children are named "0", "1", …,
 * or by the keys of a Map (PyTorch's OrderedDict form).
 * @example new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU())
 */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Map<string, Module>]) {
    super();
    const [first] = modules;
    if (first instanceof Map) for (const [k, m] of first) addModule(this, k, m);
    else {
      (modules as Module[]).forEach((m, i) => {
        addModule(this, String(i), m);
      });
    }
  }

  /** The child at `index`; negative indices count from the end. */
  get(index: number): Module {
    return childAt(this, index)[1] as Module;
  }

  override get length(): number {
    return this.children().length;
  }

  *[Symbol.iterator](): Iterator<Module> {
    // Only tensor-to-tensor modules are added (constructor, append).
    yield* this.children() as Module[];
  }

  /** Adds a module at the end (named by its position) and returns this. */
  append(module: Module): this {
    addModule(this, String(this.length), module);
    return this;
  }

  forward(input: Tensor): Tensor {
    let x = input;
    for (const m of this) x = m(x);
    return x;
  }
}

/**
 * A list of modules, registered so that their parameters are found; it has no forward.
 * M types the elements (tensor-to-tensor modules by default; Note [Module signatures]).
 */
export class ModuleList<M extends AnyModule = Module> extends Module {
  constructor(modules: Iterable<NoInfer<M>> = []) {
    super();
    this.extend(modules);
  }

  /** The module at `index`; negative indices count from the end. */
  get(index: number): M {
    return childAt(this, index)[1] as M;
  }

  /** Replaces the module at `index`. */
  set(index: number, module: M): this {
    addModule(this, childAt(this, index)[0], module);
    return this;
  }

  override get length(): number {
    return this.children().length;
  }

  *[Symbol.iterator](): Iterator<M> {
    // Only M's are added (constructor, append, insert, set).
    yield* this.children() as M[];
  }

  /** Adds a module at the end and returns this. */
  append(module: M): this {
    addModule(this, String(this.length), module);
    return this;
  }

  /** Adds modules at the end and returns this. */
  extend(modules: Iterable<M>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts a module before position `index` (negative counts from the end, as list.insert). */
  insert(index: number, module: M): this {
    const kids = this.children();
    const i = index < 0 ? Math.max(0, index + kids.length) : Math.min(index, kids.length);
    kids.splice(i, 0, module);
    renumber(this, kids);
    return this;
  }

  forward(): Tensor {
    throw new NotImplementedError('Module [ModuleList] is missing the required "forward" function');
  }
}

/** Modules under string keys, in insertion order; it has no forward. */
export class ModuleDict extends Module {
  constructor(modules: Record<string, Module> | Iterable<readonly [string, Module]> = []) {
    super();
    const entries = Symbol.iterator in modules ? modules : Object.entries(modules);
    for (const [k, m] of entries) addModule(this, k, m);
  }

  /** The module under `key`, or undefined (like Map.get). */
  get(key: string): Module | undefined {
    return this.has(key) ? (Reflect.get(this, key) as Module) : undefined;
  }

  /** Stores a module under `key` and returns this. */
  set(key: string, module: Module): this {
    addModule(this, key, module);
    return this;
  }

  has(key: string): boolean {
    return Object.hasOwn(this, key) && Reflect.get(this, key) instanceof Module;
  }

  /** Removes the module under `key`; whether it was there. */
  delete(key: string): boolean {
    return this.has(key) && Reflect.deleteProperty(this, key);
  }

  keys(): string[] {
    return [...this.namedChildren()].map(([k]) => k);
  }

  values(): Module[] {
    return this.entries().map(([, m]) => m);
  }

  entries(): [string, Module][] {
    // ModuleDict's setters take tensor-to-tensor modules only.
    return [...this.namedChildren()].map(([k, m]): [string, Module] => [k, m as Module]);
  }

  override get length(): number {
    return this.children().length;
  }

  /** Iterates over the keys, as Python's `for k in module_dict`. */
  *[Symbol.iterator](): Iterator<string> {
    yield* this.keys();
  }

  forward(): Tensor {
    throw new NotImplementedError('Module [ModuleDict] is missing the required "forward" function');
  }
}
