// test/nn/rnn.test.ts — nn.RNN, nn.LSTM, nn.GRU, the cells and nn.utils.rnn packing against PyTorch
// (test/fixtures/attention.json): initial draws, printed forms, outputs and gradients (multi-layer,
// bidirectional, batchFirst, initial states, unbatched, packed), gradcheck and PyTorch's errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { assertClose, present } from '../helpers.js';
import { assertState, type Built, type FixtureTensor, fx, type ModuleCase, runModuleCase, section } from './attention-fixtures.js';

const { packPaddedSequence, padPackedSequence, padSequence, PackedSequence } = nn.utils.rnn;

interface RnnExtra {
  lengths?: number[];
  enforceSorted?: boolean;
  batchFirst?: boolean;
}

type RnnCase = ModuleCase & { extra: RnnExtra };

function build(c: RnnCase): Built {
  const [i, h] = c.args as [number, number];
  const o = c.options as nn.RNNModuleOptions;
  const { lengths, enforceSorted = true, batchFirst = false } = c.extra;
  const pack = (x: torch.Tensor): torch.nn.utils.rnn.PackedSequence =>
    packPaddedSequence(x, lengths ?? [], batchFirst, enforceSorted);
  const unpack = (p: torch.nn.utils.rnn.PackedSequence): torch.Tensor => padPackedSequence(p, batchFirst)[0];
  switch (c.kind) {
    case 'RNN': case 'GRU': {
      const m = c.kind === 'RNN' ? new nn.RNN(i, h, o) : new nn.GRU(i, h, o);
      return [m, ([x, h0]: (torch.Tensor | undefined)[]) => {
        if (x === undefined) throw new Error('no input');
        if (lengths === undefined) return m(x, h0 ?? null);
        const [out, hn] = m(pack(x), h0 ?? null);
        return [unpack(out), hn];
      }];
    }
    case 'LSTM': {
      const m = new nn.LSTM(i, h, o);
      return [m, ([x, h0, c0]: (torch.Tensor | undefined)[]) => {
        if (x === undefined) throw new Error('no input');
        const hx: nn.LSTMState | null = h0 === undefined || c0 === undefined ? null : [h0, c0];
        if (lengths === undefined) {
          const [out, [hn, cn]] = m(x, hx);
          return [out, hn, cn];
        }
        const [out, [hn, cn]] = m(pack(x), hx);
        return [unpack(out), hn, cn];
      }];
    }
    case 'RNNCell': {
      const m = new nn.RNNCell(i, h, o);
      return [m, ([x, h0]: (torch.Tensor | undefined)[]) => m(present(x), h0 ?? null)];
    }
    case 'GRUCell': {
      const m = new nn.GRUCell(i, h, o);
      return [m, ([x, h0]: (torch.Tensor | undefined)[]) => m(present(x), h0 ?? null)];
    }
    case 'LSTMCell': {
      const m = new nn.LSTMCell(i, h, o);
      return [m, ([x, h0, c0]: (torch.Tensor | undefined)[]) => m(present(x), h0 === undefined || c0 === undefined ? null : [h0, c0])];
    }
  }
  throw new Error(`unknown kind ${c.kind}`);
}

for (const c of section<RnnCase>('rnn')) {
  test(`${c.kind} initialises and prints as PyTorch: ${c.name}`, () => {
    torch.manualSeed(c.seed);
    const [m] = build(c);
    assertState(m, c.init);
    assert.equal(String(m), c.repr);
  });

  test(`${c.kind} outputs and gradients match PyTorch: ${c.name}`, () => {
    runModuleCase(c, build);
  });
}

interface PackingCase {
  sequences: FixtureTensor[];
  padded: FixtureTensor;
  data: FixtureTensor;
  batchSizes: number[];
  sortedIndices: number[];
  unsortedIndices: number[];
  unpacked: FixtureTensor;
  lengths: number[];
}

test('padSequence, packPaddedSequence and padPackedSequence match PyTorch', () => {
  const [c] = section<PackingCase>('packing');
  const seqs = c.sequences.map((s) => fx(s));
  assertClose(padSequence(seqs, true, -1).toArray(), fx(c.padded).toArray(), { atol: 0, rtol: 0 });
  const packed = packPaddedSequence(padSequence(seqs), [3, 5, 2], false, false);
  assertClose(packed.data.toArray(), fx(c.data).toArray(), { atol: 0, rtol: 0 });
  assert.deepEqual(packed.sizes, c.batchSizes);
  assert.deepEqual(Array.from(packed.sortedIndices?.toArray() ?? [], Number), c.sortedIndices);
  assert.deepEqual(Array.from(packed.unsortedIndices?.toArray() ?? [], Number), c.unsortedIndices);
  const [unpacked, lengths] = padPackedSequence(packed, true, 0, 6);
  assert.deepEqual([...unpacked.shape], c.unpacked.shape);
  assertClose(unpacked.toArray(), fx(c.unpacked).toArray(), { atol: 0, rtol: 0 });
  assert.deepEqual(Array.from(lengths.toArray(), Number), c.lengths);
  assert.ok(packed instanceof PackedSequence);
});

test('packing refuses unsorted lengths and short total lengths, in PyTorch words', () => {
  const x = torch.zeros(5, 3, 2);
  assert.throws(() => packPaddedSequence(x, [2, 5, 3]), /`lengths` array must be sorted in decreasing order when `enforce_sorted` is True/);
  assert.throws(() => packPaddedSequence(x, [5, 3, 0]), /Length of all samples has to be greater than 0/);
  assert.throws(() => padPackedSequence(packPaddedSequence(x, [5, 3, 1]), false, 0, 4),
    /Expected total_length to be at least the length of the longest sequence in input, but got total_length=4 and max sequence length being 5/);
});

test('LSTM and GRU cells pass gradcheck in float64', () => {
  torch.manualSeed(0);
  const lstm = new nn.LSTMCell(3, 4).to('float64');
  const gru = new nn.GRUCell(3, 4).to('float64');
  const x = torch.randn([2, 3], { dtype: 'float64', requiresGrad: true });
  const h = torch.randn([2, 4], { dtype: 'float64', requiresGrad: true });
  const c = torch.randn([2, 4], { dtype: 'float64', requiresGrad: true });
  assert.ok(torch.autograd.gradcheck((a, b, d) => {
    const [h1, c1] = lstm(a, [b, d]);
    return h1.add(c1.mul(2));
  }, [x, h, c]));
  assert.ok(torch.autograd.gradcheck((a, b) => gru(a, b), [x, h]));
  const layer = new nn.LSTM(3, 2, { bidirectional: true }).to('float64');
  assert.ok(torch.autograd.gradcheck((a) => layer(a)[0], [torch.randn([3, 1, 3], { dtype: 'float64', requiresGrad: true })]));
});

test('steps share one projection: gradients of unused steps, double backward and retained graphs', () => {
  torch.manualSeed(1);
  const gru = new nn.GRU(3, 2, { numLayers: 2 }).to('float64');
  const x = torch.randn([4, 2, 3], { dtype: 'float64', requiresGrad: true });
  // only the first two steps reach the loss: the other steps' rows of the projection get zeros
  assert.ok(torch.autograd.gradcheck((a) => gru(a)[0].narrow(0, 0, 2), [x]));
  const lstm = new nn.LSTM(3, 2).to('float64');
  const out = lstm(x)[0].pow(2).sum();
  const [g] = torch.autograd.grad(out, x, { createGraph: true });
  present(g).pow(2).sum().backward();
  const [again] = torch.autograd.grad(lstm(x)[0].pow(2).sum(), x);
  assertClose(present(again).toArray(), present(g).detach().toArray(), { atol: 1e-12 });
  assert.ok(present(lstm.parameters()[0].grad).abs().sum().item() > 0);
  const x2 = x.detach().requiresGrad_();
  const y = lstm(x2)[0].sum();
  y.backward(undefined, { retainGraph: true });
  const first = present(x2.grad).clone();
  y.backward();
  assertClose(present(x2.grad).toArray(), first.mul(2).toArray(), { atol: 1e-12 });
});

test('the fused LSTM cell has the right second derivative (its recorded backward recomputes the gates)', () => {
  torch.manualSeed(3);
  const cell = new nn.LSTMCell(3, 2).to('float64');
  const h = torch.randn([2, 2], { dtype: 'float64' }), c = torch.randn([2, 2], { dtype: 'float64' });
  const phi = (x: torch.Tensor): torch.Tensor => {
    const [h1, c1] = cell(x, [h, c]);
    const [g] = torch.autograd.grad(h1.pow(2).sum().add(c1.mul(h1).sum()), x, { createGraph: true });
    return present(g).pow(2).sum();
  };
  const x = torch.randn([2, 3], { dtype: 'float64', requiresGrad: true });
  const [analytic] = torch.autograd.grad(phi(x), x);
  const base = Array.from(x.detach().toArray()), eps = 1e-6;
  const at = (v: number[]): number => phi(torch.tensor(v, { dtype: 'float64' }).reshape(2, 3).requiresGrad_()).item();
  const numeric = base.map((_, i) => (at(base.map((v, j) => (j === i ? v + eps : v))) - at(base.map((v, j) => (j === i ? v - eps : v)))) / (2 * eps));
  assertClose(present(analytic).toArray(), numeric, { atol: 1e-6, rtol: 1e-5 });
});

test('an LSTM layer (one node on the native backend) has the right second derivative through its outputs and last states', () => {
  torch.manualSeed(4);
  const lstm = new nn.LSTM(3, 2, { bidirectional: true }).to('float64');
  const h0 = torch.randn([2, 2, 2], { dtype: 'float64' }), c0 = torch.randn([2, 2, 2], { dtype: 'float64' });
  const phi = (x: torch.Tensor): torch.Tensor => {
    const [out, [hn, cn]] = lstm(x, [h0, c0]);
    const [g] = torch.autograd.grad(out.pow(2).sum().add(hn.mul(cn).sum()), x, { createGraph: true });
    return present(g).pow(2).sum();
  };
  const x = torch.randn([3, 2, 3], { dtype: 'float64', requiresGrad: true });
  const [analytic] = torch.autograd.grad(phi(x), x);
  const base = Array.from(x.detach().toArray()), eps = 1e-6;
  const at = (v: number[]): number => phi(torch.tensor(v, { dtype: 'float64' }).reshape(3, 2, 3).requiresGrad_()).item();
  const numeric = base.map((_, i) => (at(base.map((v, j) => (j === i ? v + eps : v))) - at(base.map((v, j) => (j === i ? v - eps : v)))) / (2 * eps));
  assertClose(present(analytic).toArray(), numeric, { atol: 1e-6, rtol: 1e-5 });
});

test('changing W_hh in place between forward and backward is refused, as PyTorch does', () => {
  const lstm = new nn.LSTM(3, 2);
  const y = lstm(torch.randn(4, 1, 3))[0].sum();
  torch.noGrad(() => lstm.parameters()[1].mul_(2));
  assert.throws(() => { y.backward(); }, /modified by an inplace operation/);
});

test('recurrent layers word their errors as PyTorch does', () => {
  const lstm = new nn.LSTM(4, 8);
  assert.throws(() => lstm(torch.zeros(5, 3, 4), [torch.zeros(2, 3, 8), torch.zeros(1, 3, 8)]), /Expected hidden\[0\] size \(1, 3, 8\), got \[2, 3, 8\]/);
  assert.throws(() => new nn.GRU(4, 8)(torch.zeros(5, 3, 5)), /input.size\(-1\) must be equal to input_size. Expected 4, got 5/);
  assert.throws(() => new nn.LSTM(4, 8)(torch.zeros(0, 3, 4)), /Expected sequence length to be larger than 0 in RNN/);
  assert.throws(() => new nn.RNN(4, 8, { dropout: 2 }), /dropout should be a number in range \[0, 1\]/);
  assert.throws(() => new nn.RNN(4, 8, { nonlinearity: 'sig' as 'relu' }), /Unknown nonlinearity 'sig'/);
  assert.throws(() => new nn.RNN(4, 8)(torch.zeros(5, 3, 4), torch.zeros(3, 8)), /For batched 3-D input, hx should also be 3-D but got 2-D tensor/);
  assert.throws(() => new nn.LSTM(4, 8, { projSize: 8 }), /proj_size has to be smaller than hidden_size/);
  assert.throws(() => new nn.LSTM(4, 8, { projSize: -1 }), /proj_size should be a positive integer or zero to disable projections/);
  assert.throws(() => new nn.GRU(4, 8, { projSize: 2 } as nn.RNNOptions), /proj_size argument is only supported for LSTM, not RNN or GRU/);
  assert.throws(() => new nn.LSTM(4, 8, { projSize: 2 })(torch.zeros(5, 3, 4), [torch.zeros(1, 3, 8), torch.zeros(1, 3, 8)]),
    /Expected hidden\[0\] size \(1, 3, 2\), got \[1, 3, 8\]/);
  assert.throws(() => new nn.LSTMCell(4, 8)(torch.zeros(2, 3, 4)), /LSTMCell: Expected input to be 1-D or 2-D but received 3-D tensor/);
  assert.throws(() => new nn.LSTMCell(4, 8)(torch.zeros(2, 5)), /input has inconsistent input_size: got 5 expected 4/);
  assert.throws(() => new nn.GRUCell(4, 8)(torch.zeros(2, 4), torch.zeros(2, 7)), /hidden0 has inconsistent hidden_size: got 7, expected 8/);
});

test('dropout between layers acts only in training mode', () => {
  torch.manualSeed(0);
  const gru = new nn.GRU(3, 4, { numLayers: 2, dropout: 0.5 });
  const x = torch.randn(4, 2, 3);
  const [a] = gru.eval()(x);
  const [b] = gru(x);
  assertClose(a.toArray(), b.toArray(), { atol: 0, rtol: 0 });
  const [c] = gru.train()(x);
  assert.ok(a.sub(c).abs().sum().item() > 0);
});

test('packSequence packs a list as packPaddedSequence packs its padding, and an LSTM takes either', () => {
  torch.manualSeed(1);
  const seqs = [torch.randn(2, 3), torch.randn(4, 3), torch.randn(3, 3)];
  const a = nn.utils.rnn.packSequence(seqs, false);
  const b = packPaddedSequence(padSequence(seqs), [2, 4, 3], false, false);
  assertClose(a.data.toArray(), b.data.toArray(), { atol: 0, rtol: 0 });
  assert.deepEqual(a.sizes, [3, 3, 2, 1]);
  const lstm = new nn.LSTM(3, 5);
  const [out, [h]] = lstm(a);
  const [padded, lengths] = padPackedSequence(out);
  assert.deepEqual(Array.from(lengths.toArray(), Number), [2, 4, 3]);
  // Each sequence's final h is its output at its own last step.
  [2, 4, 3].forEach((len, i) => {
    assertClose(h.get(0).get(i).toArray(), padded.get(len - 1).get(i).toArray(), { atol: 1e-6, rtol: 1e-6 });
  });
});
