// src/nn/functional/classification-loss.ts — classification losses (F.nllLoss, F.crossEntropy,
// F.binaryCrossEntropy, F.binaryCrossEntropyWithLogits): class-index and probability targets,
// class weights, ignoreIndex and label smoothing, with PyTorch's shape rules and errors.
import { TYPE_NAMES } from '../../core/dtype.js';
import { IndexError, RuntimeError, ValueError } from '../../core/errors.js';
import { contiguousStrides, numelOf, sameShape } from '../../core/shape.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { defineOp, denseView, toDtype } from '../../ops/define.js';
import { add, div, eq, logicalNot, mul, neg, sigmoid, sub, where } from '../../ops/elementwise.js';
import { indexSelect, scatterAdd } from '../../ops/indexing.js';
import { sum } from '../../ops/reduce.js';
import { logSoftmax } from '../../ops/softmax.js';
import { reshape, unsqueeze, view } from '../../ops/views.js';
import { tensor, zeros } from '../../tensor/creation.js';
import { backendOf, isCpuStorage } from '../../tensor/device.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkReduction, checkTarget, pointwiseLoss, type Reduction } from './loss.js';

const fmt = (dims: readonly number[]): string => `[${dims.join(', ')}]`;

export interface NLLLossOptions {
  /** A weight per class, of shape (C). */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing, not even to the weighted mean's denominator. */
  ignoreIndex?: number;
  reduction?: Reduction;
}

interface NllParams {
  readonly reduction: Reduction;
  readonly classDim: number;
}

// Note [NLL as a gather]
// The wrapper turns the target into `index` (ignored targets → class 0, the target's shape with a
// 1 at the class dim) and `w`, each sample's class weight (0 where ignored). The op then gathers
// the picked log-probabilities, scales them by −w, and a 'mean' divides by Σw: PyTorch's weighted
// mean. The gradient scatters −w·g back to the picked classes.
function nllOp(gradFn: string) {
  return defineOp<NllParams>({
    name: 'nll_loss',
    gradFn,
    meta: ([x, index], { reduction, classDim }) => ({
      shape: reduction === 'none' ? index.dims.filter((_, i) => i !== classDim) : [],
      dtype: x.dtype,
    }),
    forward: (be, [x, index, w], out, { reduction, classDim }) => {
      const shape = index.shape, all = shape.map((_, i) => i);
      const picked = be.alloc(out.dtype, numelOf(shape));
      be.gather(x, classDim, index, picked);
      const dense = { storage: picked, shape, strides: contiguousStrides(shape), offset: 0 };
      be.binary('mul', dense, w, picked);
      be.unary('neg', dense, picked);
      if (reduction === 'none') {
        be.copy(dense, { ...dense, storage: out });
        return;
      }
      be.reduce('sum', dense, all, out);
      if (reduction === 'sum') return;
      const total = be.alloc(out.dtype, 1);
      be.reduce('sum', w, all, total);
      be.binary('div', denseView(out, []), denseView(total, []), out); // every target ignored: 0/0 = NaN, as PyTorch
    },
    backward: (g, [x, index, w], _, { reduction, classDim }) => {
      let scale = reduction === 'none' ? unsqueeze(g, classDim) : g;
      if (reduction === 'mean') scale = div(scale, sum(w));
      // Ignored samples (w = 0) get no gradient, even when Σw = 0 makes the scale infinite.
      const src = where(w.eq(0), 0, neg(mul(w, scale)));
      return [scatterAdd(zeros(x.dims, { dtype: g.dtype, device: g.storage.device }), classDim, index, src), null, null];
    },
    saves: 'inputs',
  });
}
const nllOps = { nll_loss: nllOp('NllLossBackward0'), nll_loss2d: nllOp('NllLoss2DBackward0') };

/** The gather index and per-sample weights of Note [NLL as a gather], after PyTorch's checks. */
function targetWeights(op: string, input: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number, classDim: number): { index: Tensor; w: Tensor } {
  if (target.dtype !== 'int64') throw new RuntimeError(`${op}: expected scalar type Long but found ${TYPE_NAMES[target.dtype]}`);
  const shape = [...target.dims];
  shape.splice(classDim, 0, 1);
  if (!isCpuStorage(target.storage)) return deviceTargetWeights(input, target, weight, ignoreIndex, shape);
  const classes = input.dims[classDim];
  const weights = weight === null ? null : weight.toArray();
  const values = target.toArray();
  const index = new Float64Array(values.length), w = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === ignoreIndex) continue;
    if (v < 0 || v >= classes) throw new IndexError(`${op}: Target ${v} is out of bounds.`);
    index[i] = v;
    w[i] = weights === null ? 1 : weights[v];
  }
  return { index: tensor(index, { dtype: 'int64' }).reshape(shape), w: tensor(w, { dtype: input.dtype }).reshape(shape) };
}

/**
 * targetWeights for targets on a device, as ops that stay there: ignored targets pick class 0 with
 * weight 0. The targets are not range-checked (not readable synchronously; PyTorch's CUDA leaves
 * them to device asserts).
 */
function deviceTargetWeights(input: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number, shape: readonly number[]): { index: Tensor; w: Tensor } {
  const ignored = eq(target, ignoreIndex);
  const index = where(ignored, 0, target);
  const w = weight === null ? logicalNot(ignored) : where(ignored, 0, reshape(indexSelect(weight, 0, reshape(index, [-1])), target.dims));
  return { index: reshape(index, shape), w: reshape(toDtype(w, input.dtype), shape) };
}

/** nll_loss (1-d or 2-d input) and nll_loss2d (4-d input), each with its own checks. */
function nllCore(op: 'nll_loss' | 'nll_loss2d', input: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number, reduction: Reduction): Tensor {
  const classDim = input.dim() === 1 ? 0 : 1, classes = input.dims[classDim];
  if (op === 'nll_loss') {
    if (target.dim() > 1) throw new RuntimeError('nll_loss: 0D or 1D target tensor expected, multi-target not supported');
    if (!(input.dim() === 1 && target.dim() === 0) && input.dims[0] !== target.dims[0]) {
      throw new RuntimeError(`nll_loss: size mismatch (got input: ${fmt(input.dims)}, target: ${fmt(target.dims)})`);
    }
    if (weight !== null && (weight.dim() !== 1 || weight.numel() !== classes)) {
      throw new RuntimeError(`nll_loss: weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${fmt(weight.dims)}`);
    }
  } else {
    if (target.dim() !== 3) throw new RuntimeError(`nll_loss2d: only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.dim()}`);
    if (!sameShape([input.dims[0], ...input.dims.slice(2)], target.dims)) {
      throw new RuntimeError(`nll_loss2d: size mismatch (got input: ${fmt(input.dims)} , target: ${fmt(target.dims)}`);
    }
    if (weight !== null && weight.numel() !== classes) throw new RuntimeError('nll_loss2d: weight tensor should be defined either for all or no classes');
  }
  if (weight !== null && weight.requiresGrad && isGradEnabled()) {
    throw new RuntimeError(`${op}: The function '${op}_forward' is not differentiable with respect to argument 'weight'. This input cannot have requires_grad True.`);
  }
  backendOf(op, weight === null ? [input, target] : [input, target, weight]); // mixed devices fail before any host read
  const { index, w } = targetWeights(op, input, target, weight, ignoreIndex, classDim);
  return nllOps[op]([input, index, w], { reduction, classDim });
}

/**
 * Negative log-likelihood of class-index targets given log-probabilities (F.nll_loss): input
 * (C), (N, C) or (N, C, d1, …), int64 target (), (N) or (N, d1, …).
 */
export function nllLoss(input: Tensor, target: Tensor, { weight = null, ignoreIndex = -100, reduction = 'mean' }: NLLLossOptions = {}): Tensor {
  checkReduction('nll_loss', reduction);
  checkTarget(target);
  const n = input.dim();
  if (n < 1) throw new ValueError(`nll_loss: Expected 1 or more dimensions (got ${n})`);
  if (!input.isFloatingPoint()) throw new RuntimeError(`nll_loss: "nll_loss_out_frame" not implemented for '${TYPE_NAMES[input.dtype]}'`);
  if (n !== 1) {
    if (target.dim() === 0) throw new IndexError('nll_loss: dimension specified as 0 but tensor has no dimensions');
    if (input.dims[0] !== target.dims[0]) {
      throw new ValueError(`nll_loss: Expected input batch_size (${input.dims[0]}) to match target batch_size (${target.dims[0]}).`);
    }
  }
  if (n <= 2) return nllCore('nll_loss', input, target, weight, ignoreIndex, reduction);
  if (n === 4) return nllCore('nll_loss2d', input, target, weight, ignoreIndex, reduction);
  // Other ranks run as (N, C, 1, rest) through nll_loss2d, as PyTorch's nll_loss_nd does.
  const [batch, classes] = input.dims as [number, number];
  const outSize = [batch, ...input.dims.slice(2)];
  if (!sameShape(target.dims.slice(1), input.dims.slice(2))) {
    throw new RuntimeError(`nll_loss: Expected target size ${fmt(outSize)}, got ${fmt(target.dims)}`);
  }
  const rest = numelOf(input.dims.slice(2));
  const loss = nllCore('nll_loss2d', reshape(input, [batch, classes, 1, rest]), reshape(target, [batch, 1, rest]), weight, ignoreIndex, reduction);
  return reduction === 'none' ? view(loss, outSize) : loss;
}

export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C. */
  labelSmoothing?: number;
}

/** The class weight as a view broadcasting along the class dim of `input`. */
function classWeightView(input: Tensor, weight: Tensor, classDim: number): Tensor {
  return view(weight, input.dims.map((d, i) => (i === classDim ? d : 1)));
}

/**
 * Cross entropy of logits `input` (F.cross_entropy): class-index targets (int64, the input's shape
 * without the class dim) or class probabilities (float, the input's shape). It is logSoftmax then
 * nllLoss, so it is stable for large logits and its grad_fn is NllLossBackward0, as in PyTorch.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  checkReduction('cross_entropy', reduction);
  checkTarget(target);
  const classDim = input.dim() === 1 ? 0 : 1;
  const checkSmoothing = (): void => {
    if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
      throw new RuntimeError(`cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: ${labelSmoothing}`);
    }
  };
  if (sameShape(input.dims, target.dims)) {
    if (target.dtype !== 'float32' && target.dtype !== 'float64') {
      throw new RuntimeError(`cross_entropy: Expected floating point type for target with class probabilities, got ${TYPE_NAMES[target.dtype]}`);
    }
    if (ignoreIndex >= 0) throw new RuntimeError('cross_entropy: ignore_index is not supported for floating point target');
    checkSmoothing();
    return probabilityCrossEntropy(input, target, weight, reduction, labelSmoothing, classDim);
  }
  if (labelSmoothing > 0) checkSmoothing();
  const logp = logSoftmax(input, classDim);
  const nll = nllLoss(logp, target, { weight, ignoreIndex, reduction });
  if (!(labelSmoothing > 0)) return nll;
  // The uniform part: −Σ_c w_c·logp_c per sample, zero where the target is ignored, and for
  // 'mean' divided by the same Σw over kept samples as the NLL part (PyTorch's rule).
  const classes = input.dims[classDim];
  const weighted = weight === null ? logp : mul(logp, classWeightView(input, weight, classDim));
  const kept = target.ne(ignoreIndex);
  const smooth = where(kept, neg(sum(weighted, classDim)), 0);
  let uniform = smooth;
  if (reduction === 'sum') uniform = sum(smooth);
  if (reduction === 'mean') {
    const keptWeights = weight === null ? kept.to(input.dtype) : where(kept, weight.indexSelect(0, where(kept, target, 0).reshape(-1)).reshape(target.dims), 0);
    uniform = div(sum(smooth), sum(keptWeights));
  }
  return add(mul(nll, 1 - labelSmoothing), mul(uniform, labelSmoothing / classes));
}

/** Cross entropy against class probabilities, optionally smoothed and class-weighted. */
function probabilityCrossEntropy(input: Tensor, target: Tensor, weight: Tensor | null, reduction: Reduction, labelSmoothing: number, classDim: number): Tensor {
  const classes = input.dims[classDim];
  if (weight !== null && (weight.dim() !== 1 || weight.numel() !== classes)) {
    throw new RuntimeError(`cross_entropy: weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: ${fmt(weight.dims)}`);
  }
  const logp = logSoftmax(input, classDim);
  const smoothed = labelSmoothing > 0 ? add(mul(target, 1 - labelSmoothing), labelSmoothing / classes) : target;
  let terms = mul(logp, smoothed);
  if (weight !== null) terms = mul(terms, classWeightView(input, weight, classDim));
  if (reduction === 'none') return neg(sum(terms, classDim));
  if (reduction === 'sum') return neg(sum(terms));
  // 'mean' averages over samples (every element but the class dim); an empty batch gives NaN.
  return div(neg(sum(terms)), input.numel() / classes);
}

const bceOp = pointwiseLoss<boolean>({
  name: 'binary_cross_entropy',
  gradFn: 'BinaryCrossEntropyBackward0',
  forward: (k, [x, t, w], hasWeight) => {
    // Logs are clamped to ≥ −100 so that a confident wrong prediction costs 100, not infinity.
    const logx = k.binary('maximum', k.unary('log', x), -100);
    const log1mx = k.binary('maximum', k.unary('log1p', k.unary('neg', x)), -100);
    const loss = k.binary('sub', k.binary('mul', k.binary('sub', t, 1), log1mx), k.binary('mul', t, logx));
    return hasWeight ? k.binary('mul', loss, w) : loss;
  },
  grad: ([x, t, w], hasWeight) => {
    const d = div(sub(x, t), mul(sub(1, x), x).clamp(1e-12));
    return hasWeight ? mul(d, w) : d;
  },
});

/** Binary cross entropy of probabilities `input` in [0, 1] (F.binary_cross_entropy). */
export function binaryCrossEntropy(input: Tensor, target: Tensor, { weight = null, reduction = 'mean' }: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  checkReduction('binary_cross_entropy', reduction);
  checkTarget(target);
  if (!sameShape(input.dims, target.dims)) {
    throw new ValueError(
      `binary_cross_entropy: Using a target size (torch.Size(${fmt(target.dims)})) that is different to the input size (torch.Size(${fmt(input.dims)})) is deprecated. Please ensure they have the same size.`,
    );
  }
  if (!input.isFloatingPoint()) throw new RuntimeError(`binary_cross_entropy: "binary_cross_entropy" not implemented for '${TYPE_NAMES[input.dtype]}'`);
  if (target.dtype !== input.dtype) {
    throw new RuntimeError(`binary_cross_entropy: Found dtype ${TYPE_NAMES[target.dtype]} but expected ${TYPE_NAMES[input.dtype]}`);
  }
  // A host-side check only: a device input is not readable synchronously (PyTorch's CUDA checks it in the kernel).
  if (isCpuStorage(input.storage)) {
    for (const v of input.toArray()) {
      if (!(v >= 0 && v <= 1)) throw new RuntimeError('binary_cross_entropy: all elements of input should be between 0 and 1');
    }
  }
  return bceOp(weight === null ? [input, target] : [input, target, weight], reduction, weight !== null);
}

interface LogitsWeights {
  readonly weight: boolean;
  readonly posWeight: boolean;
}

const bceLogitsOp = pointwiseLoss<LogitsWeights>({
  name: 'binary_cross_entropy_with_logits',
  gradFn: 'BinaryCrossEntropyWithLogitsBackward0',
  forward: (k, [x, t, ...rest], p) => {
    const w = p.weight ? rest[0] : null, pw = p.posWeight ? rest[p.weight ? 1 : 0] : null;
    // softplus(−x) = log1p(exp(−|x|)) + max(−x, 0): exp never overflows, for any logit.
    const negx = k.unary('neg', x);
    const softplusNeg = k.binary('add', k.unary('log1p', k.unary('exp', k.unary('neg', k.unary('abs', x)))), k.binary('maximum', negx, 0));
    const logWeight = pw === null ? softplusNeg : k.binary('mul', k.binary('add', k.binary('mul', k.binary('sub', pw, 1), t), 1), softplusNeg);
    const loss = k.binary('add', k.binary('mul', k.binary('sub', 1, t), x), logWeight);
    return w === null ? loss : k.binary('mul', loss, w);
  },
  grad: ([x, t, ...rest], p) => {
    const w = p.weight ? rest[0] : null, pw = p.posWeight ? rest[p.weight ? 1 : 0] : null;
    let d: Tensor;
    if (pw === null) d = sub(sigmoid(x), t);
    else {
      const pt = mul(pw, t);
      d = sub(mul(add(sub(pt, t), 1), sigmoid(x)), pt);
    }
    return w === null ? d : mul(d, w);
  },
});

export interface BCEWithLogitsOptions {
  weight?: Tensor | null;
  /** A weight on positive examples, broadcast along the last (class) dim. */
  posWeight?: Tensor | null;
  reduction?: Reduction;
}

/** Sigmoid then binary cross entropy, fused so that it is stable for any logit (F.binary_cross_entropy_with_logits). */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, { weight = null, posWeight = null, reduction = 'mean' }: BCEWithLogitsOptions = {}): Tensor {
  checkReduction('binary_cross_entropy_with_logits', reduction);
  checkTarget(target);
  if (!sameShape(input.dims, target.dims)) {
    throw new ValueError(
      `binary_cross_entropy_with_logits: Target size (torch.Size(${fmt(target.dims)})) must be the same as input size (torch.Size(${fmt(input.dims)}))`,
    );
  }
  for (const t of [input, target]) {
    if (!t.isFloatingPoint()) {
      throw new RuntimeError(`binary_cross_entropy_with_logits: result type Float can't be cast to the desired output type ${TYPE_NAMES[t.dtype]}`);
    }
  }
  const inputs = [input, target, ...(weight === null ? [] : [weight]), ...(posWeight === null ? [] : [posWeight])];
  return bceLogitsOp(inputs, reduction, { weight: weight !== null, posWeight: posWeight !== null });
}
