// src/ops/softmax.ts — softmax and logSoftmax and their gradients, each its own op.
import { type DType, isFloating, TYPE_NAMES } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { numelOf } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { defineOp, denseView } from './define.js';
import { exp, mul, neg, sub } from './elementwise.js';
import { type DtypeOptions, oneAxis, outShape, shifted, spread, sumOps } from './reduce.js';

// ---- softmax and logSoftmax: own ops (not compositions) so grad_fn names match PyTorch's

interface Softmax {
  readonly axes: readonly number[];
  readonly dtype: DType;
}

function softmaxOp(isLog: boolean) {
  return defineOp<Softmax>({
    name: isLog ? 'log_softmax' : 'softmax',
    gradFn: isLog ? 'LogSoftmaxBackward0' : 'SoftmaxBackward0',
    meta: ([x], p) => ({ shape: x.dims, dtype: p.dtype, cast: p.dtype }),
    forward: (be, [x], out, { axes }) => {
      if (axes.length === 1 && be.softmax?.(x, axes[0], isLog, out)) return;
      const all = denseView(out, x.shape), size = numelOf(outShape(x.shape, axes, true));
      const tv = denseView(shifted(be, x, axes, false).t, x.shape), s = be.alloc(out.dtype, size);
      be.unary('exp', tv, out); // exp(x − max) ≤ 1: no overflow
      be.reduce('sum', all, axes, s);
      if (!isLog) {
        be.binary('div', all, spread(s, x.shape, axes), out);
        return;
      }
      be.unary('log', denseView(s, [size]), s);
      be.binary('sub', tv, spread(s, x.shape, axes), out);
    },
    backward: (g, _, y, p) => [softmaxGradOps[isLog ? 1 : 0]([g, y], p)],
    saves: 'output',
    overwrites: true,
  });
}

// The gradient as its own op (PyTorch's _softmax_backward_data), one fused kernel where the backend
// has it: log-softmax: g − exp(y)·Σg; softmax: y·(g − Σ g·y). Its own gradient is composed.
function softmaxGradOp(isLog: boolean) {
  const sumKeep = (t: Tensor, axes: readonly number[]) => sumOps[1]([t], { axes, keepdim: true, dtype: t.dtype });
  return defineOp<Softmax>({
    name: isLog ? '_log_softmax_backward_data' : '_softmax_backward_data',
    gradFn: isLog ? 'LogSoftmaxBackwardDataBackward0' : 'SoftmaxBackwardDataBackward0',
    meta: ([g]) => ({ shape: g.dims, dtype: g.dtype }),
    forward: (be, [g, y], out, { axes }) => {
      if (axes.length === 1 && be.softmaxBackward?.(g, y, axes[0], isLog, out)) return;
      const n = numelOf(g.shape), size = numelOf(outShape(g.shape, axes, true));
      const s = be.alloc(out.dtype, size), all = denseView(out, g.shape);
      if (isLog) {
        be.reduce('sum', g, axes, s);
        be.unary('exp', y, out);
        be.binary('mul', all, spread(s, g.shape, axes), out);
        be.binary('sub', g, all, out);
        return;
      }
      const gy = denseView(be.alloc(out.dtype, n), g.shape);
      be.binary('mul', g, y, gy.storage);
      be.reduce('sum', gy, axes, s);
      be.binary('sub', g, spread(s, g.shape, axes), out);
      be.binary('mul', y, all, out);
    },
    backward: (h, [g, y], _, { axes }) => {
      if (isLog) {
        // out = g − e·S(g), e = exp(y): ∂/∂g = h − S(h·e), ∂/∂y = −h·e·S(g).
        const e = exp(y);
        return [sub(h, sumKeep(mul(h, e), axes)), neg(mul(mul(h, e), sumKeep(g, axes)))];
      }
      // out = y·(g − S(g·y)): ∂/∂g = y·(h − S(h·y)), ∂/∂y = h·(g − S(g·y)) − g·S(h·y).
      const shy = sumKeep(mul(h, y), axes);
      return [mul(y, sub(h, shy)), sub(mul(h, sub(g, sumKeep(mul(g, y), axes))), mul(g, shy))];
    },
    saves: 'inputs',
    overwrites: true,
  });
}
const softmaxOps = [softmaxOp(false), softmaxOp(true)];
const softmaxGradOps = [softmaxGradOp(false), softmaxGradOp(true)];

function softmaxLike(isLog: boolean, x: Tensor, dim: number, options: DtypeOptions): Tensor {
  const name = isLog ? 'log_softmax' : 'softmax';
  const axes = oneAxis(name, x, dim);
  const dtype = options.dtype ?? x.dtype;
  if (!isFloating(dtype)) {
    const last = axes.length === 0 || axes[0] === x.dims.length - 1;
    throw new RuntimeError(`${name}: "${last ? `${name}_lastdim` : 'softmax'}_kernel_impl" not implemented for '${TYPE_NAMES[dtype]}'`);
  }
  return softmaxOps[isLog ? 1 : 0]([x], { axes, dtype });
}

/** exp(x) normalised to sum to 1 along `dim`, computed after subtracting the max (torch.softmax). */
export function softmax(x: Tensor, dim: number, options: DtypeOptions = {}): Tensor {
  return softmaxLike(false, x, dim, options);
}

/** log(softmax(x)) along `dim`, computed as (x − max) − log Σ exp(x − max) (torch.log_softmax). */
export function logSoftmax(x: Tensor, dim: number, options: DtypeOptions = {}): Tensor {
  return softmaxLike(true, x, dim, options);
}
