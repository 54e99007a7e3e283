// test/nn/losses.test.ts — loss and activation modules: options, printing, grad_fn names, the
// target-requires-grad rule for every loss, and numerics the op database cannot sample.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F, nn } from 'kindling';
import { present } from '../helpers.js';

const long = (values: number[]) => torch.tensor(values, { dtype: 'int64' });
const gradFnName = (t: torch.Tensor): string | undefined => t.gradFn?.name;

/** Every loss module with an input and target it accepts. */
function lossCases(): [nn.Loss<string>, torch.Tensor, torch.Tensor][] {
  const x = () => torch.rand(2, 3, { requiresGrad: true });
  const y = () => torch.rand(2, 3);
  return [
    [new nn.MSELoss(), x(), y()],
    [new nn.L1Loss(), x(), y()],
    [new nn.SmoothL1Loss(), x(), y()],
    [new nn.HuberLoss(), x(), y()],
    [new nn.BCELoss(), x(), y()],
    [new nn.BCEWithLogitsLoss(), x(), y()],
    [new nn.KLDivLoss(), x(), y()],
    [new nn.CrossEntropyLoss(), x(), long([0, 2])],
    [new nn.CrossEntropyLoss(), x(), y()],
    [new nn.NLLLoss(), x(), long([1, 2])],
  ];
}

test('every loss refuses a target that requires grad', () => {
  for (const [loss, input, target] of lossCases()) {
    // an int64 class target cannot require grad; its float stand-in must be refused before any shape check
    const t = target.isFloatingPoint() ? target.detach().requiresGrad_() : target.double().requiresGrad_();
    assert.throws(() => loss(input, t), (e: unknown) => {
      assert.ok(e instanceof torch.AssertionError, `${String(loss)}: ${String(e)}`);
      assert.match(e.message, /nn criterions don't compute the gradient w\.r\.t\. targets - please mark these tensors as not requiring gradients/);
      return true;
    });
  }
});

test('every loss accepts a target that does not require grad and prints as PyTorch', () => {
  const names = lossCases().map(([loss, input, target]) => {
    assert.equal(loss(input, target).dim(), 0);
    return String(loss);
  });
  assert.deepEqual(names, [
    'MSELoss()', 'L1Loss()', 'SmoothL1Loss()', 'HuberLoss()', 'BCELoss()', 'BCEWithLogitsLoss()', 'KLDivLoss()',
    'CrossEntropyLoss()', 'CrossEntropyLoss()', 'NLLLoss()',
  ]);
});

test('losses have PyTorch 1.13 grad_fn names', () => {
  const x = torch.rand(3, 4, { requiresGrad: true }), t = torch.rand(3, 4), c = long([1, 0, 3]);
  const names = (f: (reduction: F.Reduction) => torch.Tensor) => (['mean', 'sum', 'none'] as const).map((r) => gradFnName(f(r)));
  assert.deepEqual(names((reduction) => F.l1Loss(x, t, { reduction })), ['MeanBackward0', 'SumBackward0', 'AbsBackward0']);
  assert.deepEqual(names((reduction) => F.smoothL1Loss(x, t, { reduction })), Array(3).fill('SmoothL1LossBackward0'));
  assert.deepEqual(names((reduction) => F.huberLoss(x, t, { reduction })), Array(3).fill('HuberLossBackward0'));
  assert.deepEqual(names((reduction) => F.binaryCrossEntropy(x, t, { reduction })), Array(3).fill('BinaryCrossEntropyBackward0'));
  assert.deepEqual(names((reduction) => F.binaryCrossEntropyWithLogits(x, t, { reduction })), Array(3).fill('BinaryCrossEntropyWithLogitsBackward0'));
  assert.deepEqual(names((reduction) => F.klDiv(x, t, { reduction })), ['MeanBackward0', 'SumBackward0', 'SubBackward0']);
  assert.equal(gradFnName(F.klDiv(x, t, { reduction: 'batchmean' })), 'DivBackward0');
  assert.deepEqual(names((reduction) => F.nllLoss(x, c, { reduction })), Array(3).fill('NllLossBackward0'));
  assert.deepEqual(names((reduction) => F.crossEntropy(x, c, { reduction })), Array(3).fill('NllLossBackward0'));
  assert.deepEqual(names((reduction) => F.crossEntropy(x, c, { reduction, labelSmoothing: 0.1 })), Array(3).fill('AddBackward0'));
  assert.deepEqual(names((reduction) => F.crossEntropy(x, t, { reduction })).slice(1), ['NegBackward0', 'NegBackward0']);
  const x3 = torch.rand(2, 4, 3, { requiresGrad: true }), c3 = long([0, 1, 2, 3, 0, 1]).reshape(2, 3);
  assert.deepEqual(names((reduction) => F.nllLoss(x3, c3, { reduction })), ['NllLoss2DBackward0', 'NllLoss2DBackward0', 'ViewBackward0']);
  const x4 = torch.rand(2, 4, 3, 1, { requiresGrad: true }), c4 = c3.reshape(2, 3, 1);
  assert.deepEqual(names((reduction) => F.nllLoss(x4, c4, { reduction })), Array(3).fill('NllLoss2DBackward0'));
});

test('activations have PyTorch grad_fn names, in place too', () => {
  const x = torch.randn(3, 4, { requiresGrad: true });
  const cases: [torch.Tensor, string][] = [
    [F.leakyRelu(x), 'LeakyReluBackward0'], [F.leakyRelu(x.mul(1), { inplace: true }), 'LeakyReluBackward1'],
    [F.elu(x), 'EluBackward0'], [F.elu(x.mul(1), { inplace: true }), 'EluBackward1'],
    [F.gelu(x), 'GeluBackward0'], [F.gelu(x, { approximate: 'tanh' }), 'GeluBackward0'],
    [F.silu(x), 'SiluBackward0'], [F.silu(x.mul(1), { inplace: true }), 'SiluBackward0'],
    [F.softplus(x), 'SoftplusBackward0'], [F.hardtanh(x), 'HardtanhBackward0'], [F.hardtanh(x.mul(1), { inplace: true }), 'HardtanhBackward0'],
    [F.relu(x.mul(1), { inplace: true }), 'ReluBackward0'], [F.sigmoid(x), 'SigmoidBackward0'], [F.tanh(x), 'TanhBackward0'],
    [F.softmax(x, 1), 'SoftmaxBackward0'], [F.logSoftmax(x, 1), 'LogSoftmaxBackward0'],
  ];
  assert.deepEqual(cases.map(([y]) => gradFnName(y)), cases.map(([, n]) => n));
});

test('in-place activations overwrite their input', () => {
  const x = torch.tensor([-1, 0.5, 2]);
  assert.equal(F.hardtanh(x, { inplace: true }), x);
  assert.deepEqual(x.tolist(), [-1, 0.5, 1]);
  F.leakyRelu(x, { negativeSlope: 0.5, inplace: true });
  assert.deepEqual(x.tolist(), [-0.5, 0.5, 1]);
});

test('activation modules print as PyTorch prints them', () => {
  assert.deepEqual(
    [
      new nn.ReLU(), new nn.ReLU(true), new nn.LeakyReLU(), new nn.LeakyReLU(0.2, true), new nn.ELU(), new nn.ELU(0.5, true),
      new nn.GELU(), new nn.GELU('tanh'), new nn.SiLU(), new nn.SiLU(true), new nn.Sigmoid(), new nn.Tanh(), new nn.Softmax(1), new nn.Softmax(),
      new nn.LogSoftmax(-1), new nn.Softplus(), new nn.Softplus(1.5, 2.5), new nn.Hardtanh(), new nn.Hardtanh(-2.5, 2.5, true),
    ].map(String),
    [
      'ReLU()', 'ReLU(inplace=True)', 'LeakyReLU(negative_slope=0.01)', 'LeakyReLU(negative_slope=0.2, inplace=True)', 'ELU(alpha=1.0)',
      'ELU(alpha=0.5, inplace=True)', "GELU(approximate='none')", "GELU(approximate='tanh')", 'SiLU()', 'SiLU(inplace=True)', 'Sigmoid()', 'Tanh()',
      'Softmax(dim=1)', 'Softmax(dim=None)', 'LogSoftmax(dim=-1)', 'Softplus(beta=1, threshold=20)', 'Softplus(beta=1.5, threshold=2.5)',
      'Hardtanh(min_val=-1.0, max_val=1.0)', 'Hardtanh(min_val=-2.5, max_val=2.5, inplace=True)',
    ],
  );
  assert.throws(() => new nn.Hardtanh(2, 1), torch.AssertionError);
});

test('activation modules compute what nn.functional computes', () => {
  const x = torch.tensor([[-2, -0.5, 0.5, 30]]);
  assert.deepEqual(new nn.Softplus(1, 20)(x).tolist(), F.softplus(x).tolist());
  assert.deepEqual(new nn.Softmax(1)(x).tolist(), F.softmax(x, 1).tolist());
  assert.deepEqual(new nn.GELU('tanh')(x).tolist(), F.gelu(x, { approximate: 'tanh' }).tolist());
});

test('cross entropy is stable for huge logits', () => {
  const x = torch.tensor([[1000, 0, -1000]], { requiresGrad: true });
  const loss = F.crossEntropy(x, long([2]));
  assert.equal(loss.item(), 2000);
  loss.backward();
  assert.deepEqual(present(x.grad).tolist(), [[1, 0, -1]]);
  assert.deepEqual(F.binaryCrossEntropyWithLogits(torch.tensor([1000, -1000]), torch.tensor([0, 1]), { reduction: 'none' }).tolist(), [1000, 1000]);
});

test('binary cross entropy clamps its logs at -100', () => {
  const x = torch.tensor([0, 1], { requiresGrad: true });
  assert.deepEqual(F.binaryCrossEntropy(x, torch.tensor([1, 0]), { reduction: 'none' }).tolist(), [100, 100]);
});

test('nll loss ignores the default ignoreIndex -100, and an all-ignored mean is NaN with zero gradient', () => {
  const x = torch.randn(3, 4, { requiresGrad: true });
  const kept = F.nllLoss(x, long([1, -100, 2]));
  assert.ok(Math.abs(kept.item() + (x.get(0, 1).item() + x.get(2, 2).item()) / 2) < 1e-6);
  const none = F.crossEntropy(x, long([-100, -100, -100]));
  assert.ok(Number.isNaN(none.item()));
  none.backward();
  assert.ok(Array.from(present(x.grad).toArray()).every((v) => v === 0));
  assert.ok(Number.isNaN(F.crossEntropy(torch.randn(0, 3), long([])).item()));
});

test('kl divergence treats 0·log 0 as 0', () => {
  assert.deepEqual(Array.from(F.klDiv(torch.tensor([-1, -2]), torch.tensor([0, 0.5]), { reduction: 'none' }).toArray(), (v) => Number(v.toFixed(4))), [0, 0.6534]);
});

test('loss modules keep their options; weights are buffers', () => {
  const w = torch.tensor([1, 2, 3]);
  const ce = new nn.CrossEntropyLoss({ weight: w, ignoreIndex: 1, labelSmoothing: 0.1, reduction: 'sum' });
  assert.deepEqual(Object.keys(ce.stateDict()), ['weight']);
  const x = torch.randn(4, 3), t = long([0, 1, 2, 2]);
  assert.equal(ce(x, t).item(), F.crossEntropy(x, t, { weight: w, ignoreIndex: 1, labelSmoothing: 0.1, reduction: 'sum' }).item());
  assert.deepEqual(Object.keys(new nn.BCEWithLogitsLoss({ weight: w, posWeight: w }).stateDict()), ['weight', 'posWeight']);
  assert.deepEqual(Object.keys(new nn.NLLLoss().stateDict()), []);
  assert.equal(new nn.KLDivLoss({ reduction: 'batchmean' }).reduction, 'batchmean');
  assert.throws(() => new nn.MSELoss({ reduction: 'batchmean' as 'sum' }), /MSELoss: batchmean is not a valid value for reduction/);
  assert.equal(new nn.HuberLoss({ delta: 0.5 })(torch.tensor([2]), torch.tensor([0])).item(), 0.875);
  assert.equal(new nn.SmoothL1Loss({ beta: 0.5 })(torch.tensor([2]), torch.tensor([0])).item(), 1.75);
});
