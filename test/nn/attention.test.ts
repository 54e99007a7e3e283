// test/nn/attention.test.ts — F.scaledDotProductAttention and nn.MultiheadAttention against PyTorch
// (test/fixtures/attention.json): initial draws, printed form, outputs and gradients, masks,
// batchFirst, kdim/vdim, bias_kv, gradcheck and PyTorch's error messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F, nn } from 'kindling';
import { assertClose, present } from '../helpers.js';
import {
  assertOutputsAndGrads, assertState, type FixtureTensor, fx, type GradRecord, section, stateOf,
} from './attention-fixtures.js';

interface SdpaCase extends GradRecord {
  name: string;
  isCausal: boolean;
  scale: number | null;
  inputs: Record<string, FixtureTensor>;
}

const F32 = { atol: 2e-5, rtol: 1e-4 };
const F64 = { atol: 1e-10, rtol: 1e-9 };

for (const c of section<SdpaCase>('sdpa')) {
  for (const dtype of ['float64', 'float32'] as const) {
    test(`scaledDotProductAttention matches the explicit math: ${c.name} (${dtype})`, () => {
      const t: Partial<Record<string, torch.Tensor>> = Object.fromEntries(
        Object.entries(c.inputs).map(([k, v]) => [k, fx(v, dtype).requiresGrad_(v.dtype !== 'bool')]),
      );
      const [q, k, v] = [t.query, t.key, t.value].map((x) => present(x));
      const out = F.scaledDotProductAttention(q, k, v, { attnMask: t.attnMask ?? null, isCausal: c.isCausal, scale: c.scale });
      assertOutputsAndGrads([out], c, t, dtype === 'float64' ? F64 : F32);
    });
  }
}

test('scaledDotProductAttention passes gradcheck in float64', () => {
  torch.manualSeed(0);
  const [q, k, v] = [[2, 3, 4], [2, 5, 4], [2, 5, 3]].map((s) => torch.randn(s, { dtype: 'float64', requiresGrad: true }));
  const mask = torch.randn([3, 5], { dtype: 'float64', requiresGrad: true });
  assert.ok(torch.autograd.gradcheck((a, b, c, m) => F.scaledDotProductAttention(a, b, c, { attnMask: m }), [q, k, v, mask]));
  assert.ok(torch.autograd.gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { isCausal: true }), [q, k.narrow(1, 0, 3), v.narrow(1, 0, 3)]));
});

test('scaledDotProductAttention has the right second derivative (its fused backward, recorded, recomputes the weights)', () => {
  torch.manualSeed(5);
  const k = torch.randn([2, 2, 4, 3], { dtype: 'float64' }), v = torch.randn([2, 2, 4, 2], { dtype: 'float64' });
  const mask = torch.randn([2, 1, 4], { dtype: 'float64' });
  for (const options of [{ isCausal: true }, { attnMask: mask }]) {
    const phi = (q: torch.Tensor): torch.Tensor => {
      const out = F.scaledDotProductAttention(q, k, v, options);
      const [g] = torch.autograd.grad(out.pow(2).sum(), q, { createGraph: true });
      return present(g).pow(2).sum();
    };
    const q = torch.randn([2, 2, 4, 3], { dtype: 'float64', requiresGrad: true });
    // the recorded backward's first derivative equals the kernels'
    const [plain] = torch.autograd.grad(F.scaledDotProductAttention(q, k, v, options).pow(2).sum(), q);
    const [recorded] = torch.autograd.grad(F.scaledDotProductAttention(q, k, v, options).pow(2).sum(), q, { createGraph: true });
    assertClose(present(recorded).detach().toArray(), present(plain).toArray(), { atol: 1e-12 });
    const [analytic] = torch.autograd.grad(phi(q), q);
    const base = Array.from(q.detach().toArray()), eps = 1e-6;
    const at = (x: number[]): number => phi(torch.tensor(x, { dtype: 'float64' }).reshape(2, 2, 4, 3).requiresGrad_()).item();
    const numeric = base.map((_, i) => (at(base.map((x, j) => (j === i ? x + eps : x))) - at(base.map((x, j) => (j === i ? x - eps : x)))) / (2 * eps));
    assertClose(present(analytic).toArray(), numeric, { atol: 1e-6, rtol: 1e-5 });
  }
});

test('scaledDotProductAttention refuses a mask together with isCausal, and drops out weights', () => {
  const q = torch.ones(1, 2, 4);
  assert.throws(() => F.scaledDotProductAttention(q, q, q, { attnMask: torch.ones(2, 2), isCausal: true }),
    /Explicit attn_mask should not be set when is_causal=True/);
  assert.deepEqual(F.scaledDotProductAttention(q, q, q, { dropoutP: 1 }).tolist(), [[[0, 0, 0, 0], [0, 0, 0, 0]]]);
});

interface MhaCase extends GradRecord {
  name: string;
  seed: number;
  ctor: Record<string, number | boolean>;
  forward: Record<string, boolean>;
  repr: string;
  init: Record<string, FixtureTensor>;
  state: Record<string, FixtureTensor>;
  same: Record<string, string>;
  inputs: Record<string, FixtureTensor>;
}

const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function buildMha(c: MhaCase): nn.MultiheadAttention {
  const { embed_dim: e, num_heads: h, ...rest } = c.ctor;
  const options = Object.fromEntries(Object.entries(rest).map(([k, v]) => [camel(k), v]));
  return new nn.MultiheadAttention(e as number, h as number, options);
}

for (const c of section<MhaCase>('mha')) {
  test(`MultiheadAttention initialises and prints as PyTorch: ${c.name}`, () => {
    torch.manualSeed(c.seed);
    const m = buildMha(c);
    assertState(m, c.init);
    assert.equal(String(m), c.repr);
  });

  test(`MultiheadAttention outputs and gradients match PyTorch: ${c.name}`, () => {
    torch.manualSeed(c.seed);
    const m = buildMha(c);
    m.loadStateDict(stateOf(c.state));
    const t: Partial<Record<string, torch.Tensor>> = {};
    for (const [k, v] of Object.entries(c.inputs)) t[k] = fx(v).requiresGrad_(['query', 'key', 'value'].includes(k));
    for (const [k, other] of Object.entries(c.same)) t[k] = t[other];
    const options = { ...Object.fromEntries(Object.entries(c.forward).map(([k, v]) => [camel(k), v])) };
    const [q, k, v] = [t.query, t.key, t.value].map((x) => present(x));
    const [out, weights] = m(q, k, v, {
      ...options, keyPaddingMask: t.key_padding_mask ?? null, attnMask: t.attn_mask ?? null,
    });
    assertOutputsAndGrads(weights === null ? [out] : [out, weights], c, { ...t, ...Object.fromEntries(m.namedParameters()) }, F32);
  });
}

test('MultiheadAttention words its errors as PyTorch does', () => {
  assert.throws(() => new nn.MultiheadAttention(10, 3), /embed_dim must be divisible by num_heads/);
  const m = new nn.MultiheadAttention(4, 2);
  const x = torch.randn(3, 2, 4);
  assert.throws(() => m(x, x, x, { attnMask: torch.zeros(3, 4) }),
    /The shape of the 2D attn_mask is torch.Size\(\[3, 4\]\), but should be \(3, 3\)\./);
  assert.throws(() => m(x, x, x, { keyPaddingMask: torch.zeros([2, 3], { dtype: 'int64' }) }),
    /only bool and floating types of key_padding_mask are supported/);
  assert.throws(() => m(torch.randn(3, 2, 5), x, x), /was expecting embedding dimension of 4, but got 5/);
  assert.throws(() => m(torch.randn(1, 3, 2, 4), x, x), /query should be unbatched 2D or batched 3D tensor but received 4-D query tensor/);
});

test('MultiheadAttention in eval mode ignores dropout; per-head weights sum to one', () => {
  torch.manualSeed(0);
  const m = new nn.MultiheadAttention(8, 2, { dropout: 0.5, batchFirst: true }).eval();
  const x = torch.randn(2, 3, 8);
  const [a] = m(x, x, x);
  const [b, w] = m(x, x, x, { averageAttnWeights: false });
  assertClose(a.toArray(), b.toArray(), { atol: 0, rtol: 0 });
  assert.deepEqual([...(w as torch.Tensor).shape], [2, 2, 3, 3]);
  assertClose((w as torch.Tensor).sum(-1).toArray(), new Array<number>(12).fill(1), { atol: 1e-6 });
});

test('multiHeadAttentionForward with static keys and values equals projecting them', () => {
  torch.manualSeed(3);
  const [l, n, e, h] = [4, 2, 6, 3];
  const x = torch.randn(l, n, e), w = torch.randn(3 * e, e), b = torch.randn(3 * e), wo = torch.randn(e, e);
  const [expected] = F.multiHeadAttentionForward(x, x, x, e, h, w, b, null, null, false, 0, wo, null);
  // PyTorch's static_k layout: [N·H, S, d], the projected keys split into heads.
  const heads = (y: torch.Tensor): torch.Tensor => y.reshape([l, n * h, e / h]).transpose(0, 1);
  const k = heads(F.linear(x, w.narrow(0, e, e), b.narrow(0, e, e))), v = heads(F.linear(x, w.narrow(0, 2 * e, e), b.narrow(0, 2 * e, e)));
  const [got] = F.multiHeadAttentionForward(x, x, x, e, h, w, b, null, null, false, 0, wo, null, { staticK: k, staticV: v });
  assertClose(got.toArray(), expected.toArray(), { atol: 1e-5, rtol: 1e-5 });
  assert.throws(() => F.multiHeadAttentionForward(x, x, x, e, h, w, b, null, null, false, 0, wo, null, { staticK: k.narrow(0, 0, 5), staticV: v }),
    /expecting static_k.size\(0\) of 6, but got 5/);
});
