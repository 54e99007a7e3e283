// src/optim/optimizer.ts — torch.optim.Optimizer: parameter groups with their own options,
// per-parameter state, zeroGrad, step under noGrad, and PyTorch-shaped state dicts.
import { ArgumentTypeError, constructorName, ValueError } from '../core/errors.js';
import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';
import { clone } from '../ops/views.js';
import { isFloating } from '../core/dtype.js';

/** One entry of a parameter's optimizer state: a buffer, a count (`step`), or an absent buffer. */
export type StateValue = Tensor | number | null;

/** A parameter's optimizer state under PyTorch's keys (`momentum_buffer`, `exp_avg`, `step` …), empty before its first step. */
export type ParamState = Partial<Record<string, StateValue>>;

/** Fields that learning-rate schedulers add to a group (PyTorch's `initial_lr`, `max_lr` …). */
export interface SchedulerFields {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}

/** Options every optimizer has. */
export interface BaseOptions {
  lr: number;
}

/** A parameter group: its tensors and its full set of options. */
export type ParamGroup<O extends BaseOptions = BaseOptions> = O & SchedulerFields & { params: Tensor[] };

/** What a caller passes for a group: its tensors and the options that differ from the defaults. */
export type ParamGroupInput<O extends BaseOptions = BaseOptions> = Partial<O> & SchedulerFields & {
  params: Iterable<Tensor> | Tensor;
};

/** What optimizers accept: tensors (one group) or a list of groups. */
export type Params<O extends BaseOptions = BaseOptions> = Iterable<Tensor> | readonly ParamGroupInput<O>[];

/** A value of a saved group option. */
export type GroupValue = number | boolean | string | null | readonly number[];

/** `Optimizer.stateDict()`: PyTorch's structure and snake_case keys, parameters by index. */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  param_groups: ({ params: number[] } & Record<string, GroupValue>)[];
}

/** PyTorch's spelling of a kindling key: `weightDecay` → `weight_decay`, `_stepCount` → `_step_count`. */
export const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** kindling's spelling of a PyTorch key (the inverse of snakeCase; a leading `_` stays). */
export const camelCase = (key: string): string => key.replace(/(?<=[a-z0-9])_([a-z])/g, (_, c: string) => c.toUpperCase());

function describe(x: unknown): string {
  return x === null ? 'None' : typeof x === 'object' ? (constructorName(x) ?? 'object') : typeof x;
}

/**
 * Base class of all optimizers (torch.optim.Optimizer). Subclasses give their defaults and
 * `updateGroup`, which applies one step to one group; `step()` runs it under noGrad.
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The groups, each with its full options; schedulers change `lr` here. */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created lazily by `step()`. */
  state = new Map<Tensor, ParamState>();

  constructor(params: Params<O>, readonly defaults: O) {
    if (params instanceof Tensor) {
      throw new ArgumentTypeError(
        `${this.constructor.name}: params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params.constructor.name}`,
      );
    }
    const list: readonly (Tensor | ParamGroupInput<O>)[] = [...params];
    if (list.length === 0) throw new ValueError(`${this.constructor.name}: optimizer got an empty parameter list`);
    const noOptions: Partial<O> = {};
    const groups: readonly ParamGroupInput<O>[] = list[0] instanceof Tensor
      ? [Object.assign({ params: list as Tensor[] }, noOptions)]
      : (list as ParamGroupInput<O>[]);
    for (const group of groups) this.addParamGroup(group);
  }

  /** Adds a group (e.g. layers unfrozen while fine-tuning); missing options take the defaults. */
  addParamGroup(group: ParamGroupInput<O>): void {
    const input: unknown = group; // untyped callers can pass anything
    if (typeof input !== 'object' || input === null || input instanceof Tensor) {
      throw new ArgumentTypeError(`${this.constructor.name}: param group must be a dict`);
    }
    if (group.params instanceof Set) {
      throw new ArgumentTypeError(
        `${this.constructor.name}: optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.`,
      );
    }
    const params: unknown[] = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new ArgumentTypeError(`${this.constructor.name}: optimizer can only optimize Tensors, but one of the params is ${describe(p)}`);
      if (!p.isLeaf && !p.retainsGrad) throw new ValueError(`${this.constructor.name}: can't optimize a non-leaf Tensor`);
    }
    const given = Object.entries(group).filter(([key, value]) => key !== 'params' && value !== undefined);
    const full = { ...this.defaults, ...Object.fromEntries(given), params } as ParamGroup<O>;
    for (const [key, value] of Object.entries(full)) {
      if (value === undefined) {
        throw new ValueError(`${this.constructor.name}: parameter group didn't specify a value of required optimization parameter ${snakeCase(key)}`);
      }
    }
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    if (full.params.some((p) => seen.has(p))) throw new ValueError(`${this.constructor.name}: some parameters appear in more than one parameter group`);
    this.paramGroups.push(full);
  }

  /**
   * Clears the gradients of all optimized tensors: sets them to null by default (PyTorch's
   * `set_to_none=True`, its default since 2.0), or zeros them in place.
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (setToNone) {
          p.grad = null;
          continue;
        }
        // A gradient built with createGraph is cut from its graph before it is reused.
        if (p.grad.gradFn !== null) p.grad = p.grad.detach();
        else if (p.grad.requiresGrad) p.grad.requiresGrad_(false);
        const grad = p.grad;
        noGrad(() => grad.zero_());
      }
    }
  }

  /** One optimization step; `closure` re-evaluates the model (with grad on) and returns the loss. */
  step(closure?: () => Tensor): Tensor | null {
    const loss = closure === undefined ? null : enableGrad(closure);
    noGrad(() => {
      for (const group of this.paramGroups) this.updateGroup(group);
    });
    return loss;
  }

  /** Applies one step to the group's tensors that have a gradient. Runs under noGrad. */
  protected abstract updateGroup(group: ParamGroup<O>): void;

  /** The state of `p`, created empty on first use (PyTorch's defaultdict). */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) this.state.set(p, (s = {}));
    return s;
  }

  /**
   * The state: PyTorch's `{ state, param_groups }` with parameters replaced by their index. As in
   * PyTorch, the buffers are the live tensors; loadStateDict copies them.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const packed: Record<string, GroupValue> = {};
      for (const [key, value] of Object.entries(group)) {
        if (key !== 'params') packed[snakeCase(key)] = value as GroupValue;
      }
      const ids = group.params.map((p) => {
        let id = index.get(p);
        if (id === undefined) index.set(p, (id = index.size));
        return id;
      });
      return { ...packed, params: ids };
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = s;
    }
    return { state, param_groups: paramGroups };
  }

  /** Loads a state from `stateDict()`: copies of its buffers, cast to each parameter's float dtype. */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const saved = stateDict.param_groups;
    if (saved.length !== this.paramGroups.length) {
      throw new ValueError(`${this.constructor.name}: loaded state dict has a different number of parameter groups`);
    }
    if (saved.some((g, i) => g.params.length !== this.paramGroups[i].params.length)) {
      throw new ValueError(`${this.constructor.name}: loaded state dict contains a parameter group that doesn't match the size of optimizer's group`);
    }
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => {
      g.params.forEach((id, j) => byIndex.set(id, this.paramGroups[i].params[j]));
    });
    const state = new Map<Tensor, ParamState>();
    for (const [key, values] of Object.entries(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) continue;
      const copy: ParamState = {};
      for (const [name, v] of Object.entries(values)) {
        copy[name] = v instanceof Tensor ? noGrad(() => castLike(p, v, name)) : v;
      }
      state.set(p, copy);
    }
    this.paramGroups = saved.map((g, i) => {
      const options: Record<string, GroupValue> = {};
      for (const [key, value] of Object.entries(g)) {
        if (key !== 'params') options[camelCase(key)] = Array.isArray(value) ? [...(value as readonly number[])] : value;
      }
      // Options missing from an older state dict keep their defaults, as PyTorch's __setstate__ does.
      return Object.assign({}, this.defaults, options, { params: this.paramGroups[i].params });
    });
    this.state = state;
  }
}

/**
 * A fresh copy of a saved buffer on the parameter's device, in its dtype when the parameter is
 * floating, as PyTorch's Optimizer.load_state_dict casts state; `step` stays as saved.
 */
function castLike(p: Tensor, v: Tensor, name: string): Tensor {
  const copy = clone(v.detach());
  return name === 'step' ? copy : copy.to({ dtype: isFloating(p.dtype) ? p.dtype : copy.dtype, device: p.device });
}
