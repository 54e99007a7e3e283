// test/autograd/softmax.test.ts — (log-)softmax's gradient is its own op (fused where the backend
// has a kernel); its gradient, for double backward, is checked against finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from 'kindling';
import { assertClose, present } from '../helpers.js';

const F = torch.F;

for (const [name, f] of [['softmax', F.softmax], ['logSoftmax', F.logSoftmax]] as const) {
  for (const dim of [0, 1, -1]) {
    test(`${name} (dim ${dim}): the gradient of its gradient matches finite differences`, () => {
      torch.manualSeed(0);
      const x = torch.randn(3, 5, { dtype: 'float64' }).requiresGrad_();
      const g = torch.randn(3, 5, { dtype: 'float64' }).requiresGrad_();
      // gradcheck perturbs under noGrad; the first-order gradient needs its graph, so grad mode is on here.
      const firstOrder = (a: torch.Tensor, b: torch.Tensor): torch.Tensor =>
        torch.enableGrad(() => present(torch.autograd.grad([f(a, dim)], [a], { gradOutputs: [b], createGraph: true })[0]));
      assert.ok(torch.autograd.gradcheck(firstOrder, [x, g]));
    });
  }
  test(`${name}: the fused kernel agrees with the composition on a large batch`, () => {
    torch.manualSeed(1);
    const x = torch.randn(300, 70).mul(5).requiresGrad_();
    const y = f(x, 1);
    const composed = name === 'softmax' ? x.sub(x.amax(1, true)).exp().div(x.sub(x.amax(1, true)).exp().sum(1, true))
      : x.sub(x.amax(1, true)).sub(x.sub(x.amax(1, true)).exp().sum(1, true).log());
    assertClose((y.tolist() as number[][]).flat(), (composed.tolist() as number[][]).flat(), { rtol: 1e-5, atol: 1e-6, what: name });
    const g = torch.randn(300, 70);
    const [dx] = torch.autograd.grad([y], [x], { gradOutputs: [g] });
    const [dc] = torch.autograd.grad([composed], [x], { gradOutputs: [g] });
    assertClose((present(dx).tolist() as number[][]).flat(), (present(dc).tolist() as number[][]).flat(), { rtol: 1e-4, atol: 1e-5, what: `${name} gradient` });
  });
}
