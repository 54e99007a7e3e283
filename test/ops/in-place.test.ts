// test/ops/in-place.test.ts — in-place ops against their out-of-place forms on every layout (dense, at
// an offset, strided, broadcast and scalar operands), version counters, PyTorch's overlap errors and
// the autograd rules, which must hold whether an op writes into x directly or copies its result in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as torch from 'kindling';
import { F } from 'kindling';
import type { Tensor } from 'kindling';
import { assertClose, present } from '../helpers.js';

type Operands = { y: Tensor; a: Tensor; b: Tensor };
interface Case {
  name: string;
  inPlace: (x: Tensor, o: Operands) => Tensor;
  outOfPlace: (x: Tensor, o: Operands) => Tensor;
  /** Inputs kept positive (sqrt, divisors). */
  positive?: boolean;
}

const same = (name: string, f: (x: Tensor, o: Operands) => Tensor, g: (x: Tensor, o: Operands) => Tensor, positive = false): Case =>
  ({ name, inPlace: f, outOfPlace: g, positive });

const CASES: Case[] = [
  same('add_ tensor', (x, { y }) => x.add_(y), (x, { y }) => x.add(y)),
  same('add_ alpha', (x, { y }) => x.add_(y, { alpha: 2.5 }), (x, { y }) => x.add(y, { alpha: 2.5 })),
  same('add_ scalar', (x) => x.add_(1.5), (x) => x.add(1.5)),
  same('add_ 0-d tensor', (x) => x.add_(torch.tensor(0.25)), (x) => x.add(torch.tensor(0.25))),
  same('sub_ alpha', (x, { y }) => x.sub_(y, { alpha: 0.5 }), (x, { y }) => x.sub(y, { alpha: 0.5 })),
  same('mul_ tensor', (x, { y }) => x.mul_(y), (x, { y }) => x.mul(y)),
  same('mul_ scalar', (x) => x.mul_(0.5), (x) => x.mul(0.5)),
  same('div_ tensor', (x, { b }) => x.div_(b), (x, { b }) => x.div(b), true),
  same('div_ floor', (x, { b }) => x.div_(b, { roundingMode: 'floor' }), (x, { b }) => x.div(b, { roundingMode: 'floor' }), true),
  same('pow_ scalar', (x) => x.pow_(2), (x) => x.pow(2)),
  same('relu_', (x) => x.relu_(), (x) => x.relu()),
  same('neg_', (x) => x.neg_(), (x) => x.neg()),
  same('exp_', (x) => x.exp_(), (x) => x.exp()),
  same('sqrt_', (x) => x.sqrt_(), (x) => x.sqrt(), true),
  same('sigmoid_', (x) => x.sigmoid_(), (x) => x.sigmoid()),
  same('tanh_', (x) => x.tanh_(), (x) => x.tanh()),
  same('abs_', (x) => x.abs_(), (x) => x.abs()),
  same('clamp_', (x) => x.clamp_(-0.5, 0.7), (x) => x.clamp(-0.5, 0.7)),
  same('clamp_ min only', (x) => x.clamp_(0.1), (x) => x.clamp(0.1)),
  same('clamp_ max only', (x) => x.clamp_(null, 0.2), (x) => x.clamp(null, 0.2)),
  same('addcmul_', (x, { a, b }) => x.addcmul_(a, b, { value: 0.5 }), (x, { a, b }) => x.addcmul(a, b, { value: 0.5 })),
  same('addcdiv_', (x, { a, b }) => x.addcdiv_(a, b, { value: -2 }), (x, { a, b }) => torch.addcdiv(x, a, b, { value: -2 }), true),
  same('maskedFill_', (x, { y }) => x.maskedFill_(y.gt(0), 3), (x, { y }) => x.maskedFill(y.gt(0), 3)),
  same('copy_', (x, { y }) => x.copy_(y), (x, { y }) => torch.zerosLike(x).add(y)),
  same('fill_', (x) => x.fill_(0.75), (x) => torch.fullLike(x, 0.75)),
  same('zero_', (x) => x.zero_(), (x) => torch.zerosLike(x)),
  same('F.relu inplace', (x) => F.relu(x, { inplace: true }), (x) => F.relu(x)),
  same('F.leakyRelu inplace', (x) => F.leakyRelu(x, { negativeSlope: 0.2, inplace: true }), (x) => F.leakyRelu(x, { negativeSlope: 0.2 })),
  same('F.elu inplace', (x) => F.elu(x, { inplace: true }), (x) => F.elu(x)),
  same('F.silu inplace', (x) => F.silu(x, { inplace: true }), (x) => F.silu(x)),
  same('F.hardtanh inplace', (x) => F.hardtanh(x, { inplace: true }), (x) => F.hardtanh(x)),
];

/** Deterministic values in [-2, 2), or [0.5, 2.5) when `positive`. */
function values(n: number, seed: number, positive = false): Tensor {
  const v = Float64Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 2);
  const t = torch.tensor(v, { dtype: 'float64' }).float();
  return positive ? t.abs().add(0.5) : t;
}

/** x's layouts: its own storage, a dense run inside a bigger one, a transposed view, a row of a matrix. */
type Layout = 'dense' | 'offset' | 'transposed' | 'row';
function target(layout: Layout, rows: number, cols: number, positive: boolean): { x: Tensor; base: Tensor } {
  const n = rows * cols;
  if (layout === 'dense') {
    const x = values(n, 1, positive).reshape(rows, cols);
    return { x, base: x };
  }
  if (layout === 'offset') {
    const base = values(n + 7, 1, positive);
    return { x: base.get([3, n + 3]).view(rows, cols), base };
  }
  if (layout === 'transposed') {
    const base = values(n, 1, positive).reshape(cols, rows);
    return { x: base.t(), base };
  }
  const base = values(3 * n, 1, positive).reshape(3, rows, cols);
  return { x: base.get(1), base };
}

/** Operands of x's shape; `broadcast` makes y and b a row broadcast over x, and `strided` makes y a transposed view. */
function operands(rows: number, cols: number, form: 'same' | 'broadcast' | 'strided', positive: boolean): Operands {
  const shape = form === 'broadcast' ? [cols] : [rows, cols];
  const numel = shape.reduce((p, q) => p * q, 1);
  const y = form === 'strided' ? values(numel, 2).reshape(cols, rows).t() : values(numel, 2).reshape(shape);
  return { y, a: values(rows * cols, 3).reshape(rows, cols), b: values(numel, 4, true).reshape(shape).add(positive ? 0 : 0.25) };
}

// 3x5 stays in the JS loops; 64x100 crosses into the native kernels, 256x260 into their threads.
const SIZES: [number, number][] = [[3, 5], [64, 100], [256, 260]];

describe('in-place ops equal their out-of-place forms', () => {
  const cache = new Map<string, Operands>();
  for (const c of CASES) {
    // Unary cases (declared without the operands argument) need one operand form only.
    const forms = c.inPlace.length > 1 ? (['same', 'broadcast', 'strided'] as const) : (['same'] as const);
    test(c.name, () => {
      torch.noGrad(() => {
        for (const [rows, cols] of SIZES) {
          for (const layout of ['dense', 'offset', 'transposed', 'row'] as Layout[]) {
            for (const form of forms) {
              const { x, base } = target(layout, rows, cols, c.positive ?? false);
              const key = `${rows} ${cols} ${form} ${String(c.positive)}`;
              const o = cache.get(key) ?? operands(rows, cols, form, c.positive ?? false);
              cache.set(key, o);
              const expected = c.outOfPlace(x, o);
              const before = base.flatten().toArray(), version = x.version;
              const r = c.inPlace(x, o);
              const what = `${c.name} ${rows}x${cols} ${layout} ${form}`;
              assert.equal(r, x, `${what}: returns self`);
              assertClose(x.toArray(), expected.toArray(), { atol: 1e-6, rtol: 1e-6, what });
              assert.equal(x.version, version + 1, `${what}: version`);
              const after = base.flatten().toArray(), inside = elementsOf(x, base);
              for (let i = 0; i < after.length; i++) if (!inside[i]) assert.equal(after[i], before[i], `${what}: element ${i} of the base`);
            }
          }
        }
      });
    });
  }
});

/** Which elements of `base` (contiguous, at offset 0) its view x covers. */
function elementsOf(x: Tensor, base: Tensor): Uint8Array {
  const covered = new Uint8Array(base.numel());
  const idx = torch.arange(base.numel(), { dtype: 'float64' }).asView(x.dims, x.strides, x.offset);
  for (const i of idx.toArray()) covered[i] = 1;
  return covered;
}

const OVERLAP = /unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location/;
const INTERNAL = /unsupported operation: more than one element of the written-to tensor refers to a single memory location/;

describe('aliasing follows PyTorch', () => {
  test('an operand that is x itself reads each element before it is written', () => {
    for (const n of [4, 5000]) {
      const x = values(n, 5);
      const [twice, squared] = [x.mul(2), x.mul(x)];
      assertClose(x.clone().add_(x.clone()).toArray(), twice.toArray());
      const y = x.clone();
      assertClose(y.add_(y).toArray(), twice.toArray());
      const z = x.clone();
      assertClose(z.mul_(z).toArray(), squared.toArray());
      const w = x.clone();
      assertClose(w.addcmul_(w, w, { value: 2 }).toArray(), x.add(x.mul(x).mul(2)).toArray());
      const v = x.clone();
      assertClose(v.copy_(v).toArray(), x.toArray());
    }
  });

  test('operands that share part of x memory are refused, as PyTorch refuses them', () => {
    const z = torch.arange(12).float().reshape(3, 4);
    assert.throws(() => z.add_(z.get(0)), OVERLAP);
    const s = torch.arange(16).float().reshape(4, 4);
    assert.throws(() => s.add_(s.t()), OVERLAP);
    assert.throws(() => s.copy_(s.t()), OVERLAP);
    const r = torch.arange(8).float();
    assert.throws(() => r.get([0, 4]).add_(r.get([2, 6])), OVERLAP);
    assert.throws(() => r.mul_(r.get(0)), OVERLAP);
    assert.throws(() => r.get([0, 4]).addcmul_(torch.ones(4), r.get([3, 7])), OVERLAP);
    assert.deepEqual(Array.from(s.toArray()), Array.from(torch.arange(16).float().toArray()), 'nothing written');
  });

  test('disjoint parts of one storage combine like separate tensors', () => {
    const r = torch.arange(8).float();
    r.get([0, 4]).add_(r.get([4, 8]));
    assert.deepEqual(Array.from(r.toArray()), [4, 6, 8, 10, 4, 5, 6, 7]);
    const q = torch.arange(8).float();
    q.get([0, 8, 2]).add_(q.get([1, 8, 2]));
    assert.deepEqual(Array.from(q.toArray()), [1, 1, 5, 3, 9, 5, 13, 7]);
  });

  test('a broadcast operand over x own memory reads the values from before the write', () => {
    const z = torch.arange(1, 5).float();
    z.copy_(z.get(0).expand(4));
    assert.deepEqual(Array.from(z.toArray()), [1, 1, 1, 1]);
    const w = torch.arange(1, 5).float();
    w.mul_(w.get([0, 1]).expand(4));
    assert.deepEqual(Array.from(w.toArray()), [1, 2, 3, 4]);
  });

  test('writing into a broadcast view is refused, except by fill_, zero_ and maskedFill_', () => {
    const z = torch.arange(4).float();
    assert.throws(() => z.expand(3, 4).add_(1), INTERNAL);
    assert.throws(() => z.expand(3, 4).relu_(), INTERNAL);
    assert.throws(() => z.expand(3, 4).copy_(torch.ones(3, 4)), INTERNAL);
    assert.throws(() => F.leakyRelu(z.expand(3, 4), { inplace: true }), INTERNAL);
    z.expand(3, 4).fill_(2);
    assert.deepEqual(Array.from(z.toArray()), [2, 2, 2, 2]);
    z.expand(3, 4).zero_();
    assert.deepEqual(Array.from(z.toArray()), [0, 0, 0, 0]);
  });
});

describe('dtype and shape rules stay', () => {
  test('a result type x cannot hold is refused before anything is written', () => {
    const i = torch.arange(4);
    assert.throws(() => i.mul_(0.5), /mul_: result type Float can't be cast to the desired output type Long/);
    assert.throws(() => i.add_(torch.ones(4)), /add_: result type Float can't be cast to the desired output type Long/);
    assert.throws(() => i.clamp_(0.5, 2.5), /clamp_: result type Float can't be cast/);
    assert.throws(() => i.addcmul_(torch.ones(4), torch.ones(4)), /addcmul_: result type Float can't be cast/);
    assert.deepEqual(Array.from(i.toArray()), [0, 1, 2, 3]);
  });

  test('a wider operand computes in its dtype and rounds into x', () => {
    const x = torch.tensor([1, 2, 3]);
    x.add_(torch.tensor([0.1, 0.2, 0.3], { dtype: 'float64' }));
    assert.equal(x.dtype, 'float32');
    assertClose(x.toArray(), [Math.fround(1.1), Math.fround(2.2), Math.fround(3.3)], { atol: 0, rtol: 0 });
    const n = torch.arange(5000);
    n.add_(7);
    assert.equal(n.get(4999).item(), 5006);
  });

  test('an operand that broadcasts beyond x is refused', () => {
    assert.throws(() => torch.ones(4).add_(torch.ones(3, 4)), /add_: output with shape \[4\] doesn't match the broadcast shape \[3, 4\]/);
    assert.throws(() => torch.ones(4).addcmul_(torch.ones(3, 4), torch.ones(4)), /output with shape \[4\] doesn't match the broadcast shape \[3, 4\]/);
  });
});

describe('autograd rules are unchanged', () => {
  test('leaves that require grad, and their views, are refused', () => {
    const w = torch.ones(3000).requiresGrad_();
    assert.throws(() => w.relu_(), /a leaf Variable that requires grad is being used in an in-place operation/);
    assert.throws(() => w.add_(1), /a leaf Variable that requires grad/);
    assert.throws(() => w.get([0, 10]).fill_(0), /a view of a leaf Variable that requires grad/);
    torch.noGrad(() => w.addcmul_(torch.ones(3000), torch.ones(3000)));
    assert.equal(w.get(0).item(), 2);
  });

  test('a direct write bumps the version that saved tensors are checked against', () => {
    const a = torch.randn(5000).requiresGrad_();
    const y = a.exp();
    torch.noGrad(() => y.mul_(2));
    assert.throws(() => { y.sum().backward(); }, /modified by an inplace operation/);
    const b = a.mul(1);
    const s = b.sigmoid();
    torch.noGrad(() => s.clamp_(0.1, 0.9));
    assert.throws(() => { s.sum().backward(); }, /modified by an inplace operation/);
  });

  test('recorded in-place ops keep their grad_fn and gradients', () => {
    const a = torch.randn(6, { dtype: 'float64' }).requiresGrad_();
    const t1 = torch.randn(6, { dtype: 'float64' }).requiresGrad_(), t2 = torch.rand(6, { dtype: 'float64' }).add(0.5).requiresGrad_();
    const viaInPlace = a.mul(1).addcdiv_(t1, t2, { value: 0.3 });
    assert.equal(present(viaInPlace.gradFn).name, 'AddcdivBackward0');
    const [ga, g1, g2] = torch.autograd.grad(viaInPlace.pow(2).sum(), [a, t1, t2]);
    const [ea, e1, e2] = torch.autograd.grad(torch.addcdiv(a, t1, t2, { value: 0.3 }).pow(2).sum(), [a, t1, t2]);
    assertClose(present(ga).toArray(), present(ea).toArray());
    assertClose(present(g1).toArray(), present(e1).toArray());
    assertClose(present(g2).toArray(), present(e2).toArray());
    assert.equal(present(a.mul(1).relu_().gradFn).name, 'ReluBackward0');
    assert.equal(present(a.mul(1).addcmul_(t1, t2).gradFn).name, 'AddcmulBackward0');
    assert.equal(present(a.mul(1).clamp_(0, 1).gradFn).name, 'ClampBackward1');
  });

  test('an in-place op on a view of a tracked tensor becomes CopySlices on its base', () => {
    const a = torch.tensor([-1, 2, -3, 4]).requiresGrad_();
    const base = a.mul(2);
    base.get([1, 3]).relu_();
    assert.equal(present(base.gradFn).name, 'CopySlices');
    base.sum().backward();
    assert.deepEqual(Array.from(present(a.grad).toArray()), [2, 2, 0, 2]);
  });
});
