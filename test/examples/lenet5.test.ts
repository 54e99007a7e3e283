// test/examples/lenet5.test.ts — examples/lenet5.ts against PyTorch: parameter names and shapes, initial weights, output shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { lenet5 } from '../../examples/lenet5.js';
import { assertClose, loadFixture } from '../helpers.js';

interface ParamFixture { name: string; shape: number[]; head: number[]; sum: number }
const fixture = loadFixture('lenet5.json') as { params: ParamFixture[] };

test('lenet5 has PyTorch\'s parameter names and shapes', () => {
  const got = lenet5().namedParameters().map(([name, p]) => [name, [...p.shape]]);
  assert.deepEqual(got, fixture.params.map((p) => [p.name, p.shape]));
});

test('lenet5 maps a 64x1x28x28 batch to 64x10 logits', () => {
  const y = lenet5()(torch.randn(64, 1, 28, 28));
  assert.deepEqual([...y.shape], [64, 10]);
});

test('lenet5 initial weights under manualSeed(0) equal PyTorch\'s', () => {
  torch.manualSeed(0);
  const params = lenet5().namedParameters();
  fixture.params.forEach((expected, i) => {
    const values = params[i][1].toArray();
    assertClose(Array.from(values.subarray(0, expected.head.length)), expected.head, { atol: 1e-7, what: expected.name });
    const sum = Array.from(values).reduce((a, b) => a + b, 0);
    assertClose([sum], [expected.sum], { atol: 1e-5, what: `${expected.name} sum` });
  });
});
