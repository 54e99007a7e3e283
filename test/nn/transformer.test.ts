// test/nn/transformer.test.ts — nn.TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer,
// TransformerDecoder and Transformer against PyTorch (test/fixtures/attention.json): initial draws
// (layers cloned with equal weights), printed forms, outputs and gradients with masks, batchFirst, normFirst.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { assertClose } from '../helpers.js';
import { assertState, type Built, type ModuleCase, runModuleCase, section } from './attention-fixtures.js';

function build(c: ModuleCase): Built {
  const [e, h, layers, norm] = c.args as [number, number, number, boolean];
  const o = c.options as nn.TransformerLayerOptions & nn.TransformerOptions;
  switch (c.kind) {
    case 'TransformerEncoderLayer': {
      const m = new nn.TransformerEncoderLayer(e, h, o);
      return [m, ([src], opts) => m(src, opts)];
    }
    case 'TransformerEncoder': {
      const m = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(e, h, o), layers, norm ? new nn.LayerNorm(e) : null);
      return [m, ([src], opts) => m(src, opts)];
    }
    case 'TransformerDecoderLayer': {
      const m = new nn.TransformerDecoderLayer(e, h, o);
      return [m, ([tgt, memory], opts) => m(tgt, memory, opts)];
    }
    case 'TransformerDecoder': {
      const m = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(e, h, o), layers, norm ? new nn.LayerNorm(e) : null);
      return [m, ([tgt, memory], opts) => m(tgt, memory, opts)];
    }
    case 'Transformer': {
      const m = new nn.Transformer(o);
      return [m, ([src, tgt], opts) => m(src, tgt, opts)];
    }
  }
  throw new Error(`unknown kind ${c.kind}`);
}

for (const c of section<ModuleCase>('transformer')) {
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

test('Transformer.generateSquareSubsequentMask is −∞ above the diagonal', () => {
  assert.deepEqual(nn.Transformer.generateSquareSubsequentMask(3).tolist(), [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
});

test('Transformer layers word their errors as PyTorch does', () => {
  assert.throws(() => new nn.TransformerEncoderLayer(8, 2, { activation: 'tanh' as 'relu' }), /activation should be relu\/gelu, not tanh/);
  const t = new nn.Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 });
  assert.throws(() => t(torch.zeros(3, 2, 4), torch.zeros(3, 1, 4)), /the batch number of src and tgt must be equal/);
  assert.throws(() => t(torch.zeros(3, 2, 4), torch.zeros(3, 2, 5)), /the feature number of src and tgt must be equal to d_model/);
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
  assert.throws(() => layer(torch.zeros(3, 2, 4), { srcKeyPaddingMask: torch.zeros([2, 3], { dtype: 'int64' }) }),
    /only bool and floating types of key_padding_mask are supported/);
});

test('a module activation becomes a child and prints, as in PyTorch', () => {
  const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, activation: new nn.GELU() });
  assert.deepEqual(layer.children().map((m) => m.constructor.name).slice(-1), ['GELU']);
  const x = torch.randn(3, 2, 4);
  assertClose(layer.eval()(x).toArray(), layer(x).toArray(), { atol: 0, rtol: 0 });
});
