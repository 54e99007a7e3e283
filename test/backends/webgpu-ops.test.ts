// test/backends/webgpu-ops.test.ts — the op database on the real webgpu device against the CPU, every kernel
// in WGSL; skipped, with the reason, where no WebGPU adapter exists.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import * as torch from 'kindling';
import { F } from 'kindling';
import type { Tensor } from 'kindling';
import { assertClose } from '../helpers.js';
import { found, skip } from './webgpu-device.js';
import { opDatabaseOnDevice } from '../opinfo/on-device.js';

const gpu = typeof found === 'string' ? null : found;
// WGSL's exp, log, tanh, pow and friends are accurate to a few ulp more than the CPU's libm.
opDatabaseOnDevice('webgpu', { skip, widen: { atol: 1e-5, rtol: 2e-4 } });

after(() => {
  if (gpu !== null) assert.deepEqual(gpu.runtime.errors, [], 'WebGPU validation errors');
});

/** Runs `f` on CPU inputs and on their webgpu copies; the values (and the CPU's shape) must agree. */
async function agree(what: string, f: (...xs: Tensor[]) => Tensor, ...inputs: Tensor[]): Promise<void> {
  const cpu = f(...inputs);
  const dev = f(...inputs.map((x) => x.to('webgpu')));
  assert.deepEqual(dev.dims, cpu.dims, what);
  assertClose(await dev.data(), cpu.toArray(), { atol: 1e-5, rtol: 2e-4, what });
}

describe('webgpu on awkward sizes (0-d, 1, 3, 17, 33, 65, 129: every tile and workgroup edge)', { skip }, () => {
  const sizes = [1, 3, 17, 33, 65, 129];
  test('matrix products in every transpose case, batched and broadcast', async () => {
    torch.manualSeed(0);
    for (const n of sizes) {
      const a = torch.randn(n, n + 2), b = torch.randn(n + 2, n + 1);
      await agree(`mm ${n}`, (x, y) => x.mm(y), a, b);
      await agree(`mm Tn ${n}`, (x, y) => x.t().mm(y), torch.randn(n + 2, n), b);
      await agree(`mm nT ${n}`, (x, y) => x.mm(y.t()), a, torch.randn(n + 1, n + 2));
      await agree(`bmm broadcast ${n}`, (x, y) => torch.matmul(x, y), torch.randn(3, n, 5), torch.randn(5, n));
      await agree(`mv ${n}`, (x, y) => x.mv(y), a, torch.randn(n + 2));
    }
  });

  test('reductions, softmax and pointwise broadcasting', async () => {
    torch.manualSeed(1);
    for (const n of sizes) {
      const x = torch.randn(n, n + 1, 3);
      await agree(`sum all ${n}`, (t) => t.sum(), x);
      await agree(`sum dim 1 ${n}`, (t) => t.sum(1), x);
      await agree(`amax dims 0,2 ${n}`, (t) => t.amax([0, 2]), x);
      await agree(`argmax ${n}`, (t) => t.argmax(1), x);
      await agree(`softmax ${n}`, (t) => t.softmax(1), x);
      await agree(`logSoftmax transposed ${n}`, (t) => t.transpose(0, 1).logSoftmax(-1), x);
      await agree(`add broadcast ${n}`, (t, u) => t.add(u), x, torch.randn(n + 1, 1));
      await agree(`mul 0-d ${n}`, (t, u) => t.mul(u), x, torch.tensor(2.5));
    }
    await agree('0-d exp', (t) => t.exp(), torch.tensor(0.5));
  });

  test('convolutions and pooling', async () => {
    torch.manualSeed(2);
    for (const n of [5, 17, 33]) {
      const x = torch.randn(2, 3, n, n + 2), w = torch.randn(4, 3, 3, 3);
      await agree(`conv2d ${n}`, (t, k) => F.conv2d(t, k, null, { padding: 1 }), x, w);
      await agree(`conv2d stride 2 ${n}`, (t, k) => F.conv2d(t, k, null, { stride: 2 }), x, w);
      await agree(`maxPool2d ${n}`, (t) => F.maxPool2d(t, 2), x);
      await agree(`avgPool2d ${n}`, (t) => F.avgPool2d(t, 3, { stride: 2, padding: 1 }), x);
    }
  });
});
