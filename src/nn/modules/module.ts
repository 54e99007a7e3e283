// src/nn/modules/module.ts — nn.Module: parameters and submodules found by walking fields,
// train/eval, state dicts, printing, and the trick that makes modules callable.
import { RuntimeError } from '../../core/errors.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { toSpec, type ToTarget } from '../../ops/transfer.js';
import { Tensor } from '../../tensor/tensor.js';
import { Parameter } from '../parameter.js';

const BUFFERS = Symbol('buffers');

/**
 * Base class of layers and losses. Subclasses assign parameters and submodules to fields;
 * `parameters()` finds them in assignment order. Instances are callable: `f(x)` runs `f.forward(x)`.
 */
// The interface adds the call signature the constructor's trick provides (see below).
export interface Module<In extends unknown[] = Tensor[], Out = Tensor> {
  (...inputs: In): Out;
}

// Note [Module signatures]
// In and Out type forward and the call: most modules map tensors to a tensor (the defaults);
// attention and recurrent layers take options objects or return tuples, as PyTorch's do.
// AnyModule accepts every signature, for containers that only hold modules.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Module<In extends unknown[] = Tensor[], Out = Tensor> {
  /** Whether the module is in training mode (see train() and eval()). */
  declare training: boolean;
  private declare readonly [BUFFERS]: Set<string>;

  constructor() {
    // Returning a function from the constructor makes the instance callable; its prototype
    // chain is the subclass's, so fields and methods behave as on any object. Base-class field
    // initialisers would land on the discarded `this`, so this class sets its state by hand.
    const call = ((...inputs: In) => call.forward(...inputs)) as Module<In, Out>;
    Object.setPrototypeOf(call, new.target.prototype);
    // A function's own `name` and `length` are read-only; subclasses may want those names.
    delete (call as { name?: string }).name;
    delete (call as { length?: number }).length;
    Object.defineProperty(call, BUFFERS, { value: new Set<string>() });
    call.training = true;
    return call;
  }

  /** The computation; called by `module(x)`. */
  abstract forward(...inputs: In): Out;

  /** Registers a tensor that is state but not a parameter (e.g. running statistics). */
  registerBuffer(name: string, tensor: Tensor | null): void {
    (this as unknown as Record<string, Tensor | null>)[name] = tensor;
    this[BUFFERS].add(name);
  }

  private fields(): [string, unknown][] {
    return Object.entries(this as object).filter(([k]) => k !== 'training');
  }

  /** Direct submodules with their field names, in assignment order. */
  *namedChildren(): Generator<[string, AnyModule]> {
    for (const [k, v] of this.fields()) if (v instanceof Module) yield [k, v];
  }

  /** Direct submodules. */
  children(): AnyModule[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  /** This module and all below it, pre-order, each once, with dotted names. */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const stack: [string, AnyModule][] = [[prefix, this]];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [name, m] = top;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = [...m.namedChildren()].map(([k, c]): [string, AnyModule] => [name ? `${name}.${k}` : k, c]);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    }
    return out;
  }

  /** This module and all below it. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Own parameters (not those of submodules), in assignment order. */
  private ownParameters(): [string, Parameter][] {
    return this.fields().filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  private ownBuffers(): [string, Tensor][] {
    return this.fields().filter((e): e is [string, Tensor] => this[BUFFERS].has(e[0]) && e[1] instanceof Tensor);
  }

  /** Parameters with dotted names, as PyTorch lists them: each module's own, modules pre-order. */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const mods: [string, AnyModule][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [name, m] of mods) {
      for (const [k, p] of m.ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([name ? `${name}.${k}` : k, p]);
      }
    }
    return out;
  }

  /** All parameters, e.g. to give to an optimizer. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  /** Buffers with dotted names (e.g. BatchNorm's running_mean). */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    const mods: [string, AnyModule][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    return mods.flatMap(([name, m]) => m.ownBuffers().map(([k, b]): [string, Tensor] => [name ? `${name}.${k}` : k, b]));
  }

  /** All buffers. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** Sets training mode here and below. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (train(false)). */
  eval(): this {
    return this.train(false);
  }

  /** Clears parameter gradients: to null by default (PyTorch's set_to_none=True), or zeros them. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      const grad = p.grad;
      if (grad === null) continue;
      if (setToNone) p.grad = null;
      else noGrad(() => grad.zero_());
    }
  }

  /** Calls fn on every submodule (children first) and then on this one. */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Sets requiresGrad on every parameter. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * Moves parameters and buffers to a device and/or converts the floating ones to a dtype, in place
   * (PyTorch's module.to): each tensor keeps its object and takes the new values with setData, as
   * PyTorch swaps `param.data`, so an optimizer built before keeps working. Gradients move along.
   * Everything is converted before anything is replaced, so an error leaves the module as it was.
   * @example model.to('webgpu'); model.to('float64'); model.to({ device: 'webgpu', dtype: 'float32' })
   */
  to(target: ToTarget): this {
    const { dtype, device } = toSpec(target);
    const moved = new Map<Tensor, Tensor>();
    noGrad(() => {
      for (const t of this.movable()) {
        moved.set(t, t.to({ dtype: dtype !== undefined && t.isFloatingPoint() ? dtype : t.dtype, device: device ?? t.device }));
      }
    });
    for (const [t, data] of moved) if (data !== t) t.setData(data);
    return this;
  }

  /**
   * Async twin of `module.cpu()`: moves parameters, buffers and gradients from a device back to the CPU in
   * place, once their values have been read (a device is read asynchronously), e.g. before torch.save.
   * @example await model.cpuAsync(); torch.save(model.stateDict(), 'model.safetensors')
   */
  async cpuAsync(): Promise<this> {
    const tensors = [...this.movable()];
    const moved = await Promise.all(tensors.map((t) => t.cpuAsync()));
    tensors.forEach((t, i) => {
      if (moved[i] !== t) t.setData(moved[i]);
    });
    return this;
  }

  /** The parameters, buffers and their gradients that `to` moves, each once. */
  private movable(): Set<Tensor> {
    const out = new Set<Tensor>();
    for (const m of this.modules()) {
      for (const [, v] of m.fields()) {
        if (!(v instanceof Tensor)) continue;
        out.add(v);
        if (v.grad !== null) out.add(v.grad);
      }
    }
    return out;
  }

  /** Parameters and buffers by dotted name (detached, sharing storage), as torch's state_dict. */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, m] of this.namedModules()) {
      const entries = m.fields().filter(([k, v]) => v instanceof Parameter || (m[BUFFERS].has(k) && v instanceof Tensor));
      for (const [k, v] of entries) out[name ? `${name}.${k}` : k] = (v as Tensor).detach();
    }
    return out;
  }

  /** Copies values from a state dict; strict mode lists missing and unexpected keys as PyTorch does. */
  loadStateDict(state: Partial<Record<string, Tensor>>, strict = true): { missingKeys: string[]; unexpectedKeys: string[] } {
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in state));
    const unexpectedKeys = Object.keys(state).filter((k) => !(k in own));
    const errors: string[] = [];
    if (strict && unexpectedKeys.length > 0) {
      errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    if (strict && missingKeys.length > 0) {
      errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}. `);
    }
    for (const [k, target] of Object.entries(own)) {
      const src = state[k];
      if (src === undefined) continue;
      if (src.dims.length !== target.dims.length || src.dims.some((d, i) => d !== target.dims[i])) {
        errors.push(
          `size mismatch for ${k}: copying a param with shape torch.Size([${src.dims.join(', ')}]) from checkpoint, ` +
            `the shape in current model is torch.Size([${target.dims.join(', ')}]).`,
        );
      }
    }
    if (errors.length > 0) {
      throw new RuntimeError(`loadStateDict: Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    }
    noGrad(() => {
      for (const [k, target] of Object.entries(own)) {
        const src = state[k];
        if (src) target.copy_(src);
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** The part inside the parentheses of the printed form, e.g. `in_features=10, out_features=4, bias=True`. */
  extraRepr(): string {
    return '';
  }

  /** Prints as PyTorch's repr(module). */
  toString(): string {
    const kids = [...this.namedChildren()].map(([k, m]) => `(${k}): ${m.toString().split('\n').join('\n  ')}`);
    const extra = this.extraRepr();
    const lines = [...(extra ? extra.split('\n') : []), ...kids];
    if (lines.length === 0) return `${this.constructor.name}()`;
    if (kids.length === 0 && lines.length === 1) return `${this.constructor.name}(${lines[0]})`;
    return `${this.constructor.name}(\n  ${lines.join('\n  ')}\n)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A module of any forward signature (Note [Module signatures]). */
export type AnyModule = Module<never, unknown>;
