// test/robustness/errors.test.ts — inputs that once killed the process, corrupted tensors or gave V8's errors,
// each now met with PyTorch's error from the op.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F } from 'kindling';

test('cross entropy of an empty input with a huge class axis reports the batch mismatch instead of aborting', () => {
  // Killed Node with std::bad_alloc from the native softmax's scratch buffer.
  assert.throws(() => F.crossEntropy(torch.zeros([0, 5, 7, 1e12]), torch.zeros([1, 1, 1], { dtype: torch.float64 })), {
    name: 'ValueError',
    message: 'nll_loss: Expected input batch_size (0) to match target batch_size (1).',
  });
  assert.deepEqual(torch.zeros([0, 5, 7, 1e12]).logSoftmax(1).dims, [0, 5, 7, 1e12]);
});

test('an allocation that cannot be satisfied gives PyTorch\'s allocator error naming the op and the bytes', () => {
  const outOfMemory = (op: string, bytes: number) => ({
    name: 'RuntimeError', message: `${op}: DefaultCPUAllocator: not enough memory: you tried to allocate ${bytes} bytes.`,
  });
  assert.throws(() => torch.zeros(1e12), outOfMemory('zeros', 4e12));
  assert.throws(() => torch.randn([1e12], { dtype: torch.float64 }), outOfMemory('randn', 8e12));
  assert.throws(() => torch.arange(1e12), outOfMemory('arange', 8e12));
  assert.throws(() => torch.zeros(1e6, 0).mm(torch.zeros(0, 1e6)), outOfMemory('mm', 4e12));
  assert.throws(() => torch.zeros(1).expand(1e12).contiguous(), outOfMemory('clone', 4e12));
  assert.throws(() => torch.randperm(1e12), outOfMemory('randperm', 8e12));
  assert.throws(() => torch.zeros(1e12, 1e12), {
    name: 'RuntimeError', message: 'zeros: Storage size calculation overflowed with sizes=[1000000000000, 1000000000000]',
  });
});

test('sizes that are not integers get PyTorch\'s TypeError', () => {
  for (const bad of [2.5, NaN, Infinity, -Infinity]) {
    assert.throws(() => torch.ones(bad), {
      name: 'TypeError', message: "ones(): argument 'size' must be tuple of ints, but found element of type float at pos 0",
    });
  }
  assert.throws(() => torch.zeros([2, 2.5]), { name: 'TypeError', message: /^zeros\(\): argument 'size' .* at pos 1$/ });
  assert.throws(() => torch.zeros(1).expand([NaN]), { name: 'TypeError', message: /^expand\(\): argument 'size'/ });
  assert.throws(() => torch.zeros(6).view([2, 1.5]), { name: 'TypeError', message: /^view\(\): argument 'shape'/ });
  assert.throws(() => torch.zeros(5).narrow(0, 1.5, 2), { name: 'TypeError', message: "narrow(): argument 'start' must be int, not float" });
  assert.throws(() => F.conv2d(torch.zeros(1, 1, 4, 4), torch.zeros(1, 1, 2, 2), null, { stride: 2.5 }), { name: 'TypeError', message: /^conv2d\(\): argument 'stride'/ });
  assert.throws(() => torch.zeros(1).expand([-2]), { name: 'RuntimeError', message: /^expand: Trying to create tensor with negative dimension -2/ });
});

test('convolution and pooling refuse geometry PyTorch refuses', () => {
  const x = torch.zeros(1, 2, 5, 5), w = torch.zeros(1, 2, 2, 2);
  assert.throws(() => F.conv2d(x, w, null, { stride: 0 }), { message: 'convolution: non-positive stride is not supported' });
  assert.throws(() => F.conv2d(x, w, null, { padding: -1 }), { message: 'convolution: negative padding is not supported' });
  assert.throws(() => F.conv2d(x, w, null, { dilation: 0 }), { message: 'convolution: dilation should be greater than zero, but got [0, 0]' });
  assert.throws(() => F.convTranspose2d(x, torch.zeros(2, 1, 2, 2), null, { padding: 5 }), { message: /Calculated output size per channel: \(-4 x -4\). Output size is too small/ });
  assert.throws(() => F.maxPool2d(x, 2, { padding: -1 }), { message: 'max_pool2d: pad must be non-negative, but got pad: -1' });
  assert.throws(() => F.maxPool2d(x, 2, { dilation: 0 }), { message: 'max_pool2d: dilation should be greater than zero, but got dilationH: 0 dilationW: 0' });
});

test('integer results stay integers: division by zero raises, powers truncate, scalars must fit', () => {
  const ints = torch.tensor([4, -3, 0], { dtype: torch.int64 });
  assert.throws(() => ints.floorDivide(0), { message: 'floor_divide: ZeroDivisionError' });
  assert.throws(() => ints.remainder(torch.tensor([1, 0, 2], { dtype: torch.int64 })), { message: 'remainder: ZeroDivisionError' });
  assert.throws(() => ints.pow(-1), { message: 'pow: Integers to negative integer powers are not allowed.' });
  assert.deepEqual(Array.from(torch.tensor([2, 1, 0, -1], { dtype: torch.int64 }).pow(torch.tensor([-1, -2, -1, -1], { dtype: torch.int64 })).toArray()), [0, 1, 0, -1]);
  assert.throws(() => torch.full([2], NaN, { dtype: torch.int64 }), { message: 'full: value cannot be converted to type int64_t without overflow' });
  assert.throws(() => torch.zeros(2, { dtype: torch.int32 }).fill_(1e12), { message: 'fill_: value cannot be converted to type int without overflow' });
  assert.deepEqual(Array.from(torch.zeros(2, { dtype: torch.int64 }).maskedFill(torch.tensor([true, false]), 2.5).toArray()), [2, 0]);
  assert.throws(() => F.mseLoss(ints, ints), { message: `mse_loss: "mse_cpu" not implemented for 'Long'` });
  assert.throws(() => F.nllLoss(ints.view(1, 3), torch.tensor([0], { dtype: torch.int64 })), { message: `nll_loss: "nll_loss_out_frame" not implemented for 'Long'` });
});

test('views of 0-d and empty tensors stay inside their storage', () => {
  const s = torch.tensor(3);
  assert.equal(s.transpose(0, -1).item(), 3);
  assert.throws(() => s.narrow(0, 0, 1), { message: 'narrow: narrow() cannot be applied to a 0-dim tensor.' });
  const e = torch.zeros(0, 3, { requiresGrad: true });
  e.select(1, -1).sum().backward();
  assert.deepEqual(e.grad?.dims, [0, 3]);
});
