// test/backends/webgpu-training.test.ts — training end to end on the webgpu device: LeNet-5 gives the CPU's
// (and PyTorch's) losses, an MLP trains with Adam and AdamW as on the CPU, GPU memory stays flat across
// steps, reads are the only traffic back, and the device reports no validation errors. Skipped, with the
// reason, where no WebGPU adapter exists.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';
import type { Tensor } from 'kindling';
import type { WebgpuBackend } from '../../src/backends/webgpu/index.js';
import { found, skip } from './webgpu-device.js';
import { lenet5 } from '../../examples/lenet5.js';
import { assertClose, loadFixture } from '../helpers.js';

const gpu = typeof found === 'string' ? null : found;
type Device = 'cpu' | 'webgpu';

interface Fixture { steps: number; batch: number; lr: number; momentum: number; losses: number[] }
const fx = loadFixture('lenet_sgd.json') as Fixture;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Counts the device's reads while `body` runs. */
async function countingReads<T>(body: () => Promise<T>): Promise<{ result: T; reads: number }> {
  const be = gpu as WebgpuBackend;
  const readAsync = be.readAsync;
  let reads = 0;
  be.readAsync = (s) => {
    reads++;
    return readAsync(s);
  };
  try {
    return { result: await body(), reads };
  } finally {
    be.readAsync = readAsync;
  }
}

/** LeNet-5 trained as test/random/lenet-e2e.test.ts does (PyTorch's fixture), on `device`. */
async function lenetLosses(device: Device): Promise<number[]> {
  torch.manualSeed(0);
  const model = lenet5().to(device);
  const x = torch.randn(fx.steps, fx.batch, 1, 28, 28).to(device);
  const y = torch.randint(0, 10, [fx.steps, fx.batch]).to(device);
  const opt = new optim.SGD(model.parameters(), { lr: fx.lr, momentum: fx.momentum });
  const losses: number[] = [];
  for (let i = 0; i < fx.steps; i++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(model(x.get(i)), y.get(i));
    loss.backward();
    opt.step();
    losses.push(await loss.itemAsync());
  }
  return losses;
}

/** A two-layer MLP on seeded data, its optimizer made by `makeOpt`; `onStep` sees each step's number. */
async function mlpLosses(device: Device, makeOpt: (ps: Tensor[]) => optim.Optimizer, steps: number, onStep = async (_i: number): Promise<void> => {}): Promise<number[]> {
  torch.manualSeed(1);
  const model = new nn.Sequential(new nn.Linear(20, 33), new nn.Tanh(), new nn.Dropout(0.1), new nn.Linear(33, 5)).to(device);
  const opt = makeOpt(model.parameters());
  const x = torch.randn(17, 20).to(device), y = torch.randint(0, 5, [17]).to(device);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(model(x), y);
    loss.backward();
    opt.step();
    // A read per step also gives the event loop the turn in which collected tensors return their buffers.
    const value = await loss.itemAsync();
    if (i < 20) losses.push(value);
    await onStep(i);
  }
  await torch.webgpu.synchronize();
  return losses;
}

describe('training on webgpu', { skip }, () => {
  after(() => {
    assert.deepEqual(gpu?.runtime.errors, [], 'WebGPU validation errors');
  });

  test('LeNet-5, 20 SGD steps with momentum: the CPU\'s losses (and PyTorch\'s) within 1e-4; one read per step', async () => {
    const cpu = await lenetLosses('cpu');
    const { result: losses, reads } = await countingReads(() => lenetLosses('webgpu'));
    assertClose(losses, cpu, { atol: 1e-4, rtol: 0, what: 'webgpu against cpu' });
    assertClose(losses, fx.losses, { atol: 1e-4, rtol: 0, what: 'webgpu against PyTorch' });
    // Every op queued work on the device; the only reads back were the losses.
    assert.equal(reads, fx.steps);
    assert.match(torch.webgpu.getDeviceName(), /\S/);
  });

  for (const [name, make] of [
    ['Adam', (ps: Tensor[]) => new optim.Adam(ps, { lr: 1e-2 })],
    ['AdamW', (ps: Tensor[]) => new optim.AdamW(ps, { lr: 1e-2, weightDecay: 0.1, amsgrad: true })],
    ['SGD with Nesterov momentum', (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
  ] as const) {
    test(`an MLP with dropout and ${name}: the CPU's first 20 losses within 1e-4`, async () => {
      const cpu = await mlpLosses('cpu', make, 20);
      const losses = await mlpLosses('webgpu', make, 20);
      assertClose(losses, cpu, { atol: 1e-4, rtol: 0, what: name });
    });
  }

  test('model.to(\'webgpu\') and await model.cpuAsync() move parameters, buffers and gradients in place', async () => {
    torch.manualSeed(3);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.BatchNorm1d(4));
    const before = model.parameters();
    const values = model.stateDict();
    const copies = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.clone()]));
    model.to('webgpu');
    model(torch.randn(5, 3).to('webgpu')).sum().backward();
    assert.equal(String(model.parameters()[0].device), 'webgpu:0');
    assert.equal(await model.cpuAsync(), model);
    assert.deepEqual(model.parameters(), before);
    for (const [k, v] of Object.entries(model.stateDict())) {
      assert.equal(String(v.device), 'cpu', k);
      if (k.endsWith('weight') || k.endsWith('bias')) assert.deepEqual(v.tolist(), copies[k].tolist(), k);
    }
    assert.equal(String(before[0].grad?.device), 'cpu');
    assert.equal(model.stateDict()['1.num_batches_tracked'].item(), 1);
  });

  test('a tensor larger than the device\'s largest buffer binding is refused before anything is allocated', () => {
    const { maxBufferSize, maxStorageBufferBindingSize } = (gpu as WebgpuBackend).runtime.device.limits;
    const limit = Math.min(maxBufferSize, maxStorageBufferBindingSize);
    const before = torch.webgpu.memoryReserved();
    assert.throws(() => torch.empty(limit / 4 + 1, { device: 'webgpu' }), {
      name: 'RuntimeError', message: `webgpu: a tensor of ${limit + 4} bytes does not fit the device's largest buffer binding (${limit} bytes)`,
    });
    assert.equal(torch.webgpu.memoryReserved(), before);
  });

  test('with a read per step, collected tensors return their GPU memory: live bytes flat over 200 steps', async () => {
    const seen: number[] = [];
    // Collected tensors return their buffers from FinalizationRegistry callbacks, which run between turns.
    const settle = async (): Promise<number> => {
      for (let k = 0; k < 3; k++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return torch.webgpu.memoryAllocated();
    };
    await mlpLosses('webgpu', (ps) => new optim.Adam(ps, { lr: 1e-3 }), 200, async (i) => {
      if (i === 19 || i === 199) seen.push(await settle());
    });
    assert.ok(seen[1] <= seen[0], `live bytes after 20 steps ${seen[0]}, after 200 ${seen[1]}`);
  });

  test('in a loop that never awaits, torch.webgpu.scope keeps live and pool bytes exactly flat over 200 steps', async () => {
    torch.manualSeed(2);
    const first = new nn.Linear(20, 33);
    const model = new nn.Sequential(first, new nn.ReLU(), new nn.Dropout(0.1), new nn.Linear(33, 5)).to('webgpu');
    const opt = new optim.AdamW(model.parameters(), { lr: 1e-3 });
    const x = torch.randn(17, 20).to('webgpu'), y = torch.randint(0, 5, [17]).to('webgpu');
    const seen: [number, number][] = [];
    let last: Tensor | null = null;
    for (let i = 0; i < 200; i++) {
      // zeroGrad last, so that this step's gradients are freed with the scope, not by the garbage collector.
      last = torch.webgpu.scope(() => {
        const loss = F.crossEntropy(model(x), y);
        loss.backward();
        opt.step();
        opt.zeroGrad();
        return loss;
      }, { keep: [model, opt] });
      if (i === 19 || i === 199) seen.push([torch.webgpu.memoryAllocated(), torch.webgpu.memoryReserved()]);
      if (i < 199) last.dispose();
    }
    assert.deepEqual(seen[1], seen[0], `live and pool bytes after 20 steps, then after 200: ${JSON.stringify(seen)}`);
    // What was kept still works: the last loss, the parameters and AdamW's state.
    assert.ok(Number.isFinite(await (last as Tensor).itemAsync()));
    F.crossEntropy(model(x), y).backward();
    opt.step();
    assert.ok(Number.isFinite(await first.weight.sum().itemAsync()));
    const freed = torch.webgpu.scope(() => x.mul(2));
    freed.dispose();
    await assert.rejects(freed.data(), /this tensor's memory was freed, by dispose\(\) or by a torch.webgpu.scope/);
  });
});
