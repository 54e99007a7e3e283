// test/backends/fused.test.ts — the native backend's one-pass kernels (clamp, activations, addcmul/addcdiv,
// fill, the Adam and SGD steps, the LSTM cell) against the JS reference composed from primitives or
// written per element, on sizes that reach the vector loops, their tails and the thread pool.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AdamConstants, CpuStorage as Storage, CpuView as View, SGDConstants } from '../../src/backends/backend.js';
import { jsBackend } from '../../src/backends/js/index.js';
import { assertClose } from '../helpers.js';
import { makeRandom } from '../opinfo/values.js';
import { loaded, skip } from './native-backend.js';



type F = 'float32' | 'float64';
const rand = makeRandom(11);
const SIZES = [5, 2049, 70001];
const DTYPES: F[] = ['float32', 'float64'];
const tol = (dtype: F) => (dtype === 'float32' ? { atol: 1e-6, rtol: 1e-6 } : { atol: 1e-12, rtol: 1e-12 });

function storage(dtype: F, n: number, lo = -2, hi = 2): Storage {
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * rand();
  return jsBackend.fromArray(dtype, data);
}
const flat = (s: Storage, n = s.data.length): View => ({ storage: s, shape: [n], strides: [1], offset: 0 });
const copyOf = (s: Storage): Storage => jsBackend.fromArray(s.dtype, s.data.slice());
/** `value` as a stride-0 view of `shape`. */
function scalar(dtype: F, value: number, shape: number[]): View {
  const s = jsBackend.alloc(dtype, 1);
  s.data[0] = value;
  return { storage: s, shape, strides: shape.map(() => 0), offset: 0 };
}
/** A row broadcast over `rows` rows: the view shape of a bias. */
const rowView = (s: Storage, rows: number): View => ({ storage: s, shape: [rows, s.data.length], strides: [0, 1], offset: 0 });

describe('native fused kernels match the JS reference', { skip }, () => {
  for (const dtype of DTYPES) {
    test(`clamp ${dtype}`, () => {
      for (const n of SIZES) {
        const x = storage(dtype, n, -3, 3);
        x.data[0] = NaN;
        const out = loaded().alloc(dtype, n);
        assert.ok(loaded().clamp(flat(x), -1, 0.5, out));
        const ref = jsBackend.alloc(dtype, n);
        jsBackend.binary('maximum', flat(x), scalar(dtype, -1, [n]), ref);
        jsBackend.binary('minimum', flat(ref), scalar(dtype, 0.5, [n]), ref);
        assertClose(out.data, ref.data, { ...tol(dtype), what: `clamp ${n}` });
        const none = loaded().alloc(dtype, n);
        loaded().clamp(flat(x), -Infinity, Infinity, none);
        assertClose(none.data, x.data, { atol: 0, rtol: 0, what: 'no bounds' });
      }
    });

    test(`activations ${dtype}: leakyRelu, elu, silu over the whole range, infinities and NaN`, () => {
      const special = [0, -0, 1e-30, -1e-30, 1e-6, -1e-6, -0.3, 0.35, -0.36, 20, -20, 80, -80, 88.7, 89, -87.5, -104, -110, Infinity, -Infinity, NaN];
      for (const n of [special.length, 2049, 70001]) {
        const x = storage(dtype, n, -30, 30);
        x.data.set(special);
        for (const [op, param] of [['leakyRelu', 0.2], ['elu', 1.5], ['silu', 0]] as const) {
          const out = loaded().alloc(dtype, n);
          assert.ok(loaded().activation(op, flat(x), param, out));
          // Math's exp and expm1 in double, rounded once: what a correctly rounded kernel would give.
          const r = dtype === 'float32' ? Math.fround : (v: number) => v;
          const want = Array.from(x.data, (v) =>
            op === 'leakyRelu' ? (v > 0 ? v : r(v * param)) : op === 'elu' ? (v <= 0 ? r(r(Math.expm1(v)) * param) : v) : r(v / r(1 + r(Math.exp(-v)))));
          // float32: within a few ulp (the kernel's exp is a polynomial); float64 uses libm.
          assertClose(out.data, want, { atol: dtype === 'float32' ? 1e-37 : 0, rtol: dtype === 'float32' ? 5e-7 : 1e-15, what: `${op} ${n}` });
        }
      }
    });

    test(`gelu ${dtype}, exact and tanh: forward and gradient, dense and strided`, () => {
      const special = [0, -0, 1e-30, -1e-30, 1e-6, -0.5, 0.7, 3, -3, 5.5, -5.5, 9, -9, 30, -30, NaN];
      for (const n of [special.length, 2049, 70001]) {
        const x = storage(dtype, n, -8, 8), g = storage(dtype, n);
        x.data.set(special);
        // erf(x/√2) and tanh(√(2/π)(x + κx³)) from the JS backend, the rest per element in double.
        const scaled = jsBackend.alloc(dtype, n), erf = jsBackend.alloc(dtype, n), th = jsBackend.alloc(dtype, n);
        jsBackend.binary('mul', flat(x), scalar(dtype, Math.SQRT1_2, [n]), scaled);
        jsBackend.unary('erf', flat(scaled), erf);
        const beta = Math.sqrt(2 / Math.PI), kappa = 0.044715;
        jsBackend.unary('tanh', flat(jsBackend.fromArray(dtype, x.data.map((v) => beta * (v + kappa * v * v * v)))), th);
        const want = {
          gelu: Array.from(x.data, (v, i) => v * 0.5 * (1 + erf.data[i])),
          geluTanh: Array.from(x.data, (v, i) => 0.5 * v * (1 + th.data[i])),
        };
        const derivative = {
          gelu: Array.from(x.data, (v, i) => 0.5 * (1 + erf.data[i]) + v * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI)),
          geluTanh: Array.from(x.data, (v, i) => {
            const t = th.data[i];
            return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * beta * (1 + 3 * kappa * v * v);
          }),
        };
        // float32's erf is PyTorch's (Abramowitz and Stegun, within 1.5e-7): an error of x·1e-7 at most.
        const close = dtype === 'float32' ? { atol: 1e-6, rtol: 1e-6 } : { atol: 1e-14, rtol: 1e-13 };
        for (const op of ['gelu', 'geluTanh'] as const) {
          const out = loaded().alloc(dtype, n), dx = loaded().alloc(dtype, n);
          assert.ok(loaded().activation(op, flat(x), 0, out));
          assertClose(out.data, want[op], { ...close, what: `${op} ${n}` });
          assert.ok(loaded().activationBackward(op, flat(g), flat(x), dx));
          assertClose(dx.data, derivative[op].map((d, i) => g.data[i] * d), { ...close, what: `${op} gradient ${n}` });
          // every other element, and the gradient broadcast from one value
          const half = n >> 1, strided = (s: Storage): View => ({ storage: s, shape: [half], strides: [2], offset: 1 });
          const dh = loaded().alloc(dtype, half);
          assert.ok(loaded().activationBackward(op, scalar(dtype, 2, [half]), strided(x), dh));
          assertClose(dh.data, Array.from({ length: half }, (_, i) => 2 * derivative[op][2 * i + 1]), { ...close, what: `${op} strided gradient ${n}` });
        }
      }
    });

    test(`addcmul and addcdiv ${dtype}, dense and broadcast`, () => {
      for (const [rows, cols] of [[3, 700], [70, 1001]]) {
        const n = rows * cols;
        const x = storage(dtype, n), a = storage(dtype, n), b = storage(dtype, cols, 0.5, 2);
        const shape = [rows, cols], dense = (s: Storage): View => ({ storage: s, shape, strides: [cols, 1], offset: 0 });
        for (const divide of [false, true]) {
          const out = loaded().alloc(dtype, n), ref = jsBackend.alloc(dtype, n);
          assert.ok(loaded().addcmul(dense(x), dense(a), rowView(b, rows), 0.3, divide, out));
          const scaled = jsBackend.alloc(dtype, n);
          jsBackend.binary('mul', dense(a), scalar(dtype, 0.3, shape), scaled);
          jsBackend.binary(divide ? 'div' : 'mul', dense(scaled), rowView(b, rows), scaled);
          jsBackend.binary('add', dense(x), dense(scaled), ref);
          assertClose(out.data, ref.data, { ...tol(dtype), what: divide ? 'addcdiv' : 'addcmul' });
          // Written over x itself, as addcmul_ does.
          const self = copyOf(x);
          loaded().addcmul(dense(self), dense(a), rowView(b, rows), 0.3, divide, self);
          assertClose(self.data, out.data, { atol: 0, rtol: 0, what: 'in place' });
        }
      }
    });

    test(`fill ${dtype}, dense and strided`, () => {
      for (const n of SIZES) {
        const s = storage(dtype, 2 * n), before = s.data.slice();
        loaded().fill({ storage: s, shape: [n], strides: [1], offset: n }, 0.25);
        loaded().fill({ storage: s, shape: [n], strides: [2], offset: 0 }, -1);
        const expected = before.map((v, i) => (i % 2 === 0 ? -1 : i >= n ? 0.25 : v));
        assertClose(s.data, expected, { atol: 0, rtol: 0, what: `fill ${n}` });
      }
    });

    test(`adamStep ${dtype}: Adam, AdamW, AMSGrad, maximize`, () => {
      const variants: AdamConstants[] = [
        { maximize: false, decay: 1, weightDecay: 0, beta1: 0.9, beta2: 0.999, stepSize: 0.01 / 0.1, biasCorrection2Sqrt: Math.sqrt(0.001), eps: 1e-8 },
        { maximize: false, decay: 1, weightDecay: 0.1, beta1: 0.8, beta2: 0.99, stepSize: 0.02 / 0.36, biasCorrection2Sqrt: Math.sqrt(1 - 0.99 ** 2), eps: 1e-8 },
        { maximize: true, decay: 1 - 0.01 * 0.01, weightDecay: 0, beta1: 0.9, beta2: 0.999, stepSize: 0.01 / 0.271, biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** 3), eps: 1e-6 },
      ];
      for (const n of SIZES) {
        for (const c of variants) {
          for (const amsgrad of [false, true]) {
            const p = storage(dtype, n), g = storage(dtype, n), m = storage(dtype, n, -0.1, 0.1), v = storage(dtype, n, 0, 0.1);
            const vmax = amsgrad ? storage(dtype, n, 0, 0.1) : null;
            const want = [copyOf(p), copyOf(m), copyOf(v), vmax && copyOf(vmax)] as const;
            assert.ok(loaded().adamStep(p, g, m, v, vmax, c));
            adamReference(want[0].data, g.data, want[1].data, want[2].data, want[3]?.data ?? null, c, dtype);
            const what = `n ${n} amsgrad ${amsgrad} maximize ${c.maximize}`;
            assertClose(p.data, want[0].data, { ...tol(dtype), what: `param ${what}` });
            assertClose(m.data, want[1].data, { ...tol(dtype), what: `exp_avg ${what}` });
            assertClose(v.data, want[2].data, { ...tol(dtype), what: `exp_avg_sq ${what}` });
            if (vmax) assertClose(vmax.data, present(want[3]).data, { ...tol(dtype), what: `max_exp_avg_sq ${what}` });
          }
        }
      }
    });

    test(`sgdStep ${dtype}: first step, dampening, weight decay, Nesterov, maximize`, () => {
      const variants: Omit<SGDConstants, 'first'>[] = [
        { maximize: false, lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false },
        { maximize: false, lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false },
        { maximize: true, lr: 0.1, momentum: 0.5, dampening: 0, weightDecay: 0.001, nesterov: true },
      ];
      for (const n of SIZES) {
        for (const c of variants) {
          for (const first of [true, false]) {
            const p = storage(dtype, n), g = storage(dtype, n), buf = storage(dtype, n);
            const want = [copyOf(p), copyOf(buf)] as const;
            assert.ok(loaded().sgdStep(p, g, buf, { ...c, first }));
            sgdReference(want[0].data, g.data, want[1].data, { ...c, first }, dtype);
            assertClose(p.data, want[0].data, { ...tol(dtype), what: `param n ${n} first ${first}` });
            assertClose(buf.data, want[1].data, { ...tol(dtype), what: `momentum_buffer n ${n} first ${first}` });
          }
        }
      }
    });

    test(`lstmCell and its gradient ${dtype}: dense and strided operands`, () => {
      const sig = (v: number) => 1 / (1 + Math.exp(-v));
      for (const [n, h, dense] of [[3, 5, true], [32, 300, true], [70, 1000, true], [7, 33, false]] as const) {
        // gates with padded rows (or, strided, with every other column); c dense or transposed
        const pad = dense ? 3 : 4 * h + 1, colStride = dense ? 1 : 2;
        const gs = storage(dtype, n * (4 * h * colStride + pad), -4, 4), cs = storage(dtype, n * h, -2, 2);
        const gates: View = { storage: gs, shape: [n, 4 * h], strides: [4 * h * colStride + pad, colStride], offset: 0 };
        const c: View = dense ? { storage: cs, shape: [n, h], strides: [h, 1], offset: 0 } : { storage: cs, shape: [n, h], strides: [1, n], offset: 0 };
        const at = (v: View, r: number, j: number) => v.storage.data[v.offset + r * v.strides[0] + j * v.strides[1]];
        const out = loaded().alloc(dtype, 2 * n * h), acts = loaded().alloc(dtype, 5 * n * h);
        assert.ok(loaded().lstmCell(gates, c, out, acts));
        const gradS = storage(dtype, 2 * n * h, -1, 1);
        const gh: View = { storage: gradS, shape: [n, h], strides: [h, 1], offset: 0 };
        const gc: View = dense ? { storage: gradS, shape: [n, h], strides: [h, 1], offset: n * h } : { storage: gradS, shape: [n, h], strides: [0, 1], offset: n * h };
        const dGates = loaded().alloc(dtype, 4 * n * h), dcPrev = loaded().alloc(dtype, n * h);
        assert.ok(loaded().lstmCellBackward(gh, gc, c, { storage: acts, shape: [5, n, h], strides: [n * h, h, 1], offset: 0 }, dGates, dcPrev));
        const want = { out: new Float64Array(2 * n * h), acts: new Float64Array(5 * n * h), dGates: new Float64Array(4 * n * h), dcPrev: new Float64Array(n * h) };
        for (let r = 0; r < n; r++) {
          for (let j = 0; j < h; j++) {
            const [i, f, g, o] = [sig(at(gates, r, j)), sig(at(gates, r, h + j)), Math.tanh(at(gates, r, 2 * h + j)), sig(at(gates, r, 3 * h + j))];
            const c2 = f * at(c, r, j) + i * g, tc = Math.tanh(c2), e = r * h + j;
            want.out[e] = o * tc;
            want.out[n * h + e] = c2;
            [i, f, g, o, tc].forEach((v, k) => { want.acts[k * n * h + e] = v; });
            const dc = at(gc, r, j) + at(gh, r, j) * o * (1 - tc * tc);
            const d = [dc * g * i * (1 - i), dc * at(c, r, j) * f * (1 - f), dc * i * (1 - g * g), at(gh, r, j) * tc * o * (1 - o)];
            d.forEach((v, k) => { want.dGates[r * 4 * h + k * h + j] = v; });
            want.dcPrev[e] = dc * f;
          }
        }
        const t = dtype === 'float32' ? { atol: 2e-6, rtol: 1e-5 } : tol(dtype);
        assertClose(out.data, want.out, { ...t, what: `lstmCell h', c' ${n}x${h}` });
        assertClose(acts.data, want.acts, { ...t, what: `lstmCell activations ${n}x${h}` });
        assertClose(dGates.data, want.dGates, { ...t, what: `lstmCell gate gradients ${n}x${h}` });
        assertClose(dcPrev.data, want.dcPrev, { ...t, what: `lstmCell c gradient ${n}x${h}` });
      }
    });

    test(`attention and its gradient ${dtype}: strided heads, broadcast mask, causal, several row blocks`, () => {
      for (const [b1, b2, l, sl, d, dv, withMask, causal] of [[2, 3, 5, 7, 4, 3, true, false], [1, 2, 300, 280, 8, 5, false, true], [3, 1, 70, 70, 16, 16, true, true]] as const) {
        // q, k and v as heads of one [B1, L, B2, D] projection each (strided, unit last stride)
        const heads = (rows: number, cols: number): View => ({ storage: storage(dtype, b1 * rows * b2 * cols, -1, 1), shape: [b1, b2, rows, cols], strides: [rows * b2 * cols, cols, b2 * cols, 1], offset: 0 });
        const [q, k, v, gOut] = [heads(l, d), heads(sl, d), heads(sl, dv), heads(l, dv)];
        // a [B2, L, S] mask broadcast over B1 (stride 0)
        const mask: View | null = withMask ? { storage: storage(dtype, b2 * l * sl, -2, 2), shape: [b1, b2, l, sl], strides: [0, l * sl, sl, 1], offset: 0 } : null;
        const scale = 0.7;
        const out = loaded().alloc(dtype, b1 * l * b2 * dv), lse = loaded().alloc(dtype, b1 * b2 * l);
        assert.ok(loaded().attention(q, k, v, mask, causal, scale, out, lse));
        const outView: View = { storage: out, shape: [b1, b2, l, dv], strides: [l * b2 * dv, dv, b2 * dv, 1], offset: 0 };
        const dq = loaded().alloc(dtype, b1 * b2 * l * d), dk = loaded().alloc(dtype, b1 * b2 * sl * d), dvs = loaded().alloc(dtype, b1 * b2 * sl * dv);
        assert.ok(loaded().attentionBackward(q, k, v, mask, causal, scale, outView, gOut, { storage: lse, shape: [b1, b2, l], strides: [b2 * l, l, 1], offset: 0 }, dq, dk, dvs));
        const at = (x: View, i: number, j: number, r: number, c: number) => x.storage.data[x.offset + i * x.strides[0] + j * x.strides[1] + r * x.strides[2] + c * x.strides[3]];
        const t = dtype === 'float32' ? { atol: 2e-5, rtol: 1e-4 } : tol(dtype);
        for (let i = 0; i < b1; i++) {
          for (let j = 0; j < b2; j++) {
            // the weights P and the output row by row, in doubles
            const p = Array.from({ length: l }, (_, r) => {
              const row = Array.from({ length: sl }, (_, c) => {
                let x = 0;
                for (let e = 0; e < d; e++) x += at(q, i, j, r, e) * at(k, i, j, c, e);
                return causal && c > r ? -Infinity : x * scale + (mask === null ? 0 : at(mask, i, j, r, c));
              });
              const m = Math.max(...row), ex = row.map((x) => Math.exp(x - m)), sum = ex.reduce((a, b) => a + b, 0);
              return ex.map((x) => x / sum);
            });
            const pair = (j2: number) => `pair ${i},${j2} of ${b1}x${b2}, ${l}x${sl}`;
            const wantO = p.map((row) => Array.from({ length: dv }, (_, c) => row.reduce((a, w, s2) => a + w * at(v, i, j, s2, c), 0)));
            assertClose(wantO.flatMap((row, r) => row.map((_, c) => at(outView, i, j, r, c))), wantO.flat(), { ...t, what: `attention out, ${pair(j)}` });
            // dv = Pᵀ·g, dS = P·(dP − Σ dP·P) with dP = g·vᵀ, dq = scale·dS·k, dk = scale·dSᵀ·q
            const dP = p.map((_, r) => Array.from({ length: sl }, (_, c) => { let x = 0; for (let e = 0; e < dv; e++) x += at(gOut, i, j, r, e) * at(v, i, j, c, e); return x; }));
            const dS = p.map((row, r) => { const dot = row.reduce((a, w, c) => a + w * dP[r][c], 0); return row.map((w, c) => w * (dP[r][c] - dot)); });
            // the gradients laid out [B1, R, B2, C], as out
            const dense = (s2: Storage, rows: number, cols: number): View => ({ storage: s2, shape: [b1, b2, rows, cols], strides: [rows * b2 * cols, cols, b2 * cols, 1], offset: 0 });
            const got = (x: View, rows: number, cols: number) => Array.from({ length: rows * cols }, (_, e) => at(x, i, j, Math.floor(e / cols), e % cols));
            const wantDq = dS.flatMap((row) => Array.from({ length: d }, (_, e) => scale * row.reduce((a, w, c) => a + w * at(k, i, j, c, e), 0)));
            const wantDk = Array.from({ length: sl * d }, (_, e) => { const [c, f] = [Math.floor(e / d), e % d]; return scale * dS.reduce((a, row, r) => a + row[c] * at(q, i, j, r, f), 0); });
            const wantDv = Array.from({ length: sl * dv }, (_, e) => { const [c, f] = [Math.floor(e / dv), e % dv]; return p.reduce((a, row, r) => a + row[c] * at(gOut, i, j, r, f), 0); });
            assertClose(got(dense(dq, l, d), l, d), wantDq, { ...t, what: `attention dq, ${pair(j)}` });
            assertClose(got(dense(dk, sl, d), sl, d), wantDk, { ...t, what: `attention dk, ${pair(j)}` });
            assertClose(got(dense(dvs, sl, dv), sl, dv), wantDv, { ...t, what: `attention dv, ${pair(j)}` });
          }
        }
      }
    });

    test(`lstmLayer and its gradient ${dtype} against the steps one by one`, () => {
      for (const [steps, n, h, reverse, withGy, withLast] of [[1, 2, 3, false, true, true], [4, 3, 5, true, true, false], [6, 32, 40, false, false, true], [3, 5, 17, true, true, true]] as const) {
        const xp = storage(dtype, steps * n * 4 * h, -2, 2), w = storage(dtype, 4 * h * h, -0.5, 0.5), h0 = storage(dtype, n * h, -1, 1), c0 = storage(dtype, n * h, -1, 1);
        const gy = withGy ? storage(dtype, steps * n * h, -1, 1) : null;
        const [gh, gc] = withLast ? [storage(dtype, n * h, -1, 1), storage(dtype, n * h, -1, 1)] : [null, null];
        const dense = (s: Storage, rows: number, cols: number): View => ({ storage: s, shape: [rows, cols], strides: [cols, 1], offset: 0 });
        const gates = loaded().alloc(dtype, steps * n * 4 * h), y = loaded().alloc(dtype, steps * n * h), cs = loaded().alloc(dtype, steps * n * h);
        assert.ok(loaded().lstmLayer(dense(xp, steps * n, 4 * h), dense(w, 4 * h, h), dense(h0, n, h), dense(c0, n, h), reverse, gates, y, cs));
        const dGates = loaded().alloc(dtype, steps * n * 4 * h), dh0 = loaded().alloc(dtype, n * h), dc0 = loaded().alloc(dtype, n * h);
        const opt = (s: Storage | null, rows: number): View | null => (s === null ? null : dense(s, rows, h));
        assert.ok(loaded().lstmLayerBackward(dense(gates, steps * n, 4 * h), dense(w, 4 * h, h), dense(c0, n, h), dense(cs, steps * n, h),
          opt(gy, steps * n), opt(gh, n), opt(gc, n), reverse, dGates, dh0, dc0));
        const want = lstmLayerReference(steps, n, h, reverse, xp.data, w.data, h0.data, c0.data, gy?.data ?? null, gh?.data ?? null, gc?.data ?? null);
        const t = dtype === 'float32' ? { atol: 2e-5, rtol: 1e-4 } : tol(dtype);
        const what = `${steps} steps of ${n}x${h}${reverse ? ' reversed' : ''}`;
        assertClose(gates.data, want.gates, { ...t, what: `lstmLayer gates, ${what}` });
        assertClose(y.data, want.y, { ...t, what: `lstmLayer h, ${what}` });
        assertClose(cs.data, want.cs, { ...t, what: `lstmLayer c, ${what}` });
        assertClose(dGates.data, want.dGates, { ...t, what: `lstmLayer gate gradients, ${what}` });
        assertClose(dh0.data, want.dh0, { ...t, what: `lstmLayer h0 gradient, ${what}` });
        assertClose(dc0.data, want.dc0, { ...t, what: `lstmLayer c0 gradient, ${what}` });
      }
    });
  }
});

function present<T>(v: T | null): T {
  assert.ok(v !== null);
  return v;
}

type Data = Storage['data'];

/** PyTorch 1.13's single-tensor Adam, op by op, each result rounded to the dtype (fma as one rounding). */
function adamReference(p: Data, g: Data, m: Data, v: Data, vmax: Data | null, c: AdamConstants, dtype: F): void {
  const r = dtype === 'float32' ? Math.fround : (x: number) => x;
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

/** PyTorch 1.13's single-tensor SGD with momentum, op by op. */
function sgdReference(p: Data, g: Data, buf: Data, c: SGDConstants, dtype: F): void {
  const r = dtype === 'float32' ? Math.fround : (x: number) => x;
  const [lr, momentum, damp, wd] = [-c.lr, c.momentum, 1 - c.dampening, c.weightDecay].map(r);
  for (let i = 0; i < p.length; i++) {
    let d = c.maximize ? -g[i] : g[i];
    if (wd !== 0) d = r(p[i] * wd + d);
    buf[i] = c.first ? d : r(d * damp + r(buf[i] * momentum));
    const step = c.nesterov ? r(buf[i] * momentum + d) : buf[i];
    p[i] = r(step * lr + p[i]);
  }
}

/** An LSTM layer and its gradient in doubles, step by step: the formulas of kernels/rnn.h written out. */
function lstmLayerReference(steps: number, n: number, h: number, reverse: boolean, xp: Data, w: Data, h0: Data, c0: Data, gy: Data | null, gh: Data | null, gc: Data | null) {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const nh = n * h, g4 = 4 * h;
  const gates = new Float64Array(steps * n * g4), y = new Float64Array(steps * nh), cs = new Float64Array(steps * nh);
  const order = Array.from({ length: steps }, (_, s) => (reverse ? steps - 1 - s : s));
  const act = (t: number, r: number, j: number) => {
    const g = (k: number) => gates[(t * n + r) * g4 + k * h + j];
    return [sig(g(0)), sig(g(1)), Math.tanh(g(2)), sig(g(3))];
  };
  let hp: ArrayLike<number> = h0, cp: ArrayLike<number> = c0;
  const prevC: ArrayLike<number>[] = [];
  for (const t of order) {
    prevC[t] = cp;
    for (let r = 0; r < n; r++) {
      for (let k = 0; k < g4; k++) {
        let acc = xp[(t * n + r) * g4 + k];
        for (let p = 0; p < h; p++) acc += hp[r * h + p] * w[k * h + p];
        gates[(t * n + r) * g4 + k] = acc;
      }
      for (let j = 0; j < h; j++) {
        const [i, f, g, o] = act(t, r, j);
        const c2 = f * cp[r * h + j] + i * g;
        cs[t * nh + r * h + j] = c2;
        y[t * nh + r * h + j] = o * Math.tanh(c2);
      }
    }
    hp = y.subarray(t * nh, (t + 1) * nh);
    cp = cs.subarray(t * nh, (t + 1) * nh);
  }
  const dGates = new Float64Array(steps * n * g4);
  let dh = Float64Array.from(gh ?? new Float64Array(nh));
  const dc = Float64Array.from(gc ?? new Float64Array(nh));
  for (const t of [...order].reverse()) {
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < h; j++) {
        const e = r * h + j, [i, f, g, o] = act(t, r, j), tc = Math.tanh(cs[t * nh + e]);
        const dhe = dh[e] + (gy === null ? 0 : gy[t * nh + e]);
        const dce = dc[e] + dhe * o * (1 - tc * tc);
        const d = [dce * g * i * (1 - i), dce * prevC[t][e] * f * (1 - f), dce * i * (1 - g * g), dhe * tc * o * (1 - o)];
        d.forEach((v, k) => { dGates[(t * n + r) * g4 + k * h + j] = v; });
        dc[e] = dce * f;
      }
    }
    const next = new Float64Array(nh);
    for (let r = 0; r < n; r++) for (let p = 0; p < h; p++) for (let k = 0; k < g4; k++) next[r * h + p] += dGates[(t * n + r) * g4 + k] * w[k * h + p];
    dh = next;
  }
  return { gates, y, cs, dGates, dh0: dh, dc0: dc };
}
