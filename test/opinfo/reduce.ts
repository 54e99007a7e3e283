// test/opinfo/reduce.ts — entries for reductions (sum … median, logsumexp, all, any) and the softmax family.
import * as torch from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const ALL_DTYPES = ['float32', 'float64', 'int32', 'int64'] as const;
const one = (name: string, shape: number[], extra: Partial<InputSpec> = {}): Sample => ({ name, inputs: [{ shape, ...extra }] });

// Random floats: no exact ties, so max/min/median have one well-defined gradient.
const basic = [one('matrix', [3, 4]), one('transposed', [3, 4], { transposed: true }), one('cube', [2, 3, 4])];
const withEmpty = [...basic, one('empty', [0, 3])];
const withScalar = [...basic, one('scalar', [])];
const everything = [...withEmpty, one('scalar', [])];
// Dims of size 0 that are not reduced: reductions over dim 1 keep an empty result.
const emptyKept = [...basic, one('empty_rows', [0, 3])];
// All zeros: every element ties (PyTorch shares the gradient; gradcheck cannot check a tie).
const ties = [one('zeros', [3, 4], { range: [0, 0] })];
const ints = { dtypes: [...ALL_DTYPES] };
const floatsAndLong = { dtypes: ['float32', 'float64', 'int64'] as torch.DType[] };
const noGrad = { differentiable: false };

/** An entry: `name`, the kindling call, the PyTorch expression and samples. */
function entry(name: string, call: OpInfo['call'], py: string, samples: Sample[], extra: Partial<OpInfo> = {}): OpInfo {
  return { name, call, py, samples, ...extra };
}

const dimRange = /Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/;

const sumInfos: OpInfo[] = [
  entry('sum', (a) => a.sum(), 'a.sum()', everything, {
    ...ints,
    errors: [
      { name: 'dim out of range', run: () => torch.zeros(2, 3).sum(2), match: dimRange },
      { name: 'repeated dim', run: () => torch.zeros(2, 3).sum([1, -1]), match: /dim 1 appears multiple times in the list of dims/ },
    ],
  }),
  entry('sum.dim', (a) => a.sum(1), 'a.sum(1)', emptyKept, ints),
  entry('sum.dim_keepdim', (a) => a.sum(1, true), 'a.sum(1, keepdim=True)', emptyKept, ints),
  entry('sum.neg_dim', (a) => a.sum(-1), 'a.sum(-1)', withScalar, ints),
  entry('sum.dims', (a) => a.sum([0, -1]), 'a.sum([0, -1])', withEmpty, ints),
  entry('sum.dims_keepdim', (a) => a.sum([-1, 0], true), 'a.sum([-1, 0], keepdim=True)', withEmpty),
  entry('sum.empty_list', (a) => a.sum([]), 'a.sum([])', withScalar),
  entry('sum.dtype', (a) => a.sum({ dtype: 'float64' }), 'a.sum(dtype=torch.float64)', basic, ints),
  entry('sum.bool', (a) => a.sum(1), 'a.sum(1)', [one('mask', [3, 4], { kind: 'bool' })], { dtypes: ['float32'], ...noGrad }),
  entry('sum.function', (a) => torch.sum(a, 0, true), 'torch.sum(a, 0, keepdim=True)', basic),
];

const meanInfos: OpInfo[] = [
  entry('mean', (a) => a.mean(), 'a.mean()', everything, {
    errors: [
      {
        name: 'integer input', run: () => torch.arange(6).mean(),
        match: /^mean\(\): could not infer output dtype\. Input dtype must be either a floating point or complex dtype\. Got: Long$/,
      },
      {
        name: 'integer dtype', run: () => torch.zeros(3).mean({ dtype: 'int64' }),
        match: /Optional dtype must be either a floating point or complex dtype\. Got: Long/,
      },
      { name: 'dim out of range', run: () => torch.zeros(2, 3).mean(2), match: dimRange },
    ],
  }),
  entry('mean.dim', (a) => a.mean(1), 'a.mean(1)', emptyKept),
  entry('mean.empty_reduced', (a) => a.mean(0), 'a.mean(0)', [one('empty', [0, 3])]),
  entry('mean.dim_keepdim', (a) => a.mean(-1, true), 'a.mean(-1, keepdim=True)', withScalar),
  entry('mean.dims', (a) => a.mean([0, 2]), 'a.mean([0, 2])', [one('cube', [2, 3, 4]), one('cube_t', [2, 3, 4], { transposed: true })]),
  entry('mean.dtype', (a) => a.mean({ dtype: 'float64' }), 'a.mean(dtype=torch.float64)', basic, { dtypes: ['float32', 'int64'] }),
];

// Products stay moderate in [0.5, 1.5]; `prod.zeros` puts exact zeros (z) where the mask m is set,
// so rows with one zero and rows with several exercise prod's zero-aware gradient.
const prodRange = { range: [0.5, 1.5] as [number, number] };
const prodSamples = [one('matrix', [3, 4], prodRange), one('transposed', [3, 4], { ...prodRange, transposed: true }), one('cube', [2, 3, 4], prodRange)];
const zeroSamples: Sample[] = [{
  name: 'zeros',
  inputs: [{ shape: [4, 4], ...prodRange }, { shape: [4, 4], range: [0, 0] }, { shape: [4, 4], kind: 'bool', range: [0, 1.4] }],
}];
const prodInfos: OpInfo[] = [
  entry('prod', (a) => a.prod(), 'a.prod()', [...prodSamples, one('empty', [0, 3]), one('scalar', [], prodRange)], ints),
  entry('prod.dim', (a) => a.prod(1), 'a.prod(1)', [...prodSamples, one('empty_rows', [0, 3])], ints),
  entry('prod.dim_keepdim', (a) => a.prod(-1, true), 'a.prod(-1, keepdim=True)', prodSamples),
  entry('prod.dtype', (a) => a.prod({ dtype: 'float64' }), 'a.prod(dtype=torch.float64)', prodSamples),
  entry('prod.zeros_dim', (a, z, m) => torch.where(m, z, a).prod(1), 'torch.where(c, b, a).prod(1)', zeroSamples),
  entry('prod.zeros', (a, z, m) => torch.where(m, z, a).prod(), 'torch.where(c, b, a).prod()', zeroSamples),
];

const varianceInfos: OpInfo[] = (['var', 'std'] as const).flatMap((op): OpInfo[] => {
  const v = (x: torch.Tensor) => (op === 'var' ? x.var.bind(x) : x.std.bind(x));
  return [
    entry(op, (a) => v(a)(), `a.${op}()`, basic, {
      errors: [{ name: 'integer input', run: () => v(torch.arange(6))(), match: /std and var only support floating point and complex dtypes/ }],
    }),
    entry(`${op}.biased`, (a) => v(a)(false), `a.${op}(False)`, withScalar),
    entry(`${op}.dim`, (a) => v(a)(1), `a.${op}(1)`, basic),
    entry(`${op}.dim_unbiased_keepdim`, (a) => v(a)(-1, false, true), `a.${op}(-1, False, True)`, basic),
    entry(`${op}.unbiased_option`, (a) => v(a)(0, { unbiased: false }), `a.${op}(0, unbiased=False)`, basic),
    entry(`${op}.correction`, (a) => v(a)(null, { correction: 0 }), `a.${op}(None, correction=0)`, basic),
    entry(`${op}.correction_only`, (a) => v(a)({ correction: 0 }), `a.${op}(None, correction=0)`, basic),
    entry(`${op}.dims_correction`, (a) => v(a)([0, -1], { correction: 2, keepdim: true }), `a.${op}([0, -1], correction=2, keepdim=True)`, basic),
    entry(`${op}.empty`, (a) => v(a)(1), `a.${op}(1)`, [one('empty_rows', [0, 3]), one('empty_reduced', [3, 0])], noGrad),
    entry(`${op}.single`, (a) => v(a)(), `a.${op}()`, [one('one', [1]), one('scalar', [])], noGrad),
  ];
});

function extremeInfos(op: 'max' | 'min'): OpInfo[] {
  const f = (x: torch.Tensor) => (op === 'max' ? x.max.bind(x) : x.min.bind(x));
  return [
    entry(op, (a) => f(a)(), `a.${op}()`, withScalar, {
      ...ints,
      errors: [
        {
          name: 'empty without dim', run: () => f(torch.zeros(0, 3))(),
          match: new RegExp(`^${op}\\(\\): Expected reduction dim to be specified for input\\.numel\\(\\) == 0\\. Specify the reduction dim with the 'dim' argument\\.$`),
        },
        { name: 'empty reduced dim', run: () => f(torch.zeros(0, 3))(0), match: new RegExp(`^${op}\\(\\): Expected reduction dim 0 to have non-zero size\\.$`) },
        { name: 'dim out of range', run: () => f(torch.zeros(2, 3))(2), match: dimRange },
      ],
    }),
    entry(`${op}.ties`, (a) => f(a)(), `a.${op}()`, ties, { gradcheckMaxNumel: 0 }),
    entry(`${op}.dim`, (a) => f(a)(1).values, `a.${op}(1).values`, emptyKept, ints),
    entry(`${op}.dim_keepdim`, (a) => f(a)(1, true)[0], `a.${op}(1, keepdim=True)[0]`, basic, ints),
    entry(`${op}.neg_dim`, (a) => f(a)(-1).values, `a.${op}(-1).values`, withScalar),
    entry(`${op}.dim0`, (a) => f(a)(0).values, `a.${op}(0).values`, withScalar),
    entry(`${op}.indices`, (a) => f(a)(-1).indices, `a.${op}(-1).indices`, [...emptyKept, one('scalar', [])], { ...ints, ...noGrad }),
    entry(`${op}.indices_keepdim`, (a) => f(a)(0, true)[1], `a.${op}(0, keepdim=True)[1]`, basic, { ...floatsAndLong, ...noGrad }),
    entry(`${op}.dim_ties`, (a) => f(a)(1).values, `a.${op}(1).values`, ties, { gradcheckMaxNumel: 0 }),
    entry(`${op}.other`, (a, b) => f(a)(b), `torch.${op}(a, b)`, [{ name: 'broadcast', inputs: [{ shape: [3, 4] }, { shape: [4] }] }]),
  ];
}

function amaxInfos(op: 'amax' | 'amin'): OpInfo[] {
  const f = (x: torch.Tensor) => (op === 'amax' ? x.amax.bind(x) : x.amin.bind(x));
  return [
    entry(op, (a) => f(a)(), `a.${op}()`, withScalar, {
      ...ints,
      errors: [
        { name: 'empty without dim', run: () => f(torch.zeros(0, 3))(), match: /Expected reduction dim to be specified for input\.numel\(\) == 0/ },
        { name: 'empty reduced dim', run: () => f(torch.zeros(0, 3))([1, 0]), match: /Expected reduction dim 0 to have non-zero size/ },
        { name: 'repeated dim', run: () => f(torch.zeros(2, 3))([0, -2]), match: /dim 0 appears multiple times/ },
      ],
    }),
    entry(`${op}.dim`, (a) => f(a)(1), `a.${op}(1)`, emptyKept, ints),
    entry(`${op}.dims_keepdim`, (a) => f(a)([0, -1], true), `a.${op}([0, -1], keepdim=True)`, basic),
    entry(`${op}.neg_dim`, (a) => f(a)(-1), `a.${op}(-1)`, withScalar),
    entry(`${op}.ties`, (a) => f(a)(1), `a.${op}(1)`, ties, { gradcheckMaxNumel: 0 }),
    entry(`${op}.ties_all`, (a) => f(a)(), `a.${op}()`, ties, { gradcheckMaxNumel: 0 }),
  ];
}

function argInfos(op: 'argmax' | 'argmin'): OpInfo[] {
  const f = (x: torch.Tensor) => (op === 'argmax' ? x.argmax.bind(x) : x.argmin.bind(x));
  const arg = { ...floatsAndLong, ...noGrad };
  return [
    entry(op, (a) => f(a)(), `a.${op}()`, withScalar, {
      ...arg,
      errors: [
        { name: 'empty without dim', run: () => f(torch.zeros(0, 3))(), match: new RegExp(`^${op}\\(\\): Expected reduction dim to be specified for input\\.numel\\(\\) == 0\\.$`) },
        { name: 'empty reduced dim', run: () => f(torch.zeros(0, 3))(0), match: /Expected reduction dim 0 to have non-zero size/ },
        { name: 'bool input', run: () => f(torch.zeros(3, { dtype: 'bool' }))(), match: new RegExp(`"${op}_cpu" not implemented for 'Bool'`) },
      ],
    }),
    entry(`${op}.keepdim`, (a) => f(a)(null, true), `a.${op}(None, keepdim=True)`, withScalar, arg),
    entry(`${op}.dim`, (a) => f(a)(1), `a.${op}(1)`, emptyKept, arg),
    entry(`${op}.dim_keepdim`, (a) => f(a)(-1, true), `a.${op}(-1, keepdim=True)`, withScalar, arg),
    entry(`${op}.function`, (a) => (op === 'argmax' ? torch.argmax : torch.argmin)(a, 0), `torch.${op}(a, 0)`, basic, arg),
  ];
}

const medianInfos: OpInfo[] = [
  entry('median', (a) => a.median(), 'a.median()', [...everything, one('odd', [5])], {
    ...floatsAndLong,
    errors: [
      { name: 'bool input', run: () => torch.zeros(3, { dtype: 'bool' }).median(), match: /"median_cpu" not implemented for 'Bool'/ },
      { name: 'empty reduced dim', run: () => torch.zeros(0, 3).median(0), match: /^median\(\): Expected reduction dim 0 to have non-zero size\.$/ },
    ],
  }),
  entry('median.dim', (a) => a.median(1).values, 'a.median(1).values', [...emptyKept, one('odd', [3, 5])], floatsAndLong),
  entry('median.dim_keepdim', (a) => a.median(-1, true)[0], 'a.median(-1, keepdim=True)[0]', withScalar),
  entry('median.dim0', (a) => a.median(0).values, 'a.median(0).values', basic),
  entry('median.indices', (a) => a.median(1).indices, 'a.median(1).indices', [...emptyKept, one('odd', [3, 5])], { ...floatsAndLong, ...noGrad }),
];

const lseRange = { range: [-3, 3] as [number, number] };
const logsumexpInfos: OpInfo[] = [
  entry('logsumexp', (a) => a.logsumexp(1), 'a.logsumexp(1)', [...emptyKept, one('large', [3, 4], { range: [80, 120] })], {
    errors: [{ name: 'dim out of range', run: () => torch.zeros(2, 3).logsumexp(2), match: dimRange }],
  }),
  entry('logsumexp.keepdim', (a) => a.logsumexp(-1, true), 'a.logsumexp(-1, keepdim=True)', withScalar),
  entry('logsumexp.dims', (a) => a.logsumexp([0, 1]), 'a.logsumexp([0, 1])', basic),
  entry('logsumexp.empty_reduced', (a) => a.logsumexp(0), 'a.logsumexp(0)', [one('empty', [0, 3])]),
  entry('logsumexp.int', (a) => torch.logsumexp(a, 1), 'torch.logsumexp(a, 1)', [one('matrix', [3, 4], lseRange)], { dtypes: ['int64'], ...noGrad }),
];

function softmaxInfos(op: 'softmax' | 'logSoftmax', py: string): OpInfo[] {
  const f = (x: torch.Tensor) => (op === 'softmax' ? x.softmax.bind(x) : x.logSoftmax.bind(x));
  return [
    entry(op, (a) => f(a)(1), `a.${py}(1)`, [...emptyKept, one('large', [3, 4], { range: [500, 1000] })], {
      errors: [
        { name: 'integer input', run: () => f(torch.arange(6))(0), match: new RegExp(`"${py}_lastdim_kernel_impl" not implemented for 'Long'`) },
        { name: 'integer input, inner dim', run: () => f(torch.arange(6).reshape(2, 3))(0), match: /"softmax_kernel_impl" not implemented for 'Long'/ },
        { name: 'dim out of range', run: () => f(torch.zeros(2, 3))(2), match: dimRange },
      ],
    }),
    entry(`${op}.dim0`, (a) => f(a)(0), `a.${py}(0)`, everything),
    entry(`${op}.neg_dim`, (a) => f(a)(-1), `a.${py}(-1)`, withScalar),
    entry(`${op}.dtype`, (a) => f(a)(1, { dtype: 'float64' }), `a.${py}(1, dtype=torch.float64)`, basic, { dtypes: ['float32', 'int64'] }),
    entry(`${op}.function`, (a) => (op === 'softmax' ? torch.softmax : torch.logSoftmax)(a, -2), `torch.${py}(a, -2)`, basic),
  ];
}

const maskSamples = [one('mask', [3, 4], { kind: 'bool', range: [0, 1.8] }), one('mask_t', [4, 5], { kind: 'bool', range: [0, 1.9], transposed: true })];
function logicInfos(op: 'all' | 'any'): OpInfo[] {
  const f = (x: torch.Tensor) => (op === 'all' ? x.all.bind(x) : x.any.bind(x));
  const logic = { dtypes: ['float32'] as torch.DType[], ...noGrad };
  return [
    entry(op, (a) => f(a)(), `a.${op}()`, [...maskSamples, one('empty', [0, 3], { kind: 'bool' })], logic),
    entry(`${op}.dim`, (a) => f(a)(1), `a.${op}(1)`, [...maskSamples, one('empty_reduced', [2, 0], { kind: 'bool' })], logic),
    entry(`${op}.dim_keepdim`, (a) => f(a)(-1, true), `a.${op}(-1, keepdim=True)`, maskSamples, logic),
    // Numbers are true when nonzero; int64 samples hold zeros (values truncated from [-1, 2)).
    entry(`${op}.numbers`, (a) => f(a)(0), `a.${op}(0)`, [one('matrix', [3, 4], { range: [-1, 2] })], { ...floatsAndLong, ...noGrad }),
  ];
}

export const reduceInfos: OpInfo[] = [
  ...sumInfos,
  ...meanInfos,
  ...prodInfos,
  ...varianceInfos,
  ...extremeInfos('max'),
  ...extremeInfos('min'),
  ...amaxInfos('amax'),
  ...amaxInfos('amin'),
  ...argInfos('argmax'),
  ...argInfos('argmin'),
  ...medianInfos,
  ...logsumexpInfos,
  ...softmaxInfos('softmax', 'softmax'),
  ...softmaxInfos('logSoftmax', 'log_softmax'),
  ...logicInfos('all'),
  ...logicInfos('any'),
];
