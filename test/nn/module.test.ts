// test/nn/module.test.ts — nn.Module basics, Parameter, Linear initialisation, MSELoss.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F, nn } from 'kindling';
import { present } from '../helpers.js';

class TwoLayer extends nn.Module {
  fc1 = new nn.Linear(3, 5);
  act = new nn.ReLU();
  fc2 = new nn.Linear(5, 2, { bias: false });
  forward(x: torch.Tensor): torch.Tensor {
    return this.fc2(this.act(this.fc1(x)));
  }
}

test('modules are callable and list parameters as PyTorch names them', () => {
  const m = new TwoLayer();
  assert.deepEqual(m.namedParameters().map(([n, p]) => [n, [...p.shape]]), [
    ['fc1.weight', [5, 3]],
    ['fc1.bias', [5]],
    ['fc2.weight', [2, 5]],
  ]);
  assert.deepEqual([...m(torch.ones(4, 3)).shape], [4, 2]);
  assert.deepEqual([...m.namedChildren()][0][0], 'fc1');
  assert.equal(m.modules().length, 4);
});

test('a module prints as PyTorch prints it', () => {
  assert.equal(
    String(new TwoLayer()),
    'TwoLayer(\n  (fc1): Linear(in_features=3, out_features=5, bias=True)\n  (act): ReLU()\n  (fc2): Linear(in_features=5, out_features=2, bias=False)\n)',
  );
});

test('train and eval set the training flag on every submodule', () => {
  const m = new TwoLayer();
  m.eval();
  assert.ok(m.modules().every((x) => !x.training));
  m.train();
  assert.ok(m.modules().every((x) => x.training));
});

test('zeroGrad sets gradients to null by default', () => {
  const m = new TwoLayer();
  m(torch.ones(2, 3)).sum().backward();
  assert.ok(m.fc1.weight.grad !== null);
  m.zeroGrad();
  assert.equal(m.fc1.weight.grad, null);
});

test('stateDict and loadStateDict round trip, and strict loading lists bad keys', () => {
  const a = new TwoLayer(), b = new TwoLayer();
  b.loadStateDict(a.stateDict());
  assert.deepEqual(b.fc1.weight.tolist(), a.fc1.weight.tolist());
  assert.throws(
    () => b.loadStateDict({ ...a.stateDict(), extra: torch.zeros(1) }),
    /Unexpected key\(s\) in state_dict: "extra"/,
  );
  const { 'fc2.weight': _dropped, ...partial } = a.stateDict();
  assert.throws(() => b.loadStateDict(partial), /Missing key\(s\) in state_dict: "fc2.weight"/);
  assert.throws(
    () => b.loadStateDict({ ...a.stateDict(), 'fc1.bias': torch.zeros(4) }),
    /size mismatch for fc1.bias: copying a param with shape torch.Size\(\[4\]\) from checkpoint, the shape in current model is torch.Size\(\[5\]\)/,
  );
});

test('Parameter prints with its header and requires grad', () => {
  const p = new nn.Parameter(torch.tensor([1, 2]));
  assert.equal(String(p), 'Parameter containing:\ntensor([1., 2.], requires_grad=True)');
});

test('Linear initialises as torch.nn.Linear for the same seed', () => {
  // Values from PyTorch 1.13: torch.manual_seed(0); nn.Linear(3, 2)
  torch.manualSeed(0);
  const f = new nn.Linear(3, 2);
  const expectW = [[-0.0043, 0.3097, -0.4752], [-0.4249, -0.2224, 0.1548]];
  const expectB = [-0.0114, 0.4578];
  Array.from(f.weight.toArray()).forEach((v, i) => { assert.ok(Math.abs(v - expectW.flat()[i]) < 1e-4); });
  Array.from(present(f.bias).toArray()).forEach((v, i) => { assert.ok(Math.abs(v - expectB[i]) < 1e-4); });
});

test('F.linear on 2-D input with bias is addmm, otherwise matmul plus bias', () => {
  const w = torch.ones(4, 3).requiresGrad_();
  const b = torch.ones(4).requiresGrad_();
  assert.equal(present(F.linear(torch.ones(2, 3), w, b).gradFn).name, 'AddmmBackward0');
  assert.deepEqual([...F.linear(torch.ones(5, 2, 3), w, b).shape], [5, 2, 4]);
});

test('F.linear on contiguous 3-D input with bias folds rows into one addmm, as aten::linear', () => {
  const w = torch.arange(12).reshape(4, 3).float().requiresGrad_();
  const b = torch.tensor([1.0, 2.0, 3.0, 4.0]).requiresGrad_();
  const x = torch.arange(30).reshape(5, 2, 3).float();
  const y = F.linear(x, w, b);
  assert.equal(present(y.gradFn).name, 'ViewBackward0');
  assert.deepEqual(y.tolist(), torch.matmul(x, w.t()).add(b).tolist());
  // a transposed input is not folded: matmul, then the bias added (AddBackward0 in PyTorch too)
  assert.equal(present(F.linear(x.transpose(0, 1), w, b).gradFn).name, 'AddBackward0');
  y.sum().backward();
  assert.deepEqual(present(b.grad).tolist(), [10, 10, 10, 10]);
});

test('MSELoss reductions and gradient', () => {
  const x = torch.tensor([[1, 2], [3, 4]]).requiresGrad_();
  const y = torch.zeros(2, 2);
  const loss = new nn.MSELoss()(x, y);
  assert.equal(loss.item(), 7.5);
  assert.equal(present(loss.gradFn).name, 'MseLossBackward0');
  loss.backward();
  assert.deepEqual(present(x.grad).tolist(), [[0.5, 1], [1.5, 2]]);
  assert.equal(F.mseLoss(x, y, { reduction: 'sum' }).item(), 30);
  assert.deepEqual(F.mseLoss(x, y, { reduction: 'none' }).tolist(), [[1, 4], [9, 16]]);
});

test('F.relu inplace overwrites its input', () => {
  const x = torch.tensor([-1, 2]);
  const y = F.relu(x, { inplace: true });
  assert.equal(y, x);
  assert.deepEqual(x.tolist(), [0, 2]);
});

test('Bilinear initialises as torch.nn.Bilinear and prints as PyTorch', () => {
  // PyTorch 1.13: torch.manual_seed(0); nn.Bilinear(3, 2, 4) → bias[:2] = [-0.0931, 0.0611]
  torch.manualSeed(0);
  const m = new nn.Bilinear(3, 2, 4);
  assert.deepEqual([...m.weight.shape], [4, 3, 2]);
  const b = Array.from(present(m.bias).toArray());
  assert.ok(Math.abs(b[0] + 0.0931) < 1e-4 && Math.abs(b[1] - 0.0611) < 1e-4, `bias ${b}`);
  assert.equal(String(m), 'Bilinear(in1_features=3, in2_features=2, out_features=4, bias=True)');
  assert.deepEqual([...m(torch.ones(5, 3), torch.ones(5, 2)).shape], [5, 4]);
});
