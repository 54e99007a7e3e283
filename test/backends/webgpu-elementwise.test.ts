// test/backends/webgpu-elementwise.test.ts — the webgpu backend's pointwise kernels against the JS reference on
// the same inputs: every op and dtype, contiguous, transposed and broadcast views, NaN and infinities.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { DataArray, DType } from '../../src/core/dtype.js';
import { arrayType } from '../../src/core/dtype.js';
import type { BinaryOp, UnaryOp } from '../../src/backends/backend.js';
import { jsBackend } from '../../src/backends/js/index.js';
import { gpu, skip } from './webgpu-device.js';
import type { GpuStorage } from '../../src/backends/webgpu/storage.js';
import { assertClose } from '../helpers.js';
import { makeRandom } from '../opinfo/values.js';

const device = gpu;

after(() => {
  if (skip === false) assert.deepEqual(gpu().runtime.errors, [], 'WebGPU validation errors');
});

const rand = makeRandom(3);
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0.5, 0.5, 2.5, -3];

/** Values of `dtype` for `n` elements, with NaN, infinities and half-way cases among the floats. */
function values(dtype: DType, n: number, positive = false): DataArray {
  const out = new (arrayType(dtype))(n);
  for (let i = 0; i < n; i++) {
    const r = rand() * 8 - 4;
    if (dtype === 'float32') out[i] = i < SPECIAL.length && !positive ? SPECIAL[i] : positive ? Math.abs(r) + 0.1 : r;
    else if (dtype === 'bool') out[i] = r > 0 ? 1 : 0;
    else if (dtype === 'uint8') out[i] = Math.floor(Math.abs(r) * 60) + (positive ? 1 : 0);
    else out[i] = positive ? Math.trunc(Math.abs(r) * 3) + 1 : Math.trunc(r * 3);
  }
  return out;
}

type Layout = 'contiguous' | 'transposed' | 'broadcast';
const contiguous = (shape: readonly number[]): number[] => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));

/** The same input as a JS view and a GPU view of shape [rows, cols] in a layout. */
function input(dtype: DType, rows: number, cols: number, layout: Layout, positive = false) {
  const shape = [rows, cols];
  const n = layout === 'broadcast' ? cols : rows * cols;
  const data = values(dtype, n, positive);
  const strides = layout === 'contiguous' ? contiguous(shape) : layout === 'transposed' ? [1, rows] : [0, 1];
  const js = { storage: jsBackend.fromArray(dtype, data.slice()), shape, strides, offset: 0 };
  const wg = { storage: device().fromArray(dtype, data), shape, strides, offset: 0 };
  return { js, wg };
}

// WGSL promises little for transcendental functions (sin within 2^-11 absolute on [-π, π], exp within
// 3 + 2|x| ulp), and SwiftShader takes those liberties; the rest is exact up to float32 rounding.
const LOOSE = /^(exp|log|sin|cos|tanh|sigmoid|erf|log1p|expm1|pow|atan2|rsqrt)\b/;

async function compare(dtype: DType, js: DataArray, wg: GpuStorage, what: string): Promise<void> {
  const got = await device().readAsync(wg);
  if (dtype === 'float32') assertClose(got, js, LOOSE.test(what) ? { atol: 1e-5, rtol: 2e-4, what } : { atol: 1e-6, rtol: 1e-6, what });
  else assert.deepEqual(Array.from(got, (v) => v + 0), Array.from(js, (v) => v + 0), what); // -0 is 0 as an integer
}

const FLOAT_UNARY: UnaryOp[] = [
  'neg', 'exp', 'log', 'sqrt', 'rsqrt', 'abs', 'sign', 'sigmoid', 'tanh', 'relu', 'sin', 'cos', 'log1p', 'expm1',
  'floor', 'ceil', 'round', 'trunc', 'reciprocal', 'erf', 'logicalNot', 'isnan',
];
const INT_UNARY: UnaryOp[] = ['neg', 'abs', 'sign', 'relu', 'logicalNot', 'isnan'];
const ARITH: BinaryOp[] = ['add', 'sub', 'mul', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor'];
const LAYOUTS: Layout[] = ['contiguous', 'transposed', 'broadcast'];

describe('webgpu pointwise kernels equal the JS reference', { skip }, () => {
  for (const [dtype, ops] of [['float32', FLOAT_UNARY], ['int32', INT_UNARY], ['int64', INT_UNARY]] as const) {
    test(`unary ops on ${dtype}`, async () => {
      for (const op of ops) {
        for (const layout of LAYOUTS) {
          const positive = op === 'log' || op === 'sqrt' || op === 'rsqrt';
          const { js, wg } = input(dtype, 3, 17, layout, positive);
          const outDtype = op === 'logicalNot' || op === 'isnan' ? 'bool' : dtype;
          const jo = jsBackend.alloc(outDtype, 51), wo = device().alloc(outDtype, 51);
          jsBackend.unary(op, js, jo);
          device().unary(op, wg, wo);
          await compare(outDtype, jo.data, wo, `${op} ${dtype} ${layout}`);
        }
      }
    });
  }

  for (const dtype of ['float32', 'int32', 'int64', 'uint8', 'bool'] as const) {
    test(`binary ops on ${dtype}, with broadcast and transposed operands`, async () => {
      const ops: BinaryOp[] = dtype === 'float32'
        ? [...ARITH, 'div', 'pow', 'atan2', 'floorDivide', 'remainder', 'thresholdBackward']
        // Arithmetic on bools is refused or promoted by the ops; the JS kernels would even store 2 in a bool.
        : dtype === 'bool' ? ARITH.filter((o) => !['add', 'sub', 'mul'].includes(o)) : [...ARITH, 'floorDivide', 'remainder'];
      for (const op of ops) {
        for (const [la, lb] of [['contiguous', 'broadcast'], ['transposed', 'contiguous'], ['broadcast', 'transposed']] as const) {
          const a = input(dtype, 5, 33, la), b = input(dtype, 5, 33, lb, op === 'floorDivide' || op === 'remainder');
          const out = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logicalAnd', 'logicalOr', 'logicalXor'].includes(op) ? 'bool' : dtype;
          const jo = jsBackend.alloc(out, 165), wo = device().alloc(out, 165);
          jsBackend.binary(op, a.js, b.js, jo);
          device().binary(op, a.wg, b.wg, wo);
          await compare(out, jo.data, wo, `${op} ${dtype} ${la}/${lb}`);
        }
      }
    });
  }

  test('where, copies between every pair of dtypes, and fills through strided views', async () => {
    const c = input('bool', 4, 65, 'transposed'), a = input('float32', 4, 65, 'broadcast'), b = input('float32', 4, 65, 'contiguous');
    const jo = jsBackend.alloc('float32', 260), wo = device().alloc('float32', 260);
    jsBackend.where(c.js, a.js, b.js, jo);
    device().where(c.wg, a.wg, b.wg, wo);
    await compare('float32', jo.data, wo, 'where');
    const dtypes: DType[] = ['float32', 'int32', 'int64', 'uint8', 'bool'];
    for (const from of dtypes) {
      for (const to of dtypes) {
        const x = input(from, 3, 17, 'transposed');
        const js = { storage: jsBackend.alloc(to, 51), shape: [3, 17], strides: [17, 1], offset: 0 };
        const wg = { storage: device().alloc(to, 51), shape: [3, 17], strides: [17, 1], offset: 0 };
        // NaN and infinities have no integer value; PyTorch leaves their cast undefined.
        if (from === 'float32' && to !== 'float32' && to !== 'bool') {
          for (const v of [x.js, x.wg]) v.offset = 0;
          const finite = values('float32', 51).map((v) => (Number.isFinite(v) ? v : 1));
          x.js.storage = jsBackend.fromArray('float32', finite.slice());
          x.wg.storage = device().fromArray('float32', finite);
        }
        jsBackend.copy(x.js, js);
        device().copy(x.wg, wg);
        await compare(to, js.storage.data, wg.storage, `copy ${from} -> ${to}`);
      }
    }
    const jf = jsBackend.alloc('int64', 12), wf = device().alloc('int64', 12);
    jsBackend.fill({ storage: jf, shape: [3, 2], strides: [4, 2], offset: 1 }, -7);
    device().fill({ storage: wf, shape: [3, 2], strides: [4, 2], offset: 1 }, -7);
    await compare('int64', jf.data, wf, 'strided fill');
  });

  test('an op whose output is its input computes in place', async () => {
    const x = input('float32', 2, 9, 'contiguous');
    const jo = jsBackend.alloc('float32', 18);
    jsBackend.unary('exp', x.js, jo);
    device().unary('exp', x.wg, x.wg.storage);
    await compare('float32', jo.data, x.wg.storage, 'exp in place');
  });
});
