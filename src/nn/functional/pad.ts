// src/nn/functional/pad.ts — F.pad: constant padding of any trailing dims (cat with filled blocks, narrow
// for negative amounts) and reflect / replicate / circular padding as one index_select per padded dim.
import { isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { NotImplementedError, RuntimeError } from '../../core/errors.js';
import { fmtShape } from '../../core/shape.js';
import { cat, indexSelect } from '../../ops/indexing.js';
import { narrow } from '../../ops/views.js';
import { full, tensor } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { hostTable } from './tables.js';

const TENSOR_TYPES = { float32: 'FloatTensor', float64: 'DoubleTensor', int32: 'IntTensor', int64: 'LongTensor', bool: 'BoolTensor', uint8: 'ByteTensor' } as const;

export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

export interface PadOptions {
  mode?: PadMode;
  /** The fill of constant padding (default 0). */
  value?: number | null;
}

/** Pads of `pad` as [dim, before, after], last dim first (PyTorch's order: (left, right, top, bottom, …)). */
function padsOf(x: Tensor, pad: readonly number[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < pad.length / 2; i++) out.push([x.dim() - 1 - i, pad[2 * i], pad[2 * i + 1]]);
  return out;
}

/** Removes negative padding (a crop), leaving the non-negative amounts to add. */
function crop(x: Tensor, pads: readonly [number, number, number][]): Tensor {
  let y = x;
  for (const [d, before, after] of pads) {
    if (before >= 0 && after >= 0) continue;
    const start = Math.max(-before, 0), length = y.dims[d] - start - Math.max(-after, 0);
    if (length < 0) throw new RuntimeError(`pad: start (${start}) + length (${length}) exceeds dimension size (${y.dims[d]}).`);
    y = narrow(y, d, start, length);
  }
  return y;
}

function constantPad(x: Tensor, pads: readonly [number, number, number][], value: number): Tensor {
  let y = crop(x, pads);
  const fill = isFloating(x.dtype) ? value : Math.trunc(value);
  for (const [d, before, after] of pads) {
    const parts: Tensor[] = [];
    const block = (n: number): Tensor => full(y.dims.map((s, i) => (i === d ? n : s)), fill, { dtype: x.dtype, device: x.device });
    if (before > 0) parts.push(block(before));
    parts.push(y);
    if (after > 0) parts.push(block(after));
    if (parts.length > 1) y = cat(parts, d);
  }
  return y;
}

const SOURCE: Record<Exclude<PadMode, 'constant'>, (i: number, n: number) => number> = {
  reflect: (i, n) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i),
  replicate: (i, n) => Math.min(Math.max(i, 0), n - 1),
  circular: (i, n) => ((i % n) + n) % n,
};

/** Non-constant padding: each output position along a dim reads one (reflected, clamped or wrapped) input position. */
function indexPad(x: Tensor, pads: readonly [number, number, number][], mode: Exclude<PadMode, 'constant'>): Tensor {
  let y = crop(x, pads);
  for (const [d, before, after] of pads) {
    const b = Math.max(before, 0), a = Math.max(after, 0), n = y.dims[d];
    if (b === 0 && a === 0) continue;
    const index = hostTable('pad', n + b + a, (j) => SOURCE[mode](j - b, n));
    y = indexSelect(y, d, tensor(index, { dtype: 'int64', device: x.device }));
  }
  return y;
}

/** PyTorch 1.13's checks of reflection_pad{1,2,3}d, replication_pad{1,2,3}d and _pad_circular. */
function checkNonConstant(x: Tensor, pad: readonly number[], mode: Exclude<PadMode, 'constant'>): void {
  const k = pad.length / 2;
  if (mode === 'circular') {
    if (pad.length !== 2 * (x.dim() - 2)) throw new RuntimeError(`pad: Invalid padding size, expected ${2 * (x.dim() - 2)} but got ${pad.length}`);
  } else if (![1, 2, 3].includes(k) || (x.dim() !== k + 1 && x.dim() !== k + 2)) {
    throw new NotImplementedError('pad: Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
  }
  const kernel = { reflect: `reflection_pad${k}d`, replicate: `replication_pad${k}d_cpu`, circular: null }[mode];
  if (kernel !== null && !isFloating(x.dtype)) throw new RuntimeError(`pad: "${kernel}" not implemented for '${TYPE_NAMES[x.dtype]}'`);
  const inner = x.dims.slice(x.dim() === k + 2 ? 1 : 0);
  if (mode === 'reflect' && inner.some((n) => n === 0)) {
    throw new RuntimeError(`pad: ${k + 1}D or ${k + 2}D (batch mode) tensor expected for input, but got: [ torch.${TENSOR_TYPES[x.dtype]}{${x.dims.join(',')}} ]`);
  }
  if (mode === 'replicate' && inner.some((n) => n === 0)) {
    throw new RuntimeError(`pad: Expected ${k + 1}D or ${k + 2}D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ${fmtShape(x.dims)}`);
  }
  for (const [d, before, after] of padsOf(x, pad)) {
    const n = x.dims[d];
    if (mode === 'reflect' && (before >= n || after >= n)) {
      throw new RuntimeError(
        `pad: Argument #${2 * k + 2}: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${d} of input ${fmtShape(x.dims)}`,
      );
    }
    if (mode === 'circular' && (before > n || after > n)) throw new RuntimeError('pad: Padding value causes wrapping around more than once.');
    if (n + before + after < (mode === 'circular' ? 0 : 1)) {
      throw new RuntimeError(mode === 'circular' ? 'pad: Negative padding value is resulting in an empty dimension' : `pad: input (W: ${n}) is too small. Calculated output W: ${n + before + after}`);
    }
  }
}

/**
 * Pads the trailing dims of `input` (F.pad): `pad` lists (before, after) amounts from the last dim
 * backwards; negative amounts crop. Modes: constant (any number of dims), reflect, replicate, circular.
 * @example F.pad(torch.ones(1, 2), [1, 1]) // tensor([[0., 1., 1., 0.]])
 */
export function pad(input: Tensor, pad: readonly number[], { mode = 'constant', value = null }: PadOptions = {}): Tensor {
  if (pad.length % 2 !== 0) throw new RuntimeError('pad: Padding length must be divisible by 2');
  if (pad.length / 2 > input.dim()) throw new RuntimeError('pad: Padding length too large');
  if (pad.some((p) => !Number.isInteger(p))) throw new RuntimeError(`pad: padding must be integers, but got ${fmtShape(pad)}`);
  if (mode === 'constant') return constantPad(input, padsOf(input, pad), value ?? 0);
  if (!(mode in SOURCE)) throw new NotImplementedError(`pad: Unrecognised padding mode ${mode}`);
  if (value !== null && value !== 0) throw new RuntimeError(`pad: Padding mode "${mode}" doesn't take in value argument`);
  checkNonConstant(input, pad, mode);
  return indexPad(input, padsOf(input, pad), mode);
}
