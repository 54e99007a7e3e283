// test/backends/webgpu-mm.test.ts — the webgpu backend's matrix products, convolutions, pooling and fused updates
// against the JS reference on the same inputs: every GEMM tile edge, transposed, padded, broadcast and batched
// operands, each kernel variant forced. Skipped, with the reason, where no WebGPU adapter exists.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdamConstants, SGDConstants, CpuStorage as Storage, CpuView as View } from '../../src/backends/backend.js';
import { jsBackend } from '../../src/backends/js/index.js';
import { convForward, convInputGrad, convWeightGrad } from '../../src/nn/functional/conv.js';
import { maxPoolIndices } from '../../src/nn/functional/pool.js';
import { denseView } from '../../src/ops/define.js';
import type { DataArray } from '../../src/core/dtype.js';
import { type MatmulChoice, matmulKernels } from '../../src/backends/webgpu/matmul.js';
import type { GpuStorage, GpuView } from '../../src/backends/webgpu/storage.js';
import { assertClose } from '../helpers.js';
import { gpu, skip } from './webgpu-device.js';
import { makeRandom } from '../opinfo/values.js';

const rand = makeRandom(5);

type Dtype = 'float32' | 'int32' | 'int64' | 'uint8';
const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const dense = (shape: readonly number[]): number[] => shape.map((_, i) => numelOf(shape.slice(i + 1)));

/** A CPU storage of n random values in [lo, hi) (integers for integer dtypes). */
function host(dtype: Dtype, n: number, lo = -1, hi = 1): Storage {
  const data = dtype === 'float32' ? new Float32Array(n) : dtype === 'int32' ? new Int32Array(n) : dtype === 'int64' ? new Float64Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = dtype === 'float32' ? lo + (hi - lo) * rand() : Math.floor(lo + (hi - lo) * rand());
  return jsBackend.fromArray(dtype, data);
}

/** The same view over a device copy of its storage. */
const upload = (v: View): GpuView => ({ storage: gpu().fromArray(v.storage.dtype, v.storage.data), shape: v.shape, strides: v.strides, offset: v.offset });
const read = (s: GpuStorage): Promise<DataArray> => gpu().readAsync(s);

/** Asserts the device reported no validation or memory errors. */
function noErrors(): void {
  assert.deepEqual(gpu().runtime.errors, []);
}

type Layout = 'n' | 't' | 'padded' | 'odd';
/**
 * A [...batch, rows, cols] operand: 'n' row-major at offset 0; 't' stored transposed at offset 4; 'padded' with
 * rows 4-aligned and longer than cols (a narrowed view); 'odd' row-major at offset 1 (never vec4-aligned).
 * `broadcast` gives batch dim d stride 0.
 */
function operand(dtype: Dtype, batch: readonly number[], rows: number, cols: number, layout: Layout, broadcast = -1): View {
  const rowStride = layout === 'padded' ? Math.ceil((cols + 1) / 4) * 4 : cols;
  const offset = layout === 'n' ? 0 : layout === 'odd' ? 1 : 4;
  const mat = layout === 't' ? [cols, rows] : [rows, rowStride];
  const storedBatch = batch.map((b, d) => (d === broadcast ? 1 : b));
  const stored = [...storedBatch, ...mat];
  const strides = dense(stored);
  const nd = batch.length;
  const matStrides = layout === 't' ? [strides[nd + 1], strides[nd]] : [strides[nd], 1];
  return {
    storage: host(dtype, numelOf(stored) + offset),
    shape: [...batch, rows, cols],
    strides: [...strides.slice(0, nd).map((s, d) => (d === broadcast ? 0 : s)), ...matStrides],
    offset,
  };
}

/** Runs the device matmul (with `choice` forced) and the JS one on the same inputs; compares. */
async function checkMatmul(a: View, b: View, choice: MatmulChoice, what: string): Promise<void> {
  const nd = a.shape.length, shape = [...a.shape.slice(0, -1), b.shape[nd - 1]];
  const ref = jsBackend.alloc(a.storage.dtype, numelOf(shape));
  jsBackend.matmul(a, b, ref);
  const out = gpu().allocUninit(a.storage.dtype, numelOf(shape));
  matmulKernels(gpu().runtime, choice).matmul(upload(a), upload(b), out);
  const k = a.shape[nd - 1];
  const tol = a.storage.dtype === 'float32' ? { atol: 1e-6 * k, rtol: 1e-4 } : { atol: 0, rtol: 0 };
  assertClose(await read(out), ref.data, { ...tol, what: `${what} ${JSON.stringify(choice)}` });
}

const CHOICES: MatmulChoice[] = [{}, { tile: 4 }, { tile: 8 }, { tile: 4, splits: 3 }];
const LAYOUTS: Layout[] = ['n', 't', 'padded', 'odd'];

describe('webgpu matmul matches the JS reference', { skip }, () => {
  const SIZES = [1, 3, 17, 33, 64, 65, 128, 130];
  test('float32 at every tile edge of m, n and k, in every layout and kernel variant', async () => {
    const cases: [number, number, number][] = SIZES.flatMap((s): [number, number, number][] => [[s, 33, 17], [17, s, 65], [65, 17, s]]);
    cases.push([128, 128, 128], [130, 130, 130], [64, 65, 128]);
    for (const [i, [m, n, k]] of cases.entries()) {
      const la = LAYOUTS[i % 4], lb = LAYOUTS[Math.floor(i / 4) % 4];
      const a = operand('float32', [], m, k, la), b = operand('float32', [], k, n, lb);
      for (const choice of CHOICES) await checkMatmul(a, b, { ...choice, gemv: false }, `${m}x${k} (${la}) @ ${k}x${n} (${lb})`);
    }
    for (const la of LAYOUTS) {
      for (const lb of LAYOUTS) {
        const a = operand('float32', [], 65, 130, la), b = operand('float32', [], 130, 33, lb);
        for (const choice of CHOICES) await checkMatmul(a, b, choice, `65x130 (${la}) @ 130x33 (${lb})`);
      }
    }
    noErrors();
  });

  test('batched, broadcast and permuted batch dims', async () => {
    for (const [la, lb] of [['n', 't'], ['t', 'padded'], ['odd', 'n']] as const) {
      await checkMatmul(operand('float32', [2, 3], 17, 33, la, 0), operand('float32', [2, 3], 33, 65, lb, 1), {}, `bcast ${la} ${lb}`);
      await checkMatmul(operand('float32', [3, 2], 65, 17, la), operand('float32', [3, 2], 17, 3, lb), { tile: 8, splits: 2 }, `batched ${la} ${lb}`);
    }
    // Batch dims that cannot merge: a's stored [2, 3] read as [3, 2].
    const a = operand('float32', [2, 3], 33, 17, 'n');
    const permuted: View = { ...a, shape: [3, 2, 33, 17], strides: [a.strides[1], a.strides[0], ...a.strides.slice(2)] };
    await checkMatmul(permuted, operand('float32', [3, 2], 17, 64, 't'), {}, 'permuted batch');
    noErrors();
  });

  test('gemv: m = 1 or n = 1, either operand transposed, batched', async () => {
    for (const layout of LAYOUTS) {
      for (const [m, n, k] of [[1, 130, 65], [130, 1, 65], [1, 1, 300], [33, 1, 1], [1, 17, 1000]]) {
        await checkMatmul(operand('float32', [2], m, k, layout), operand('float32', [2], k, n, LAYOUTS[(m + n) % 4], 0), {}, `gemv ${m}x${k}x${n} ${layout}`);
      }
    }
    noErrors();
  });

  test('integer products are exact: int32, int64 (as int32) and uint8 (wrapping)', async () => {
    for (const dtype of ['int32', 'int64', 'uint8'] as const) {
      const [lo, hi] = dtype === 'uint8' ? [0, 256] : [-1000, 1000];
      for (const choice of CHOICES) {
        const a = operand(dtype, [2], 33, 65, 'n'), b = operand(dtype, [2], 65, 17, 't');
        a.storage.data.forEach((_, i) => (a.storage.data[i] = Math.floor(lo + (hi - lo) * rand())));
        b.storage.data.forEach((_, i) => (b.storage.data[i] = Math.floor(lo + (hi - lo) * rand())));
        await checkMatmul(a, b, choice, dtype);
        await checkMatmul(operand(dtype, [], 1, 130, 'n'), operand(dtype, [], 130, 5, 'odd'), choice, `${dtype} gemv`);
      }
    }
    noErrors();
  });

  test('grids over the per-dimension limit fold tiles into y and batches into several dispatches', async () => {
    for (const choice of [{ tile: 4, gridLimit: 3 }, { tile: 4, gridLimit: 3, splits: 2 }, { gridLimit: 2 }] as const) {
      await checkMatmul(operand('float32', [7], 130, 33, 'n'), operand('float32', [7], 33, 200, 't'), choice, 'folded tiles');
      await checkMatmul(operand('float32', [5], 1, 33, 'n'), operand('float32', [5], 33, 200, 'n'), choice, 'folded gemv');
      await checkMatmul(operand('float32', [5], 70, 33, 'n'), operand('float32', [5], 33, 1, 'odd'), choice, 'folded gemv');
    }
    noErrors();
  });

  test('k = 0 gives zeros; an output aliasing an input is computed aside', async () => {
    const out = gpu().fromArray('float32', new Float32Array(6).fill(7));
    const empty = { storage: gpu().alloc('float32', 1), shape: [2, 0], strides: [0, 1], offset: 0 };
    gpu().matmul(empty, { ...empty, shape: [0, 3], strides: [3, 1] }, out);
    assert.deepEqual(Array.from(await read(out)), [0, 0, 0, 0, 0, 0]);
    const s = gpu().fromArray('float32', new Float32Array([1, 2, 3, 4]));
    gpu().matmul({ storage: s, shape: [2, 2], strides: [2, 1], offset: 0 }, { storage: s, shape: [2, 2], strides: [1, 2], offset: 0 }, s);
    assert.deepEqual(Array.from(await read(s)), [5, 11, 11, 25]);
    noErrors();
  });
});

/** A dense random float32 view of `shape`; `swap` stores the last two dims swapped (a transposed view). */
function floats(shape: readonly number[], swap = false, lo = -1, hi = 1): View {
  const nd = shape.length, stored = swap ? [...shape.slice(0, nd - 2), shape[nd - 1], shape[nd - 2]] : shape;
  const s = dense(stored);
  return { storage: host('float32', numelOf(shape) + 2, lo, hi), shape, strides: swap ? [...s.slice(0, nd - 2), s[nd - 1], s[nd - 2]] : s, offset: 2 };
}

describe('webgpu convolutions match the JS composition', { skip }, () => {
  const GEOMETRIES = [
    { x: [2, 3, 9, 9], w: [4, 3, 3, 3], stride: [1, 1], before: [1, 1], after: [1, 1], dilation: [1, 1], groups: 1 },
    { x: [1, 6, 14, 14], w: [16, 6, 5, 5], stride: [2, 2], before: [0, 0], after: [0, 0], dilation: [1, 1], groups: 1 },
    { x: [2, 4, 6, 6], w: [4, 1, 3, 3], stride: [1, 1], before: [1, 1], after: [1, 1], dilation: [1, 1], groups: 4 },
    { x: [3, 6, 17, 9], w: [9, 2, 3, 5], stride: [2, 3], before: [2, 1], after: [2, 1], dilation: [2, 1], groups: 3 },
    { x: [2, 1, 1, 33], w: [7, 1, 1, 7], stride: [1, 1], before: [0, 3], after: [0, 3], dilation: [1, 1], groups: 1 },
    { x: [1, 2, 7, 8], w: [3, 2, 2, 3], stride: [1, 2], before: [0, 1], after: [2, 0], dilation: [1, 1], groups: 1 },
    { x: [2, 3, 12, 12], w: [130, 3, 3, 3], stride: [1, 1], before: [1, 1], after: [1, 1], dilation: [1, 1], groups: 1 },
    { x: [8, 4, 16, 16], w: [8, 2, 3, 3], stride: [1, 1], before: [0, 0], after: [0, 0], dilation: [1, 1], groups: 2 },
    { x: [2, 3, 20], w: [5, 3, 4], stride: [2], before: [1], after: [2], dilation: [2], groups: 1 },
  ];
  test('forward (with and without bias), input gradient and weight gradient, float32', async () => {
    for (const [i, c] of GEOMETRIES.entries()) {
      const geo = { stride: c.stride, padBefore: c.before, padAfter: c.after, dilation: c.dilation, groups: c.groups };
      const o = c.x.slice(2).map((s, d) => Math.floor((s + c.before[d] + c.after[d] - c.dilation[d] * (c.w[d + 2] - 1) - 1) / c.stride[d]) + 1);
      const gShape = [c.x[0], c.w[0], ...o], what = JSON.stringify(c);
      const x = floats(c.x, i % 2 === 1), w = floats(c.w), g = floats(gShape, i % 3 === 2), bias = floats([c.w[0]]);
      const conv = gpu().conv;
      for (const b of [undefined, bias]) {
        const ref = jsBackend.alloc('float32', numelOf(gShape)), out = gpu().allocUninit('float32', numelOf(gShape));
        convForward(jsBackend, x, w, b, ref, geo);
        assert.ok(conv.forward(upload(x), upload(w), b === undefined ? null : upload(b), out, geo));
        assertClose(await read(out), ref.data, { atol: 1e-4, rtol: 1e-4, what: `forward ${b === undefined ? '' : 'with bias '}${what}` });
      }
      const dx = jsBackend.alloc('float32', numelOf(c.x)), gdx = gpu().allocUninit('float32', numelOf(c.x));
      convInputGrad(jsBackend, g, w, dx, c.x, geo);
      assert.ok(conv.inputGrad(upload(g), upload(w), gdx, c.x, geo));
      assertClose(await read(gdx), dx.data, { atol: 1e-4, rtol: 1e-4, what: `input grad ${what}` });
      const dw = jsBackend.alloc('float32', numelOf(c.w)), gdw = gpu().allocUninit('float32', numelOf(c.w));
      convWeightGrad(jsBackend, g, x, dw, c.w.slice(2), geo);
      assert.ok(conv.weightGrad(upload(g), upload(x), gdw, c.w.slice(2), geo));
      assertClose(await read(gdw), dw.data, { atol: 1e-3, rtol: 1e-4, what: `weight grad ${what}` });
    }
    noErrors();
  });

  test('3-D convolutions and other dtypes are left to the composition', () => {
    const geo = { stride: [1, 1, 1], padBefore: [0, 0, 0], padAfter: [0, 0, 0], dilation: [1, 1, 1], groups: 1 };
    assert.equal(gpu().conv.forward(upload(floats([1, 2, 3, 3, 3])), upload(floats([1, 2, 2, 2, 2])), null, gpu().alloc('float32', 8), geo), false);
    const ints = upload(operand('int32', [1, 1], 4, 4, 'n'));
    assert.equal(gpu().conv.forward(ints, upload(operand('int32', [1, 1], 2, 2, 'n')), null, gpu().alloc('int32', 9), { ...geo, stride: [1, 1], padBefore: [0, 0], padAfter: [0, 0], dilation: [1, 1] }), false);
  });
});

describe('webgpu max pooling matches the JS composition', { skip }, () => {
  const GEOMETRIES = [
    { x: [2, 3, 8, 8], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
    { x: [1, 2, 9, 7], kernel: [3, 2], stride: [2, 1], padding: [1, 1], dilation: [1, 2] },
    { x: [3, 17, 33], kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
    { x: [1, 3, 5, 5], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceil: true },
    { x: [2, 2, 10, 11], kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [2, 1], ceil: true },
  ];
  test('indices (first maximum, NaN wins), values and the gradient, float32', async () => {
    for (const g of GEOMETRIES) {
      const [h, w] = g.x.slice(-2) as [number, number], lead = g.x.slice(0, -2), what = JSON.stringify(g);
      const o = [0, 1].map((i) => Math[g.ceil === true ? 'ceil' : 'floor'](([h, w][i] + 2 * g.padding[i] - g.dilation[i] * (g.kernel[i] - 1) - 1) / g.stride[i]) + 1);
      const geo = { ...g, out: o };
      const x = floats(g.x, true);
      // Ties and NaNs: the first maximum wins, and the first NaN beats every number.
      x.storage.data.forEach((_, i) => {
        if (i % 5 === 0) x.storage.data[i] = 0.5;
        if (i % 47 === 3) x.storage.data[i] = NaN;
      });
      const n = numelOf([...lead, ...o]);
      const ref = jsBackend.alloc('int64', n);
      maxPoolIndices(jsBackend, x, ref, geo);
      const indices = gpu().allocUninit('int64', n), values = gpu().allocUninit('float32', n);
      assert.ok(gpu().maxPool2dIndices(upload(x), indices, geo, values));
      assert.deepEqual(Array.from(await read(indices)), Array.from(ref.data), what);
      const plain = jsBackend.alloc('float32', numelOf(g.x));
      jsBackend.copy(x, denseView(plain, g.x));
      const positions = o[0] * o[1];
      assert.deepEqual(Array.from(await read(values)), Array.from(ref.data, (idx, i) => plain.data[Math.floor(i / positions) * h * w + idx]), `values ${what}`);
      // The gradient: zeros with g added at the indices, overlapping windows summed in the reference's order.
      const grad = floats([...lead, ...o], true);
      const slow = jsBackend.alloc('float32', numelOf(g.x));
      const planes = numelOf(lead);
      const gd = jsBackend.alloc('float32', n);
      jsBackend.copy(grad, denseView(gd, [...lead, ...o]));
      jsBackend.scatterAdd(denseView(slow, [planes, h * w]), 1, denseView(ref, [planes, positions]), denseView(gd, [planes, positions]));
      const quick = gpu().allocUninit('float32', numelOf(g.x));
      assert.ok(gpu().maxPool2dBackward(upload(grad), { storage: indices, shape: [...lead, ...o], strides: dense([...lead, ...o]), offset: 0 }, quick, g.x, geo));
      assertClose(await read(quick), slow.data, { atol: 0, rtol: 0, what: `backward ${what}` });
    }
    noErrors();
  });
});

describe('webgpu fused kernels match the JS reference', { skip }, () => {
  const SIZES = [5, 2049, 70001];
  const flat = (st: Storage): View => ({ storage: st, shape: [st.data.length], strides: [1], offset: 0 });
  const onDevice = (st: Storage): GpuView => upload(flat(st));
  const r = Math.fround;

  test('clamp with either bound or none, NaN kept, on a transposed view', async () => {
    const x = floats([17, 33], true, -3, 3);
    x.storage.data[5] = NaN;
    const values = Array.from({ length: 17 * 33 }, (_, i) => x.storage.data[x.offset + (i % 33) * 17 + Math.floor(i / 33)]);
    for (const [lo, hi] of [[-1, 0.5], [-Infinity, 0.5], [-1, Infinity], [-Infinity, Infinity], [1, -1]]) {
      const out = gpu().allocUninit('float32', values.length);
      assert.ok(gpu().clamp(upload(x), lo, hi, out));
      assertClose(await read(out), values.map((v) => (Number.isNaN(v) ? v : Math.min(Math.max(v, lo), hi))), { atol: 0, rtol: 0, what: `clamp ${lo} ${hi}` });
    }
    noErrors();
  });

  test('activations: leakyRelu, elu, silu over the whole range, infinities and NaN, in place too', async () => {
    const special = [0, -0, 1e-30, -1e-30, 1e-6, -1e-6, -0.3, 0.35, 20, -20, 80, -80, 89, -87.5, -104, -110, Infinity, -Infinity, NaN];
    for (const n of [special.length, 2049]) {
      const x = host('float32', n, -30, 30);
      (x.data as Float32Array).set(special);
      for (const [op, param] of [['leakyRelu', 0.2], ['elu', 1.5], ['silu', 0]] as const) {
        const out = gpu().allocUninit('float32', n);
        assert.ok(gpu().activation(op, onDevice(x), param, out));
        const want = Array.from(x.data, (v) => (op === 'leakyRelu' ? (v > 0 ? v : r(v * param)) : op === 'elu' ? (v <= 0 ? r(r(Math.expm1(v)) * param) : v) : r(v / r(1 + r(Math.exp(-v))))));
        assertClose(await read(out), want, { atol: 1e-30, rtol: 1e-4, what: `${op} ${n}` });
        const self = onDevice(x);
        assert.ok(gpu().activation(op, self, param, self.storage));
        assertClose(await read(self.storage), await read(out), { atol: 0, rtol: 0, what: `${op} in place` });
      }
    }
    noErrors();
  });

  test('addcmul and addcdiv, dense and broadcast, in place too', async () => {
    const [rows, cols] = [70, 1001], n = rows * cols, shape = [rows, cols];
    const x = host('float32', n), a = host('float32', n), b = host('float32', cols, 0.5, 2);
    const denseOf = (st: Storage): View => ({ storage: st, shape, strides: [cols, 1], offset: 0 });
    const row: View = { storage: b, shape, strides: [0, 1], offset: 0 };
    for (const divide of [false, true]) {
      const want = Array.from(x.data, (v, i) => r(v + r((divide ? (p: number, q: number) => p / q : (p: number, q: number) => p * q)(r(0.3 * a.data[i]), b.data[i % cols]))));
      const out = gpu().allocUninit('float32', n);
      assert.ok(gpu().addcmul(upload(denseOf(x)), upload(denseOf(a)), upload(row), 0.3, divide, out));
      assertClose(await read(out), want, { atol: 1e-6, rtol: 1e-5, what: divide ? 'addcdiv' : 'addcmul' });
      const self = upload(denseOf(x));
      assert.ok(gpu().addcmul(self, upload(denseOf(a)), upload(row), 0.3, divide, self.storage));
      assertClose(await read(self.storage), await read(out), { atol: 0, rtol: 0, what: 'in place' });
    }
    noErrors();
  });

  test('adamStep: Adam, AdamW, AMSGrad, maximize', async () => {
    const variants: AdamConstants[] = [
      { maximize: false, decay: 1, weightDecay: 0, beta1: 0.9, beta2: 0.999, stepSize: 0.01 / 0.1, biasCorrection2Sqrt: Math.sqrt(0.001), eps: 1e-8 },
      { maximize: false, decay: 1, weightDecay: 0.1, beta1: 0.8, beta2: 0.99, stepSize: 0.02 / 0.36, biasCorrection2Sqrt: Math.sqrt(1 - 0.99 ** 2), eps: 1e-8 },
      { maximize: true, decay: 1 - 0.01 * 0.01, weightDecay: 0, beta1: 0.9, beta2: 0.999, stepSize: 0.01 / 0.271, biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** 3), eps: 1e-6 },
    ];
    for (const n of SIZES) {
      for (const c of variants) {
        for (const amsgrad of [false, true]) {
          const p = host('float32', n), g = host('float32', n), m = host('float32', n, -0.1, 0.1), v = host('float32', n, 0, 0.1);
          const vmax = amsgrad ? host('float32', n, 0, 0.1) : null;
          const dev = [p, g, m, v, vmax].map((st) => (st === null ? null : onDevice(st).storage));
          assert.ok(gpu().adamStep(present(dev[0]), present(dev[1]), present(dev[2]), present(dev[3]), dev[4], c));
          adamReference(p.data, g.data, m.data, v.data, vmax?.data ?? null, c);
          const what = `n ${n} amsgrad ${amsgrad} maximize ${c.maximize}`;
          for (const [i, st] of [p, null, m, v, vmax].entries()) {
            if (st !== null) assertClose(await read(present(dev[i])), st.data, { atol: 1e-6, rtol: 1e-5, what: `state ${i} ${what}` });
          }
        }
      }
    }
    noErrors();
  });

  test('sgdStep: first step, dampening, weight decay, Nesterov, maximize', async () => {
    const variants: Omit<SGDConstants, 'first'>[] = [
      { maximize: false, lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false },
      { maximize: false, lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false },
      { maximize: true, lr: 0.1, momentum: 0.5, dampening: 0, weightDecay: 0.001, nesterov: true },
    ];
    for (const n of SIZES) {
      for (const c of variants) {
        for (const first of [true, false]) {
          const p = host('float32', n), g = host('float32', n), buf = host('float32', n);
          const [dp, dg, db] = [p, g, buf].map((st) => onDevice(st).storage);
          assert.ok(gpu().sgdStep(dp, dg, db, { ...c, first }));
          sgdReference(p.data, g.data, buf.data, { ...c, first });
          assertClose(await read(dp), p.data, { atol: 1e-6, rtol: 1e-5, what: `param n ${n} first ${first}` });
          assertClose(await read(db), buf.data, { atol: 1e-6, rtol: 1e-5, what: `momentum_buffer n ${n} first ${first}` });
        }
      }
    }
    noErrors();
  });
});

function present<T>(v: T | null): T {
  assert.ok(v !== null);
  return v;
}

/** PyTorch 1.13's single-tensor Adam in float32, op by op (as test/backends/fused.test.ts). */
function adamReference(p: DataArray, g: DataArray, m: DataArray, v: DataArray, vmax: DataArray | null, c: AdamConstants): void {
  const r = Math.fround;
  const [beta1, beta2, c1, c2, bc2, eps, step, wd, decay] =
    [c.beta1, c.beta2, 1 - c.beta1, 1 - c.beta2, c.biasCorrection2Sqrt, c.eps, -c.stepSize, c.weightDecay, c.decay].map(r);
  for (let i = 0; i < p.length; i++) {
    const param = r(p[i] * decay);
    let grad = c.maximize ? -g[i] : g[i];
    if (wd !== 0) grad = r(param * wd + grad);
    m[i] = r(grad * c1 + r(m[i] * beta1));
    v[i] = r(r(c2 * grad) * grad + r(v[i] * beta2));
    let second = v[i];
    if (vmax !== null) second = vmax[i] = Math.max(vmax[i], v[i]);
    const denom = r(r(r(Math.sqrt(second)) / bc2) + eps);
    p[i] = r(param + r(r(step * m[i]) / denom));
  }
}

/** PyTorch 1.13's single-tensor SGD with momentum in float32, op by op. */
function sgdReference(p: DataArray, g: DataArray, buf: DataArray, c: SGDConstants): void {
  const r = Math.fround;
  const [lr, momentum, damp, wd] = [-c.lr, c.momentum, 1 - c.dampening, c.weightDecay].map(r);
  for (let i = 0; i < p.length; i++) {
    let d = c.maximize ? -g[i] : g[i];
    if (wd !== 0) d = r(p[i] * wd + d);
    buf[i] = c.first ? d : r(d * damp + r(buf[i] * momentum));
    const step = c.nesterov ? r(buf[i] * momentum + d) : buf[i];
    p[i] = r(step * lr + p[i]);
  }
}
