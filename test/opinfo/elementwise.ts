// test/opinfo/elementwise.ts — entries for pointwise ops.
import * as torch from 'kindling';
import { binarySamples, unarySamples } from './samples.js';
import type { OpInfo, Sample } from './types.js';

const ALL_DTYPES = ['float32', 'float64', 'int32', 'int64'] as const;

function unary(name: string, py: string, range?: [number, number], extra: Partial<OpInfo> = {}): OpInfo {
  return {
    name,
    call: (a) => (a as unknown as Record<string, () => torch.Tensor>)[name].call(a),
    py,
    samples: unarySamples(range),
    ...extra,
  };
}

function binary(name: string, py: string, ra?: [number, number], rb?: [number, number], extra: Partial<OpInfo> = {}): OpInfo {
  return {
    name,
    call: (a, b) => (a as unknown as Record<string, (o: torch.Tensor) => torch.Tensor>)[name].call(a, b),
    py,
    samples: binarySamples(ra, rb),
    errors: [
      {
        name: 'shapes that do not broadcast',
        run: () => (torch.zeros(2, 3) as unknown as Record<string, (o: torch.Tensor) => torch.Tensor>)[name].call(torch.zeros(2, 3), torch.zeros(4)),
        match: /must match the size of tensor b \(4\) at non-singleton dimension 1/,
      },
    ],
    ...extra,
  };
}

const noGrad = { differentiable: false };
const r = (shape: number[], range: [number, number] = [-2, 2], transposed = false) => ({ shape, range, transposed });
/** addcmul/addcdiv's input, tensor1, tensor2; tensor2 away from 0 (it divides). */
const ternarySamples: Sample[] = [
  { name: 'same', inputs: [r([3, 4]), r([3, 4]), r([3, 4], [0.5, 2])] },
  { name: 'broadcast', inputs: [r([3, 1]), r([4]), r([2, 1, 1], [0.5, 2])] },
  { name: 'scalar_tensors', inputs: [r([2, 3]), r([]), r([3], [0.5, 2])] },
  { name: 'transposed', inputs: [r([3, 5], [-2, 2], true), r([3, 5]), r([3, 5], [0.5, 2], true)] },
  { name: 'empty', inputs: [r([0, 4]), r([4]), r([1, 4], [0.5, 2])] },
];
/** The in-place forms write into a tracked copy of a, so gradients reach a through the recorded op. */
const inPlaceSamples: Sample[] = ternarySamples.filter((sample) => sample.name !== 'broadcast');
const scalarSamples: Sample[] = [
  { name: 'matrix', inputs: [{ shape: [3, 4] }] },
  { name: 'transposed', inputs: [{ shape: [4, 3], transposed: true }] },
];

export const elementwiseInfos: OpInfo[] = [
  binary('add', 'torch.add(a, b)', undefined, undefined, { dtypes: [...ALL_DTYPES] }),
  binary('sub', 'torch.sub(a, b)', undefined, undefined, { dtypes: [...ALL_DTYPES] }),
  binary('mul', 'torch.mul(a, b)', undefined, undefined, { dtypes: [...ALL_DTYPES] }),
  binary('div', 'torch.div(a, b)', [-2, 2], [0.5, 2], { dtypes: [...ALL_DTYPES] }),
  binary('pow', 'torch.pow(a, b)', [0.5, 2], [-2, 2]),
  binary('maximum', 'torch.maximum(a, b)', undefined, undefined, { dtypes: [...ALL_DTYPES] }),
  binary('minimum', 'torch.minimum(a, b)', undefined, undefined, { dtypes: [...ALL_DTYPES] }),
  binary('atan2', 'torch.atan2(a, b)'),
  binary('remainder', 'torch.remainder(a, b)', [-5, 5], [1, 3], { dtypes: ['float32', 'float64', 'int64'], differentiable: false }),
  binary('floorDivide', 'torch.floor_divide(a, b)', [-5, 5], [1, 3], { dtypes: ['float32', 'int64'], ...noGrad }),
  ...(['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map((op) =>
    binary(op, `torch.${op}(a, b)`, [-2, 2], [-2, 2], { dtypes: ['float32', 'int64'], ...noGrad })),
  binary('logicalAnd', 'torch.logical_and(a, b)', [-1, 2], [-1, 2], { dtypes: ['int64'], ...noGrad }),
  binary('logicalOr', 'torch.logical_or(a, b)', [-1, 2], [-1, 2], { dtypes: ['int64'], ...noGrad }),
  unary('neg', 'torch.neg(a)', undefined, { dtypes: [...ALL_DTYPES] }),
  unary('exp', 'torch.exp(a)'),
  unary('log', 'torch.log(a)', [0.1, 3]),
  unary('sqrt', 'torch.sqrt(a)', [0.1, 3]),
  unary('rsqrt', 'torch.rsqrt(a)', [0.1, 3]),
  unary('abs', 'torch.abs(a)', undefined, { dtypes: [...ALL_DTYPES] }),
  unary('sign', 'torch.sign(a)', undefined, { dtypes: [...ALL_DTYPES] }),
  unary('sigmoid', 'torch.sigmoid(a)', [-6, 6]),
  unary('tanh', 'torch.tanh(a)'),
  unary('relu', 'torch.relu(a)', undefined, { dtypes: [...ALL_DTYPES] }),
  unary('sin', 'torch.sin(a)'),
  unary('cos', 'torch.cos(a)'),
  unary('log1p', 'torch.log1p(a)', [-0.5, 2]),
  unary('expm1', 'torch.expm1(a)'),
  unary('floor', 'torch.floor(a)', [-3, 3], noGrad),
  unary('ceil', 'torch.ceil(a)', [-3, 3], noGrad),
  unary('round', 'torch.round(a)', [-3, 3], noGrad),
  unary('trunc', 'torch.trunc(a)', [-3, 3], noGrad),
  unary('reciprocal', 'torch.reciprocal(a)', [0.5, 2]),
  unary('erf', 'torch.erf(a)', [-3, 3]),
  unary('square', 'torch.square(a)'),
  {
    name: 'add.scalar_alpha',
    call: (a) => a.add(2.5, { alpha: 2 }),
    py: 'torch.add(a, 2.5, alpha=2)',
    samples: scalarSamples,
  },
  {
    name: 'rsub.scalar',
    call: (a) => torch.sub(1, a),
    py: '1 - a',
    samples: scalarSamples,
  },
  {
    name: 'mul.int_by_float_scalar',
    call: (a) => a.mul(0.5),
    py: 'torch.mul(a, 0.5)',
    samples: [{ name: 'matrix', inputs: [{ shape: [3, 4], range: [-9, 9] }] }],
    dtypes: ['int64', 'int32', 'float32'],
  },
  {
    name: 'pow.scalar',
    call: (a) => a.pow(3),
    py: 'torch.pow(a, 3)',
    samples: scalarSamples,
  },
  {
    name: 'div.floor',
    call: (a, b) => a.div(b, { roundingMode: 'floor' }),
    py: "torch.div(a, b, rounding_mode='floor')",
    samples: binarySamples([-5, 5], [0.5, 2]),
    ...noGrad,
  },
  {
    name: 'clamp',
    call: (a) => a.clamp(-0.5, 0.7),
    py: 'torch.clamp(a, -0.5, 0.7)',
    samples: unarySamples(),
  },
  {
    name: 'clamp.min_only',
    call: (a) => a.clamp(0.1),
    py: 'torch.clamp(a, min=0.1)',
    samples: unarySamples(),
    dtypes: ['float32', 'float64', 'int64'],
  },
  {
    name: 'addcmul',
    call: (a, b, c) => torch.addcmul(a, b, c, { value: 0.5 }),
    py: 'torch.addcmul(a, b, c, value=0.5)',
    samples: ternarySamples,
    dtypes: ['float32', 'float64', 'int64'],
    errors: [{
      name: 'shapes that do not broadcast',
      run: () => torch.addcmul(torch.ones(2, 3), torch.ones(4), torch.ones(2, 3)),
      match: /addcmul: The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1/,
    }],
  },
  {
    name: 'addcdiv',
    call: (a, b, c) => a.addcdiv(b, c, { value: -2 }),
    py: 'torch.addcdiv(a, b, c, value=-2)',
    samples: ternarySamples,
    errors: [{
      name: 'integer division',
      run: () => torch.addcdiv(torch.ones(3), torch.arange(3), torch.arange(1, 4)),
      match: /addcdiv: Integer division with addcdiv is no longer supported/,
    }],
  },
  {
    name: 'addcmul_',
    call: (a, b, c) => a.mul(1).addcmul_(b, c, { value: 1.5 }),
    py: '(a * 1).addcmul_(b, c, value=1.5)',
    samples: inPlaceSamples,
  },
  {
    name: 'addcdiv_',
    call: (a, b, c) => a.mul(1).addcdiv_(b, c, { value: 0.25 }),
    py: '(a * 1).addcdiv_(b, c, value=0.25)',
    samples: inPlaceSamples,
  },
  {
    name: 'where',
    call: (c, a, b) => torch.where(c.gt(0), a, b),
    py: 'torch.where(a > 0, b, c)',
    samples: [
      { name: 'same', inputs: [{ shape: [3, 4], grad: false }, { shape: [3, 4] }, { shape: [3, 4] }] },
      { name: 'broadcast', inputs: [{ shape: [3, 1], grad: false }, { shape: [4] }, { shape: [3, 4], transposed: true }] },
    ],
  },
  {
    name: 'maskedFill',
    call: (a, m) => a.maskedFill(m.gt(0), -1.5),
    py: 'a.masked_fill(b > 0, -1.5)',
    samples: [
      { name: 'same', inputs: [{ shape: [3, 4] }, { shape: [3, 4], grad: false }] },
      { name: 'broadcast_mask', inputs: [{ shape: [3, 4] }, { shape: [4], grad: false }] },
    ],
  },
];
