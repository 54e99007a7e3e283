// src/backends/js/memory.ts — copy, fill and accumulate through strided views, with dtype casts.
import type { DataArray, DType } from '../../core/dtype.js';
import type { CpuView as View } from '../backend.js';
import { viewOffsets } from './strided.js';

/**
 * How a value becomes an element of `dtype` beyond what typed-array stores already do
 * (Int32Array truncates, Uint8Array wraps, Float32Array rounds): int64 lives in a
 * Float64Array (Note [int64 storage]) so it needs the truncation done here, and bool is 0/1.
 */
function caster(dtype: DType): ((v: number) => number) | null {
  if (dtype === 'int64') return Math.trunc;
  if (dtype === 'bool') return (v) => (v !== 0 ? 1 : 0);
  if (dtype === 'uint8') return (v) => Math.trunc(v) & 0xff;
  return null;
}

export function copy(src: View, dst: View): void {
  const s = src.storage.data, d = dst.storage.data;
  const cast = src.storage.dtype === dst.storage.dtype ? null : caster(dst.storage.dtype);
  const is = viewOffsets(src), id = viewOffsets(dst);
  let n = 1;
  for (const k of dst.shape) n *= k;
  if (n === 0) return; // an empty view's offset may lie past its storage's end
  if (is === null && id === null && cast === null) {
    if (s === d && src.offset === dst.offset) return;
    d.set(s.subarray(src.offset, src.offset + n), dst.offset);
    return;
  }
  const so = src.offset, dO = dst.offset;
  if (cast === null) {
    for (let i = 0; i < n; i++) d[id ? id[i] : dO + i] = s[is ? is[i] : so + i];
  } else {
    for (let i = 0; i < n; i++) d[id ? id[i] : dO + i] = cast(s[is ? is[i] : so + i]);
  }
}

export function fill(dst: View, value: number): void {
  const d: DataArray = dst.storage.data, id = viewOffsets(dst);
  const v = caster(dst.storage.dtype)?.(value) ?? value;
  let n = 1;
  for (const k of dst.shape) n *= k;
  if (id === null) d.fill(v, dst.offset, dst.offset + n);
  else for (let i = 0; i < n; i++) d[id[i]] = v;
}

export function addInto(src: View, dst: View): void {
  const s = src.storage.data, d = dst.storage.data;
  const is = viewOffsets(src), id = viewOffsets(dst);
  const so = src.offset, dO = dst.offset;
  let n = 1;
  for (const k of dst.shape) n *= k;
  for (let i = 0; i < n; i++) d[id ? id[i] : dO + i] += s[is ? is[i] : so + i];
}
