// test/tensor/fake-device.test.ts — the device seam end to end against a stand-in 'webgpu' backend
// (fake-webgpu.ts: JS kernels behind device-tagged storages, asynchronous reads only, and a loud
// failure when a CPU storage reaches a device kernel): factories, printing, async reads, ops,
// autograd, losses, Module.to and training all stay on the device and give the CPU's numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';
import { registerBackend } from '../../src/backends/select.js';
import { assertClose } from '../helpers.js';
import { counts, fakeWebgpu } from './fake-webgpu.js';

registerBackend(fakeWebgpu);

type Device = 'cpu' | 'webgpu';
const on = (device: Device, x: torch.Tensor): torch.Tensor => torch.noGrad(() => x.to(device));

/** Runs `f` on each device and checks that the tensors it returns hold the same values, on the right device. */
async function sameOnBoth(f: (device: Device) => torch.Tensor[], tol = { atol: 1e-6, rtol: 1e-5 }): Promise<void> {
  const cpu = f('cpu'), gpu = f('webgpu');
  for (const [i, t] of gpu.entries()) {
    assert.equal(String(t.device), 'webgpu:0', `output ${i} stays on the device`);
    assert.deepEqual(t.dims, cpu[i].dims);
    assertClose(await t.data(), cpu[i].toArray(), { ...tol, what: `output ${i}` });
  }
}

test('torch.webgpu reports the registered backend', async () => {
  assert.equal(torch.webgpu.isAvailable(), true);
  assert.equal(torch.webgpu.memoryAllocated(), 4096);
  torch.webgpu.emptyCache();
  assert.equal(counts.emptyCache, 1);
  await torch.webgpu.synchronize();
});

test('factories build on the host and upload, so seeded draws equal the CPU draws', async () => {
  await sameOnBoth((device) => {
    torch.manualSeed(5);
    return [
      torch.randn(3, 4, { device }), torch.rand(5, { device }), torch.randint(0, 9, [6], { device, dtype: 'int32' }),
      torch.randperm(5, { device }), torch.zeros(2, { device }), torch.ones(2, 2, { device }), torch.full([3], 7, { device }),
      torch.arange(4, { device }), torch.linspace(0, 1, 5, { device }), torch.eye(3, { device }), torch.tensor([[1, 2]], { device }),
      torch.normal(0, 2, [4], { device }), torch.bernoulli(torch.zeros(8, { device }), 0.5),
    ];
  });
  // Probabilities in a tensor are read on the host as they are drawn against, which a device cannot do synchronously.
  assert.throws(() => torch.bernoulli(torch.full([2], 0.5, { device: 'webgpu' })), /bernoulli: cannot read a webgpu tensor synchronously; use await p.cpuAsync\(\)/);
  const x = torch.ones(2, { device: 'webgpu', requiresGrad: true });
  assert.equal(x.requiresGrad, true);
  assert.equal(torch.zerosLike(x).device, x.device);
  assert.equal(torch.randnLike(x).device, x.device);
  assert.throws(() => torch.zeros(2, { device: 'webgpu', dtype: 'float64' }), {
    name: 'RuntimeError', message: 'zeros: webgpu:0 does not support float64 tensors (WebGPU has no 64-bit floats: convert to float32 first)',
  });
  assert.throws(() => torch.ones(2, { dtype: 'float64' }).to('webgpu'), /to: webgpu:0 does not support float64 tensors/);
  assert.throws(() => torch.ones(2, { device: 'webgpu' }).double(), /to: webgpu:0 does not support float64 tensors/);
  assert.equal((await torch.ones(2, { dtype: 'float64' }).to({ device: 'webgpu', dtype: 'float32' }).data()).length, 2);
});

test('a device tensor prints a placeholder synchronously, and its values with toStringAsync', async () => {
  const x = torch.tensor([1, 2], { device: 'webgpu' });
  assert.equal(String(x), "tensor(..., device='webgpu:0', size=(2,), dtype=torch.float32) // values: await x.toStringAsync()");
  assert.equal(await x.toStringAsync(), "tensor([1., 2.], device='webgpu:0')");
  assert.equal(await x.to('int32').toStringAsync(), "tensor([1, 2], device='webgpu:0', dtype=torch.int32)");
  assert.equal(await torch.zeros(0, 2, { device: 'webgpu' }).toStringAsync(), "tensor([], device='webgpu:0', size=(0, 2))");
  const y = torch.ones(2, { device: 'webgpu', requiresGrad: true }).mul(3);
  assert.equal(await y.toStringAsync(), "tensor([3., 3.], device='webgpu:0', grad_fn=<MulBackward0>)");
  assert.match(String(new nn.Parameter(torch.ones(1, { device: 'webgpu' }))), /^Parameter containing:\ntensor\(\.\.\., device='webgpu:0'/);
});

test('reads: the synchronous ones throw, the async twins work', async () => {
  const x = torch.arange(6, { device: 'webgpu', dtype: 'float32' }).reshape(2, 3);
  assert.throws(() => x.sum().item(), { message: 'item: cannot read a webgpu tensor synchronously; use await x.itemAsync()' });
  assert.throws(() => x.tolist(), /tolistAsync/);
  assert.equal(await x.sum().itemAsync(), 15);
  assert.deepEqual(await x.t().tolistAsync(), [[0, 3], [1, 4], [2, 5]]);
  assert.deepEqual(Array.from(await x.narrow(1, 1, 2).data()), [1, 2, 4, 5]);
  const back = await x.cpuAsync();
  assert.equal(String(back.device), 'cpu');
  assert.deepEqual(back.tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(await torch.tensor([true, false], { device: 'webgpu' }).tolistAsync(), [true, false]);
});

test('ops run on their inputs device; numbers and 0-d CPU tensors join them; other mixes throw', async () => {
  await sameOnBoth((device) => {
    torch.manualSeed(1);
    const a = on(device, torch.randn(3, 4)), b = on(device, torch.randn(4, 2)), idx = on(device, torch.tensor([2, 0, -1], { dtype: 'int64' }));
    return [
      a.mul(2).add(1).relu(), a.matmul(b), a.sum(1), a.mean(), a.var(0), a.amax(1, true), a.argmax(1), a.softmax(1), a.logSoftmax(0),
      a.clamp(-0.5, 0.5), a.gt(0), torch.where(a.gt(0), a, 0), a.get(idx), a.indexSelect(1, torch.tensor([3, 1], { dtype: 'int64', device })),
      torch.cat([a, a], 1), a.t().contiguous(), a.pow(2).sqrt(), a.add(torch.tensor(3)), a.max(1).values, a.median(), a.std(1), a.logsumexp(1),
      a.div(torch.tensor(2, { dtype: 'int64' })), torch.stack([a.sum(), torch.tensor(1)]),
    ];
  });
  const gpu = torch.ones(2, { device: 'webgpu' });
  assert.throws(() => gpu.add(torch.ones(2)), { message: 'add: Expected all tensors to be on the same device, but found at least two devices, webgpu:0 and cpu!' });
  assert.throws(() => gpu.matmul(torch.ones(2)), /found at least two devices, webgpu:0 and cpu!/);
  assert.throws(() => gpu.add(torch.tensor(1, { requiresGrad: true })), /a 0-d cpu tensor that requires grad cannot join an op on webgpu:0/);
  assert.throws(() => torch.tensor(1).add_(torch.tensor(1, { device: 'webgpu' })), /copy_: Expected all tensors to be on the same device/);
  assert.throws(() => gpu.maskedSelect(gpu.gt(0)), /masked_select: the result's size depends on the values of a webgpu:0 mask/);
  assert.throws(() => gpu.get(gpu.gt(0)), /get: the result's size depends/);
});

test('in-place ops, copy_ and random fills stay on the device', async () => {
  await sameOnBoth((device) => {
    torch.manualSeed(2);
    const x = on(device, torch.zeros(3, 4));
    x.uniform_(-1, 1);
    const view = on(device, torch.zeros(4, 3)).t();
    view.normal_(0, 1);
    const y = on(device, torch.ones(2, 3));
    y.add_(on(device, torch.ones(3)), { alpha: 2 }).mul_(3).clamp_(0, 8);
    y.copy_(torch.tensor([[1, 2, 3], [4, 5, 6]])); // a CPU source is uploaded
    const z = on(device, torch.ones(4)).bernoulli_(0.3);
    return [x, view, y, z, on(device, torch.zeros(2)).fill_(4)];
  });
  assert.throws(() => torch.zeros(2).copy_(torch.ones(2, { device: 'webgpu' })), /copy_: cannot copy a webgpu:0 tensor to the cpu synchronously/);
});

test('to() uploads; a copy that would need its gradient back from the device is refused', async () => {
  const x = torch.tensor([1, 2, 3]);
  const g = x.to('webgpu');
  assert.equal(String(g.device), 'webgpu:0');
  assert.equal(g.to('webgpu'), g);
  assert.equal(g.to(torch.device('webgpu')), g);
  assert.deepEqual(Array.from(await g.data()), [1, 2, 3]);
  assert.throws(() => g.to('cpu'), /use await x.cpuAsync\(\)/);
  const leaf = torch.ones(2, { requiresGrad: true });
  assert.throws(() => leaf.to('webgpu'), /to: cannot record a copy of a tensor that requires grad from cpu to webgpu:0/);
  assert.equal(torch.noGrad(() => leaf.to('webgpu')).requiresGrad, false);
});

test('backward runs on the device and gives the CPU gradients', async () => {
  await sameOnBoth((device) => {
    torch.manualSeed(4);
    const w = on(device, torch.randn(3, 2)).requiresGrad_(), x = on(device, torch.randn(5, 3));
    const target = on(device, torch.tensor([1, 0, 1, 1, 0], { dtype: 'int64' }));
    const logits = x.matmul(w).tanh();
    const loss = F.crossEntropy(logits, target).add(F.mseLoss(logits, torch.zerosLike(logits)));
    loss.backward();
    const v = on(device, torch.randn(4)).requiresGrad_();
    v.get([1, 3]).sum().backward();
    return [loss, w.grad ?? torch.zeros(0), v.grad ?? torch.zeros(0)];
  });
});

test('losses with ignored targets, class weights and probabilities agree with the CPU', async () => {
  await sameOnBoth((device) => {
    torch.manualSeed(6);
    const logits = on(device, torch.randn(6, 4)), target = on(device, torch.tensor([0, 3, -100, 2, 1, -100], { dtype: 'int64' }));
    const weight = on(device, torch.tensor([1, 2, 0.5, 1]));
    const p = on(device, torch.rand(6)), t = on(device, torch.rand(6));
    return [
      F.crossEntropy(logits, target), F.crossEntropy(logits, target, { weight, reduction: 'sum' }),
      F.nllLoss(logits.logSoftmax(1), target, { weight, reduction: 'none' }), F.crossEntropy(logits, target, { labelSmoothing: 0.1 }),
      F.binaryCrossEntropy(p, t), F.binaryCrossEntropyWithLogits(logits.sum(1), t), F.l1Loss(p, t), F.smoothL1Loss(p, t),
    ];
  });
});

class LeNetish extends nn.Module {
  conv = new nn.Conv2d(1, 3, 3, { padding: 1 });
  pool = new nn.MaxPool2d(2);
  avg = new nn.AvgPool2d(2, { padding: 1 });
  adapt = new nn.AdaptiveAvgPool2d(2);
  bn = new nn.BatchNorm2d(3);
  drop = new nn.Dropout(0.3);
  fc = new nn.Linear(12, 4);
  emb = new nn.Embedding(5, 12);
  forward(x: torch.Tensor): torch.Tensor {
    const h = this.adapt(this.avg(this.pool(this.bn(this.conv(x)).relu())));
    return this.fc(this.drop(h.flatten(1)).add(this.emb(torch.tensor([1, 4], { dtype: 'int64', device: x.device }))));
  }
}

test('Module.to(webgpu) keeps every Parameter, and training there matches training on the CPU', async () => {
  const trained = (device: Device, makeOpt: (m: nn.Module) => optim.Optimizer): torch.Tensor[] => {
    torch.manualSeed(7);
    const model = new LeNetish();
    const opt = makeOpt(model); // built before the move, as PyTorch allows
    const weight = model.fc.weight;
    model.to(device);
    assert.equal(model.fc.weight, weight);
    assert.equal(String(weight.device), device === 'cpu' ? 'cpu' : 'webgpu:0');
    const x = torch.randn(2, 1, 8, 8, { device }), y = torch.tensor([3, 1], { dtype: 'int64', device });
    const losses: torch.Tensor[] = [];
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      const loss = F.crossEntropy(model(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.detach());
    }
    return [...losses, model.fc.weight.detach(), model.bn.running_var ?? torch.zeros(0)];
  };
  await sameOnBoth((d) => trained(d, (m) => new optim.SGD(m.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true })), { atol: 1e-5, rtol: 1e-4 });
  await sameOnBoth((d) => trained(d, (m) => new optim.Adam(m.parameters(), { lr: 0.01, amsgrad: true })), { atol: 1e-5, rtol: 1e-4 });
  await sameOnBoth((d) => trained(d, (m) => new optim.AdamW(m.parameters(), { lr: 0.01 })), { atol: 1e-5, rtol: 1e-4 });
});

test("an optimizer's loaded state moves to its parameters' device, as in PyTorch", async () => {
  const model = new nn.Linear(2, 2);
  const opt = new optim.Adam(model.parameters(), { lr: 0.1 });
  F.mseLoss(model(torch.ones(1, 2)), torch.zeros(1, 2)).backward();
  opt.step();
  const saved = opt.stateDict(); // CPU buffers
  model.to('webgpu');
  const fresh = new optim.Adam(model.parameters(), { lr: 0.1 });
  fresh.loadStateDict(saved);
  const state = fresh.state.get(model.weight);
  const expAvg = state?.exp_avg;
  assert.ok(expAvg instanceof torch.Tensor);
  assert.equal(String(expAvg.device), 'webgpu:0');
  assert.equal(state?.step, 1);
  F.mseLoss(model(torch.ones(1, 2, { device: 'webgpu' })), torch.zeros(1, 2, { device: 'webgpu' })).backward();
  fresh.step();
  assert.equal((await model.weight.data()).length, 4);
});
