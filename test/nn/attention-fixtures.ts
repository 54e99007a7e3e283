// test/nn/attention-fixtures.ts — reading test/fixtures/attention.json (scripts/fixtures_attention.py):
// tensors, state dicts, and the check that a module's outputs and gradients match PyTorch's.
import assert from 'node:assert/strict';
import * as torch from 'kindling';
import { assertClose, type FixtureNumber, fromFixture, loadFixture, present } from '../helpers.js';

export interface FixtureTensor {
  shape: number[];
  dtype: 'float32' | 'float64' | 'bool' | 'int64';
  data: (FixtureNumber | boolean)[];
}

export interface GradRecord {
  outputs: FixtureTensor[];
  gradOutputs: FixtureTensor[];
  grads: Record<string, FixtureTensor>;
}

let cache: Partial<Record<string, unknown[]>> | null = null;

/** One section of the fixture file ("sdpa", "mha", …), typed by the caller. */
export function section<T>(name: string): T[] {
  cache ??= loadFixture('attention.json') as Partial<Record<string, unknown[]>>;
  const cases = cache[name];
  assert.ok(cases !== undefined, `attention.json has no section ${name}`);
  return cases as T[];
}

/** The fixture tensor, optionally in another floating dtype. */
export function fx(t: FixtureTensor, dtype?: 'float32' | 'float64'): torch.Tensor {
  const values = t.data.map((v) => (typeof v === 'boolean' ? Number(v) : fromFixture(v)));
  const want = t.dtype === 'bool' || t.dtype === 'int64' ? t.dtype : dtype ?? t.dtype;
  return torch.tensor(values, { dtype: want }).reshape(t.shape);
}

/** A module's state dict from the fixture, in `dtype`. */
export function stateOf(state: Record<string, FixtureTensor>, dtype?: 'float32' | 'float64'): Record<string, torch.Tensor> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, fx(v, dtype)]));
}

/** Asserts the module's state dict equals the fixture's, key order included. */
export function assertState(module: torch.nn.Module<never, unknown>, state: Record<string, FixtureTensor>, atol = 0): void {
  const own = module.stateDict();
  assert.deepEqual(Object.keys(own), Object.keys(state));
  for (const [k, v] of Object.entries(state)) {
    assert.deepEqual([...own[k].shape], v.shape, k);
    assertClose(own[k].toArray(), v.data.map((x) => fromFixture(x as FixtureNumber)), { atol, rtol: 0, what: k });
  }
}

export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * Compares outputs with the fixture's, backprops Σ out·g with its output gradients, and compares the
 * gradients of the named tensors (inputs and parameters).
 */
export function assertOutputsAndGrads(
  outputs: torch.Tensor[], rec: GradRecord, tensors: Partial<Record<string, torch.Tensor>>, tol: Tolerance,
): void {
  assert.equal(outputs.length, rec.outputs.length, 'number of outputs');
  let loss: torch.Tensor | null = null;
  outputs.forEach((o, i) => {
    const want = rec.outputs[i];
    assert.deepEqual([...o.shape], want.shape, `output ${i} shape`);
    assertClose(o.detach().toArray(), fx(want).toArray(), { ...tol, what: `output ${i}` });
    const term = o.mul(fx(rec.gradOutputs[i], o.dtype === 'float64' ? 'float64' : 'float32')).sum();
    loss = loss === null ? term : loss.add(term);
  });
  (loss as torch.Tensor | null)?.backward();
  for (const [name, g] of Object.entries(rec.grads)) {
    const t = tensors[name];
    assert.ok(t !== undefined, `no tensor named ${name}`);
    assert.ok(t.grad !== null, `${name} has no gradient`);
    assertClose(t.grad.toArray(), fx(g).toArray(), { ...tol, what: `grad of ${name}` });
  }
}

export interface ModuleCase extends GradRecord {
  name: string;
  seed: number;
  kind: string;
  args: (number | boolean)[];
  options: Record<string, unknown>;
  train: boolean;
  repr: string;
  init: Record<string, FixtureTensor>;
  state: Record<string, FixtureTensor>;
  order: string[];
  same: Record<string, string>;
  inputs: Record<string, FixtureTensor>;
  forward: Record<string, FixtureTensor | number | boolean>;
}

export type Options = Record<string, torch.Tensor | null>;
/** A module and how to call it on positional inputs and forward options. */
export type Built = [torch.nn.Module<never, unknown>, (inputs: torch.Tensor[], options: Options) => torch.Tensor | torch.Tensor[]];

/** Builds the case's module under its seed, loads the perturbed state, runs it; checks outputs and grads. */
export function runModuleCase<C extends ModuleCase>(c: C, make: (c: C) => Built, tol = { atol: 3e-5, rtol: 1e-4 }): void {
  torch.manualSeed(c.seed);
  const [m, run] = make(c);
  m.train(c.train);
  m.loadStateDict(stateOf(c.state));
  const t: Partial<Record<string, torch.Tensor>> = {};
  for (const [k, v] of Object.entries(c.inputs)) t[k] = fx(v).requiresGrad_(v.dtype === 'float32');
  for (const [k, other] of Object.entries(c.same)) t[k] = t[other];
  const options: Options = {};
  for (const [k, v] of Object.entries(c.forward)) if (typeof v === 'object') options[k] = fx(v);
  const out = run(c.order.map((k) => present(t[k], k)), options);
  assertOutputsAndGrads(Array.isArray(out) ? out : [out], c, { ...t, ...Object.fromEntries(m.namedParameters()) }, tol);
}

