// test/autograd/layer-norm.test.ts — layer norm is one op on CPU backends (NativeLayerNormBackward0, a
// kernel where the backend has one): its values and gradients against the composition of reductions
// it replaced, and its recorded gradient, for double backward, against finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as torch from 'kindling';
import { assertClose, present } from '../helpers.js';

const F = torch.F;

/** The composition: (x − mean)·rsqrt(var + eps)·w + b over the last dim. */
const composed = (x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, eps: number): torch.Tensor => {
  const m = x.mean(-1, true), v = x.sub(m).pow(2).mean(-1, true);
  return x.sub(m).mul(v.add(eps).rsqrt()).mul(w).add(b);
};
const flat = (t: torch.Tensor | null): number[] => (present(t).reshape([-1]).tolist() as number[]);

test('layer norm: one graph node, equal to the composition in values and in every gradient', () => {
  torch.manualSeed(2);
  for (const [rows, cols] of [[3, 5], [300, 70], [2048, 256]]) {
    const x = torch.randn(rows, cols).mul(3).add(1).requiresGrad_();
    const w = torch.randn(cols).requiresGrad_(), b = torch.randn(cols).requiresGrad_();
    const y = F.layerNorm(x, [cols], w, b, 1e-5), want = composed(x, w, b, 1e-5);
    assert.equal(y.gradFn?.name, 'NativeLayerNormBackward0');
    assertClose(flat(y), flat(want), { rtol: 1e-5, atol: 1e-5, what: `layer norm ${rows}x${cols}` });
    const g = torch.randn(rows, cols);
    const got = torch.autograd.grad([y], [x, w, b], { gradOutputs: [g] }), ref = torch.autograd.grad([want], [x, w, b], { gradOutputs: [g] });
    for (const [i, what] of ['x', 'weight', 'bias'].entries()) {
      assertClose(flat(got[i]), flat(ref[i]), { rtol: 1e-4, atol: 1e-4, what: `layer norm ${rows}x${cols} gradient of ${what}` });
    }
  }
});

test('layer norm: a transposed input, no weight or bias, and an input that needs no gradient', () => {
  torch.manualSeed(3);
  const x = torch.randn(6, 4).t().requiresGrad_();
  const y = F.layerNorm(x, [6]), want = composed(x, torch.ones(6), torch.zeros(6), 1e-5);
  assertClose(flat(y), flat(want), { rtol: 1e-5, atol: 1e-6, what: 'transposed' });
  const [dx] = torch.autograd.grad([y.pow(2).sum()], [x]), [dw] = torch.autograd.grad([want.pow(2).sum()], [x]);
  assertClose(flat(dx), flat(dw), { rtol: 1e-4, atol: 1e-5, what: 'transposed gradient' });
  const w = torch.randn(6).requiresGrad_();
  const [gw] = torch.autograd.grad([F.layerNorm(torch.randn(4, 6), [6], w).sum()], [w]);
  assert.equal(present(gw).dims.join(), '6');
});

test('layer norm: the gradient of its gradient matches finite differences', () => {
  torch.manualSeed(4);
  const x = torch.randn(3, 5, { dtype: 'float64' }).requiresGrad_();
  const w = torch.randn(5, { dtype: 'float64' }).requiresGrad_(), b = torch.randn(5, { dtype: 'float64' }).requiresGrad_();
  const g = torch.randn(3, 5, { dtype: 'float64' }).requiresGrad_();
  // the first-order gradients with their graph (gradcheck perturbs under noGrad), summed into one output
  const firstOrder = (a: torch.Tensor, c: torch.Tensor, d: torch.Tensor, e: torch.Tensor): torch.Tensor => torch.enableGrad(() => {
    const [da, dc, dd] = torch.autograd.grad([F.layerNorm(a, [5], c, d)], [a, c, d], { gradOutputs: [e], createGraph: true });
    return present(da).sum().add(present(dc).pow(2).sum()).add(present(dd).mul(present(dc)).sum());
  });
  assert.ok(torch.autograd.gradcheck(firstOrder, [x, w, b, g]));
});
