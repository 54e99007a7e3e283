// test/backends/native.test.ts — the native backend's kernels against the JS reference on the
// same inputs: contiguous, transposed, broadcast and odd-sized views, every microkernel edge.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BinaryOp, CpuBackend as Backend, CpuStorage as Storage, CpuView as View, ReduceOp, UnaryOp } from '../../src/backends/backend.js';
import { jsBackend } from '../../src/backends/js/index.js';
import { convForward, convInputGrad, convWeightGrad } from '../../src/nn/functional/conv.js';
import { maxPoolIndices } from '../../src/nn/functional/pool.js';
import { denseView } from '../../src/ops/define.js';
import { assertClose } from '../helpers.js';
import { makeRandom } from '../opinfo/values.js';
import { loaded, skip } from './native-backend.js';



type F = 'float32' | 'float64';
const rand = makeRandom(7);

function dense(shape: number[]): number[] {
  const s: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** A random view of `shape`; 'transposed' stores the last two dims swapped, 'broadcast' repeats dim 0. */
function makeView(shape: number[], dtype: F, layout: 'contiguous' | 'transposed' | 'broadcast', lo = -2, hi = 2): View {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === 'float32' ? new Float32Array(n + 3) : new Float64Array(n + 3);
  for (let i = 0; i < data.length; i++) data[i] = lo + (hi - lo) * rand();
  const storage: Storage = jsBackend.fromArray(dtype, data);
  if (layout === 'contiguous' || shape.length < 2) return { storage, shape, strides: dense(shape), offset: 3 };
  if (layout === 'broadcast') return { storage, shape, strides: [0, ...dense(shape.slice(1))], offset: 1 };
  const nd = shape.length;
  const stored = [...shape.slice(0, nd - 2), shape[nd - 1], shape[nd - 2]];
  const s = dense(stored);
  return { storage, shape, strides: [...s.slice(0, nd - 2), s[nd - 1], s[nd - 2]], offset: 2 };
}

const both = <T>(f: (be: Backend) => T): [T, T] => [f(jsBackend), f(loaded())];
const out = (be: Backend, dtype: F, n: number): Storage => be.alloc(dtype, n);
const tol = (dtype: F) => (dtype === 'float32' ? { atol: 1e-5, rtol: 1e-5 } : { atol: 1e-12, rtol: 1e-12 });

const SHAPES = [[1], [7], [17, 255], [3, 1000], [64, 129]];
const LAYOUTS = ['contiguous', 'transposed', 'broadcast'] as const;
const DTYPES: F[] = ['float32', 'float64'];

describe('native storage', { skip }, () => {
  test('storages start on 64-byte boundaries of memory, zeroed or not, slab or own buffer', () => {
    const { addon } = loaded();
    for (const bytes of [100, 4000, 40_000, 100_000, 5_000_000]) {
      for (const s of [loaded().alloc('float32', bytes / 4), loaded().allocUninit('float64', bytes / 8)]) {
        // alignBuffer gives the offset at which the buffer's memory is 64-byte aligned.
        const misaligned: number = (s.data.byteOffset - addon.alignBuffer(s.data.buffer as ArrayBuffer, false)) % 64;
        if (s.data.byteLength > 64) assert.equal(misaligned, 0, `${bytes} bytes`);
      }
    }
    assert.ok(loaded().alloc('float32', 25_000).data.every((v) => v === 0));
  });
});

describe('native kernels match the JS reference', { skip }, () => {
  const unaryOps: [UnaryOp, number, number][] = [
    ['neg', -2, 2], ['exp', -2, 2], ['log', 0.1, 3], ['sqrt', 0.1, 3], ['rsqrt', 0.1, 3], ['abs', -2, 2],
    ['sigmoid', -8, 8], ['tanh', -3, 3], ['relu', -2, 2], ['sin', -3, 3], ['cos', -3, 3], ['log1p', -0.5, 2],
    ['expm1', -2, 2], ['reciprocal', 0.5, 2], ['sign', -2, 2], ['erfinv', -0.99, 0.99], ['lgamma', 0.1, 20],
    ['digamma', 0.1, 20], ['trigamma', 0.1, 20],
  ];
  for (const dtype of DTYPES) {
    for (const [op, lo, hi] of unaryOps) {
      test(`unary ${op} ${dtype}`, () => {
        for (const shape of SHAPES) {
          for (const layout of LAYOUTS) {
            const x = makeView(shape, dtype, layout, lo, hi);
            const n = shape.reduce((a, b) => a * b, 1);
            const [a, b] = both((be) => { const o = out(be, dtype, n); be.unary(op, x, o); return o.data; });
            assertClose(b, a, { ...tol(dtype), what: `${op} ${shape} ${layout}` });
          }
        }
      });
    }
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'thresholdBackward', 'fmod'] as BinaryOp[]) {
      test(`binary ${op} ${dtype}`, () => {
        for (const shape of SHAPES) {
          for (const la of LAYOUTS) {
            const x = makeView(shape, dtype, la, op === 'pow' ? 0.5 : -2, 2);
            const y = makeView(shape, dtype, la === 'transposed' ? 'contiguous' : 'transposed', 0.5, 2);
            const scalar: View = { storage: jsBackend.fromArray(dtype, dtype === 'float32' ? Float32Array.of(1.5) : Float64Array.of(1.5)), shape, strides: shape.map(() => 0), offset: 0 };
            const n = shape.reduce((a, b) => a * b, 1);
            for (const [p, q] of [[x, y], [x, scalar], [scalar, y]] as [View, View][]) {
              const [a, b] = both((be) => { const o = out(be, dtype, n); be.binary(op, p, q, o); return o.data; });
              assertClose(b, a, { ...tol(dtype), what: `${op} ${shape} ${la}` });
            }
          }
        }
      });
    }
    test(`comparisons ${dtype}`, () => {
      for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as BinaryOp[]) {
        for (const shape of SHAPES) {
          for (const la of LAYOUTS) {
            const x = makeView(shape, dtype, la), y = makeView(shape, dtype, 'transposed');
            // Equal elements must occur for eq/le/ge to mean anything: compare x with itself too.
            for (const [p, q] of [[x, y], [x, x]] as [View, View][]) {
              const n = shape.reduce((a, b) => a * b, 1);
              const [a, b] = both((be) => { const o = be.alloc('bool', n); be.binary(op, p, q, o); return o.data; });
              assert.deepEqual(Array.from(b), Array.from(a), `${op} ${shape} ${la}`);
            }
          }
        }
      }
    });
    test(`where ${dtype}`, () => {
      for (const shape of SHAPES) {
        for (const la of LAYOUTS) {
          const n = shape.reduce((a, b) => a * b, 1);
          const mask = jsBackend.alloc('bool', n);
          for (let i = 0; i < n; i++) mask.data[i] = rand() < 0.5 ? 1 : 0;
          const cond: View = { storage: mask, shape, strides: dense(shape), offset: 0 };
          const x = makeView(shape, dtype, la), y = makeView(shape, dtype, 'transposed');
          const zero: View = { storage: jsBackend.fromArray(dtype, dtype === 'float32' ? Float32Array.of(0) : Float64Array.of(0)), shape, strides: shape.map(() => 0), offset: 0 };
          for (const [p, q] of [[x, y], [zero, y], [x, zero]] as [View, View][]) {
            const [a, b] = both((be) => { const o = out(be, dtype, n); be.where(cond, p, q, o); return o.data; });
            assert.deepEqual(Array.from(b), Array.from(a), `where ${shape} ${la}`);
          }
        }
      }
    });
    test(`argReduce ${dtype}`, () => {
      for (const [shape, axis] of [[[300, 7], 0], [[7, 300], 1], [[4, 64, 9], 1], [[16, 3, 4], 2]] as [number[], number][]) {
        for (const layout of LAYOUTS) {
          for (const op of ['max', 'min'] as const) {
            const x = makeView(shape, dtype, layout);
            const n = shape.filter((_, i) => i !== axis).reduce((a, b) => a * b, 1);
            const [a, b] = both((be) => {
              const v = out(be, dtype, n), i = be.alloc('int64', n);
              be.argReduce(op, x, axis, v, i);
              return [...v.data, ...i.data];
            });
            assert.deepEqual(b, a, `${op} ${shape} axis ${axis} ${layout}`);
          }
        }
      }
    });
    test(`cumulative ${dtype}`, () => {
      for (const [shape, axis] of [[[300, 9], 0], [[9, 300], 1], [[4, 64, 9], 1], [[5000], 0]] as [number[], number][]) {
        for (const layout of LAYOUTS) {
          for (const op of ['sum', 'prod'] as const) {
            // Products of values near 1, so that long rows neither vanish nor overflow.
            const x = makeView(shape, dtype, layout, op === 'prod' ? 0.9 : -2, op === 'prod' ? 1.1 : 2);
            const n = shape.reduce((a, b) => a * b, 1);
            const [a, b] = both((be) => { const o = out(be, dtype, n); be.cumulative(op, x, axis, o); return o.data; });
            assert.deepEqual(Array.from(b), Array.from(a), `${op} ${shape} axis ${axis} ${layout}`);
          }
        }
      }
    });
    test(`gather and scatterAdd ${dtype}`, () => {
      for (const [shape, dim] of [[[40, 30], 0], [[40, 30], 1], [[6, 50, 7], 1], [[6, 50, 7], 2]] as [number[], number][]) {
        const n = shape.reduce((a, b) => a * b, 1);
        const index = jsBackend.alloc('int64', n);
        for (let i = 0; i < n; i++) index.data[i] = Math.floor(rand() * shape[dim]);
        const iv: View = { storage: index, shape, strides: dense(shape), offset: 0 };
        for (const layout of LAYOUTS) {
          const x = makeView(shape, dtype, layout);
          const [a, b] = both((be) => { const o = out(be, dtype, n); be.gather(x, dim, iv, o); return o.data; });
          assert.deepEqual(Array.from(b), Array.from(a), `gather ${shape} dim ${dim} ${layout}`);
          const [c, d] = both((be) => {
            const dst = be.alloc(dtype, n);
            be.scatterAdd({ storage: dst, shape, strides: dense(shape), offset: 0 }, dim, iv, x);
            return dst.data;
          });
          assertClose(d, c, { ...tol(dtype), what: `scatterAdd ${shape} dim ${dim} ${layout}` });
        }
      }
    });
    test(`maxPool2dIndices ${dtype} matches the composed reference`, () => {
      const geos = [
        { x: [2, 3, 8, 8], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
        { x: [1, 2, 9, 7], kernel: [3, 2], stride: [2, 1], padding: [1, 1], dilation: [1, 2] },
        { x: [64, 6, 28, 28], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
        // 2x2 / stride 2 has its own vector kernel: row tails (18 and 127 outputs) and ceil-mode edges.
        { x: [1, 2, 7, 37], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
        { x: [2, 1, 2, 255], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] },
        { x: [1, 3, 5, 5], kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceil: true },
      ];
      for (const g of geos) {
        const [h, w] = g.x.slice(2) as [number, number];
        const o = [0, 1].map((i) => Math[g.ceil === true ? 'ceil' : 'floor'](([h, w][i] + 2 * g.padding[i] - g.dilation[i] * (g.kernel[i] - 1) - 1) / g.stride[i]) + 1);
        const geo = { ...g, out: o };
        const x = makeView(g.x, dtype, 'transposed');
        // Ties and NaNs: the first maximum wins, and the first NaN beats every number.
        for (let i = 0; i < x.storage.data.length; i++) {
          if (i % 5 === 0) x.storage.data[i] = 0.5;
          if (i % 47 === 3) x.storage.data[i] = NaN;
        }
        const n = g.x[0] * g.x[1] * o[0] * o[1];
        const ref = jsBackend.alloc('int64', n);
        maxPoolIndices(jsBackend, x, ref, geo);
        const fast = jsBackend.alloc('int64', n), values = jsBackend.alloc(dtype, n);
        assert.ok(loaded().maxPool2dIndices(x, fast, geo, values));
        assert.deepEqual(Array.from(fast.data), Array.from(ref.data), JSON.stringify(g));
        // The maxima written in the same pass are the input's values at those indices.
        const dense = jsBackend.alloc(dtype, g.x.reduce((a, b) => a * b, 1));
        jsBackend.copy(x, denseView(dense, g.x));
        const plane = h * w, positions = o[0] * o[1];
        const want = Array.from(ref.data, (idx, i) => dense.data[Math.floor(i / positions) * plane + idx]);
        assert.deepEqual(Array.from(values.data), want, `values ${JSON.stringify(g)}`);
        // The gradient: zeros with g added at the indices (overlapping windows add up).
        const grad = makeView([g.x[0], g.x[1], o[0], o[1]], dtype, 'contiguous');
        const idx = denseView(ref, [g.x[0], g.x[1], positions]);
        const slow = jsBackend.alloc(dtype, dense.data.length), quick = jsBackend.alloc(dtype, dense.data.length);
        const flat = denseView(slow, [g.x[0], g.x[1], plane]);
        jsBackend.scatterAdd(flat, 2, idx, { ...grad, shape: [g.x[0], g.x[1], positions], strides: [g.x[1] * positions, positions, 1] });
        assert.ok(loaded().maxPool2dBackward(grad, denseView(ref, [g.x[0], g.x[1], o[0], o[1]]), quick, g.x, geo));
        assertClose(quick.data, slow.data, { ...tol(dtype), what: `maxPool2dBackward ${JSON.stringify(g)}` });
      }
    });
    test(`copy ${dtype}`, () => {
      for (const shape of SHAPES) {
        for (const layout of LAYOUTS) {
          const x = makeView(shape, dtype, layout);
          const n = shape.reduce((a, b) => a * b, 1);
          const [a, b] = both((be) => {
            const o = out(be, dtype, n * 2);
            // write into a strided destination: every other element
            be.copy(x, { storage: o, shape, strides: dense(shape).map((s) => s * 2), offset: 0 });
            return o.data;
          });
          assert.deepEqual(Array.from(b), Array.from(a));
        }
      }
    });
    for (const op of ['sum', 'amax', 'amin'] as ReduceOp[]) {
      test(`reduce ${op} ${dtype}`, () => {
        for (const [shape, axes] of [[[1000], [0]], [[7, 300], [1]], [[300, 7], [0]], [[4, 255, 9], [1]], [[4, 255, 9], [0, 1]], [[4, 255, 9], [1, 2]], [[4, 255, 9], [0, 2]], [[8, 6, 5, 7], [0, 2, 3]], [[64, 6, 28, 28], [0, 2, 3]], [[600000], [0]]] as [number[], number[]][]) {
          for (const layout of LAYOUTS) {
            const x = makeView(shape, dtype, layout);
            const n = shape.filter((_, i) => !axes.includes(i)).reduce((a, b) => a * b, 1);
            const [a, b] = both((be) => { const o = out(be, dtype, n); be.reduce(op, x, axes, o); return o.data; });
            assertClose(b, a, { atol: dtype === 'float32' ? 1e-3 : 1e-9, rtol: 1e-5, what: `${op} ${shape} ${axes} ${layout}` });
          }
        }
      });
    }
    test(`softmax and its gradient ${dtype}, along every axis`, () => {
      for (const [shape, axis] of [[[17, 255], 1], [[17, 255], 0], [[4, 255, 9], 1], [[1, 7], 1], [[64, 10], 1]] as [number[], number][]) {
        const x = makeView(shape, dtype, 'contiguous'), g = makeView(shape, dtype, 'contiguous');
        const n = shape.reduce((a, b) => a * b, 1), [A, R, B] = [shape.slice(0, axis).reduce((a, b) => a * b, 1), shape[axis], shape.slice(axis + 1).reduce((a, b) => a * b, 1)];
        for (const log of [false, true]) {
          // Reference in double precision, slice by slice.
          const want = new Float64Array(n), grad = new Float64Array(n);
          const xs = x.storage.data.subarray(x.offset), gs = g.storage.data.subarray(g.offset);
          for (let a = 0; a < A; a++) {
            for (let b = 0; b < B; b++) {
              const at = (r: number) => (a * R + r) * B + b;
              let m = -Infinity, s = 0, sg = 0;
              for (let r = 0; r < R; r++) m = Math.max(m, xs[at(r)]);
              for (let r = 0; r < R; r++) s += Math.exp(xs[at(r)] - m);
              for (let r = 0; r < R; r++) want[at(r)] = log ? xs[at(r)] - m - Math.log(s) : Math.exp(xs[at(r)] - m) / s;
              for (let r = 0; r < R; r++) sg += log ? gs[at(r)] : gs[at(r)] * want[at(r)];
              for (let r = 0; r < R; r++) grad[at(r)] = log ? gs[at(r)] - Math.exp(want[at(r)]) * sg : want[at(r)] * (gs[at(r)] - sg);
            }
          }
          const y = out(loaded(), dtype, n);
          assert.ok(loaded().softmax(x, axis, log, y));
          assertClose(y.data, want, { ...tol(dtype), what: `softmax log=${log} ${shape} axis ${axis}` });
          const yv = { storage: y, shape, strides: x.strides, offset: 0 }, dx = out(loaded(), dtype, n);
          assert.ok(loaded().softmaxBackward(g, yv, axis, log, dx));
          assertClose(dx.data, grad, { atol: dtype === 'float32' ? 1e-4 : 1e-10, rtol: 1e-4, what: `softmax backward log=${log} ${shape} axis ${axis}` });
        }
      }
    });
    test(`matmul ${dtype} over every microkernel edge and layout`, () => {
      const sizes = [1, 7, 14, 17, 32, 33, 255, 257];
      for (const m of sizes) {
        for (const n of [1, 7, 17, 32, 33, 255]) {
          for (const k of [1, 17, 256, 1100]) { // 1100: a second k block accumulates onto the first
            for (const [la, lb] of [['contiguous', 'contiguous'], ['transposed', 'contiguous'], ['contiguous', 'transposed'], ['transposed', 'transposed']] as const) {
              if (m * n * k > 2_000_000) continue;
              const a = makeView([m, k], dtype, la), b = makeView([k, n], dtype, lb);
              const [x, y] = both((be) => { const o = out(be, dtype, m * n); be.matmul(a, b, o); return o.data; });
              assertClose(y, x, { atol: dtype === 'float32' ? 1e-4 : 1e-10, rtol: 1e-4, what: `mm ${m}x${k}x${n} ${la}/${lb}` });
            }
          }
        }
      }
    });
    test(`matrix-vector products split across threads ${dtype}`, () => {
      // 1500 x 1000 is above the size at which the GEMV runs on every thread; rows of 1000 and 1001
      // floats start at two and at sixteen different offsets from a cache line; both storage orders.
      for (const [m, k] of [[1500, 1000], [1500, 1001], [37, 1003]]) {
        for (const layout of ['contiguous', 'transposed'] as const) {
          const a = makeView([m, k], dtype, layout), v = makeView([k, 1], dtype, 'contiguous');
          const [x, y] = both((be) => { const o = out(be, dtype, m); be.matmul(a, v, o); return o.data; });
          assertClose(y, x, { atol: 1e-3, rtol: 1e-4, what: `gemv ${m}x${k} ${layout}` });
        }
      }
    });
    test(`batched matmul with broadcast batch ${dtype}`, () => {
      const a = makeView([3, 40, 30], dtype, 'broadcast'), b = makeView([3, 30, 20], dtype, 'transposed');
      const [x, y] = both((be) => { const o = out(be, dtype, 3 * 40 * 20); be.matmul(a, b, o); return o.data; });
      assertClose(y, x, { atol: 1e-4, rtol: 1e-4 });
    });
  }

  const GEOMETRIES = [
    { x: [2, 3, 9, 8], w: [4, 3, 3, 3], stride: [1, 1], pad: [0, 0], dilation: [1, 1], groups: 1 },
    { x: [3, 4, 11, 7], w: [6, 2, 3, 2], stride: [2, 1], pad: [1, 2], dilation: [1, 2], groups: 2 },
    { x: [64, 1, 28, 28], w: [6, 1, 5, 5], stride: [1, 1], pad: [2, 2], dilation: [1, 1], groups: 1 },
    { x: [1, 6, 14, 14], w: [16, 6, 5, 5], stride: [1, 1], pad: [0, 0], dilation: [1, 1], groups: 1 },
    { x: [2, 4, 6, 6], w: [4, 1, 3, 3], stride: [1, 1], pad: [1, 1], dilation: [1, 1], groups: 4 },
    // Stride 1 runs the direct kernels: channel counts off their register blocks, dilation, odd sizes.
    { x: [3, 7, 17, 9], w: [17, 7, 3, 5], stride: [1, 1], pad: [2, 1], dilation: [2, 1], groups: 1 },
    { x: [1, 17, 7, 1], w: [1, 17, 1, 1], stride: [1, 1], pad: [0, 0], dilation: [1, 1], groups: 1 },
    { x: [2, 1, 1, 255], w: [7, 1, 1, 7], stride: [1, 1], pad: [0, 3], dilation: [1, 1], groups: 1 },
    { x: [5, 3, 32, 32], w: [33, 3, 3, 3], stride: [1, 1], pad: [1, 1], dilation: [1, 1], groups: 1 },
  ];
  test('conv2d forward and both gradients (float32)', () => {
    for (const c of GEOMETRIES) {
      const geo = { stride: c.stride, padBefore: c.pad, padAfter: c.pad, dilation: c.dilation, groups: c.groups };
      const o = c.x.slice(2).map((s, i) => Math.floor((s + 2 * c.pad[i] - c.dilation[i] * (c.w[i + 2] - 1) - 1) / c.stride[i]) + 1);
      const gShape = [c.x[0], c.w[0], ...o];
      const x = makeView(c.x, 'float32', 'contiguous'), w = makeView(c.w, 'float32', 'contiguous'), g = makeView(gShape, 'float32', 'contiguous');
      const n = (s: number[]) => s.reduce((a, b) => a * b, 1);
      const [f1, f2] = both((be) => { const r = be.alloc('float32', n(gShape)); convForward(be, x, w, undefined, r, geo); return r.data; });
      assertClose(f2, f1, { atol: 1e-4, rtol: 1e-4, what: `forward ${JSON.stringify(c)}` });
      const bias = makeView([c.w[0]], 'float32', 'contiguous');
      const [b1, b2] = both((be) => { const r = be.alloc('float32', n(gShape)); convForward(be, x, w, bias, r, geo); return r.data; });
      assertClose(b2, b1, { atol: 1e-4, rtol: 1e-4, what: `forward with bias ${JSON.stringify(c)}` });
      const [i1, i2] = both((be) => { const r = be.alloc('float32', n(c.x)); convInputGrad(be, g, w, r, c.x, geo); return r.data; });
      assertClose(i2, i1, { atol: 1e-4, rtol: 1e-4, what: `input grad ${JSON.stringify(c)}` });
      const [w1, w2] = both((be) => { const r = be.alloc('float32', n(c.w)); convWeightGrad(be, g, x, r, c.w.slice(2), geo); return r.data; });
      assertClose(w2, w1, { atol: 1e-3, rtol: 1e-4, what: `weight grad ${JSON.stringify(c)}` });
    }
  });
});
