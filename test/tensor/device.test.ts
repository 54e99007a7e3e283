// test/tensor/device.test.ts — the device seam as seen without a GPU backend: devices and their
// printing, the async readers on the CPU, the device errors, and Module.to keeping its parameters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Storage } from '../../src/backends/backend.js';
import type { DeviceName, Tensor as TorchTensor } from 'kindling';

// This file is the world without a GPU backend, whatever the machine has: the probe at import is skipped.
process.env.KINDLING_WEBGPU = '0';
const torch = await import('kindling');
const { nn, optim } = torch;
const { Tensor } = await import('../../src/tensor/tensor.js');

/** A tensor whose storage claims to live on webgpu: enough to reach the device checks, which never read it. */
function deviceTagged(dims: number[]): InstanceType<typeof Tensor> {
  const storage: Storage = { dtype: 'float32', device: 'webgpu', numel: dims.reduce((a, b) => a * b, 1), version: 0 };
  return new Tensor(storage, dims);
}

test('a CPU tensor is on the cpu device, which prints and compares as PyTorch names it', () => {
  const x = torch.zeros(2);
  assert.equal(String(x.device), 'cpu');
  assert.equal(x.device.type, 'cpu');
  assert.equal(x.device.index, null);
  assert.ok(x.device.equals('cpu'));
  assert.ok(!x.device.equals('webgpu'));
  assert.equal(x.device, torch.ones(3, { dtype: 'int64' }).device, 'one value per device');
  assert.equal(x.device, torch.device('cpu'));
  assert.equal(x.isCuda, false);
});

test('torch.device names the GPU webgpu:0, with or without the index', () => {
  const d = torch.device('webgpu');
  assert.equal(String(d), 'webgpu:0');
  assert.equal(d.index, 0);
  assert.equal(d, torch.device('webgpu:0'));
  assert.ok(d.equals('webgpu') && d.equals('webgpu:0') && !d.equals('cpu'));
  assert.throws(() => torch.device('webgpu:1'), { name: 'RuntimeError', message: "device: device 'webgpu:1' does not exist; kindling drives one WebGPU device, webgpu:0" });
  assert.throws(() => torch.device('tpu' as DeviceName), {
    name: 'RuntimeError', message: 'device: Expected one of cpu, webgpu device type at start of device string: tpu',
  });
});

test('printing a CPU tensor has no device suffix, and toStringAsync prints the same', async () => {
  const cases = [
    torch.tensor([[0.8008, -0.2586], [1, 2]]),
    torch.arange(6, { dtype: 'int32' }).reshape(2, 3).t(),
    torch.zeros(0, 3),
    torch.ones(2, { requiresGrad: true }).mul(2),
    torch.tensor(true),
  ];
  for (const x of cases) {
    assert.ok(!String(x).includes('device='));
    assert.equal(await x.toStringAsync(), String(x));
  }
  const p = new nn.Parameter(torch.ones(2));
  assert.equal(await p.toStringAsync(), 'Parameter containing:\ntensor([1., 1.], requires_grad=True)');
});

test('the async readers give what the synchronous ones give on the CPU', async () => {
  const x = torch.arange(12, { dtype: 'float32' }).reshape(3, 4).t().narrow(0, 1, 2); // strided, offset
  assert.deepEqual(await x.data(), x.toArray());
  assert.deepEqual(await x.tolistAsync(), x.tolist());
  const b = torch.tensor([[true, false]]);
  assert.deepEqual(await b.tolistAsync(), [[true, false]]);
  const s = torch.tensor(2.5).add(1);
  assert.equal(await s.itemAsync(), s.item());
  await assert.rejects(x.itemAsync(), { name: 'RuntimeError', message: 'itemAsync: a Tensor with 6 elements cannot be converted to Scalar' });
  assert.equal(await x.cpuAsync(), x, 'a CPU tensor is its own cpuAsync');
  assert.equal(x.cpu(), x);
  // data() hands out a copy: writing to it leaves the tensor alone.
  const y = torch.ones(3), values = await y.data();
  values[0] = 7;
  assert.deepEqual(y.tolist(), [1, 1, 1]);
});

test("factories take { device: 'cpu' }, and *Like keeps the source's device and dtype", () => {
  const x = torch.zeros([2, 3], { device: 'cpu' });
  assert.equal(String(x.device), 'cpu');
  assert.equal(String(torch.randn(2, { device: torch.device('cpu') }).device), 'cpu');
  assert.equal(String(torch.arange(3, { device: 'cpu' }).device), 'cpu');
  assert.equal(String(torch.tensor([1, 2], { device: 'cpu' }).device), 'cpu');
  const like = torch.onesLike(torch.zeros(2, { dtype: 'int32' }));
  assert.equal(like.dtype, 'int32');
  assert.equal(like.device, x.device);
});

test('without a WebGPU backend, webgpu is refused clearly and torch.webgpu answers honestly', async () => {
  const message = "to: device 'webgpu:0' is not available: KINDLING_WEBGPU=0 turned WebGPU off (torch.webgpu.isAvailable() is false)";
  assert.throws(() => torch.ones(2).to('webgpu'), { name: 'RuntimeError', message });
  assert.throws(() => torch.ones(2).to({ device: 'webgpu:0', dtype: 'float32' }), { name: 'RuntimeError', message });
  assert.throws(() => torch.zeros(2, { device: 'webgpu' }), { name: 'RuntimeError', message: message.replace('to:', 'zeros:') });
  // The device is checked before drawing, so a refused factory leaves the generator where it was.
  torch.manualSeed(3);
  assert.throws(() => torch.randn(4, { device: 'webgpu' }), /randn: device 'webgpu:0' is not available/);
  const after = torch.randn(2).tolist();
  torch.manualSeed(3);
  assert.deepEqual(torch.randn(2).tolist(), after);
  assert.throws(() => torch.webgpu.getDeviceName(), { name: 'RuntimeError', message: 'getDeviceName: no WebGPU device: KINDLING_WEBGPU=0 turned WebGPU off (torch.webgpu.isAvailable() is false)' });
  assert.equal(torch.webgpu.isAvailable(), false);
  assert.equal(torch.webgpu.memoryAllocated(), 0);
  torch.webgpu.emptyCache();
  await torch.webgpu.synchronize();
});

test("cuda keeps its NotImplementedError, naming webgpu as kindling's GPU device", () => {
  const message = "to: device 'cuda' is not available; kindling's GPU device is 'webgpu' (devices now: cpu)";
  assert.throws(() => torch.ones(2).to('cuda'), { name: 'NotImplementedError', message });
  assert.throws(() => torch.ones(2).to('cuda:1'), { name: 'NotImplementedError', message: message.replace("'cuda'", "'cuda:1'") });
  assert.throws(() => torch.ones(2, { device: 'cuda' }), { name: 'NotImplementedError', message: message.replace('to:', 'ones:') });
  assert.throws(() => new nn.Linear(2, 2).to('cuda'), { name: 'NotImplementedError' });
  assert.equal(torch.cuda.isAvailable(), false);
});

test('ops refuse tensors on two devices with PyTorch message', () => {
  const gpu = deviceTagged([2]);
  const message = 'add: Expected all tensors to be on the same device, but found at least two devices, webgpu:0 and cpu!';
  assert.throws(() => torch.add(torch.ones(2), gpu), { name: 'RuntimeError', message });
  assert.throws(() => torch.add(gpu, torch.ones(2)), { name: 'RuntimeError', message });
  assert.throws(() => torch.ones(2).mul_(gpu), /mul: Expected all tensors to be on the same device/);
  // A 0-d CPU tensor may join an op on a device (as a JS number does), so the check passes and the
  // op looks for the device's backend, which is not registered here.
  assert.throws(() => torch.add(gpu, torch.tensor(1)), /device 'webgpu' is not available/);
});

test('synchronous reads of a device tensor throw, naming the async twin; printing does not throw', () => {
  const gpu = deviceTagged([2, 3]);
  assert.throws(() => deviceTagged([]).item(), { name: 'RuntimeError', message: 'item: cannot read a webgpu tensor synchronously; use await x.itemAsync()' });
  assert.throws(() => gpu.toArray(), { message: 'toArray: cannot read a webgpu tensor synchronously; use await x.data()' });
  assert.throws(() => gpu.tolist(), { message: 'tolist: cannot read a webgpu tensor synchronously; use await x.tolistAsync()' });
  assert.throws(() => gpu.cpu(), { message: 'cpu: cannot copy a webgpu:0 tensor to the cpu synchronously (a device is read asynchronously); use await x.cpuAsync()' });
  assert.throws(() => gpu.to('cpu'), /^RuntimeError: to: cannot copy a webgpu:0 tensor to the cpu synchronously/);
  assert.throws(() => torch.safetensors.serialize({ w: gpu }), /'w' is on webgpu:0, which cannot be read synchronously; save a CPU copy \(await t.cpuAsync\(\)\)/);
  assert.equal(String(gpu), "tensor(..., device='webgpu:0', size=(2, 3), dtype=torch.float32) // values: await x.toStringAsync()");
  assert.equal(String(gpu.device), 'webgpu:0');
});

class Net extends nn.Module {
  fc = new nn.Linear(3, 2);
  bn = new nn.BatchNorm1d(2);
  forward(x: TorchTensor): TorchTensor {
    return this.bn(this.fc(x));
  }
}

test('Module.to converts in place, keeping each Parameter and buffer, so an optimizer built before still trains', () => {
  const model = new Net();
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  const [weight, bias] = [model.fc.weight, model.fc.bias];
  const runningMean = model.bn.running_mean, tracked = model.bn.num_batches_tracked;
  torch.nn.functional.mseLoss(model(torch.randn(4, 3)), torch.randn(4, 2)).backward();
  assert.equal(model.to('float64'), model);
  assert.equal(model.fc.weight, weight, 'the same Parameter object');
  assert.equal(model.fc.bias, bias);
  assert.equal(model.bn.running_mean, runningMean);
  assert.equal(weight.dtype, 'float64');
  assert.equal(weight.requiresGrad, true);
  assert.equal(weight.grad?.dtype, 'float64', 'gradients move with their parameters');
  assert.equal(runningMean?.dtype, 'float64');
  assert.equal(tracked?.dtype, 'int64', 'integer buffers keep their dtype');
  const before = weight.toArray().slice();
  opt.step();
  assert.notDeepEqual(weight.toArray(), before, 'the optimizer updates the converted parameter');
  model.to({ dtype: 'float32', device: 'cpu' });
  assert.equal(model.fc.weight, weight);
  assert.equal(weight.dtype, 'float32');
  assert.equal(model.to('cpu'), model);
});

test('Module.to leaves the module untouched when a conversion fails', () => {
  const model = new Net();
  assert.throws(() => model.to('webgpu'), /KINDLING_WEBGPU=0 turned WebGPU off/);
  assert.equal(model.fc.weight.dtype, 'float32');
  assert.equal(String(model.fc.weight.device), 'cpu');
});
