// src/nn/functional/attention.ts — F.scaledDotProductAttention (PyTorch 2.x's math path) and
// F.multiHeadAttentionForward (PyTorch 1.13's), composed from batched matmuls and one softmax.
import { isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { AssertionError, RuntimeError } from '../../core/errors.js';
import { fmtShape } from '../../core/shape.js';
import { add, div, ge, logicalOr, maskedFill, mul, where } from '../../ops/elementwise.js';
import { cat, chunk, split } from '../../ops/indexing.js';
import { matmul } from '../../ops/linalg.js';
import { sum } from '../../ops/reduce.js';
import { softmax } from '../../ops/softmax.js';
import { expand, permute, reshape, squeeze, transpose, unsqueeze } from '../../ops/views.js';
import { arange, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout } from './dropout.js';
import { fusedAttention } from './flash-attention.js';
import { linear } from './linear.js';

export interface ScaledDotProductAttentionOptions {
  /** Bool: true where a query may attend; float: added to the scores. Broadcasts to [..., L, S]. */
  attnMask?: Tensor | null;
  dropoutP?: number;
  /** Attend only to keys at or before the query's position (a lower-triangular mask). */
  isCausal?: boolean;
  /** The scores' factor; 1/√E by default. */
  scale?: number | null;
}

/** Bool [L, S] that is true where key j ≤ query i, from index comparisons (torch.ones(L, S).tril()). */
function causalMask(l: number, s: number, device: Tensor['device']): Tensor {
  const i = unsqueeze(arange(l, { dtype: 'int64', device }), 1), j = unsqueeze(arange(s, { dtype: 'int64', device }), 0);
  return ge(i, j);
}

/** A bool mask (true = attend) as 0 / −∞ in `like`'s dtype; a float one as it is. */
function additive(mask: Tensor, like: Tensor, attendWhere: boolean): Tensor {
  if (mask.dtype !== 'bool') return mask;
  return where(mask, attendWhere ? 0 : -Infinity, attendWhere ? -Infinity : 0).to(like.dtype);
}

/**
 * softmax(q·kᵀ + mask)·v over the last two dims, with q already scaled: the shared core of
 * sdpa and multi-head attention. Returns the output and the attention weights.
 */
function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, dropoutP: number): [Tensor, Tensor] {
  const scores = matmul(q, transpose(k, -2, -1));
  let weights = softmax(mask === null ? scores : add(scores, mask), -1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP);
  return [matmul(weights, v), weights];
}

/**
 * softmax(q·kᵀ·scale + mask)·v for q [..., L, E], k [..., S, E], v [..., S, Ev] (PyTorch 2.x's
 * F.scaled_dot_product_attention; its math path). Dropout applies to the weights when dropoutP > 0.
 * @example F.scaledDotProductAttention(q, k, v, { isCausal: true })
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  { attnMask = null, dropoutP = 0, isCausal = false, scale = null }: ScaledDotProductAttentionOptions = {},
): Tensor {
  if (query.dim() < 2 || key.dim() < 2 || value.dim() < 2) {
    throw new RuntimeError(
      `scaledDotProductAttention: expected query, key and value to be at least 2-D, got ${fmtShape(query.dims)}, ` +
        `${fmtShape(key.dims)} and ${fmtShape(value.dims)}`,
    );
  }
  if (!isFloating(query.dtype)) {
    throw new RuntimeError(`scaledDotProductAttention: expected a floating query, got ${TYPE_NAMES[query.dtype]}`);
  }
  if (isCausal && attnMask !== null) {
    throw new RuntimeError('scaledDotProductAttention: Explicit attn_mask should not be set when is_causal=True');
  }
  if (attnMask !== null && attnMask.dtype !== 'bool' && attnMask.dtype !== query.dtype) {
    throw new RuntimeError(
      `scaledDotProductAttention: Expected attn_mask dtype to be bool or to match query dtype, but got attn_mask.dtype: ` +
        `${TYPE_NAMES[attnMask.dtype]} and  query.dtype: ${TYPE_NAMES[query.dtype]} instead.`,
    );
  }
  const l = query.dims[query.dim() - 2], s = key.dims[key.dim() - 2];
  const factor = scale ?? 1 / Math.sqrt(query.dims[query.dim() - 1]);
  const fused = dropoutP > 0 ? null : fusedAttention(query, key, value, attnMask === null ? null : additive(attnMask, query, true), isCausal, factor);
  if (fused !== null) return fused;
  const mask = isCausal ? causalMask(l, s, query.device) : attnMask;
  return attend(mul(query, factor), key, value, mask === null ? null : additive(mask, query, true), dropoutP)[0];
}

export interface MultiHeadAttentionOptions {
  training?: boolean;
  /** [N, S] (or [S] unbatched): true (or −∞ if float) for keys to ignore. */
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  /** [L, S] or [N·numHeads, L, S]: true where attention is not allowed; a float mask is added. */
  attnMask?: Tensor | null;
  useSeparateProjWeight?: boolean;
  qProjWeight?: Tensor | null;
  kProjWeight?: Tensor | null;
  vProjWeight?: Tensor | null;
  staticK?: Tensor | null;
  staticV?: Tensor | null;
  averageAttnWeights?: boolean;
}

// PyTorch's Python asserts carry no op name; kindling's errors start with the op that raised them.
function check(ok: boolean, message: string): void {
  if (!ok) throw new AssertionError(`multiHeadAttentionForward: ${message}`);
}

const torchSize = (dims: readonly number[]): string => `torch.Size([${dims.join(', ')}])`;
const tuple = (dims: readonly number[]): string => `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;

/** PyTorch's _mha_shape_check: whether the input is batched. */
function isBatched(query: Tensor, key: Tensor, value: Tensor, kpm: Tensor | null, attnMask: Tensor | null, numHeads: number): boolean {
  const q = query.dim();
  if (q !== 2 && q !== 3) {
    check(false, `query should be unbatched 2D or batched 3D tensor but received ${q}-D query tensor`);
  }
  const name = q === 3 ? 'batched (3-D)' : 'unbatched (2-D)';
  check(key.dim() === q && value.dim() === q,
    `For ${name} \`query\`, expected \`key\` and \`value\` to be ${q}-D but found ${key.dim()}-D and ${value.dim()}-D tensors respectively`);
  if (kpm !== null) {
    check(kpm.dim() === q - 1,
      `For ${name} \`query\`, expected \`key_padding_mask\` to be \`None\` or ${q - 1}-D but found ${kpm.dim()}-D tensor instead`);
  }
  if (attnMask !== null) {
    check(attnMask.dim() === 2 || attnMask.dim() === 3,
      `For ${name} \`query\`, expected \`attn_mask\` to be \`None\`, 2-D or 3-D but found ${attnMask.dim()}-D tensor instead`);
    if (q === 2 && attnMask.dim() === 3) {
      const want = [numHeads, query.dims[0], key.dims[0]];
      check(want.every((d, i) => d === attnMask.dims[i]),
        `Expected \`attn_mask\` shape to be ${tuple(want)} but got ${torchSize(attnMask.dims)}`);
    }
  }
  return q === 3;
}

/**
 * PyTorch's _in_projection_packed / _in_projection: q, k and v projected by the three parts of the
 * packed weight, or by three weights. As PyTorch, self-attention (q, k and v one tensor) is one product
 * with the packed weight, chunked, and encoder-decoder attention (k and v one tensor) projects k and v
 * together; chunk's pieces share one backward node, so their gradients meet in one cat.
 */
function project(query: Tensor, key: Tensor, value: Tensor, w: Tensor | [Tensor, Tensor, Tensor], b: Tensor | null): Tensor[] {
  if (!Array.isArray(w)) {
    const e = query.dims[query.dim() - 1];
    check(w.dim() === 2 && w.dims[0] === 3 * e,
      `in_proj_weight of shape ${torchSize(w.dims)} does not split into query, key and value projections (expected ${tuple([3 * e, e])})`);
    check(b === null || (b.dim() === 1 && b.dims[0] === 3 * e), `in_proj_bias of shape ${torchSize(b?.dims ?? [])} does not match in_proj_weight (expected (${3 * e},))`);
  }
  if (!Array.isArray(w) && key === value) {
    if (query === key) return chunk(linear(query, w, b), 3, -1);
    const e = query.dims[query.dim() - 1];
    const [wq, wkv] = split(w, [e, 2 * e]), [bq, bkv] = b === null ? [null, null] : split(b, [e, 2 * e]);
    return [linear(query, wq, bq), ...chunk(linear(key, wkv, bkv), 2, -1)];
  }
  const ws = Array.isArray(w) ? w : chunk(w, 3), bs = b === null ? [null, null, null] : chunk(b, 3);
  return [linear(query, ws[0], bs[0]), linear(key, ws[1], bs[1]), linear(value, ws[2], bs[2])];
}

/** PyTorch's pad(mask, (0, 1)): one more key column that masks nothing. */
const padKey = (mask: Tensor): Tensor => cat([mask, zeros([...mask.dims.slice(0, -1), 1], { dtype: mask.dtype, device: mask.device })], -1);

/** The 2-D or 3-D attn_mask as [1 or N·H, L, S], PyTorch's checks and words. */
function shapeAttnMask(mask: Tensor, tgt: number, src: number, batchHeads: number): Tensor {
  check(isFloating(mask.dtype) || mask.dtype === 'bool' || mask.dtype === 'uint8',
    `Only float, byte, and bool types are supported for attn_mask, not torch.${TYPE_NAMES[mask.dtype]}`);
  const m = mask.dtype === 'uint8' ? mask.to('bool') : mask;
  const want = m.dim() === 2 ? [tgt, src] : [batchHeads, tgt, src];
  if (m.dim() !== 2 && m.dim() !== 3) throw new RuntimeError(`attn_mask's dimension ${m.dim()} is not supported`);
  if (m.dims.some((d, i) => d !== want[i])) {
    throw new RuntimeError(`The shape of the ${m.dim()}D attn_mask is ${torchSize(m.dims)}, but should be ${tuple(want)}.`);
  }
  return m.dim() === 2 ? unsqueeze(m, 0) : m;
}

/** The packed in-projection weight, or the three separate ones, with PyTorch's checks. */
function projWeights(inProjWeight: Tensor | null, separate: boolean, options: MultiHeadAttentionOptions): Tensor | [Tensor, Tensor, Tensor] {
  if (!separate) {
    check(inProjWeight !== null, 'use_separate_proj_weight is False but in_proj_weight is None');
    return inProjWeight as Tensor;
  }
  const { qProjWeight: wq = null, kProjWeight: wk = null, vProjWeight: wv = null } = options;
  check(wq !== null, 'use_separate_proj_weight is True but q_proj_weight is None');
  check(wk !== null, 'use_separate_proj_weight is True but k_proj_weight is None');
  check(wv !== null, 'use_separate_proj_weight is True but v_proj_weight is None');
  return [wq as Tensor, wk as Tensor, wv as Tensor];
}

/** The attention mask [1 or N·H, L, S] and the key padding mask [N, S] as one mask over [N, H, L, S]. */
function combineMasks(mask: Tensor | null, kpm: Tensor | null, bsz: number, numHeads: number, srcLen: number): Tensor | null {
  const m = mask === null ? null : mask.dims[0] === 1 ? unsqueeze(mask, 0) : reshape(mask, [bsz, numHeads, ...mask.dims.slice(1)]);
  if (kpm === null) return m;
  check(kpm.dims[0] === bsz && kpm.dims[1] === srcLen,
    `expecting key_padding_mask shape of ${tuple([bsz, srcLen])}, but got ${torchSize(kpm.dims)}`);
  // Every head masks the same keys: [N, 1, 1, S] broadcasts.
  const padding = reshape(kpm, [bsz, 1, 1, srcLen]);
  if (m === null) return padding;
  return m.dtype === 'bool' ? logicalOr(m, padding) : maskedFill(m, padding, -Infinity);
}

/** Key and value agree in shape (in sequence and batch only, with separate projections); shapes as [S, N, E]. */
function checkKeyValue(key: readonly number[], value: readonly number[], separate: boolean): void {
  if (separate) {
    check(key[0] === value[0] && key[1] === value[1],
      `key's sequence and batch dims ${torchSize(key.slice(0, 2))} do not match value's ${torchSize(value.slice(0, 2))}`);
  } else {
    check(key.every((d, i) => d === value[i]) && key.length === value.length,
      `key shape ${torchSize(key)} does not match value shape ${torchSize(value)}`);
  }
}

/** Static keys and values [N·H, S, d] as [N, H, S, d]. */
function staticHeads(x: Tensor, name: string, bsz: number, numHeads: number, headDim: number): Tensor {
  check(x.dims[0] === bsz * numHeads, `expecting ${name}.size(0) of ${bsz * numHeads}, but got ${x.dims[0]}`);
  check(x.dims[2] === headDim, `expecting ${name}.size(2) of ${headDim}, but got ${x.dims[2]}`);
  return reshape(x, [bsz, numHeads, x.dims[1], headDim]);
}

/**
 * Multi-head attention on [L, N, E] (or unbatched [L, E]) query and [S, N, E] key and value, as
 * PyTorch 1.13's F.multi_head_attention_forward: returns the output and, if needWeights, the weights
 * ([N, L, S] averaged over heads, or [N, H, L, S]).
 */
export function multiHeadAttentionForward(
  query: Tensor, key: Tensor, value: Tensor, embedDimToCheck: number, numHeads: number,
  inProjWeight: Tensor | null, inProjBias: Tensor | null, biasK: Tensor | null, biasV: Tensor | null,
  addZeroAttn: boolean, dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null,
  options: MultiHeadAttentionOptions = {},
): [Tensor, Tensor | null] {
  return multiHeadAttention(
    query, key, value, embedDimToCheck, numHeads, inProjWeight, inProjBias, biasK, biasV, addZeroAttn, dropoutP,
    outProjWeight, outProjBias, options, false,
  );
}

// Note [Attention layouts]
// Heads are views [N, H, L, d] of the projections, taken in the input's own layout ([L, N, E], or
// [N, L, E] for nn.MultiheadAttention's batchFirst): the batched matmuls read strided views, so
// neither the inputs nor the heads are copied, and only the merged output is made contiguous.

/** multiHeadAttentionForward with inputs [L, N, E], or [N, L, E] when batchFirst (Note [Attention layouts]). */
export function multiHeadAttention(
  query: Tensor, key: Tensor, value: Tensor, embedDimToCheck: number, numHeads: number,
  inProjWeight: Tensor | null, inProjBias: Tensor | null, biasK: Tensor | null, biasV: Tensor | null,
  addZeroAttn: boolean, dropoutP: number, outProjWeight: Tensor, outProjBias: Tensor | null,
  options: MultiHeadAttentionOptions, batchFirst: boolean,
): [Tensor, Tensor | null] {
  const { training = true, needWeights = true, useSeparateProjWeight = false, averageAttnWeights = true } = options;
  const { staticK = null, staticV = null } = options;
  let kpm = options.keyPaddingMask ?? null, attnMask = options.attnMask ?? null;
  const batched = isBatched(query, key, value, kpm, attnMask, numHeads);
  if (!batched) {
    [query, key, value] = [unsqueeze(query, 1), unsqueeze(key, 1), unsqueeze(value, 1)];
    if (kpm !== null) kpm = unsqueeze(kpm, 0);
  }
  const bd = batched && batchFirst ? 0 : 1, sd = 1 - bd;
  // Shapes as PyTorch sees them, [L, N, E], for its messages.
  const seqFirst = (x: Tensor): number[] => (bd === 1 ? [...x.dims] : [x.dims[1], x.dims[0], x.dims[2]]);
  const [tgt, bsz, embedDim] = seqFirst(query) as [number, number, number];
  if (kpm !== null) check(kpm.dtype === 'bool' || isFloating(kpm.dtype), 'only bool and floating types of key_padding_mask are supported');
  check(embedDim === embedDimToCheck, `was expecting embedding dimension of ${embedDimToCheck}, but got ${embedDim}`);
  const headDim = Math.trunc(embedDim / numHeads);
  check(headDim * numHeads === embedDim, `embed_dim ${embedDim} not divisible by num_heads ${numHeads}`);
  checkKeyValue(seqFirst(key), seqFirst(value), useSeparateProjWeight);
  let [q, k, v] = project(query, key, value, projWeights(inProjWeight, useSeparateProjWeight, options), inProjBias) as [Tensor, Tensor, Tensor];
  if (attnMask !== null) attnMask = shapeAttnMask(attnMask, tgt, key.dims[sd], bsz * numHeads);
  if (biasK !== null && biasV !== null) {
    check(staticK === null, 'bias cannot be added to static key.');
    check(staticV === null, 'bias cannot be added to static value.');
    const along = (b: Tensor): Tensor => expand(b, bd === 1 ? [1, bsz, embedDim] : [bsz, 1, embedDim]);
    k = cat([k, along(biasK)], sd);
    v = cat([v, along(biasV)], sd);
    if (attnMask !== null) attnMask = padKey(attnMask);
    if (kpm !== null) kpm = padKey(kpm);
  } else {
    check(biasK === null && biasV === null, '');
  }
  const heads = (x: Tensor): Tensor => permute(reshape(x, [x.dims[0], x.dims[1], numHeads, headDim]), bd === 1 ? [1, 2, 0, 3] : [0, 2, 1, 3]);
  q = heads(q);
  k = staticK === null ? heads(k) : staticHeads(staticK, 'static_k', bsz, numHeads, headDim);
  v = staticV === null ? heads(v) : staticHeads(staticV, 'static_v', bsz, numHeads, headDim);
  if (addZeroAttn) {
    k = cat([k, zeros([bsz, numHeads, 1, headDim], { dtype: k.dtype, device: k.device })], 2);
    v = cat([v, zeros([bsz, numHeads, 1, headDim], { dtype: v.dtype, device: v.device })], 2);
    if (attnMask !== null) attnMask = padKey(attnMask);
    if (kpm !== null) kpm = padKey(kpm);
  }
  const srcLen = k.dims[2];
  const mask = combineMasks(attnMask, kpm, bsz, numHeads, srcLen);
  const additiveMask = mask === null ? null : additive(mask, q, false), p = training ? dropoutP : 0;
  // Without the weights to return and without dropout on them, one node on the backend's attention kernels where it has them.
  const fused = needWeights || p > 0 ? null : fusedAttention(q, k, v, additiveMask, false, 1 / Math.sqrt(headDim));
  const [attnOut, weights] = fused !== null ? [fused, null] : attend(div(q, Math.sqrt(headDim)), k, v, additiveMask, p);
  // [N, H, L, d] → [L, N, E] (or [N, L, E]): heads side by side again for the output projection.
  const merged = reshape(permute(attnOut, bd === 1 ? [2, 0, 1, 3] : [0, 2, 1, 3]), bd === 1 ? [tgt, bsz, embedDim] : [bsz, tgt, embedDim]);
  let out = linear(merged, outProjWeight, outProjBias);
  if (!batched) out = squeeze(out, 1);
  if (!needWeights || weights === null) return [out, null];
  const avg = averageAttnWeights ? div(sum(weights, 1), numHeads) : weights;
  return [out, batched ? avg : squeeze(avg, 0)];
}
