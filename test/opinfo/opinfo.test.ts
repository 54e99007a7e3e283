// test/opinfo/opinfo.test.ts — tests generated from the op database: values and gradients
// against PyTorch fixtures, gradcheck in float64, and error inputs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as torch from 'kindling';
import type { DType, Tensor } from 'kindling';
import { assertClose, type FixtureNumber, fromFixture, loadFixture } from '../helpers.js';
import { allOpInfos } from './index.js';
import type { OpInfo } from './types.js';
import { gradSeed } from './values.js';

interface FixtureInput {
  shape: number[];
  kind: 'float' | 'int64' | 'bool';
  transposed: boolean;
  grad: boolean;
  values: number[];
}
interface FixtureCase {
  inputs: FixtureInput[];
  error?: string;
  shape: number[];
  dtype: DType;
  values: FixtureNumber[];
  grads?: (FixtureNumber[] | null)[];
}

const fixtures = loadFixture('ops.json') as Record<string, FixtureCase>;

/** Rebuilds a sample input exactly as scripts/fixtures_ops.py does. */
function makeInput(spec: FixtureInput, dtype: DType, requiresGrad: boolean): Tensor {
  const dt: DType = spec.kind === 'float' ? dtype : spec.kind;
  const shape = spec.shape;
  const stored = spec.transposed ? [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]] : shape;
  let t = torch.tensor(Float64Array.from(spec.values), { dtype: 'float64' }).to(dt).reshape(stored);
  if (spec.transposed) t = t.transpose(-1, -2);
  if (requiresGrad) t = t.detach().requiresGrad_();
  return t;
}

const wantsGrad = (info: OpInfo, spec: FixtureInput, dtype: DType): boolean =>
  (info.differentiable ?? true) && spec.kind === 'float' && spec.grad && (dtype === 'float32' || dtype === 'float64');

function tolerances(info: OpInfo, dtype: DType): { atol: number; rtol: number } {
  if (dtype === 'float64') return { atol: 1e-10, rtol: 1e-9 };
  return { atol: info.atol ?? 1e-6, rtol: info.rtol ?? 1e-5 };
}

for (const info of allOpInfos) {
  describe(`op ${info.name}`, () => {
    for (const dtype of info.dtypes ?? (['float32', 'float64'] as DType[])) {
      for (const sample of info.samples) {
        const key = `${info.name}/${sample.name}/${dtype}`;
        test(`${sample.name} ${dtype} matches PyTorch`, () => {
          const fx = fixtures[key];
          assert.ok(fx, `no fixture for ${key}: run npm run fixtures`);
          assert.equal(fx.error, undefined, `PyTorch rejected ${key}: ${fx.error}`);
          const inputs = fx.inputs.map((s) => makeInput(s, dtype, wantsGrad(info, s, dtype)));
          const out = info.call(...inputs);
          assert.deepEqual([...out.shape], fx.shape, 'shape');
          assert.equal(out.dtype, fx.dtype, 'dtype');
          const tol = tolerances(info, dtype);
          assertClose(Array.from(out.toArray()), fx.values.map(fromFixture), { ...tol, what: 'output' });
          const expectedGrads = fx.grads;
          if (!expectedGrads) return;
          const seed = torch.tensor(Float64Array.from({ length: out.numel() }, (_, i) => gradSeed(i)), { dtype: out.dtype }).reshape(out.dims);
          const wanted = inputs.filter((t) => t.requiresGrad);
          const grads = torch.autograd.grad(out, wanted, { gradOutputs: [seed], allowUnused: true });
          grads.forEach((g, i) => {
            const expected = expectedGrads[i] ?? null; // a fixture may list fewer gradients than inputs
            if (expected === null) {
              assert.ok(g === null || Array.from(g.toArray()).every((v) => v === 0), `grad ${i} should be None`);
              return;
            }
            assert.ok(g !== null, `grad ${i} missing`);
            assertClose(Array.from(g.toArray()), expected.map(fromFixture), { ...tol, what: `grad ${i}` });
          });
        });
        const small = sample.inputs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0) <= (info.gradcheckMaxNumel ?? 64);
        if (dtype === 'float64' && (info.differentiable ?? true) && small) {
          test(`${sample.name} passes gradcheck`, () => {
            const fx = fixtures[key];
            assert.ok(fx, `no fixture for ${key}`);
            const inputs = fx.inputs.map((s) => makeInput(s, 'float64', wantsGrad(info, s, 'float64')));
            if (!inputs.some((t) => t.requiresGrad)) return;
            assert.equal(torch.autograd.gradcheck(info.call, inputs), true);
          });
        }
      }
    }
    for (const e of info.errors ?? []) {
      test(`error: ${e.name}`, () => {
        assert.throws(e.run, (err: unknown) => {
          assert.ok(err instanceof torch.KindlingError, `expected a KindlingError, got ${String(err)}`);
          assert.match(err.message, e.match);
          return true;
        });
      });
    }
  });
}
