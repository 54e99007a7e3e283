// test/backends/webgpu-reduce.test.ts — the webgpu reductions, arg-reductions, sorts, gather/scatter-add/addInto
// and fused softmax against the JS reference on the same inputs: 0-d, empty, odd and multi-pass sizes,
// transposed and broadcast views, NaN, ±inf, -0 and ties. Skipped, with the reason, where no adapter exists.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ArgReduceOp, ReduceOp, CpuStorage as Storage, CpuView as View } from '../../src/backends/backend.js';
import { jsBackend } from '../../src/backends/js/index.js';
import { gpu, skip } from './webgpu-device.js';
import type { GpuStorage, GpuView } from '../../src/backends/webgpu/storage.js';
import { allocArray, type DataArray, type DType } from '../../src/core/dtype.js';
import { makeRandom } from '../opinfo/values.js';

const rand = makeRandom(12);

/** One input on both backends: the same data, shape, strides and offset. */
interface Pair {
  readonly cpu: View;
  readonly gpu: GpuView;
}
type Layout = 'contiguous' | 'transposed' | 'broadcast';

const dense = (shape: readonly number[]): number[] => {
  const s: number[] = [];
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
};
const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Values drawn from a small set (ties on purpose); floats with NaN and ±inf sprinkled in when `specials`. */
function values(dtype: DType, n: number, specials: boolean): DataArray {
  const data = allocArray(dtype, n);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (dtype === 'bool') data[i] = r < 0.5 ? 0 : 1;
    else if (dtype === 'uint8') data[i] = Math.floor(r * 6);
    else if (dtype === 'float32') data[i] = specials && r < 0.03 ? [NaN, Infinity, -Infinity, -0][i % 4] : Math.round((r * 4 - 2) * 8) / 8;
    else data[i] = Math.floor(r * 11) - 5;
  }
  return data;
}

/** A view of `shape` over fresh data in the given layout, offset by 2 elements. */
function input(dtype: DType, shape: readonly number[], layout: Layout, specials = true, data?: DataArray): Pair {
  const nd = shape.length;
  let stored = [...shape], strides: number[];
  if (layout === 'broadcast' && nd > 0) {
    stored = shape.slice(1);
    strides = [0, ...dense(stored)];
  } else if (layout === 'transposed' && nd >= 2) {
    stored = [...shape.slice(0, nd - 2), shape[nd - 1], shape[nd - 2]];
    const s = dense(stored);
    strides = [...s.slice(0, nd - 2), s[nd - 1], s[nd - 2]];
  } else {
    strides = dense(shape);
  }
  const host = data ?? values(dtype, numel(stored) + 2, specials);
  const copy = allocArray(dtype, host.length);
  copy.set(host);
  return {
    cpu: { storage: jsBackend.fromArray(dtype, host), shape, strides, offset: data === undefined ? 2 : 0 },
    gpu: { storage: gpu().fromArray(dtype, copy), shape, strides, offset: data === undefined ? 2 : 0 },
  };
}

/** An output pair of `n` elements. */
const outputs = (dtype: DType, n: number): [Storage, GpuStorage] => [jsBackend.alloc(dtype, n), gpu().alloc(dtype, n)];
const read = (s: GpuStorage): Promise<DataArray> => gpu().readAsync(s);

/** Exact equality, NaN equal to NaN and -0 to 0 unless `signedZero`. */
function assertSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, signedZero = false): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    const ok = signedZero ? Object.is(a, e) : a === e || (Number.isNaN(a) && Number.isNaN(e));
    if (!ok) assert.fail(`${what}[${i}]: got ${a}, expected ${e}`);
  }
}

/** Float results within `tol[i]` (NaN equal to NaN, infinities exactly). */
function assertNear(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: (i: number) => number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (!(Math.abs(a - e) <= tol(i))) assert.fail(`${what}[${i}]: got ${a}, expected ${e} (tolerance ${tol(i)})`);
  }
}

/** Every subset of 0..rank-1, sorted. */
const subsets = (rank: number): number[][] =>
  Array.from({ length: 2 ** rank }, (_, m) => Array.from({ length: rank }, (_, d) => d).filter((d) => (m >> d) & 1));

const keptCount = (shape: readonly number[], axes: readonly number[]): number => numel(shape.filter((_, d) => !axes.includes(d)));
const OUT_DTYPE: Record<ReduceOp, (d: DType) => DType> = { sum: (d) => d, prod: (d) => d, amax: (d) => d, amin: (d) => d, any: () => 'bool', all: () => 'bool' };

/** Reduces on both backends and compares: floats sums and products to their rounding, everything else exactly. */
async function checkReduce(op: ReduceOp, x: Pair, axes: readonly number[], what: string): Promise<void> {
  const dtype = x.cpu.storage.dtype, n = keptCount(x.cpu.shape, axes);
  const [c, g] = outputs(OUT_DTYPE[op](dtype), n);
  jsBackend.reduce(op, x.cpu, axes, c);
  gpu().reduce(op, x.gpu, axes, g);
  const got = await read(g);
  if (dtype !== 'float32' || !(op === 'sum' || op === 'prod')) {
    assertSame(got, c.data, what);
    return;
  }
  // The bound of a float32 sum: a few ulp of the sum of magnitudes (the reference adds in double).
  const abs = jsBackend.alloc('float32', numel(x.cpu.shape)), mags = jsBackend.alloc('float32', n);
  jsBackend.unary('abs', x.cpu, abs);
  jsBackend.reduce(op, { storage: abs, shape: x.cpu.shape, strides: dense(x.cpu.shape), offset: 0 }, axes, mags);
  const reduced = numel(x.cpu.shape) / Math.max(n, 1);
  assertNear(got, c.data, (i) => 1.2e-7 * (op === 'sum' ? 64 + Math.log2(reduced + 2) : reduced + 2) * mags.data[i] + 1e-30, what);
}

const REDUCE_SHAPES = [[], [0], [1], [3], [17], [1000], [33, 65], [3, 0, 5], [4, 5, 6], [257, 3], [2, 3, 2, 3]];
const LAYOUTS: Layout[] = ['contiguous', 'transposed', 'broadcast'];

describe('webgpu reduce', { skip }, () => {
  after(() => { assert.deepEqual(gpu().runtime.errors, []); });

  test('sum, prod, amax, amin, any, all over every axis set, every layout, float32 with NaN and ±inf', async () => {
    for (const shape of REDUCE_SHAPES) {
      for (const layout of LAYOUTS) {
        const x = input('float32', shape, layout);
        const tame = input('float32', shape, layout, false); // prod of ±inf·0 and NaN says little
        for (const axes of subsets(shape.length)) {
          for (const op of ['sum', 'amax', 'amin', 'any', 'all'] as const) await checkReduce(op, x, axes, `${op} ${shape} ${layout} ${axes}`);
          await checkReduce('prod', tame, axes, `prod ${shape} ${layout} ${axes}`);
        }
      }
    }
  });

  test('integers and bools reduce exactly, int32 sums wrapping as the reference stores them', async () => {
    for (const dtype of ['int32', 'int64', 'bool', 'uint8'] as const) {
      for (const shape of [[], [5], [17, 33], [3, 4, 65]]) {
        for (const layout of LAYOUTS) {
          const x = input(dtype, shape, layout);
          // Products of -1, 0 and 1 only: the device's 32 bits cannot hold int64 products the reference can.
          const units = input(dtype, shape, layout, false, values(dtype, numel(shape), false).map((v) => Math.sign(v)));
          for (const axes of subsets(shape.length)) {
            const ops: ReduceOp[] = dtype === 'bool' ? ['amax', 'amin', 'any', 'all'] : ['sum', 'amax', 'amin', 'any', 'all'];
            for (const op of ops) await checkReduce(op, x, axes, `${dtype} ${op} ${shape} ${layout} ${axes}`);
            if (dtype !== 'bool') await checkReduce('prod', units, axes, `${dtype} prod ${shape} ${layout} ${axes}`);
          }
        }
      }
    }
    const big = Int32Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (2 ** 30 + i));
    await checkReduce('sum', input('int32', [1000], 'contiguous', false, big), [0], 'int32 overflow');
  });

  test('a float32 max of an empty set is -inf, a sum 0, a product 1', async () => {
    for (const op of ['sum', 'prod', 'amax', 'amin', 'any', 'all'] as const) await checkReduce(op, input('float32', [4, 0], 'contiguous'), [1], op);
  });

  test('large reductions take several passes: 10M elements, a 1M matrix whole, by columns and transposed', async () => {
    await checkReduce('sum', input('float32', [10_000_019], 'contiguous', false), [0], 'sum of 10M');
    const x = input('float32', [1025, 1031], 'contiguous', false);
    await checkReduce('sum', x, [0, 1], 'sum of all');
    await checkReduce('sum', x, [0], 'column sums');
    await checkReduce('amax', x, [0, 1], 'amax of all');
    // The same storage read transposed: the reduced dims no longer merge into one.
    const t: Pair = { cpu: { ...x.cpu, shape: [1031, 1025], strides: [1, 1031] }, gpu: { ...x.gpu, shape: [1031, 1025], strides: [1, 1031] } };
    await checkReduce('sum', t, [0, 1], 'transposed sum of all');
    const ints = input('int32', [3, 700_000], 'contiguous');
    await checkReduce('sum', ints, [1], 'int32 row sums');
    await checkReduce('sum', input('float32', [600_000, 33], 'contiguous'), [0], 'long columns');
  });
});

/** Arg-reduces on both backends; values and indices must agree exactly. */
async function checkArg(op: ArgReduceOp, x: Pair, axis: number, what: string): Promise<void> {
  const n = keptCount(x.cpu.shape, [axis]);
  const [cv, gv] = outputs(x.cpu.storage.dtype, n), [ci, gi] = outputs('int64', n);
  jsBackend.argReduce(op, x.cpu, axis, cv, ci);
  gpu().argReduce(op, x.gpu, axis, gv, gi);
  assertSame(await read(gi), ci.data, `${what} indices`);
  assertSame(await read(gv), cv.data, `${what} values`);
}

describe('webgpu argReduce', { skip }, () => {
  after(() => { assert.deepEqual(gpu().runtime.errors, []); });

  test('max and min along every axis give the first extreme, NaN first of all', async () => {
    for (const dtype of ['float32', 'int32', 'int64', 'uint8'] as const) {
      for (const shape of [[], [1], [17], [33, 65], [4, 5, 6], [3, 1000]]) {
        for (const layout of LAYOUTS) {
          const x = input(dtype, shape, layout);
          for (let axis = 0; axis < Math.max(shape.length, 1); axis++) {
            for (const op of ['max', 'min'] as const) await checkArg(op, x, axis, `${dtype} ${op} ${shape} ${layout} axis ${axis}`);
          }
        }
      }
    }
  });

  test('rows with several NaNs and ±inf, and long rows and columns over several passes', async () => {
    const row = Float32Array.from([1, NaN, Infinity, NaN, -Infinity, 3, Infinity, -Infinity, 1]);
    for (const op of ['max', 'min'] as const) {
      await checkArg(op, input('float32', [9], 'contiguous', true, row), 0, `specials ${op}`);
      await checkArg(op, input('float32', [2, 70_000], 'contiguous', false), 1, `long rows ${op}`);
      await checkArg(op, input('float32', [70_000, 33], 'contiguous'), 0, `long columns ${op}`);
    }
  });
});

/** Sorts on both backends; values (to the sign of zero) and indices must agree exactly. */
async function checkSort(x: Pair, axis: number, descending: boolean, what: string): Promise<void> {
  const n = numel(x.cpu.shape);
  const [cv, gv] = outputs(x.cpu.storage.dtype, n), [ci, gi] = outputs('int64', n);
  jsBackend.sort(x.cpu, axis, descending, cv, ci);
  gpu().sort(x.gpu, axis, descending, gv, gi);
  assertSame(await read(gi), ci.data, `${what} indices`);
  assertSame(await read(gv), cv.data, `${what} values`, true);
}

describe('webgpu sort', { skip }, () => {
  after(() => { assert.deepEqual(gpu().runtime.errors, []); });

  test('stable in both directions along every axis, NaN largest, -0 kept, every dtype', async () => {
    for (const dtype of ['float32', 'int32', 'int64', 'bool', 'uint8'] as const) {
      // Keys are made per dtype; the network is one for all, so the other dtypes take fewer shapes.
      const shapes = dtype === 'float32' ? [[], [0], [1], [3], [17], [33, 65], [4, 257], [2, 3, 5]] : [[], [17], [33, 65], [2, 3, 5]];
      for (const shape of shapes) {
        for (const layout of LAYOUTS) {
          const x = input(dtype, shape, layout);
          for (let axis = 0; axis < Math.max(shape.length, 1); axis++) {
            for (const descending of [false, true]) await checkSort(x, axis, descending, `${dtype} ${shape} ${layout} axis ${axis}${descending ? ' desc' : ''}`);
          }
        }
      }
    }
  });

  test('rows longer than a workgroup block sort with global steps', async () => {
    const extremes = Int32Array.from({ length: 3000 }, (_, i) => [2 ** 31 - 1, -(2 ** 31), 0, i % 7][i % 4]);
    for (const descending of [false, true]) {
      await checkSort(input('float32', [2049], 'contiguous'), 0, descending, 'just over a block');
      await checkSort(input('float32', [3, 5000], 'transposed'), 1, descending, 'transposed long rows');
      await checkSort(input('int32', [3000], 'contiguous', true, extremes), 0, descending, 'int32 extremes');
      await checkSort(input('float32', [9000, 2], 'contiguous'), 0, descending, 'long columns');
    }
  });
});

describe('webgpu gather, scatterAdd, addInto', { skip }, () => {
  after(() => { assert.deepEqual(gpu().runtime.errors, []); });

  /** An int64 index of `shape` with values below `bound`, in the given layout. */
  const indexOf = (shape: number[], bound: number, layout: Layout): Pair => {
    const data = Float64Array.from({ length: numel(shape) }, () => Math.floor(rand() * bound));
    return input('int64', shape, layout, false, data);
  };

  test('gather along each dim from transposed and broadcast sources, every dtype', async () => {
    for (const dtype of ['float32', 'int32', 'int64', 'bool'] as const) {
      for (const layout of LAYOUTS) {
        const x = input(dtype, [5, 7], layout);
        for (const [dim, shape] of [[0, [9, 7]], [1, [5, 4]], [1, [3, 33]]] as const) {
          for (const indexLayout of ['contiguous', 'broadcast'] as const) {
            const index = indexOf([...shape], x.cpu.shape[dim], indexLayout);
            const [c, g] = outputs(dtype, numel(shape));
            jsBackend.gather(x.cpu, dim, index.cpu, c);
            gpu().gather(x.gpu, dim, index.gpu, g);
            assertSame(await read(g), c.data, `${dtype} ${layout} dim ${dim} index ${indexLayout}`, true);
          }
        }
      }
    }
  });

  test('scatterAdd with colliding indices adds every value (float32 atomics, integer atomics)', async () => {
    for (const dtype of ['float32', 'int32', 'int64'] as const) {
      for (const [dim, shape] of [[0, [40, 7]], [1, [5, 300]], [0, [20_000, 3]]] as const) {
        const init = values(dtype, 35, false);
        const dst = input(dtype, [5, 7], 'contiguous', false, init);
        const index = indexOf([...shape], [5, 7][dim], 'contiguous');
        const src = input(dtype, [...shape], 'transposed', false);
        jsBackend.scatterAdd(dst.cpu, dim, index.cpu, src.cpu);
        gpu().scatterAdd(dst.gpu, dim, index.gpu, src.gpu);
        // Values are multiples of 1/8 far from 2^24/8: every order of addition is exact.
        assertSame(await read(dst.gpu.storage), dst.cpu.storage.data, `${dtype} dim ${dim} ${shape}`);
      }
    }
  });

  test('addInto a plain, a transposed and a self-overlapping destination', async () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const cases: [number[], number[], number][] = [[[4, 6], [6, 1], 24], [[4, 6], [1, 4], 24], [[3, 4], [1, 1], 6], [[5, 5], [0, 1], 5], [[300, 50], [1, 1], 349]];
      for (const [shape, strides, size] of cases) {
        const dst = input(dtype, shape, 'contiguous', false, values(dtype, size, false));
        const d: Pair = { cpu: { ...dst.cpu, strides }, gpu: { ...dst.gpu, strides } };
        const src = input(dtype, shape, 'transposed', false);
        jsBackend.addInto(src.cpu, d.cpu);
        gpu().addInto(src.gpu, d.gpu);
        assertSame(await read(d.gpu.storage), d.cpu.storage.data, `${dtype} ${shape} strides ${strides}`);
      }
    }
  });
});

/** The reference: softmax composed from JS primitives as ops/softmax.ts composes it. */
function referenceSoftmax(x: View, axis: number, log: boolean): DataArray {
  const n = numel(x.shape), kept = keptCount(x.shape, [axis]);
  const keptStrides = dense(x.shape).map((s, d) => (d === axis ? 0 : s / (d < axis ? x.shape[axis] : 1)));
  const spread = (s: Storage): View => ({ storage: s, shape: x.shape, strides: keptStrides, offset: 0 });
  const all = (s: Storage): View => ({ storage: s, shape: x.shape, strides: dense(x.shape), offset: 0 });
  const m = jsBackend.alloc('float32', kept), t = jsBackend.alloc('float32', n), out = jsBackend.alloc('float32', n), s = jsBackend.alloc('float32', kept);
  jsBackend.reduce('amax', x, [axis], m);
  jsBackend.binary('sub', x, spread(m), t);
  jsBackend.unary('exp', all(t), out);
  jsBackend.reduce('sum', all(out), [axis], s);
  if (!log) {
    jsBackend.binary('div', all(out), spread(s), out);
    return out.data;
  }
  jsBackend.unary('log', { storage: s, shape: [kept], strides: [1], offset: 0 }, s);
  jsBackend.binary('sub', all(t), spread(s), out);
  return out.data;
}

/** The reference gradient: log: g − exp(y)·Σg; softmax: y·(g − Σ g·y). */
function referenceBackward(g: View, y: View, axis: number, log: boolean): DataArray {
  const n = numel(g.shape), kept = keptCount(g.shape, [axis]);
  const keptStrides = dense(g.shape).map((s, d) => (d === axis ? 0 : s / (d < axis ? g.shape[axis] : 1)));
  const all = (s: Storage): View => ({ storage: s, shape: g.shape, strides: dense(g.shape), offset: 0 });
  const s = jsBackend.alloc('float32', kept), out = jsBackend.alloc('float32', n), sv: View = { storage: s, shape: g.shape, strides: keptStrides, offset: 0 };
  if (log) {
    jsBackend.reduce('sum', g, [axis], s);
    jsBackend.unary('exp', y, out);
    jsBackend.binary('mul', all(out), sv, out);
    jsBackend.binary('sub', g, all(out), out);
    return out.data;
  }
  const gy = jsBackend.alloc('float32', n);
  jsBackend.binary('mul', g, y, gy);
  jsBackend.reduce('sum', all(gy), [axis], s);
  jsBackend.binary('sub', g, sv, out);
  jsBackend.binary('mul', y, all(out), out);
  return out.data;
}

describe('webgpu softmax fast paths', { skip }, () => {
  after(() => { assert.deepEqual(gpu().runtime.errors, []); });
  const SHAPES = [[1], [17], [3, 33], [65, 3], [2, 3, 257], [2, 4096]];

  test('softmax and log-softmax along every axis, every layout, with -inf, +inf and NaN rows', async () => {
    for (const shape of SHAPES) {
      for (const layout of LAYOUTS) {
        const x = input('float32', shape, layout);
        for (let axis = 0; axis < shape.length; axis++) {
          for (const log of [false, true]) {
            const out = gpu().alloc('float32', numel(shape));
            assert.ok(gpu().softmax(x.gpu, axis, log, out));
            const expected = referenceSoftmax(x.cpu, axis, log);
            assertNear(await read(out), expected, (i) => 2e-6 * (1 + Math.abs(expected[i])), `${shape} ${layout} axis ${axis}${log ? ' log' : ''}`);
          }
        }
      }
    }
  });

  test('softmax backward along every axis, every layout', async () => {
    for (const shape of SHAPES) {
      for (const layout of LAYOUTS) {
        const g = input('float32', shape, layout, false), y = input('float32', shape, 'transposed', false);
        for (let axis = 0; axis < shape.length; axis++) {
          for (const log of [false, true]) {
            const out = gpu().alloc('float32', numel(shape));
            assert.ok(gpu().softmaxBackward(g.gpu, y.gpu, axis, log, out));
            const expected = referenceBackward(g.cpu, y.cpu, axis, log);
            assertNear(await read(out), expected, (i) => 1e-5 * (1 + Math.abs(expected[i])) * Math.sqrt(shape[axis]), `${shape} ${layout} axis ${axis}${log ? ' log' : ''}`);
          }
        }
      }
    }
  });

  test('rows beyond what one workgroup folds, and other dtypes, are left to the composed path', () => {
    const x = input('float32', [16_385], 'contiguous'), out = gpu().alloc('float32', 16_385);
    assert.equal(gpu().softmax(x.gpu, 0, false, out), false);
    assert.equal(gpu().softmaxBackward(x.gpu, x.gpu, 0, true, out), false);
    const i = input('int32', [3], 'contiguous');
    assert.equal(gpu().softmax(i.gpu, 0, false, gpu().alloc('int32', 3)), false);
  });
});
