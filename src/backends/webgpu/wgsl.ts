// src/backends/webgpu/wgsl.ts — the WGSL every kernel shares: bindings, the 1-D thread index, strided offsets
// read from the dispatch's parameters, and conversions between the element types.
import type { DType } from '../../core/dtype.js';
import { ELEMENT, type Element, WORKGROUP } from './runtime.js';

/** Views of higher rank than this are refused by the kernels (after merging contiguous dims). */
export const MAX_RANK = 8;

/** The WGSL element type a dtype is stored as (float64 never reaches a kernel: the device refuses it). */
export function elementOf(dtype: DType): Element {
  const e = ELEMENT[dtype];
  if (e === null) throw new Error(`webgpu: no ${dtype} storage`);
  return e;
}

/** Storage bindings in order (`name: [element, writable]`), then the parameter array `p` after them. */
export function bindings(buffers: readonly (readonly [string, Element | `atomic<${Element}>`, boolean])[]): string {
  const lines = buffers.map(([name, type, write], i) =>
    `@group(0) @binding(${i}) var<storage, ${write ? 'read_write' : 'read'}> ${name}: array<${type}>;`);
  lines.push(`@group(0) @binding(${buffers.length}) var<storage, read> p: array<u32>;`);
  return lines.join('\n');
}

/** The entry point's header: `i`, this thread's element, and an early return past `p[0]` elements. */
export const MAIN = `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * ${WORKGROUP}u;
  if (i >= p[0]) { return; }`;

/**
 * `fn at(i) -> array<u32, K>`: the storage offsets of element `i` (row-major) in each of K views of one rank R,
 * read from the parameters laid out by `stridedParams`: p[0] = count, p[1 + v] = view v's offset, then the
 * shape (R words), then each view's strides (R words each).
 */
export function stridedAt(rank: number, views: number): string {
  const base = 1 + views, strides = base + rank;
  const init = Array.from({ length: views }, (_, v) => `p[${1 + v}]`).join(', ');
  const steps = Array.from({ length: views }, (_, v) => `    o[${v}] += c * p[${strides + v * rank}u + du];`).join('\n');
  return `fn at(i: u32) -> array<u32, ${views}> {
  var o = array<u32, ${views}>(${init});
  var rem = i;
  for (var d = ${rank - 1}; d >= 0; d--) {
    let du = u32(d);
    let s = p[${base}u + du];
    let c = rem % s;
    rem = rem / s;
${steps}
  }
  return o;
}`;
}

/** How a value of one element type becomes another dtype's element (PyTorch's casts: bools are 0/1, uint8 wraps). */
export function convert(expr: string, from: Element, to: DType): string {
  const into = elementOf(to);
  // Any bits but ±0 are true, NaN included (compilers may assume `v != 0.0` is false for NaN).
  if (to === 'bool') return from === 'f32' ? `u32((bitcast<u32>(${expr}) & 0x7fffffffu) != 0u)` : `u32(${expr} != ${from === 'i32' ? '0i' : '0u'})`;
  if (to === 'uint8') return from === 'f32' ? `(u32(i32(${expr})) & 255u)` : `(u32(${expr}) & 255u)`;
  if (from === into) return expr;
  return `${into}(${expr})`;
}
