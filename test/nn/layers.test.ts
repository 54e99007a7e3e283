// test/nn/layers.test.ts — nn layer modules: parameters, buffers, state dicts, printing, PyTorch's
// initial values for a seed, train/eval behaviour, running statistics and a LeNet-5 forward pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F, nn } from 'kindling';
import { assertClose, present } from '../helpers.js';

/** First values, sum and sum of squares (float64) of a tensor: enough to pin down every draw. */
function summary(t: torch.Tensor): { first: number[]; sum: number; sumsq: number } {
  const v = Array.from(t.detach().toArray());
  return { first: v.slice(0, 4), sum: v.reduce((a, b) => a + b, 0), sumsq: v.reduce((a, b) => a + b * b, 0) };
}

function assertSummary(t: torch.Tensor, first: number[], sum: number, sumsq: number): void {
  const s = summary(t);
  assert.deepEqual(s.first, first);
  assertClose([s.sum, s.sumsq], [sum, sumsq], { atol: 1e-12, rtol: 1e-12 });
}

test('Conv2d initialises with the same draws as PyTorch', () => {
  torch.manualSeed(0);
  const conv = new nn.Conv2d(1, 6, 5);
  // torch.manual_seed(0); nn.Conv2d(1, 6, 5)
  assertSummary(conv.weight, [-0.0014973640209063888, 0.10728871822357178, -0.16460902988910675, -0.14718781411647797], -1.0234652417711914, 2.0057634199775354);
  assert.deepEqual(Array.from(present(conv.bias).toArray()), [
    -0.18717041611671448, -0.16880165040493011, -0.04056734964251518, 0.10968120396137238, 0.10812821239233017, -0.1928863823413849,
  ]);
});

test('ConvTranspose2d and Conv1d initialise as PyTorch', () => {
  torch.manualSeed(0);
  const convT = new nn.ConvTranspose2d(4, 2, 3, { groups: 2 });
  assert.deepEqual([...convT.weight.shape], [4, 1, 3, 3]);
  assertSummary(convT.weight, [-0.0024956068955361843, 0.17881453037261963, -0.2743483781814575, -0.24531301856040955], -1.43379245698452, 1.3055279673290103);
  assert.deepEqual(Array.from(present(convT.bias).toArray()), [-0.19458016753196716, 0.2865327000617981]);
  torch.manualSeed(0);
  const conv1 = new nn.Conv1d(2, 3, 4, { bias: false });
  assertSummary(conv1.weight, [-0.0026469905860722065, 0.18966144323349, -0.2909903824329376, -0.26019373536109924], -0.37886693328619003, 0.8344967891770643);
  assert.equal(conv1.bias, null);
});

test('Embedding draws N(0, 1) and zeroes the padding row', () => {
  torch.manualSeed(0);
  const emb = new nn.Embedding(5, 3, { paddingIdx: 1 });
  assert.deepEqual(emb.weight.tolist(), [
    [1.5409960746765137, -0.293428897857666, -2.1787893772125244], [0, 0, 0], [0.40334683656692505, 0.8380263447761536, -0.7192575931549072],
    [-0.40334352850914, -0.5966353416442871, 0.18203648924827576], [-0.8566746115684509, 1.1006041765213013, -1.0711873769760132],
  ]);
  const idx = torch.tensor([[1, 2], [2, 1]], { dtype: 'int64' });
  const y = emb(idx);
  assert.deepEqual([...y.shape], [2, 2, 3]);
  assert.equal(y.gradFn?.name, 'EmbeddingBackward0');
  y.sum().backward();
  assert.deepEqual(present(emb.weight.grad).tolist(), [[0, 0, 0], [0, 0, 0], [2, 2, 2], [0, 0, 0], [0, 0, 0]]);
});

test('layers list parameters and buffers under PyTorch names and shapes', () => {
  const conv = new nn.Conv2d(3, 8, [3, 2], { bias: false });
  assert.deepEqual(conv.namedParameters().map(([n, p]) => [n, [...p.shape]]), [['weight', [8, 3, 3, 2]]]);
  const bn = new nn.BatchNorm2d(3);
  assert.deepEqual(Object.keys(bn.stateDict()), ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
  assert.deepEqual(bn.namedBuffers().map(([n]) => n), ['running_mean', 'running_var', 'num_batches_tracked']);
  assert.equal(bn.stateDict().num_batches_tracked.dtype, 'int64');
  assert.deepEqual(Object.keys(new nn.BatchNorm1d(3, { affine: false, trackRunningStats: false }).stateDict()), []);
  assert.deepEqual(new nn.LayerNorm([2, 3]).namedParameters().map(([n, p]) => [n, [...p.shape]]), [['weight', [2, 3]], ['bias', [2, 3]]]);
  assert.deepEqual(new nn.GroupNorm(2, 4).namedParameters().map(([n, p]) => [n, [...p.shape]]), [['weight', [4]], ['bias', [4]]]);
  assert.deepEqual(new nn.MaxPool2d(2).parameters(), []);
});

test('layers print as PyTorch prints them', () => {
  // Each string is what repr() gives for the same constructor call in PyTorch 1.13.
  const cases: [nn.Module, string][] = [
    [new nn.Conv2d(1, 6, 5), 'Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))'],
    [new nn.Conv2d(1, 6, 5, { padding: 'same' }), 'Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=same)'],
    [new nn.Conv1d(1, 6, 5, { bias: false }), 'Conv1d(1, 6, kernel_size=(5,), stride=(1,), bias=False)'],
    [new nn.Conv2d(2, 4, [3, 2], { stride: [2, 1], padding: 1, dilation: 2, groups: 2 }),
      'Conv2d(2, 4, kernel_size=(3, 2), stride=(2, 1), padding=(1, 1), dilation=(2, 2), groups=2)'],
    [new nn.ConvTranspose2d(4, 2, 3, { stride: 2, outputPadding: 1, groups: 2 }),
      'ConvTranspose2d(4, 2, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1), groups=2)'],
    [new nn.MaxPool2d(2), 'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)'],
    [new nn.MaxPool2d([2, 2]), 'MaxPool2d(kernel_size=(2, 2), stride=(2, 2), padding=0, dilation=1, ceil_mode=False)'],
    [new nn.MaxPool2d(3, 2, { padding: 1 }), 'MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)'],
    [new nn.AvgPool2d(2), 'AvgPool2d(kernel_size=2, stride=2, padding=0)'],
    [new nn.AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), 'AvgPool2d(kernel_size=3, stride=2, padding=1)'],
    [new nn.AdaptiveAvgPool2d([1, 1]), 'AdaptiveAvgPool2d(output_size=(1, 1))'],
    [new nn.AdaptiveAvgPool2d(1), 'AdaptiveAvgPool2d(output_size=1)'],
    [new nn.BatchNorm2d(6), 'BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)'],
    [new nn.BatchNorm1d(3, { momentum: null }), 'BatchNorm1d(3, eps=1e-05, momentum=None, affine=True, track_running_stats=True)'],
    [new nn.BatchNorm2d(6, { eps: 1e-3, affine: false, trackRunningStats: false }),
      'BatchNorm2d(6, eps=0.001, momentum=0.1, affine=False, track_running_stats=False)'],
    [new nn.LayerNorm([10, 3]), 'LayerNorm((10, 3), eps=1e-05, elementwise_affine=True)'],
    [new nn.LayerNorm(4, { elementwiseAffine: false }), 'LayerNorm((4,), eps=1e-05, elementwise_affine=False)'],
    [new nn.GroupNorm(2, 6), 'GroupNorm(2, 6, eps=1e-05, affine=True)'],
    [new nn.Dropout(), 'Dropout(p=0.5, inplace=False)'],
    [new nn.Dropout2d(0.2), 'Dropout2d(p=0.2, inplace=False)'],
    [new nn.Embedding(10, 3), 'Embedding(10, 3)'],
    [new nn.Embedding(10, 3, { paddingIdx: -1 }), 'Embedding(10, 3, padding_idx=9)'],
  ];
  for (const [m, expected] of cases) assert.equal(String(m), expected);
});

test('F.dropout draws the mask PyTorch draws for the same seed', () => {
  torch.manualSeed(0);
  // torch.manual_seed(0); F.dropout(torch.ones(20), 0.5)
  assert.deepEqual(F.dropout(torch.ones(20), 0.5).tolist(), [0, 0, 2, 0, 0, 0, 2, 2, 0, 2, 2, 2, 2, 0, 2, 2, 2, 2, 0, 0]);
  torch.manualSeed(0);
  // torch.manual_seed(0); nn.Dropout2d(0.5)(torch.ones(2, 3, 1, 2))
  assert.deepEqual(Array.from(new nn.Dropout2d(0.5)(torch.ones(2, 3, 1, 2)).toArray()), [0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0]);
});

test('Dropout is active in training and the identity in eval', () => {
  const drop = new nn.Dropout(0.5);
  const x = torch.ones(1000);
  const zeroed = Array.from(drop(x).toArray()).filter((v) => v === 0).length;
  assert.ok(zeroed > 400 && zeroed < 600, `zeroed ${zeroed} of 1000`);
  drop.eval();
  assert.equal(drop(x), x);
  const inplace = torch.ones(10);
  F.dropout(inplace, 1, true, { inplace: true });
  assert.deepEqual(Array.from(inplace.toArray()), new Array<number>(10).fill(0));
});

test('BatchNorm2d running statistics follow PyTorch over several steps', () => {
  // torch.manual_seed(1); bn = nn.BatchNorm2d(3, momentum=m); 3 × bn(torch.randn(4, 3, 2, 2) * (i + 1) + i)
  const expected = [
    { momentum: 0.1, mean: [0.13374704122543335, 0.277677059173584, 0.4371667504310608], var: [2.7423946857452393, 2.3768420219421387, 2.141263961791992],
      evalOut: [0.523093044757843, 0.4685223698616028, 0.384630411863327] },
    { momentum: null, mean: [0.4218062162399292, 0.9343774318695068, 1.5124497413635254], var: [6.92009162902832, 5.623863220214844, 4.869187355041504],
      evalOut: [0.21979469060897827, 0.02767166495323181, -0.23223227262496948] },
  ];
  for (const e of expected) {
    torch.manualSeed(1);
    const bn = new nn.BatchNorm2d(3, { momentum: e.momentum });
    let y = torch.zeros(1);
    for (let i = 0; i < 3; i++) y = bn(torch.randn(4, 3, 2, 2).mul(i + 1).add(i));
    assertClose(Array.from(y.toArray()).slice(0, 3), [0.6020938158035278, 1.0185438394546509, 0.7243070006370544], { atol: 1e-5 });
    assertClose(Array.from(present(bn.runningMean).toArray()), e.mean, { atol: 1e-6 });
    assertClose(Array.from(present(bn.runningVar).toArray()), e.var, { atol: 1e-5 });
    assert.equal(present(bn.numBatchesTracked).item(), 3);
    bn.eval();
    assertClose(Array.from(bn(torch.ones(1, 3, 1, 1)).toArray()), e.evalOut, { atol: 1e-5 });
    assert.equal(present(bn.numBatchesTracked).item(), 3);
  }
});

test('BatchNorm rejects a wrong rank and a single value per channel', () => {
  assert.throws(() => new nn.BatchNorm2d(3)(torch.zeros(2, 3)), /expected 4D input \(got 2D input\)/);
  assert.throws(() => new nn.BatchNorm1d(3)(torch.zeros(1, 3)), /Expected more than 1 value per channel when training/);
  assert.deepEqual([...new nn.BatchNorm1d(3).eval()(torch.zeros(1, 3)).shape], [1, 3]);
});

test('max pooling sends the gradient to the first maximum of each window', () => {
  const x = torch.ones(1, 1, 2, 4).requiresGrad_();
  const y = F.maxPool2d(x, 2);
  assert.equal(y.gradFn?.name, 'MaxPool2DWithIndicesBackward0');
  y.sum().backward();
  assert.deepEqual(Array.from(present(x.grad).toArray()), [1, 0, 1, 0, 0, 0, 0, 0]);
});

test('layers record PyTorch grad_fn names', () => {
  const x = torch.randn(1, 2, 4, 4, { requiresGrad: true });
  assert.equal(F.conv2d(x, torch.randn(3, 2, 3, 3)).gradFn?.name, 'ConvolutionBackward0');
  assert.equal(F.conv1d(torch.randn(1, 2, 5, { requiresGrad: true }), torch.randn(1, 2, 2)).gradFn?.name, 'ConvolutionBackward0');
  assert.equal(F.convTranspose2d(x, torch.randn(2, 1, 2, 2)).gradFn?.name, 'ConvolutionBackward0');
  assert.equal(F.avgPool2d(x, 2).gradFn?.name, 'AvgPool2DBackward0');
  assert.equal(F.adaptiveAvgPool2d(x, 1).gradFn?.name, 'AdaptiveAvgPool2DBackward0');
});

test('LeNet-5 maps a batch of 64 MNIST images to 64x10 and trains through every layer', () => {
  class LeNet5 extends nn.Module {
    conv1 = new nn.Conv2d(1, 6, 5, { padding: 2 });
    pool = new nn.MaxPool2d(2);
    conv2 = new nn.Conv2d(6, 16, 5);
    fc1 = new nn.Linear(400, 120);
    fc2 = new nn.Linear(120, 84);
    fc3 = new nn.Linear(84, 10);
    forward(x: torch.Tensor): torch.Tensor {
      const h = this.pool(this.conv2(this.pool(this.conv1(x).relu())).relu());
      return this.fc3(this.fc2(this.fc1(h.flatten(1)).relu()).relu());
    }
  }
  torch.manualSeed(0);
  const net = new LeNet5();
  const x = torch.randn(64, 1, 28, 28);
  const start = performance.now();
  const y = net(x);
  assert.deepEqual([...y.shape], [64, 10]);
  y.sum().backward();
  const ms = performance.now() - start;
  assert.ok(ms < 5000, `forward and backward took ${ms.toFixed(0)} ms`);
  for (const [name, p] of net.namedParameters()) assert.ok(p.grad !== null && p.grad.abs().sum().item() > 0, `${name} has a gradient`);
});
