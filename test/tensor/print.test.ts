// test/tensor/print.test.ts — formatTensor against PyTorch 1.13's repr (test/fixtures/print.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arrayType, type DType } from '../../src/core/dtype.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { Size } from '../../src/tensor/size.js';
import { jsBackend } from '../../src/backends/js/index.js';
import {
  formatExp,
  formatFixed,
  formatTensor,
  getPrintoptions,
  installPrinting,
  setPrintoptions,
  type PrintOptions,
} from '../../src/tensor/print.js';

interface PyOptions {
  precision?: number;
  threshold?: number;
  edgeitems?: number;
  linewidth?: number;
  sci_mode?: boolean;
  profile?: 'default' | 'short' | 'full';
}

interface Case {
  name: string;
  dtype: DType;
  shape: number[];
  values: string[];
  requiresGrad: boolean;
  gradFn: string | null;
  options: PyOptions | null;
  repr: string;
}

// Compiled to dist/test/tensor/, so the fixtures sit three levels up, under the repo root.
const here = path.dirname(fileURLToPath(import.meta.url));
const fixturePath = path.resolve(here, '../../../test/fixtures/print.json');
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { torch: string; cases: Case[] };

/** Python's repr of a float or int back to a number. */
function parseValue(s: string): number {
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return Number(s);
}

function build(c: Case): Tensor {
  const data = arrayType(c.dtype).from(c.values.map(parseValue));
  const t = new Tensor(jsBackend.fromArray(c.dtype, data), c.shape);
  if (c.requiresGrad) t.requiresGrad_();
  if (c.gradFn !== null) t.setGradFn({ name: c.gradFn });
  return t;
}

function toOptions(o: PyOptions): Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' } {
  const { sci_mode: sciMode, ...rest } = o;
  return sciMode === undefined ? rest : { ...rest, sciMode };
}

test('fixture has enough cases', () => {
  assert.ok(fixture.cases.length >= 60, `only ${fixture.cases.length} cases`);
});

for (const c of fixture.cases) {
  test(`print: ${c.name}`, () => {
    const t = build(c);
    if (c.options !== null) setPrintoptions(toOptions(c.options));
    try {
      assert.equal(formatTensor(t), c.repr);
    } finally {
      setPrintoptions({ profile: 'default' });
    }
  });
}

test('Python float formatting: round half to even, two-digit exponents', () => {
  assert.equal(formatFixed(0.03125, 4), '0.0312');
  assert.equal(formatFixed(0.09375, 4), '0.0938');
  assert.equal(formatFixed(2.5, 0), '2');
  assert.equal(formatFixed(-0, 4), '-0.0000');
  assert.equal(formatFixed(-0.00001, 4), '-0.0000');
  assert.equal(formatFixed(1e22, 1), '10000000000000000000000.0');
  assert.equal(formatExp(1e-5, 4), '1.0000e-05');
  assert.equal(formatExp(1e10, 4), '1.0000e+10');
  assert.equal(formatExp(1e300, 4), '1.0000e+300');
  assert.equal(formatExp(9.99996, 4), '1.0000e+01');
  assert.equal(formatExp(1.03125, 4), '1.0312e+00');
  assert.equal(formatExp(5e-324, 4), '4.9407e-324');
  assert.equal(formatExp(-0, 2), '-0.00e+00');
  assert.equal(formatExp(7, 0), '7e+00');
});

test('setPrintoptions resets sciMode like torch.set_printoptions', () => {
  setPrintoptions({ sciMode: true, precision: 2 });
  assert.deepEqual(getPrintoptions(), { precision: 2, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: true });
  setPrintoptions({ linewidth: 100 });
  assert.equal(getPrintoptions().sciMode, null);
  setPrintoptions({ profile: 'full' });
  assert.deepEqual(getPrintoptions(), { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80, sciMode: null });
  setPrintoptions({ profile: 'default' });
});

test('prefix and extra suffixes', () => {
  const t = new Tensor(jsBackend.fromArray('float32', Float32Array.from([1, 2, 3, 4])), [2, 2]);
  assert.equal(formatTensor(t, { prefix: 'Foo(' }), 'Foo([[1., 2.],\n     [3., 4.]])');
  assert.equal(formatTensor(t, { suffixes: ['names=(None, None)'] }), 'tensor([[1., 2.],\n        [3., 4.]], names=(None, None))');
});

test('installPrinting makes String() and util.inspect show the repr', async () => {
  installPrinting();
  const t = new Tensor(jsBackend.fromArray('float32', Float32Array.from([0.8008, -0.2586])), [1, 2]);
  t.requiresGrad_();
  const expected = 'tensor([[ 0.8008, -0.2586]], requires_grad=True)';
  assert.equal(String(t), expected);
  assert.equal(String(t), expected);
  const { inspect } = await import('node:util');
  assert.equal(inspect(t), expected);
});

test('torch.Size prints as PyTorch does', () => {
  assert.equal(String(Size.of_([4, 10])), 'torch.Size([4, 10])');
  assert.equal(String(Size.of_([5])), 'torch.Size([5])');
  assert.equal(String(Size.of_([])), 'torch.Size([])');
  const t = new Tensor(jsBackend.fromArray('float32', new Float32Array(40)), [4, 10]);
  assert.equal(t.shape.toString(), 'torch.Size([4, 10])');
});

test('non-contiguous views print in logical order', () => {
  const t = new Tensor(jsBackend.fromArray('int64', Float64Array.from([1, 2, 3, 4, 5, 6])), [2, 3]);
  const transposed = t.asView([3, 2], [1, 3], 0);
  assert.equal(formatTensor(transposed), 'tensor([[1, 4],\n        [2, 5],\n        [3, 6]])');
});
