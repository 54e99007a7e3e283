// src/backends/js/strided.ts — turning strided views into flat element offsets for plain loops.
import { allocArray } from '../../core/dtype.js';
import type { Shape } from '../../core/shape.js';
import type { CpuView as View } from '../backend.js';

/** Whether the view reads its storage row-major with no gaps (from `offset`). */
export function isDense(v: View): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const n = v.shape[i];
    if (n === 0) return true;
    if (n !== 1) {
      if (v.strides[i] !== expected) return false;
      expected *= n;
    }
  }
  return true;
}

/**
 * The storage offset of every element of (shape, strides, offset) in row-major order.
 * Kernels index `data[offsets[i]]`, so one loop serves every layout.
 */
export function offsetsOf(shape: Shape, strides: Shape, offset: number): Int32Array {
  let numel = 1;
  for (const n of shape) numel *= n;
  const out = allocArray('int32', numel) as Int32Array;
  if (numel === 0) return out;
  const ndim = shape.length;
  if (ndim === 0) {
    out[0] = offset;
    return out;
  }
  const last = ndim - 1, inner = shape[last], innerStride = strides[last];
  const counter = new Array<number>(ndim).fill(0);
  let base = offset, i = 0;
  for (;;) {
    for (let j = 0; j < inner; j++) out[i++] = base + j * innerStride;
    let d = last - 1;
    for (; d >= 0; d--) {
      counter[d]++;
      base += strides[d];
      if (counter[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      counter[d] = 0;
    }
    if (d < 0) return out;
  }
}

/** Offsets of a view, or null when it is dense (then element i is at offset + i). */
export function viewOffsets(v: View): Int32Array | null {
  return isDense(v) ? null : offsetsOf(v.shape, v.strides, v.offset);
}

/** Offsets for a view, always materialised. */
export function allOffsets(v: View): Int32Array {
  return offsetsOf(v.shape, v.strides, v.offset);
}
