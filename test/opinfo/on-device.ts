// test/opinfo/on-device.ts — the op database on a device against the CPU: every float32 sample's values
// and gradients must equal the CPU's, with every kernel on the device, or the op must refuse with one of
// the documented device errors (docs/devices.md). Run by each device's test file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as torch from 'kindling';
import type { DType, Tensor } from 'kindling';
import { assertClose, loadFixture } from '../helpers.js';
import { allOpInfos } from './index.js';
import { gradSeed } from './values.js';

interface FixtureInput {
  shape: number[];
  kind: 'float' | 'int64' | 'bool';
  transposed: boolean;
  grad: boolean;
  values: number[];
}

const fixtures = loadFixture('ops.json') as Record<string, { inputs: FixtureInput[]; error?: string } | undefined>;

/** What a device may answer instead of the CPU's values: the refusals docs/devices.md lists. */
const DEVICE_REFUSAL = /cannot read a webgpu tensor synchronously|the result's size depends on the values of a webgpu:0|webgpu:0 does not support float64 tensors/;

function makeInput(spec: FixtureInput, device: 'cpu' | 'webgpu', requiresGrad: boolean): Tensor {
  const dtype: DType = spec.kind === 'float' ? 'float32' : spec.kind;
  const shape = spec.shape;
  const stored = spec.transposed ? [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]] : shape;
  let t = torch.tensor(Float64Array.from(spec.values), { dtype: 'float64' }).to(dtype).reshape(stored).to(device);
  if (spec.transposed) t = t.transpose(-1, -2);
  return requiresGrad ? t.detach().requiresGrad_() : t;
}

/** The output and the input gradients for a seed gradient, as flat arrays (async on every device). */
async function run(call: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): Promise<{ out: Tensor; values: number[]; grads: (number[] | null)[] }> {
  const out = call(...inputs);
  const values = Array.from(await out.data());
  const wanted = inputs.filter((t) => t.requiresGrad);
  if (wanted.length === 0 || !out.requiresGrad) return { out, values, grads: [] };
  const seed = torch.tensor(Float64Array.from({ length: out.numel() }, (_, i) => gradSeed(i)), { dtype: out.dtype, device: out.device }).reshape(out.dims);
  const grads = torch.autograd.grad(out, wanted, { gradOutputs: [seed], allowUnused: true });
  return { out, values, grads: await Promise.all(grads.map(async (g) => (g === null ? null : Array.from(await g.data())))) };
}

/** Tolerances a device widens the op's own by, where its arithmetic differs from the CPU's. */
export interface DeviceTolerance {
  atol: number;
  rtol: number;
}

/**
 * Declares a test per op database sample comparing `device` (named `label` in the test names) with the CPU;
 * `skip` says why the device is missing, `widen` loosens the op's tolerances (WGSL's transcendentals).
 */
export function opDatabaseOnDevice(label: string, { skip = false, widen = { atol: 0, rtol: 0 } }: { skip?: string | false; widen?: DeviceTolerance } = {}): void {
for (const info of allOpInfos) {
  if (!(info.dtypes ?? ['float32']).includes('float32')) continue;
  describe(`op ${info.name} on ${label}`, { skip }, () => {
    for (const sample of info.samples) {
      const fx = fixtures[`${info.name}/${sample.name}/float32`];
      if (fx === undefined || fx.error !== undefined) continue;
      test(`${sample.name} equals the CPU or refuses clearly`, async () => {
        const grad = (s: FixtureInput): boolean => (info.differentiable ?? true) && s.kind === 'float' && s.grad;
        const cpu = await run(info.call, fx.inputs.map((s) => makeInput(s, 'cpu', grad(s))));
        let gpu;
        try {
          gpu = await run(info.call, fx.inputs.map((s) => makeInput(s, 'webgpu', grad(s))));
        } catch (e) {
          assert.match(String(e), DEVICE_REFUSAL);
          return;
        }
        assert.equal(String(gpu.out.device), 'webgpu:0');
        assert.deepEqual(gpu.out.dims, cpu.out.dims);
        const tol = { atol: Math.max(info.atol ?? 1e-6, widen.atol), rtol: Math.max(info.rtol ?? 1e-5, widen.rtol) };
        assertClose(gpu.values, cpu.values, { ...tol, what: 'output' });
        cpu.grads.forEach((g, i) => {
          const d = gpu.grads[i] ?? null;
          if (g === null || d === null) assert.equal(d, g, `grad ${i}`);
          else assertClose(d, g, { ...tol, what: `grad ${i}` });
        });
      });
    }
  });
}
}
