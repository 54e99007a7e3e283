// src/backends/webgpu/fused.ts — one-pass kernels: clamp, the parameterised activations, addcmul/addcdiv and the
// optimizers' Adam and SGD updates, in PyTorch's order of operations; float32.
import type { ActivationOp, AdamConstants, SGDConstants } from '../backend.js';
import { coalesce } from '../native/views.js';
import { grid, type GpuRuntime } from './runtime.js';
import type { GpuStorage, GpuView } from './storage.js';
import { bindings, MAIN, MAX_RANK, stridedAt } from './wgsl.js';

// Note [Fused rounding]
// The formulas follow native/src/kernels/fused.cc line by line: constants rounded to float32 from their double
// values, fma() where PyTorch's kernels have a fused multiply-add. WGSL lets a GPU evaluate fma() unfused and
// contract other products, so results can differ from the CPU's in the last bit; they do not differ in order.
// NaN is tested on the bits (WGSL may assume there are none, see elementwise.ts) and passed through.

const HELPERS = `
fn isnan_(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn expm1_(v: f32) -> f32 {
  if (abs(v) < 1e-5) { return v + 0.5 * v * v; }
  let u = exp(v);
  if (u == 1.0) { return v; }
  let m = u - 1.0;
  if (m == -1.0) { return -1.0; }
  return m * v / log(u);
}`;

// PyTorch's leaky_relu a > 0 ? a : a·slope, elu a <= 0 ? expm1(a)·alpha : a, silu a·σ(a); σ from exp of a
// non-positive number only, which cannot overflow (WGSL leaves exp's overflow unspecified).
// gelu composes erf and tanh from the elementwise kernels instead.
const ACTIVATIONS: Partial<Record<ActivationOp, string>> = {
  leakyRelu: 'select(v * k(0u), v, v > 0.0)',
  elu: 'select(expm1_(min(v, 0.0)) * k(0u), v, v > 0.0)',
  silu: 'select(v * exp(v) / (1.0 + exp(v)), v / (1.0 + exp(-v)), v >= 0.0)',
};

const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const isFloat = (...dtypes: readonly string[]): boolean => dtypes.every((d) => d === 'float32');

/**
 * out[i] = `expr` of x0v…, the views' elements at i, over one shape; `k(j)` reads the j-th of `constants`.
 * An output that is also an input is computed aside and copied back (WebGPU binds a buffer one way per dispatch).
 */
function pointwise(rt: GpuRuntime, name: string, views: readonly GpuView[], out: GpuStorage, expr: string, constants: readonly number[], helpers = ''): boolean {
  const n = numelOf(views[0].shape);
  const [dims, strides] = coalesce(views[0].shape, ...views.map((v) => v.strides));
  if (dims.length > MAX_RANK) return false;
  if (n === 0) return true;
  const base = 1 + views.length + dims.length * (1 + views.length);
  const aliased = views.some((v) => v.storage.buffer === out.buffer);
  const target = aliased ? rt.acquire(n * 4) : out.buffer;
  // name, the number of views and the rank determine the source (every operand is float32).
  const code = rt.source(`fused ${name}|${views.length}|${dims.length}`, () => [
    `// fused ${name}`,
    bindings([...views.map((_, j) => [`x${j}`, 'f32', false] as const), ['o', 'f32', true]]),
    HELPERS,
    `fn k(j: u32) -> f32 { return bitcast<f32>(p[${base}u + j]); }`,
    helpers,
    stridedAt(dims.length, views.length),
    MAIN,
    '  let at_ = at(i);',
    ...views.map((_, j) => `  let x${j}v = x${j}[at_[${j}]];`),
    `  o[i] = ${expr};`,
    '}',
  ].join('\n'));
  rt.dispatch(code, [...views.map((v) => v.storage.buffer), target], grid(n, rt.device.limits.maxComputeWorkgroupsPerDimension), (p) => {
    p.u32(n, ...views.map((v) => v.offset), ...dims);
    for (const s of strides) p.i32(...s);
    p.f32(...constants);
  });
  if (aliased) {
    rt.copyBuffer(target, 0, out.buffer, 0, n * 4);
    rt.release(target);
  }
  return true;
}

/** An in-place update over whole storages of one length: `body` reads and writes S0…[i]; `k(j)` are constants. */
function update(rt: GpuRuntime, name: string, storages: readonly GpuStorage[], writable: readonly boolean[], body: string, constants: readonly number[]): boolean {
  const buffers = storages.map((s) => s.buffer);
  if (!isFloat(...storages.map((s) => s.dtype)) || new Set(buffers).size !== buffers.length) return false;
  const n = storages[0].numel;
  if (n === 0) return true;
  // The name says everything the body depends on.
  const code = rt.source(`fused ${name}`, () => [
    `// fused ${name}`,
    bindings(storages.map((_, j) => [`S${j}`, 'f32', writable[j]] as const)),
    HELPERS,
    'fn k(j: u32) -> f32 { return bitcast<f32>(p[1u + j]); }',
    MAIN,
    body,
    '}',
  ].join('\n'));
  rt.dispatch(code, buffers, grid(n, rt.device.limits.maxComputeWorkgroupsPerDimension), (p) => p.u32(n).f32(...constants));
  return true;
}

/** Adam's update of element i (native/src/kernels/fused.cc adam_run); k: sign, decay, wd, β1, 1−β1, β2, 1−β2, −step, bc2, eps. */
const adamBody = (ams: boolean, l2: boolean): string => `  let param = S0[i] * k(1u);
  var grad = S1[i] * k(0u);${l2 ? '\n  grad = fma(param, k(2u), grad);' : ''}
  let m = fma(grad, k(4u), S2[i] * k(3u));
  let v = fma(k(6u) * grad, grad, S3[i] * k(5u));
  S2[i] = m;
  S3[i] = v;
  var second = v;${ams ? '\n  let prev = S4[i];\n  second = select(max(prev, v), prev + v, isnan_(prev) || isnan_(v));\n  S4[i] = second;' : ''}
  let denom = sqrt(second) / k(8u) + k(9u);
  S0[i] = param + k(7u) * m / denom;`;

/** SGD's update of element i (native/src/kernels/fused.cc sgd_run); k: sign, wd, momentum, 1−dampening, −lr. */
const sgdBody = (c: SGDConstants): string => `  var d = S1[i] * k(0u);${c.weightDecay !== 0 ? '\n  d = fma(S0[i], k(1u), d);' : ''}
  let b = ${c.first ? 'd' : 'fma(d, k(3u), S2[i] * k(2u))'};
  S2[i] = b;
  let step = ${c.nesterov ? 'fma(b, k(2u), d)' : 'b'};
  S0[i] = fma(step, k(4u), S0[i]);`;

/** The fused kernels of the webgpu backend. */
export function fusedKernels(rt: GpuRuntime) {
  return {
    /** out = x limited to [min, max] (±Infinity for no bound), NaN kept. */
    clamp(x: GpuView, min: number, max: number, out: GpuStorage): boolean {
      if (!isFloat(x.storage.dtype, out.dtype)) return false;
      const lower = min !== -Infinity, upper = max !== Infinity;
      const f = `fn f(v: f32) -> f32 {
  var r = v;${lower ? '\n  r = select(r, k(0u), r < k(0u));' : ''}${upper ? '\n  r = select(r, k(1u), r > k(1u));' : ''}
  return select(r, v, isnan_(v));
}`;
      return pointwise(rt, `clamp${lower ? ' min' : ''}${upper ? ' max' : ''}`, [x], out, 'f(x0v)', [min, max], f);
    },

    /** out = op(x) with its parameter (leakyRelu's slope, elu's alpha), NaN kept. */
    activation(op: ActivationOp, x: GpuView, param: number, out: GpuStorage): boolean {
      const expr = ACTIVATIONS[op];
      if (expr === undefined || !isFloat(x.storage.dtype, out.dtype)) return false;
      const f = `fn f(v: f32) -> f32 { return select(${expr}, v, isnan_(v)); }`;
      return pointwise(rt, op, [x], out, 'f(x0v)', [param], f);
    },

    /** out = x + value·a·b, or with `divide` x + value·a/b, rounded in that order. */
    addcmul(x: GpuView, a: GpuView, b: GpuView, value: number, divide: boolean, out: GpuStorage): boolean {
      if (!isFloat(x.storage.dtype, a.storage.dtype, b.storage.dtype, out.dtype)) return false;
      const expr = divide ? 'x0v + k(0u) * x1v / x2v' : 'fma(k(0u) * x1v, x2v, x0v)';
      return pointwise(rt, divide ? 'addcdiv' : 'addcmul', [x, a, b], out, expr, [value]);
    },

    /** One Adam/AdamW step in place (Note [Fused rounding]; native/src/kernels/fused.cc adam_run). */
    adamStep(param: GpuStorage, grad: GpuStorage, expAvg: GpuStorage, expAvgSq: GpuStorage, maxExpAvgSq: GpuStorage | null, c: AdamConstants): boolean {
      const ams = maxExpAvgSq !== null, l2 = c.weightDecay !== 0;
      const storages = [param, grad, expAvg, expAvgSq, ...(ams ? [maxExpAvgSq] : [])];
      return update(rt, `adam${ams ? ' amsgrad' : ''}${l2 ? ' l2' : ''}`, storages, [true, false, true, true, true], adamBody(ams, l2),
        [c.maximize ? -1 : 1, c.decay, c.weightDecay, c.beta1, 1 - c.beta1, c.beta2, 1 - c.beta2, -c.stepSize, c.biasCorrection2Sqrt, c.eps]);
    },

    /** One SGD-with-momentum step in place (native/src/kernels/fused.cc sgd_run). */
    sgdStep(param: GpuStorage, grad: GpuStorage, momentumBuffer: GpuStorage, c: SGDConstants): boolean {
      const l2 = c.weightDecay !== 0;
      return update(rt, `sgd${c.first ? ' first' : ''}${c.nesterov ? ' nesterov' : ''}${l2 ? ' l2' : ''}`, [param, grad, momentumBuffer], [true, false, true], sgdBody(c),
        [c.maximize ? -1 : 1, c.weightDecay, c.momentum, 1 - c.dampening, -c.lr]);
    },
  };
}
