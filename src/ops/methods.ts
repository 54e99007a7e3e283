// src/ops/methods.ts — Tensor methods (x.add(y), x.backward() …), added in one table by module
// augmentation; nothing else touches Tensor.prototype except printing's toString.
import { checkedScalar, type DType } from '../core/dtype.js';
import { ArgumentTypeError, NotImplementedError } from '../core/errors.js';
import { defaultGenerator, type Generator } from '../core/random.js';
import { backend } from '../backends/select.js';
import { backendOf, isCpuStorage } from '../tensor/device.js';
import { Tensor } from '../tensor/tensor.js';
import { normalInto, uniformInto } from '../tensor/draw.js';
import { bernoulli, drawBernoulli, drawExponentialInto, probabilities } from '../tensor/random.js';
import { backward, type BackwardArgs } from './autograd.js';
import { isRecording, toDtype } from './define.js';
import { axpyInto, checkInPlace, copyInto, fillInto, inPlace } from './in-place.js';
import * as E from './elementwise.js';
import * as I from './indexing.js';
import * as L from './linalg.js';
import * as A from './argreduce.js';
import * as R from './reduce.js';
import * as S from './softmax.js';
import type { TensorOrScalar } from './operands.js';
import * as V from './views.js';
import { type Index, get, overwrite, set } from './indexing-views.js';
import { cpu, onDeviceOf, to, type ToTarget } from './transfer.js';
import * as C from './scan-sort.js';
import * as G from './rearrange.js';
import * as N from './numeric.js';
import { multinomial, type MultinomialOptions } from './multinomial.js';
import * as D from './diagonal.js';
import * as P from './products.js';
import { indexFill, scatter, type ScatterOptions } from './scatter.js';
import { type MatrixOrd, norm, type NormOptions } from './norms.js';
import { empty, full, ones, parseShapeArgs, type ShapeArgs, tensor, type NestedData, type TensorOptions, zeros } from '../tensor/creation.js';

type Dims = [readonly number[]] | number[];
const dimsOf = (args: Dims): readonly number[] => (typeof args[0] === 'object' ? args[0] : (args as number[]));
type Alpha = { alpha?: number };
type RoundingMode = { roundingMode?: 'trunc' | 'floor' | null };

type Value = { value?: number };

function addAlpha(x: Tensor, y: TensorOrScalar, alpha: number | undefined, op: typeof E.add, into?: Tensor): Tensor {
  return op(x, alpha === undefined || alpha === 1 ? y : typeof y === 'object' ? E.mul(y, alpha) : Number(y) * alpha, into);
}

/** add_ and sub_: a tensor operand scaled by alpha goes through the backend's fused axpy when it can. */
function addAlpha_(op: 'add_' | 'sub_', x: Tensor, y: TensorOrScalar, alpha: number | undefined): Tensor {
  const f = op === 'add_' ? E.add : E.sub, scale = op === 'add_' ? alpha ?? 1 : -(alpha ?? 1);
  return inPlace(op, x, others(y), (self, into) =>
    into !== undefined && y instanceof Tensor && scale !== 1 && axpyInto(into, y, scale) ? into : addAlpha(self, y, alpha, f, into));
}

function divide(x: Tensor, y: TensorOrScalar, mode: RoundingMode['roundingMode'], into?: Tensor): Tensor {
  if (mode === 'floor') return E.floorDivide(x, y, into);
  if (mode === 'trunc') return E.trunc(E.div(x, y), into);
  return E.div(x, y, into);
}

const others = (y: TensorOrScalar): Tensor[] => (y instanceof Tensor ? [y] : []);

const methods = {
  // elementwise
  add(this: Tensor, other: TensorOrScalar, options: Alpha = {}) { return addAlpha(this, other, options.alpha, E.add); },
  sub(this: Tensor, other: TensorOrScalar, options: Alpha = {}) { return addAlpha(this, other, options.alpha, E.sub); },
  mul(this: Tensor, other: TensorOrScalar) { return E.mul(this, other); },
  div(this: Tensor, other: TensorOrScalar, options: RoundingMode = {}) { return divide(this, other, options.roundingMode); },
  pow(this: Tensor, exponent: TensorOrScalar) { return E.pow(this, exponent); },
  maximum(this: Tensor, other: Tensor) { return E.maximum(this, other); },
  minimum(this: Tensor, other: Tensor) { return E.minimum(this, other); },
  remainder(this: Tensor, other: TensorOrScalar) { return E.remainder(this, other); },
  floorDivide(this: Tensor, other: TensorOrScalar) { return E.floorDivide(this, other); },
  atan2(this: Tensor, other: Tensor) { return E.atan2(this, other); },
  eq(this: Tensor, other: TensorOrScalar) { return E.eq(this, other); },
  ne(this: Tensor, other: TensorOrScalar) { return E.ne(this, other); },
  lt(this: Tensor, other: TensorOrScalar) { return E.lt(this, other); },
  le(this: Tensor, other: TensorOrScalar) { return E.le(this, other); },
  gt(this: Tensor, other: TensorOrScalar) { return E.gt(this, other); },
  ge(this: Tensor, other: TensorOrScalar) { return E.ge(this, other); },
  logicalAnd(this: Tensor, other: Tensor) { return E.logicalAnd(this, other); },
  logicalOr(this: Tensor, other: Tensor) { return E.logicalOr(this, other); },
  logicalXor(this: Tensor, other: Tensor) { return E.logicalXor(this, other); },
  logicalNot(this: Tensor) { return E.logicalNot(this); },
  neg(this: Tensor) { return E.neg(this); },
  exp(this: Tensor) { return E.exp(this); },
  log(this: Tensor) { return E.log(this); },
  sqrt(this: Tensor) { return E.sqrt(this); },
  rsqrt(this: Tensor) { return E.rsqrt(this); },
  abs(this: Tensor) { return E.abs(this); },
  sign(this: Tensor) { return E.sign(this); },
  sigmoid(this: Tensor) { return E.sigmoid(this); },
  tanh(this: Tensor) { return E.tanh(this); },
  relu(this: Tensor) { return E.relu(this); },
  sin(this: Tensor) { return E.sin(this); },
  cos(this: Tensor) { return E.cos(this); },
  log1p(this: Tensor) { return E.log1p(this); },
  expm1(this: Tensor) { return E.expm1(this); },
  floor(this: Tensor) { return E.floor(this); },
  ceil(this: Tensor) { return E.ceil(this); },
  round(this: Tensor) { return E.round(this); },
  trunc(this: Tensor) { return E.trunc(this); },
  reciprocal(this: Tensor) { return E.reciprocal(this); },
  erf(this: Tensor) { return E.erf(this); },
  square(this: Tensor) { return E.square(this); },
  isnan(this: Tensor) { return E.isnan(this); },
  clamp(this: Tensor, min: number | null = null, max: number | null = null) { return E.clamp(this, min, max); },
  clip(this: Tensor, min: number | null = null, max: number | null = null) { return E.clamp(this, min, max); },
  where(this: Tensor, condition: Tensor, other: TensorOrScalar) { return E.where(condition, this, other); },
  maskedFill(this: Tensor, mask: Tensor, value: TensorOrScalar) { return E.maskedFill(this, mask, value); },
  addcmul(this: Tensor, tensor1: Tensor, tensor2: Tensor, options: Value = {}) { return E.addcmul(this, tensor1, tensor2, options); },
  addcdiv(this: Tensor, tensor1: Tensor, tensor2: Tensor, options: Value = {}) { return E.addcdiv(this, tensor1, tensor2, options); },

  // in place
  add_(this: Tensor, other: TensorOrScalar, options: Alpha = {}) { return addAlpha_('add_', this, other, options.alpha); },
  sub_(this: Tensor, other: TensorOrScalar, options: Alpha = {}) { return addAlpha_('sub_', this, other, options.alpha); },
  mul_(this: Tensor, other: TensorOrScalar) { return inPlace('mul_', this, others(other), (x, into) => E.mul(x, other, into)); },
  div_(this: Tensor, other: TensorOrScalar, options: RoundingMode = {}) { return inPlace('div_', this, others(other), (x, into) => divide(x, other, options.roundingMode, into)); },
  pow_(this: Tensor, exponent: TensorOrScalar) { return inPlace('pow_', this, others(exponent), (x, into) => E.pow(x, exponent, into)); },
  addcmul_(this: Tensor, tensor1: Tensor, tensor2: Tensor, options: Value = {}) {
    return inPlace('addcmul_', this, [tensor1, tensor2], (x, into) => E.addcmul(x, tensor1, tensor2, options, into));
  },
  addcdiv_(this: Tensor, tensor1: Tensor, tensor2: Tensor, options: Value = {}) {
    return inPlace('addcdiv_', this, [tensor1, tensor2], (x, into) => E.addcdiv(x, tensor1, tensor2, options, into));
  },
  neg_(this: Tensor) { return inPlace('neg_', this, [], E.neg); },
  exp_(this: Tensor) { return inPlace('exp_', this, [], E.exp); },
  log_(this: Tensor) { return inPlace('log_', this, [], E.log); },
  sqrt_(this: Tensor) { return inPlace('sqrt_', this, [], E.sqrt); },
  abs_(this: Tensor) { return inPlace('abs_', this, [], E.abs); },
  sigmoid_(this: Tensor) { return inPlace('sigmoid_', this, [], E.sigmoid); },
  tanh_(this: Tensor) { return inPlace('tanh_', this, [], E.tanh); },
  relu_(this: Tensor) { return inPlace('relu_', this, [], E.relu); },
  clamp_(this: Tensor, min: number | null = null, max: number | null = null) { return inPlace('clamp_', this, [], (x, into) => E.clamp(x, min, max, into)); },
  maskedFill_(this: Tensor, mask: Tensor, value: TensorOrScalar) {
    return inPlace('maskedFill_', this, others(value), (x, into) => E.maskedFill(x, mask, value, into), false);
  },
  copy_(this: Tensor, src: Tensor) {
    const s = onDeviceOf('copy_', this, src); // a CPU source is uploaded to this tensor's device
    return inPlace('copy_', this, [s], (x, into) =>
      into !== undefined ? copyInto(into, V.expand(s, into.dims)) : overwrite(x, V.expand(toDtype(s, x.dtype), x.dims)));
  },
  zero_(this: Tensor) { return fillWith(this, 'zero_', 0); },
  fill_(this: Tensor, value: number | boolean) { return fillWith(this, 'fill_', Number(value)); },
  uniform_(this: Tensor, from = 0, to = 1, options: { generator?: Generator } = {}) {
    return drawInto(this, 'uniform_', (out) => { uniformInto(options.generator ?? defaultGenerator, out, from, to); });
  },
  normal_(this: Tensor, mean = 0, std = 1, options: { generator?: Generator } = {}) {
    return drawInto(this, 'normal_', (out, elementwise) => { normalInto(options.generator ?? defaultGenerator, out, mean, std, elementwise); });
  },

  // reductions
  sum(this: Tensor, ...args: R.ReduceArgs) { return R.sum(this, ...args); },
  mean(this: Tensor, ...args: R.ReduceArgs) { return R.mean(this, ...args); },
  prod(this: Tensor, ...args: R.ProdArgs) { return R.prod(this, ...args); },
  var(this: Tensor, ...args: R.VarArgs) { return R.variance(this, ...args); },
  std(this: Tensor, ...args: R.VarArgs) { return R.std(this, ...args); },
  max: A.maxMethod,
  min: A.minMethod,
  median: A.medianMethod,
  amax(this: Tensor, dim: R.Dim = [], keepdim = false) { return R.amax(this, dim, keepdim); },
  amin(this: Tensor, dim: R.Dim = [], keepdim = false) { return R.amin(this, dim, keepdim); },
  argmax(this: Tensor, dim: number | null = null, keepdim = false) { return A.argmax(this, dim, keepdim); },
  argmin(this: Tensor, dim: number | null = null, keepdim = false) { return A.argmin(this, dim, keepdim); },
  logsumexp(this: Tensor, dim: R.Dim, keepdim = false) { return R.logsumexp(this, dim, keepdim); },
  softmax(this: Tensor, dim: number, options: R.DtypeOptions = {}) { return S.softmax(this, dim, options); },
  logSoftmax(this: Tensor, dim: number, options: R.DtypeOptions = {}) { return S.logSoftmax(this, dim, options); },
  all(this: Tensor, dim?: number, keepdim = false) { return R.all(this, dim, keepdim); },
  any(this: Tensor, dim?: number, keepdim = false) { return R.any(this, dim, keepdim); },
  // end reductions

  // linear algebra, joining and indexing
  mm(this: Tensor, other: Tensor) { return L.mm(this, other); },
  mv(this: Tensor, vec: Tensor) { return L.mv(this, vec); },
  bmm(this: Tensor, other: Tensor) { return L.bmm(this, other); },
  matmul(this: Tensor, other: Tensor) { return L.matmul(this, other); },
  dot(this: Tensor, other: Tensor) { return L.dot(this, other); },
  outer(this: Tensor, other: Tensor) { return L.outer(this, other); },
  addmm(this: Tensor, mat1: Tensor, mat2: Tensor, options: { beta?: number; alpha?: number } = {}) { return L.addmm(this, mat1, mat2, options); },
  split(this: Tensor, size: number | readonly number[], dim = 0) { return I.split(this, size, dim); },
  chunk(this: Tensor, chunks: number, dim = 0) { return I.chunk(this, chunks, dim); },
  unbind(this: Tensor, dim = 0) { return I.unbind(this, dim); },
  indexSelect(this: Tensor, dim: number, index: Tensor) { return I.indexSelect(this, dim, index); },
  gather(this: Tensor, dim: number, index: Tensor) { return I.gather(this, dim, index); },
  scatterAdd(this: Tensor, dim: number, index: Tensor, src: Tensor) { return I.scatterAdd(this, dim, index, src); },
  scatterAdd_(this: Tensor, dim: number, index: Tensor, src: Tensor) { return inPlace('scatterAdd_', this, [src], (x) => I.scatterAdd(x, dim, index, src)); },
  indexAdd(this: Tensor, dim: number, index: Tensor, source: Tensor, options: Alpha = {}) { return I.indexAdd(this, dim, index, source, options); },
  indexAdd_(this: Tensor, dim: number, index: Tensor, source: Tensor, options: Alpha = {}) { return inPlace('indexAdd_', this, [source], (x) => I.indexAdd(x, dim, index, source, options)); },
  maskedSelect(this: Tensor, mask: Tensor) { return I.maskedSelect(this, mask); },
  // end linear algebra

  // random draws in place
  bernoulli_(this: Tensor, p: number | Tensor = 0.5, options: { generator?: Generator } = {}) {
    // A tensor p is broadcast to self's shape, as PyTorch's expand_inplace does, and read in self's memory order.
    const probs = typeof p === 'number' ? p : probabilities(V.permute(V.expand(p, this.dims), memoryOrder(this)));
    return drawInto(this, 'bernoulli_', (out) => { drawBernoulli(options.generator ?? defaultGenerator, out, probs); });
  },
  exponential_(this: Tensor, lambd = 1, options: { generator?: Generator } = {}) {
    return drawInto(this, 'exponential_', (out) => { drawExponentialInto(options.generator ?? defaultGenerator, out, lambd); });
  },
  bernoulli(this: Tensor, options: { generator?: Generator } = {}) { return bernoulli(this, options); },
  // end random draws

  // views and copies
  view(this: Tensor, ...shape: Dims) { return V.view(this, dimsOf(shape)); },
  viewAs(this: Tensor, other: Tensor) { return V.view(this, other.dims); },
  reshape(this: Tensor, ...shape: Dims) { return V.reshape(this, dimsOf(shape)); },
  reshapeAs(this: Tensor, other: Tensor) { return V.reshape(this, other.dims); },
  permute(this: Tensor, ...dims: Dims) { return V.permute(this, dimsOf(dims)); },
  transpose(this: Tensor, dim0: number, dim1: number) { return V.transpose(this, dim0, dim1); },
  t(this: Tensor) { return V.t(this); },
  expand(this: Tensor, ...shape: Dims) { return V.expand(this, dimsOf(shape)); },
  expandAs(this: Tensor, other: Tensor) { return V.expand(this, other.dims); },
  unsqueeze(this: Tensor, dim: number) { return V.unsqueeze(this, dim); },
  squeeze(this: Tensor, dim?: number) { return V.squeeze(this, dim); },
  flatten(this: Tensor, startDim = 0, endDim = -1) { return V.flatten(this, startDim, endDim); },
  narrow(this: Tensor, dim: number, start: number, length: number) { return V.narrow(this, dim, start, length); },
  select(this: Tensor, dim: number, index: number) { return V.select(this, dim, index); },
  get(this: Tensor, ...indices: Index[]) { return get(this, indices); },
  set(this: Tensor, ...args: [...Index[], TensorOrScalar]) { set(this, args.slice(0, -1) as Index[], args[args.length - 1] as TensorOrScalar); return this; },
  contiguous(this: Tensor) { return V.contiguous(this); },
  clone(this: Tensor) { return V.clone(this); },
  detach(this: Tensor) { return V.detach(this); },
  to(this: Tensor, target: ToTarget) { return to(this, target); },
  type(this: Tensor, dtype: DType) { return toDtype(this, dtype); },
  float(this: Tensor) { return toDtype(this, 'float32'); },
  double(this: Tensor) { return toDtype(this, 'float64'); },
  int(this: Tensor) { return toDtype(this, 'int32'); },
  long(this: Tensor) { return toDtype(this, 'int64'); },
  bool(this: Tensor) { return toDtype(this, 'bool'); },
  byte(this: Tensor) { return toDtype(this, 'uint8'); },
  cpu(this: Tensor) { return cpu(this); },

  // everyday ops (scans, sorting, rearranging, numeric tests, factories like self)
  cumsum(this: Tensor, dim: number, options: C.CumulativeOptions = {}) { return C.cumsum(this, dim, options); },
  cumprod(this: Tensor, dim: number, options: C.CumulativeOptions = {}) { return C.cumprod(this, dim, options); },
  cumsum_(this: Tensor, dim: number) { return inPlace('cumsum_', this, [], (x) => C.cumsum(x, dim)); },
  cumprod_(this: Tensor, dim: number) { return inPlace('cumprod_', this, [], (x) => C.cumprod(x, dim)); },
  sort(this: Tensor, ...args: C.SortArgs) { return C.sort(this, ...args); },
  argsort(this: Tensor, ...args: C.SortArgs) { return C.argsort(this, ...args); },
  topk(this: Tensor, k: number, dim: number | C.TopkOptions = -1, largest = true, sorted = true) { return C.topk(this, k, dim, largest, sorted); },
  flip(this: Tensor, ...dims: Dims) { return G.flip(this, dimsOf(dims)); },
  fliplr(this: Tensor) { return G.fliplr(this); },
  flipud(this: Tensor) { return G.flipud(this); },
  roll(this: Tensor, shifts: number | readonly number[], dims: number | readonly number[] | null = null) { return G.roll(this, shifts, dims); },
  repeat(this: Tensor, ...sizes: Dims) { return G.repeat(this, dimsOf(sizes)); },
  tile(this: Tensor, ...dims: Dims) { return G.tile(this, dimsOf(dims)); },
  tril(this: Tensor, diagonal = 0) { return G.tril(this, diagonal); },
  triu(this: Tensor, diagonal = 0) { return G.triu(this, diagonal); },
  tril_(this: Tensor, diagonal = 0) { return inPlace('tril_', this, [], (x) => G.tril(x, diagonal)); },
  triu_(this: Tensor, diagonal = 0) { return inPlace('triu_', this, [], (x) => G.triu(x, diagonal)); },
  lerp(this: Tensor, end: Tensor, weight: number | Tensor) { return N.lerp(this, end, weight); },
  lerp_(this: Tensor, end: Tensor, weight: number | Tensor) { return inPlace('lerp_', this, others(weight).concat([end]), (x) => N.lerp(x, end, weight)); },
  isfinite(this: Tensor) { return N.isfinite(this); },
  isinf(this: Tensor) { return N.isinf(this); },
  isposinf(this: Tensor) { return N.isposinf(this); },
  isneginf(this: Tensor) { return N.isneginf(this); },
  isclose(this: Tensor, other: Tensor, options: N.CloseOptions = {}) { return N.isclose(this, other, options); },
  allclose(this: Tensor, other: Tensor, options: N.CloseOptions = {}) { return N.allclose(this, other, options); },
  nanToNum(this: Tensor, options: N.NanToNumOptions = {}) { return N.nanToNum(this, options); },
  nanToNum_(this: Tensor, options: N.NanToNumOptions = {}) { return inPlace('nanToNum_', this, [], (x) => N.nanToNum(x, options)); },
  multinomial(this: Tensor, numSamples: number, replacement = false, options: MultinomialOptions = {}) { return multinomial(this, numSamples, replacement, options); },
  typeAs(this: Tensor, other: Tensor) { return toDtype(this, other.dtype); },
  newZeros(this: Tensor, ...args: ShapeArgs) { const { dims, options } = parseShapeArgs('new_zeros', args); return zeros(dims, like(this, options)); },
  newOnes(this: Tensor, ...args: ShapeArgs) { const { dims, options } = parseShapeArgs('new_ones', args); return ones(dims, like(this, options)); },
  newEmpty(this: Tensor, ...args: ShapeArgs) { const { dims, options } = parseShapeArgs('new_empty', args); return empty(dims, like(this, options)); },
  newFull(this: Tensor, size: readonly number[], fillValue: number | boolean, options: TensorOptions = {}) { return full(size, fillValue, like(this, options)); },
  newTensor(this: Tensor, data: NestedData, options: TensorOptions = {}) { return tensor(data, like(this, options)); },
  diagonal(this: Tensor, offset = 0, dim1 = 0, dim2 = 1) { return D.diagonal(this, offset, dim1, dim2); },
  diag(this: Tensor, diagonal = 0) { return D.diag(this, diagonal); },
  trace(this: Tensor) { return D.trace(this); },
  unfold(this: Tensor, dimension: number, size: number, step: number) { return D.unfold(this, dimension, size, step); },
  baddbmm(this: Tensor, batch1: Tensor, batch2: Tensor, options: P.BetaAlpha = {}) { return P.baddbmm(this, batch1, batch2, options); },
  addbmm(this: Tensor, batch1: Tensor, batch2: Tensor, options: P.BetaAlpha = {}) { return P.addbmm(this, batch1, batch2, options); },
  addmv(this: Tensor, mat: Tensor, vec: Tensor, options: P.BetaAlpha = {}) { return P.addmv(this, mat, vec, options); },
  baddbmm_(this: Tensor, batch1: Tensor, batch2: Tensor, options: P.BetaAlpha = {}) { return inPlace('baddbmm_', this, [batch1, batch2], (x) => P.baddbmm(x, batch1, batch2, options)); },
  addbmm_(this: Tensor, batch1: Tensor, batch2: Tensor, options: P.BetaAlpha = {}) { return inPlace('addbmm_', this, [batch1, batch2], (x) => P.addbmm(x, batch1, batch2, options)); },
  addmv_(this: Tensor, mat: Tensor, vec: Tensor, options: P.BetaAlpha = {}) { return inPlace('addmv_', this, [mat, vec], (x) => P.addmv(x, mat, vec, options)); },
  kron(this: Tensor, other: Tensor) { return P.kron(this, other); },
  cross(this: Tensor, other: Tensor, dim: number | null = null) { return P.cross(this, other, dim); },
  norm(this: Tensor, p: MatrixOrd = 'fro', dim: R.Dim | null = null, keepdim = false, options: NormOptions = {}) { return norm(this, p, dim, keepdim, options); },
  scatter(this: Tensor, dim: number, index: Tensor, src: Tensor | number, options: ScatterOptions = {}) { return scatter(this, dim, index, src, options); },
  scatter_(this: Tensor, dim: number, index: Tensor, src: Tensor | number, options: ScatterOptions = {}) {
    return inPlace('scatter_', this, others(src), (x) => scatter(x, dim, index, src, options));
  },
  indexFill(this: Tensor, dim: number, index: Tensor, value: number | Tensor) { return indexFill(this, dim, index, value); },
  indexFill_(this: Tensor, dim: number, index: Tensor, value: number | Tensor) { return inPlace('indexFill_', this, others(value), (x) => indexFill(x, dim, index, value)); },

  // autograd
  backward(this: Tensor, gradient?: Tensor | null, options: BackwardArgs = {}) { backward(this, gradient ?? null, options); },
  retainGrad(this: Tensor) {
    if (!this.requiresGrad) throw new ArgumentTypeError("retainGrad: can't retain_grad on Tensor that has requires_grad=False");
    if (!this.isLeaf) this.retainsGrad = true;
  },
};

/** Tensor.new_*: the options given, with dtype and device defaulting to the tensor's own. */
function like(x: Tensor, options: TensorOptions): TensorOptions {
  return { ...options, dtype: options.dtype ?? x.dtype, device: options.device ?? x.device };
}

/** Fills through the tensor's layout (a view fills its base's elements). */
function fillWith(x: Tensor, op: string, value: number): Tensor {
  checkedScalar(op, x.dtype, value);
  return inPlace(op, x, [], (self, into) => {
    if (into !== undefined) return fillInto(into, value);
    const be = backendOf(op, [self]), out = new Tensor(be.alloc(self.dtype, self.numel()), self.dims);
    be.fill(out.kernelView(), value);
    return overwrite(self, out);
  }, false);
}

type Draw = (out: Float32Array | Float64Array, elementwise: boolean) => void;

/**
 * Draws random values into x (its dtype must be floating): `draw` fills `out` in order. PyTorch's
 * TensorIterator fills a non-contiguous x one element at a time in memory order, which also sends normal_
 * down its scalar path (`elementwise`); those draws go to a buffer laid out in x's memory order, then to x.
 * Draws happen on the host on every device (seeded runs match the CPU's); a device tensor gets them
 * through an upload and a copy.
 */
function drawInto(x: Tensor, op: string, draw: Draw): Tensor {
  if (x.dtype !== 'float32' && x.dtype !== 'float64') {
    throw new NotImplementedError(`${op}: "${op}" not implemented for '${x.dtype}'`);
  }
  const dtype = x.dtype;
  const storage = x.storage;
  if (isCpuStorage(storage) && x.isContiguous() && !isRecording([x])) {
    // What inPlace would do without its temporary: no history to record, so the draws go straight into x.
    checkInPlace(op, x);
    draw((storage.data as Float32Array | Float64Array).subarray(x.offset, x.offset + x.numel()), false);
    x.storage.version++;
    return x;
  }
  return inPlace(op, x, [], () => {
    const order = memoryOrder(x);
    const host = backend().alloc(dtype, x.numel()).data as Float32Array | Float64Array;
    draw(host, !x.isContiguous());
    const out = new Tensor(backendOf(op, [x]).fromArray(dtype, host), order.map((d) => x.dims[d]));
    const back: number[] = [];
    order.forEach((d, k) => (back[d] = k));
    return V.permute(out, back);
  });
}

/** x's dims from the largest stride to the smallest (stable): x permuted so and read row-major walks its memory upwards. */
function memoryOrder(x: Tensor): number[] {
  return x.dims.map((_, d) => d).sort((a, b) => x.strides[b] - x.strides[a]);
}

type Methods = typeof methods;
type Bound = { [K in keyof Methods]: OmitThisParameter<Methods[K]> };

declare module '../tensor/tensor.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends Bound {}
}
// Without this export, declaration emit drops the Tensor import from methods.d.ts (TypeScript 5.9
// counts the augmentation above as declaring Tensor here), and a consumer's compiler then types
// every method as taking and returning `any`, or fails on the file when it checks libraries.
export type { Tensor };

Object.assign(Tensor.prototype, methods);
