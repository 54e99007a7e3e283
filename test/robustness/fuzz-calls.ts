// test/robustness/fuzz-calls.ts — the fuzzer's catalogue: public API calls with random, often invalid, arguments.
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';
import type { DType, Index, Tensor } from 'kindling';
import { allOpInfos } from '../opinfo/index.js';
import type { InputSpec } from '../opinfo/types.js';
import type { Gen } from './fuzz-gen.js';

/**
 * One kind of call: `make` draws the arguments (factories may already throw there) and returns the
 * call itself, so that the report can name the arguments before anything runs.
 */
export interface FuzzCall {
  readonly name: string;
  readonly make: (g: Gen) => () => unknown;
}

const call = (name: string, make: (g: Gen) => () => unknown): FuzzCall => ({ name, make });
type Method = (this: Tensor, ...args: unknown[]) => unknown;
/** Calls a Tensor method by name with untyped arguments, as untyped JavaScript callers can. */
const invoke = (x: Tensor, method: string, ...args: unknown[]): unknown => (x as unknown as Record<string, Method>)[method].call(x, ...args);

/** An op-database entry's sample with its inputs' shapes, dtypes, ranges and layouts perturbed. */
function opInfoCall(info: (typeof allOpInfos)[number]): FuzzCall {
  return call(`opinfo ${info.name}`, (g) => {
    const sample = g.rng.pick(info.samples);
    const floatDtype = g.rng.chance(0.85) ? g.rng.pick<DType>(info.dtypes ?? ['float32', 'float64']) : g.dtype(0);
    const inputs = sample.inputs.map((spec, i) => perturbed(g, spec, floatDtype, `in${i}`));
    return () => info.call(...inputs);
  });
}

function perturbed(g: Gen, spec: InputSpec, floatDtype: DType, what: string): Tensor {
  const shape = [...spec.shape];
  if (g.rng.chance(0.3)) {
    const r = g.rng.next();
    if (r < 0.6 && shape.length > 0) shape[g.rng.int(0, shape.length - 1)] = g.size(0.3);
    else if (r < 0.8 && shape.length > 0) shape.pop();
    else shape.push(g.size());
  }
  if (spec.kind === 'int64') {
    const [lo, hi] = spec.range ?? [0, 2];
    return g.rng.chance(0.25) ? g.indices(shape, -9, hi + 9, what) : g.indices(shape, lo, hi - 1, what);
  }
  if (spec.kind === 'bool') return g.tensor(shape, g.rng.chance(0.85) ? 'bool' : g.dtype(), what);
  return g.tensor(shape, floatDtype, what);
}

/** The result's elements read back (and sometimes printed), so that lazily wrong layouts surface. */
export function consume(result: unknown): Tensor[] {
  const found: Tensor[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof torch.Tensor) found.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null && !(v instanceof nn.Module)) Object.values(v).forEach(walk);
  };
  walk(result);
  return found;
}

const opInfoCalls = allOpInfos.map(opInfoCall);

const factories: FuzzCall[] = [
  ...(['zeros', 'ones', 'empty', 'rand', 'randn'] as const).map((op) =>
    call(op, (g) => {
      const shape = g.note('size', g.shape(4, 0.2)), dtype = g.note('dtype', g.dtype(0.6));
      return () => torch[op](shape, { dtype });
    })),
  call('full', (g) => {
    const shape = g.note('size', g.shape(4, 0.2)), value = g.note('value', g.rng.pick([0, 1.5, -2, NaN, true])), dtype = g.note('dtype', g.dtype(0.5));
    return () => torch.full(shape, value, { dtype });
  }),
  call('randint', (g) => {
    const lo = g.note('low', g.rng.int(-5, 5)), hi = g.note('high', g.rng.int(-5, 10)), shape = g.note('size', g.shape(3, 0.2)), dtype = g.note('dtype', g.dtype(0.2));
    return () => torch.randint(lo, hi, shape, { dtype });
  }),
  call('arange', (g) => {
    const start = g.note('start', g.rng.pick([0, 1, -3, 2.5])), end = g.note('end', g.rng.pick([0, 5, 10, -2, 1e12, Infinity, NaN]));
    const step = g.note('step', g.rng.pick([1, 2, 0.5, -1, 0]));
    return () => torch.arange(start, end, step);
  }),
  call('linspace', (g) => {
    const steps = g.note('steps', g.count(6));
    return () => torch.linspace(-1, 1, steps);
  }),
  call('eye', (g) => {
    const n = g.note('n', g.size(0.2)), m = g.note('m', g.size(0.2));
    return () => torch.eye(n, m);
  }),
  call('randperm', (g) => {
    const n = g.note('n', g.count(8));
    return () => torch.randperm(n);
  }),
  call('tensor', (g) => {
    const data = g.note('data', g.rng.pick<Parameters<typeof torch.tensor>[0]>([[1, 2], [[1, 2], [3]], [[true, false]], [], [[[]]], 3, [NaN, Infinity]]));
    return () => torch.tensor(data);
  }),
];

const views: FuzzCall[] = [
  call('view', (g) => { const x = g.tensor(), s = g.note('shape', g.shape(3, 0.15)); if (g.rng.chance(0.3) && s.length > 0) s[0] = -1; return () => x.view(s); }),
  call('reshape', (g) => { const x = g.tensor(), s = g.note('shape', g.shape(3, 0.15)); if (g.rng.chance(0.3) && s.length > 0) s[0] = -1; return () => x.reshape(s); }),
  call('permute', (g) => {
    const x = g.tensor(), dims = g.note('dims', x.dims.map((_, i) => i).sort(() => g.rng.next() - 0.5).map((d) => (g.rng.chance(0.1) ? g.dim(x.dim()) : d)));
    return () => x.permute(dims);
  }),
  call('transpose', (g) => { const x = g.tensor(), a = g.note('dim0', g.dim(x.dim())), b = g.note('dim1', g.dim(x.dim())); return () => x.transpose(a, b); }),
  call('expand', (g) => {
    const x = g.tensor(), s = g.note('sizes', [...(g.rng.chance(0.3) ? [g.size()] : []), ...x.dims.map((n) => (n === 1 ? g.size(0) : g.rng.chance(0.1) ? g.size(0) : g.rng.chance(0.1) ? -1 : n))]);
    return () => x.expand(s);
  }),
  call('unsqueeze', (g) => { const x = g.tensor(), d = g.note('dim', g.dim(x.dim() + 1)); return () => x.unsqueeze(d); }),
  call('squeeze', (g) => { const x = g.tensor(), d = g.note('dim', g.dim(x.dim())); return () => x.squeeze(d); }),
  call('flatten', (g) => { const x = g.tensor(), a = g.note('start', g.dim(x.dim())), b = g.note('end', g.dim(x.dim())); return () => x.flatten(a, b); }),
  call('narrow', (g) => {
    const x = g.tensor(), d = g.note('dim', g.dim(x.dim())), s = g.note('start', g.count(4) - 1), n = g.note('length', g.count(4));
    return () => x.narrow(d, s, n);
  }),
  call('select', (g) => { const x = g.tensor(), d = g.note('dim', g.dim(x.dim())), i = g.note('index', g.count(5) - 2); return () => x.select(d, i); }),
  call('get', (g) => { const x = g.tensor(), idx = g.note('indices', indices(g, x)); return () => x.get(...idx); }),
  call('set', (g) => {
    const x = g.tensor(), idx = g.note('indices', indices(g, x));
    const value = g.rng.chance(0.5) ? g.note('value', g.rng.pick([0, 1.5, NaN])) : g.tensor(g.shape(2), g.dtype(), 'value');
    return () => { x.set(...idx, value); };
  }),
  call('contiguous', (g) => { const x = g.tensor(); return () => x.contiguous().clone(); }),
  call('to', (g) => { const x = g.tensor(), d = g.note('dtype', g.dtype(0.3)); return () => x.to(d); }),
  call('split', (g) => { const x = g.tensor(), s = g.note('size', g.rng.chance(0.5) ? g.count(3) : [g.count(2), g.count(2)]), d = g.note('dim', g.dim(x.dim())); return () => x.split(s, d); }),
  call('chunk', (g) => { const x = g.tensor(), c = g.note('chunks', g.count(3)), d = g.note('dim', g.dim(x.dim())); return () => x.chunk(c, d); }),
  call('unbind', (g) => { const x = g.tensor(), d = g.note('dim', g.dim(x.dim())); return () => x.unbind(d); }),
  call('cat', (g) => { const xs = [g.tensor(), g.tensor()], d = g.note('dim', g.dim(xs[0].dim())); return () => torch.cat(xs, d); }),
  call('stack', (g) => { const s = g.shape(3), xs = [g.tensor(s), g.tensor(g.rng.chance(0.8) ? s : g.shape(3))], d = g.note('dim', g.dim(s.length + 1)); return () => torch.stack(xs, d); }),
];

function indices(g: Gen, x: Tensor): Index[] {
  const n = g.rng.int(0, x.dim() + 1);
  return Array.from({ length: n }, (): Index => {
    const r = g.rng.next();
    if (r < 0.3) return g.count(5) - 2;
    if (r < 0.5) return [g.count(4) - 1, g.count(5) - 1, g.rng.chance(0.8) ? 1 : g.count(3)];
    if (r < 0.6) return null;
    if (r < 0.7) return g.rng.pick(['...', 'newaxis'] as const);
    if (r < 0.85) return g.indices([g.size()], -4, 4);
    return g.tensor(g.shape(2), 'bool', 'mask');
  });
}

const reductions: FuzzCall[] = [
  ...['sum', 'mean', 'prod', 'amax', 'amin', 'logsumexp', 'var', 'std', 'all', 'any'].map((op) =>
    call(op, (g) => {
      const x = g.tensor(), dim = g.note('dim', g.rng.chance(0.2) ? [g.dim(x.dim()), g.dim(x.dim())] : g.dim(x.dim()));
      const keep = g.note('keepdim', g.rng.chance(0.5));
      return () => invoke(x, op, op === 'all' || op === 'any' ? (Array.isArray(dim) ? dim[0] : dim) : dim, keep);
    })),
  ...['max', 'min', 'median', 'argmax', 'argmin', 'softmax', 'logSoftmax'].map((op) =>
    call(op, (g) => {
      const x = g.tensor(), dim = g.note('dim', g.dim(x.dim()));
      return g.rng.chance(0.2) ? () => invoke(x, op) : () => invoke(x, op, dim, g.rng.chance(0.5));
    })),
  call('sum.dtype', (g) => { const x = g.tensor(), d = g.note('dtype', g.dtype(0.3)); return () => x.sum({ dtype: d }); }),
];

const linalg: FuzzCall[] = [
  ...['mm', 'bmm', 'matmul', 'mv', 'dot', 'outer'].map((op) =>
    call(op, (g) => {
      const k = g.size(), a = g.tensor([g.size(), g.size(), k].slice(g.rng.int(0, 2))), b = g.tensor([g.size(), g.rng.chance(0.8) ? k : g.size(), g.size()].slice(g.rng.int(0, 2)));
      return () => invoke(a, op, b);
    })),
  call('addmm', (g) => { const a = g.tensor(g.shape(2)), b = g.tensor([g.size(), g.size()]), c = g.tensor([g.size(), g.size()]); return () => a.addmm(b, c, { beta: g.note('beta', g.rng.pick([0, 1, 0.5])) }); }),
];

const elementwise: FuzzCall[] = [
  ...['add', 'sub', 'mul', 'div', 'pow', 'remainder', 'floorDivide', 'maximum', 'atan2', 'eq', 'lt', 'logicalAnd'].map((op) =>
    call(op, (g) => {
      const a = g.tensor(), b = g.rng.chance(0.3) ? g.note('other', g.rng.pick([0, 2, -1.5, NaN, true])) : g.tensor(g.rng.chance(0.6) ? a.dims : g.shape(), g.dtype(), 'other');
      return () => invoke(a, op, b);
    })),
  call('clamp', (g) => { const x = g.tensor(), lo = g.note('min', g.rng.pick([null, 0, -1, NaN])), hi = g.note('max', g.rng.pick([null, 1, -2])); return () => x.clamp(lo, hi); }),
  call('where', (g) => { const c = g.tensor(g.shape(2), g.rng.chance(0.8) ? 'bool' : g.dtype(), 'cond'), a = g.tensor(g.shape(2)), b = g.tensor(g.shape(2)); return () => torch.where(c, a, b); }),
  call('maskedFill', (g) => { const x = g.tensor(), m = g.tensor(g.rng.chance(0.7) ? x.dims : g.shape(), g.rng.chance(0.8) ? 'bool' : g.dtype(), 'mask'); return () => x.maskedFill(m, g.note('value', g.rng.pick([0, -Infinity, 2.5]))); }),
];

const inPlace: FuzzCall[] = [
  ...['add_', 'sub_', 'mul_', 'div_', 'pow_', 'copy_', 'maskedFill_'].map((op) =>
    call(op, (g) => {
      const x = g.tensor(), y = g.rng.chance(0.3) && op !== 'copy_' ? g.note('other', g.rng.pick([0, 2, -1.5])) : g.tensor(g.rng.chance(0.6) ? x.dims : g.shape(), g.dtype(), 'other');
      return op === 'maskedFill_' ? () => x.maskedFill_(g.tensor(x.dims, 'bool', 'mask'), 0) : () => invoke(x, op, y);
    })),
  ...['relu_', 'neg_', 'exp_', 'sqrt_', 'sigmoid_', 'zero_', 'uniform_', 'normal_', 'bernoulli_', 'exponential_'].map((op) =>
    call(op, (g) => { const x = g.tensor(); return () => invoke(x, op); })),
  ...(['addcmul_', 'addcdiv_'] as const).map((op) =>
    call(op, (g) => {
      const x = g.tensor(), a = g.tensor(g.rng.chance(0.7) ? x.dims : g.shape(), g.dtype(0.8), 'tensor1'), b = g.tensor(g.rng.chance(0.7) ? x.dims : g.shape(), g.dtype(0.8), 'tensor2');
      return () => x[op](a, b, { value: g.note('value', g.rng.pick([1, 0.5, -2])) });
    })),
  call('clamp_', (g) => { const x = g.tensor(); return () => x.clamp_(g.note('min', g.rng.pick([null, 0])), g.note('max', g.rng.pick([null, 1, -1]))); }),
  call('fill_', (g) => { const x = g.tensor(); return () => x.fill_(g.note('value', g.rng.pick([0, 1.5, NaN, true]))); }),
  call('scatterAdd_', (g) => {
    const x = g.tensor(g.shape(3)), d = g.note('dim', g.dim(x.dim())), idx = g.indices(g.shape(3), -2, 5), src = g.tensor(idx.dims, x.dtype, 'src');
    return () => x.scatterAdd_(d, idx, src);
  }),
  call('indexAdd_', (g) => {
    const x = g.tensor(g.shape(3)), d = g.note('dim', g.dim(x.dim())), idx = g.indices([g.size()], -2, 5), src = g.tensor(g.shape(3), x.dtype, 'source');
    return () => x.indexAdd_(d, idx, src);
  }),
];

const nnCalls: FuzzCall[] = [
  call('F.conv2d', (g) => {
    const c = g.size(), x = g.tensor([g.size(), c, g.size(0.1) + 2, g.size(0.1) + 2].slice(g.rng.int(0, 1))), w = g.tensor([g.size(), g.rng.chance(0.8) ? c : g.size(), g.count(3), g.count(3)], x.dtype, 'weight');
    const options = g.note('options', { stride: g.count(2), padding: g.count(2), dilation: g.count(2), groups: g.rng.chance(0.8) ? 1 : g.count(3) });
    return () => F.conv2d(x, w, null, options);
  }),
  call('F.conv1d', (g) => {
    const c = g.size(), x = g.tensor([g.size(), c, g.size() + 3]), w = g.tensor([g.size(), c, g.count(3)], x.dtype, 'weight');
    return () => F.conv1d(x, w, null, g.note('options', { stride: g.count(2), padding: g.count(2) }));
  }),
  call('F.convTranspose2d', (g) => {
    const c = g.size(), x = g.tensor([g.size(), c, g.size() + 1, g.size() + 1]), w = g.tensor([c, g.size(), g.count(3), g.count(3)], x.dtype, 'weight');
    return () => F.convTranspose2d(x, w, null, g.note('options', { stride: g.count(2), padding: g.count(2), outputPadding: g.count(1) }));
  }),
  call('F.maxPool2d', (g) => {
    const x = g.tensor([g.size(), g.size(), g.size() + 2, g.size() + 2].slice(g.rng.int(0, 1)));
    const k = g.note('kernel', g.count(3)), options = g.note('options', { stride: g.count(2), padding: g.count(2), dilation: g.rng.chance(0.8) ? 1 : g.count(2), ceilMode: g.rng.chance(0.3) });
    return () => F.maxPool2d(x, k, options);
  }),
  call('F.avgPool2d', (g) => {
    const x = g.tensor([g.size(), g.size(), g.size() + 2, g.size() + 2]);
    return () => F.avgPool2d(x, g.note('kernel', g.count(3)), g.note('options', { stride: g.count(2), padding: g.count(2), ceilMode: g.rng.chance(0.3) }));
  }),
  call('F.adaptiveAvgPool2d', (g) => { const x = g.tensor([g.size(), g.size(), g.size() + 1, g.size() + 1]); return () => F.adaptiveAvgPool2d(x, g.note('size', g.count(3))); }),
  call('F.linear', (g) => { const x = g.tensor(g.shape(3)), w = g.tensor(g.shape(2), x.dtype, 'weight'), b = g.rng.chance(0.5) ? g.tensor(g.shape(1), x.dtype, 'bias') : null; return () => F.linear(x, w, b); }),
  call('F.crossEntropy', (g) => {
    const n = g.size(), c = g.size(), x = g.tensor([n, c, ...g.shape(2)].slice(0, g.rng.int(1, 4)));
    const t = g.rng.chance(0.8) ? g.indices(g.rng.chance(0.8) ? [n] : g.shape(3), g.rng.chance(0.8) ? 0 : -3, g.rng.chance(0.8) ? Math.max(c - 1, 0) : c + 3, 'target') : g.tensor(x.dims, x.dtype, 'target');
    const options = g.note('options', { reduction: g.rng.pick(['mean', 'sum', 'none', 'bogus']), labelSmoothing: g.rng.pick([0, 0.1, 2]), ignoreIndex: g.rng.pick([-100, 0]) });
    return () => F.crossEntropy(x, t, options as F.CrossEntropyOptions);
  }),
  call('F.nllLoss', (g) => {
    const n = g.size(), c = g.size(), x = g.tensor([n, c]), t = g.indices([g.rng.chance(0.8) ? n : g.size()], -3, c + 2, 'target');
    const w = g.rng.chance(0.3) ? g.tensor([g.rng.chance(0.8) ? c : g.size()], x.dtype, 'weight') : null;
    return () => F.nllLoss(x, t, { weight: w });
  }),
  ...(['mseLoss', 'l1Loss', 'smoothL1Loss', 'huberLoss', 'klDiv', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits'] as const).map((op) =>
    call(`F.${op}`, (g) => {
      const x = g.tensor(), t = g.tensor(g.rng.chance(0.7) ? x.dims : g.shape(), g.dtype(0.8), 'target');
      return () => (F[op] as (a: Tensor, b: Tensor, o: object) => Tensor)(x, t, { reduction: g.note('reduction', g.rng.pick(['mean', 'sum', 'none'])) });
    })),
  call('F.embedding', (g) => { const w = g.tensor([g.size(), g.size()], g.dtype(0.9), 'weight'), idx = g.indices(g.shape(2), -2, 6); return () => F.embedding(idx, w); }),
  call('F.batchNorm', (g) => {
    const c = g.size(), x = g.tensor([g.size(), c, ...g.shape(2)]), m = g.tensor([g.rng.chance(0.8) ? c : g.size()], x.dtype, 'runningMean'), v = g.tensor([c], x.dtype, 'runningVar');
    return () => F.batchNorm(x, m.detach(), v.detach().abs(), null, null, g.note('training', g.rng.chance(0.5)));
  }),
  call('F.layerNorm', (g) => { const x = g.tensor(), s = g.note('normalizedShape', x.dims.slice(g.rng.int(0, x.dim())).map((n) => (g.rng.chance(0.1) ? g.size() : n))); return () => F.layerNorm(x, s); }),
  call('F.groupNorm', (g) => { const x = g.tensor([g.size(), g.size(), g.size()]); return () => F.groupNorm(x, g.note('groups', g.count(3))); }),
  call('F.dropout', (g) => { const x = g.tensor(); return () => F.dropout(x, g.note('p', g.rng.pick([0, 0.5, 1, 1.5, -0.1])), true, { inplace: g.rng.chance(0.3) }); }),
  call('F.dropout2d', (g) => { const x = g.tensor(); return () => F.dropout2d(x, 0.5); }),
  ...(['relu', 'leakyRelu', 'elu', 'silu', 'hardtanh'] as const).map((op) =>
    call(`F.${op}`, (g) => { const x = g.tensor(); return () => (F[op] as (a: Tensor, o: object) => Tensor)(x, { inplace: g.note('inplace', g.rng.chance(0.4)) }); })),
  ...(['gelu', 'softplus', 'sigmoid', 'tanh'] as const).map((op) => call(`F.${op}`, (g) => { const x = g.tensor(); return () => F[op](x); })),
];

const modules: FuzzCall[] = [
  call('nn.Linear', (g) => {
    const i = g.note('in', g.size()), o = g.note('out', g.size());
    return () => { const m = new nn.Linear(i, o); return m.forward(torch.randn(g.size(), g.rng.chance(0.8) ? i : g.size())); };
  }),
  call('nn.Conv2d', (g) => {
    const i = g.note('in', g.size()), o = g.note('out', g.size()), k = g.note('kernel', g.count(3));
    return () => new nn.Conv2d(i, o, k).forward(torch.randn(1, i, 4, 4));
  }),
  call('nn.Embedding', (g) => { const n = g.note('num', g.size()), d = g.note('dim', g.size()); return () => new nn.Embedding(n, d).forward(torch.tensor([0], { dtype: 'int64' })); }),
  call('nn.BatchNorm2d', (g) => { const c = g.note('features', g.size()); return () => new nn.BatchNorm2d(c).forward(torch.randn(2, c, 2, 2)); }),
  call('nn.LayerNorm', (g) => { const s = g.note('shape', g.shape(2)); return () => new nn.LayerNorm(s); }),
  call('nn.MaxPool2d', (g) => { const k = g.note('kernel', g.count(3)); return () => new nn.MaxPool2d(k).forward(torch.randn(1, 1, 4, 4)); }),
  call('nn.Sequential.stateDict', (g) => {
    const m = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()), bad = g.note('shape', g.shape(2));
    return () => m.loadStateDict({ '0.weight': torch.zeros(bad), '0.bias': torch.zeros(3) });
  }),
];

const autogradCalls: FuzzCall[] = [
  call('backward', (g) => {
    const x = g.tensor(), gradient = g.rng.chance(0.3) ? g.tensor(g.shape(2), g.dtype(0.9), 'gradient') : undefined;
    return () => { const y = x.mul(2); y.backward(gradient); };
  }),
  call('backward.twice', (g) => { const x = g.tensor(g.shape(2), 'float32'); return () => { const y = x.exp().sum(); y.backward(); y.backward(); }; }),
  call('autograd.grad', (g) => {
    const x = g.tensor(g.shape(2), 'float64'), y = x.mul(x).sum();
    return () => torch.autograd.grad([y], [g.rng.chance(0.8) ? x : g.tensor(g.shape(2), 'float64', 'other')]);
  }),
  call('requiresGrad_', (g) => { const x = g.tensor(g.shape(2), g.dtype(0.4)); return () => x.detach().requiresGrad_(true); }),
];

const optimCalls: FuzzCall[] = [
  ...(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad'] as const).map((name) =>
    call(`optim.${name}`, (g) => {
      const p = new nn.Linear(3, 2).parameters(), lr = g.note('lr', g.rng.pick([0.1, 0, -1, NaN])), wd = g.note('weightDecay', g.rng.pick([0, 0.01, -1]));
      return () => {
        const opt = new optim[name](p, { lr, weightDecay: wd });
        for (const q of p) q.grad = g.rng.chance(0.8) ? torch.randn(q.dims) : torch.randn(g.shape(2));
        opt.step();
        opt.zeroGrad();
      };
    })),
];

const ioCalls: FuzzCall[] = [
  call('safetensors.deserialize', (g) => {
    const bytes = torch.safetensors.serialize({ w: torch.randn(2, 3) });
    const cut = g.note('length', g.rng.int(0, bytes.length)), flip = g.note('flip', g.rng.int(0, bytes.length));
    const broken = bytes.slice(0, cut);
    if (flip < broken.length) broken[flip] ^= 0xff;
    return () => torch.safetensors.deserialize(broken);
  }),
  call('toString', (g) => { const x = g.tensor(); return () => String(x); }),
  call('DataLoader', (g) => {
    const ds = new torch.data.TensorDataset(torch.randn(g.size(), 2), torch.randn(g.size()));
    const bs = g.note('batchSize', g.count(3));
    return () => [...new torch.data.DataLoader(ds, { batchSize: bs, shuffle: g.rng.chance(0.5) })];
  }),
];

/** Every kind of call; the op database's entries appear once each, the parameterised calls several times. */
export const FUZZ_CALLS: readonly FuzzCall[] = [
  ...opInfoCalls,
  ...[factories, views, reductions, linalg, elementwise, inPlace, nnCalls, modules, autogradCalls, optimCalls, ioCalls].flatMap((c) => [...c, ...c]),
];
