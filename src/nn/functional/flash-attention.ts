// src/nn/functional/flash-attention.ts — softmax(scale·q·kᵀ + mask)·v as one graph node on the backend's
// blockwise kernels (PyTorch's CPU flash attention): the [L, S] weights are never kept, the backward
// recomputes them from each row's log-sum-exp.
import type { View } from '../../backends/backend.js';
import { isGradEnabled, noGrad } from '../../autograd/grad-mode.js';
import { Node } from '../../autograd/node.js';
import { edgeOf, isRecording } from '../../ops/define.js';
import { add, ge, mul, sub, where } from '../../ops/elementwise.js';
import { matmul } from '../../ops/linalg.js';
import { sum } from '../../ops/reduce.js';
import { softmax } from '../../ops/softmax.js';
import { expand, permute, reshape, transpose, unsqueeze } from '../../ops/views.js';
import { arange } from '../../tensor/creation.js';
import { backendOf } from '../../tensor/device.js';
import { type Tensor, uninitTensor } from '../../tensor/tensor.js';

/** x as [B1, B2, R, C]: rank 2 and 3 get leading dims of one (views); null for more than 4 dims. */
function heads4(x: Tensor): Tensor | null {
  switch (x.dim()) {
    case 2: return unsqueeze(unsqueeze(x, 0), 0);
    case 3: return unsqueeze(x, 1);
    case 4: return x;
    default: return null;
  }
}

/** A view for the kernels with unit stride along the last dim (a copy when x has none). */
const unitLast = (x: Tensor): View => (x.strides[x.dim() - 1] === 1 || x.dims[x.dim() - 1] === 1 ? x : noGrad(() => x.contiguous())).kernelView();

/** What the backward needs: the inputs as [B1, B2, ·, ·], the mask broadcast to [B1, B2, L, S], the output as [B1, B2, L, Dv] and lse. */
interface Saved {
  q: Tensor;
  k: Tensor;
  v: Tensor;
  mask: Tensor | null;
  out: Tensor;
  lse: Tensor;
}

/**
 * softmax(scale·q·kᵀ + mask)·v for q [..., L, D], k [..., S, D] and v [..., S, Dv] with the same leading
 * dims (up to two), an additive mask that broadcasts to [..., L, S] and needs no gradient, or `causal`
 * (key j masked for query i < j), as one node on the backend's attention kernels. The output is laid out
 * heads-side-by-side ([B1, L, B2, Dv] in memory), as PyTorch's CPU flash attention lays it. Null where the
 * backend or the case is not handled: the caller then composes the ops.
 */
export function fusedAttention(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, causal: boolean, scale: number): Tensor | null {
  const be = backendOf('scaled_dot_product_attention', [q, k, v, ...(mask === null ? [] : [mask])]);
  if (be.attention === undefined || be.attentionBackward === undefined) return null;
  const dtype = q.dtype;
  if ((dtype !== 'float32' && dtype !== 'float64') || k.dtype !== dtype || v.dtype !== dtype || (mask !== null && (mask.dtype !== dtype || mask.requiresGrad))) return null;
  const [q4, k4, v4] = [heads4(q), heads4(k), heads4(v)];
  if (q4 === null || k4 === null || v4 === null || q.dim() !== k.dim() || q.dim() !== v.dim()) return null;
  const [b1, b2, l, d] = q4.dims, s = k4.dims[2], dv = v4.dims[3];
  if ([k4.dims[0], k4.dims[1], v4.dims[0], v4.dims[1]].some((n, i) => n !== [b1, b2][i % 2]) || k4.dims[3] !== d || v4.dims[2] !== s) return null;
  if (l === 0 || s === 0 || d === 0 || dv === 0 || b1 * b2 === 0) return null;
  let mask4: Tensor | null = null;
  if (mask !== null) {
    if (mask.dim() > 4 || !broadcastsTo(mask.dims, [b1, b2, l, s])) return null;
    mask4 = noGrad(() => expand(mask, [b1, b2, l, s]));
  }
  const out = uninitTensor(be, [b1, l, b2, dv], dtype), lse = uninitTensor(be, [b1, b2, l], dtype);
  if (!be.attention(unitLast(q4), unitLast(k4), unitLast(v4), mask4?.kernelView() ?? null, causal, scale, out.storage, lse.storage)) return null;
  if (isRecording([q, k, v])) {
    const node = new FlashAttentionBackward(q, k, v, { q: q4, k: k4, v: v4, mask: mask4, out: noGrad(() => permute(out, [0, 2, 1, 3])), lse }, causal, scale);
    node.output = out;
    out.setGradFn(node);
  }
  // [B1, B2, L, Dv] over the heads-side-by-side storage, in the inputs' rank
  const heads = permute(out, [0, 2, 1, 3]);
  return q.dim() === 4 ? heads : reshape(heads, [...q.dims.slice(0, -2), l, dv]);
}

/** Whether `from` broadcasts to `to` (aligned at the right). */
function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  const off = to.length - from.length;
  return off >= 0 && from.every((n, i) => n === 1 || n === to[off + i]);
}

/** fusedAttention's backward: the kernels, or recorded ops for a backward that is itself differentiated. */
class FlashAttentionBackward extends Node {
  readonly name = 'ScaledDotProductFlashAttentionForCpuBackward0';
  private kept: Saved | null;

  constructor(private readonly q: Tensor, private readonly k: Tensor, private readonly v: Tensor, saved: Saved, private readonly causal: boolean,
    private readonly scale: number) {
    super([edgeOf(q), edgeOf(k), edgeOf(v)]);
    this.kept = saved;
    // version-checked, as PyTorch checks the saved query, key, value, mask and output
    this.save(q, k, v, saved.out, ...(saved.mask === null ? [] : [saved.mask]));
  }

  /** g: the gradient of the [B1, L, B2, Dv] storage's tensor. */
  apply(g: Tensor): (Tensor | null)[] {
    const s = this.kept;
    if (s === null) return [null, null, null];
    const gOut = permute(g, [0, 2, 1, 3]);
    const grads = isGradEnabled() ? null : this.kernels(s, gOut);
    const [dq, dk, dv] = grads ?? recordedGrads(s, gOut, this.causal, this.scale);
    return [reshape(dq, this.q.dims), reshape(dk, this.k.dims), reshape(dv, this.v.dims)];
  }

  private kernels(s: Saved, gOut: Tensor): Tensor[] | null {
    const be = backendOf('scaled_dot_product_attention', [s.q, s.k, s.v, gOut]);
    // laid out [B1, R, B2, C], as the heads of a projection are
    const [dq, dk, dv] = [s.q, s.k, s.v].map((x) => uninitTensor(be, [x.dims[0], x.dims[2], x.dims[1], x.dims[3]], x.dtype));
    const ok = be.attentionBackward?.(unitLast(s.q), unitLast(s.k), unitLast(s.v), s.mask?.kernelView() ?? null, this.causal, this.scale,
      s.out.kernelView(), unitLast(gOut), s.lse.kernelView(), dq.storage, dk.storage, dv.storage);
    return ok === true ? [dq, dk, dv].map((x) => permute(x, [0, 2, 1, 3])) : null;
  }

  protected override freeInputs(): void {
    this.kept = null;
  }
}

/**
 * The attention's gradients as ops on [B1, B2, ·, ·] tensors (recorded under createGraph): the weights
 * again, dv = Pᵀ·dout, dS = P·(dP − Σ dP·P) with dP = dout·vᵀ, dq = scale·dS·k, dk = scale·dSᵀ·q.
 */
function recordedGrads(s: Saved, gOut: Tensor, causal: boolean, scale: number): Tensor[] {
  const { q, k, v, mask } = s;
  let scores = mul(matmul(q, transpose(k, -2, -1)), scale);
  if (mask !== null) scores = add(scores, mask);
  if (causal) {
    const [l, n] = [q.dims[2], k.dims[2]];
    const keep = ge(unsqueeze(arange(l, { dtype: 'int64', device: q.device }), 1), unsqueeze(arange(n, { dtype: 'int64', device: q.device }), 0));
    scores = add(scores, where(keep, 0, -Infinity).to(q.dtype));
  }
  const p = softmax(scores, -1);
  const dp = matmul(gOut, transpose(v, -2, -1));
  const ds = mul(p, sub(dp, sum(mul(dp, p), -1, true)));
  return [mul(matmul(ds, k), scale), mul(matmul(transpose(ds, -2, -1), q), scale), matmul(transpose(p, -2, -1), gOut)];
}
