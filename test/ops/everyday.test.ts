// test/ops/everyday.test.ts — what the op database does not cover for the everyday ops: multinomial's
// random stream against PyTorch, cumprod's gradient at zeros, sort's result pair, allclose, typeAs and the
// new_* factories, in-place forms and their errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as torch from 'kindling';
import { loadFixture } from '../helpers.js';

interface MultinomialCase {
  shape: number[];
  dtype: 'float32' | 'float64';
  probs: number[];
  samples: number;
  replacement: boolean;
  seed: number;
  out_shape: number[];
  out: number[];
  after: number[];
}

const multinomialCases = loadFixture('multinomial.json') as Record<string, MultinomialCase>;

describe('multinomial', () => {
  for (const [name, c] of Object.entries(multinomialCases)) {
    test(`${name} draws PyTorch's samples and leaves the generator where PyTorch does`, () => {
      const p = torch.tensor(Float64Array.from(c.probs), { dtype: 'float64' }).to(c.dtype).reshape(c.shape);
      const g = new torch.Generator().manualSeed(c.seed);
      const out = torch.multinomial(p, c.samples, c.replacement, { generator: g });
      assert.equal(out.dtype, 'int64');
      assert.deepEqual([...out.shape], c.out_shape);
      assert.deepEqual(Array.from(out.toArray()), c.out);
      assert.deepEqual(Array.from(torch.rand(3, { generator: g, dtype: 'float64' }).toArray()), c.after);
    });
  }

  test('the method and the default generator draw the same samples for the same seed', () => {
    const p = torch.tensor([0.1, 0.2, 0.3, 0.4]);
    torch.manualSeed(7);
    const a = p.multinomial(5, true);
    const b = torch.multinomial(p, 5, true, { generator: new torch.Generator().manualSeed(7) });
    assert.deepEqual(a.tolist(), b.tolist());
  });

  test('without replacement every row has distinct categories', () => {
    const out = torch.multinomial(torch.ones(4, 6), 6, false, { generator: new torch.Generator().manualSeed(3) });
    for (const row of out.tolist() as number[][]) assert.deepEqual([...row].sort(), [0, 1, 2, 3, 4, 5]);
  });

  const errors: [string, () => unknown, RegExp][] = [
    ['3-d', () => torch.multinomial(torch.ones(2, 2, 2), 1), /prob_dist must be 1 or 2 dim/],
    ['integer', () => torch.multinomial(torch.ones([3], { dtype: 'int64' }), 1), /multinomial only supports floating-point dtypes for input, got: Long/],
    ['no samples', () => torch.multinomial(torch.ones(3), 0), /cannot sample n_sample <= 0 samples/],
    ['too many', () => torch.multinomial(torch.ones(3), 4), /cannot sample n_sample > prob_dist.size\(-1\) samples without replacement/],
    ['negative', () => torch.multinomial(torch.tensor([1, -1]), 1), /probability tensor contains either `inf`, `nan` or element < 0/],
    ['negative with replacement', () => torch.multinomial(torch.tensor([1, -1]), 2, true), /invalid multinomial distribution \(encountering probability entry < 0\)/],
    ['zero row', () => torch.multinomial(torch.zeros(2), 2, true), /invalid multinomial distribution \(sum of probabilities <= 0\)/],
    ['zero row without', () => torch.multinomial(torch.tensor([[1, 1], [0, 0]]), 1), /invalid multinomial distribution \(sum of probabilities <= 0\)/],
    ['nan', () => torch.multinomial(torch.tensor([1, NaN]), 2, true), /encountering probability entry = infinity or NaN/],
  ];
  for (const [name, run, match] of errors) {
    test(`refuses ${name} as PyTorch does`, () => {
      assert.throws(run, match);
    });
  }

  test('a refused row leaves the generator untouched', () => {
    const g = new torch.Generator().manualSeed(1);
    const before = g.getState();
    assert.throws(() => torch.multinomial(torch.tensor([[1, 1], [1, -1]]), 2, true, { generator: g }), /probability entry < 0/);
    assert.deepEqual(g.getState(), before);
  });
});

describe('cumprod', () => {
  test('its gradient at and after zeros passes gradcheck in float64', () => {
    for (const values of [[2, 0, 3, 0, 1.5], [0, 0, 2], [1.5, -2, 0], [0]]) {
      const x = torch.tensor(values, { dtype: 'float64', requiresGrad: true });
      assert.equal(torch.autograd.gradcheck((t) => torch.cumprod(t, 0), [x]), true);
    }
    const m = torch.tensor([[1, 0, 2], [0, 3, 0.5]], { dtype: 'float64', requiresGrad: true });
    assert.equal(torch.autograd.gradcheck((t) => t.cumprod(1), [m]), true);
    assert.equal(torch.autograd.gradcheck((t) => t.cumprod(0), [m]), true);
  });

  test('cumsum_ and cumprod_ write in place', () => {
    const x = torch.tensor([1, 2, 3]);
    assert.equal(x.cumsum_(0), x);
    assert.deepEqual(x.tolist(), [1, 3, 6]);
    x.cumprod_(0);
    assert.deepEqual(x.tolist(), [1, 3, 18]);
  });

  test('integer inputs accumulate in int64', () => {
    assert.equal(torch.cumsum(torch.tensor([1, 2], { dtype: 'int32' }), 0).dtype, 'int64');
    assert.equal(torch.cumprod(torch.tensor([true, true]), 0).dtype, 'int64');
  });
});

describe('sort and topk', () => {
  test('return values and indices as a pair with names', () => {
    const [values, indices] = torch.sort(torch.tensor([3, 1, 2]));
    assert.deepEqual(values.tolist(), [1, 2, 3]);
    assert.deepEqual(indices.tolist(), [1, 2, 0]);
    const top = torch.tensor([[1, 5, 3]]).topk(2);
    assert.deepEqual(top.values.tolist(), [[5, 3]]);
    assert.deepEqual(top.indices.tolist(), [[1, 2]]);
  });

  test('ties keep index order and NaN sorts largest, as PyTorch CPU sorts', () => {
    const x = torch.tensor([1, 2, 1, 2, NaN, 0]);
    assert.deepEqual(x.argsort().tolist(), [5, 0, 2, 1, 3, 4]);
    assert.deepEqual(x.argsort({ descending: true }).tolist(), [4, 1, 3, 0, 2, 5]);
  });
});

describe('numeric tests and factories like self', () => {
  test('allclose answers a boolean', () => {
    assert.equal(torch.allclose(torch.tensor([1, 2]), torch.tensor([1, 2 + 1e-6])), true);
    assert.equal(torch.tensor([1, 2]).allclose(torch.tensor([1, 2.1])), false);
    assert.equal(torch.allclose(torch.tensor([NaN]), torch.tensor([NaN]), { equalNan: true }), true);
  });

  test('typeAs and new* take the dtype and device of self', () => {
    const x = torch.zeros([2], { dtype: 'float64' });
    assert.equal(torch.ones(2).typeAs(x).dtype, 'float64');
    assert.equal(x.newZeros(2, 3).dtype, 'float64');
    assert.deepEqual([...x.newOnes([3]).shape], [3]);
    assert.deepEqual(x.newOnes([3]).tolist(), [1, 1, 1]);
    assert.deepEqual(x.newFull([2], 7).tolist(), [7, 7]);
    assert.equal(x.newEmpty(4).numel(), 4);
    const t = torch.zeros([1], { dtype: 'int32' }).newTensor([1.5, 2]);
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(t.tolist(), [1, 2]);
    assert.equal(x.newZeros([2], { dtype: 'int64' }).dtype, 'int64');
  });

  test('in-place tril_, triu_, lerp_ and nanToNum_ change self and bump its version', () => {
    const x = torch.ones(3, 3);
    assert.equal(x.tril_(), x);
    assert.deepEqual(x.tolist(), [[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    x.triu_();
    assert.deepEqual(x.tolist(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const y = torch.zeros(2);
    y.lerp_(torch.tensor([10, 20]), 0.5);
    assert.deepEqual(y.tolist(), [5, 10]);
    const z = torch.tensor([NaN, Infinity, -Infinity, 1]);
    z.nanToNum_({ nan: 0, posinf: 9, neginf: -9 });
    assert.deepEqual(z.tolist(), [0, 9, -9, 1]);
  });

  test('lerp_ on a leaf that requires grad is refused', () => {
    const x = torch.zeros(2, { requiresGrad: true });
    assert.throws(() => x.lerp_(torch.ones(2), 0.5), /a leaf Variable that requires grad is being used in an in-place operation/);
  });
});

describe('products, views and scatter', () => {
  const long = (values: number[]) => torch.tensor(values, { dtype: 'int64' });

  test('scatter passes gradcheck when no index repeats', () => {
    const x = torch.randn([3, 4], { dtype: 'float64', requiresGrad: true });
    const src = torch.randn([2, 4], { dtype: 'float64', requiresGrad: true });
    const index = long([0, 2, 1, 0, 1, 0, 2, 2]).reshape(2, 4);
    assert.equal(torch.autograd.gradcheck((a, b) => torch.scatter(a, 0, index, b), [x, src]), true);
  });

  test('scatter with a reduction has no derivative, as in PyTorch 1.13', () => {
    const x = torch.zeros(3, { requiresGrad: true });
    const y = torch.scatter(x, 0, long([1]), torch.ones(1), { reduce: 'multiply' });
    assert.throws(() => { y.sum().backward(); }, /derivative for aten::scatter is not implemented/);
  });

  test('scatter_ and indexFill_ write in place; the last of repeated indices wins', () => {
    const x = torch.zeros(4);
    assert.equal(x.scatter_(0, long([1, 1, 3]), torch.tensor([5, 6, 7])), x);
    assert.deepEqual(x.tolist(), [0, 6, 0, 7]);
    x.indexFill_(0, long([0, -1]), -1);
    assert.deepEqual(x.tolist(), [-1, 6, 0, -1]);
  });

  test('baddbmm, addbmm and addmv ignore input when beta is 0 (NaN does not propagate)', () => {
    const nan = torch.full([2, 2, 2], NaN);
    assert.deepEqual(torch.baddbmm(nan, torch.ones(2, 2, 3), torch.ones(2, 3, 2), { beta: 0 }).tolist(), [[[3, 3], [3, 3]], [[3, 3], [3, 3]]]);
    assert.deepEqual(torch.addmv(torch.full([2], NaN), torch.ones(2, 3), torch.ones(3), { beta: 0, alpha: 2 }).tolist(), [6, 6]);
    assert.deepEqual(torch.addbmm(torch.full([1, 1], NaN), torch.ones(2, 1, 2), torch.ones(2, 2, 1), { beta: 0 }).tolist(), [[4]]);
  });

  test('einsum takes its operands as a list too', () => {
    const a = torch.tensor([[1, 2], [3, 4]]), b = torch.tensor([[5], [6]]);
    assert.deepEqual(torch.einsum('ij,jk->ik', [a, b]).tolist(), a.matmul(b).tolist());
    assert.deepEqual(torch.einsum('ii', a).tolist(), 5);
  });

  test('diagonal and unfold are views of their input', () => {
    const x = torch.zeros(3, 3);
    x.diagonal().fill_(1);
    assert.deepEqual(x.tolist(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const v = torch.arange(6).float();
    const w = v.unfold(0, 3, 2);
    assert.deepEqual(w.tolist(), [[0, 1, 2], [2, 3, 4]]);
    v.fill_(7);
    assert.deepEqual(w.tolist(), [[7, 7, 7], [7, 7, 7]]);
  });

  test("unfold's gradient sums overlapping windows and passes double gradcheck", () => {
    const x = torch.randn([5], { dtype: 'float64', requiresGrad: true });
    const y = x.unfold(0, 3, 1);
    y.backward(torch.onesLike(y));
    assert.deepEqual(x.grad?.tolist(), [1, 2, 3, 2, 1]);
    assert.equal(torch.autograd.gradcheck((t) => t.unfold(0, 2, 1).mul(t.unfold(0, 2, 1)), [x]), true);
  });

  test('meshgrid defaults to ij indexing and returns views', () => {
    const [gx, gy] = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]));
    assert.deepEqual([...gx.shape], [2, 3]);
    assert.deepEqual(gy.tolist(), [[3, 4, 5], [3, 4, 5]]);
    const [hx] = torch.meshgrid([torch.tensor([1, 2]), torch.tensor([3, 4, 5])], { indexing: 'xy' });
    assert.deepEqual(hx.tolist(), [[1, 2], [1, 2], [1, 2]]);
  });

  test('matrix norms needing singular values are refused clearly', () => {
    for (const ord of ['nuc', 2, -2] as const) {
      assert.throws(() => torch.linalg.matrixNorm(torch.eye(2), ord), (e: unknown) => e instanceof torch.NotImplementedError && /svdvals/.test(e.message));
    }
    assert.throws(() => torch.norm(torch.eye(2), 'nuc'), torch.NotImplementedError);
  });

  test('the norm of a zero vector has a zero gradient', () => {
    const x = torch.zeros(3, { requiresGrad: true });
    torch.linalg.vectorNorm(x).backward();
    assert.deepEqual(x.grad?.tolist(), [0, 0, 0]);
  });
});
