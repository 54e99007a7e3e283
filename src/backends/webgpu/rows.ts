// src/backends/webgpu/rows.ts — views seen as rows: dims split into kept and reduced (each merged), the WGSL
// that turns a row or element number into storage offsets, and the lanes-per-row layout of row kernels.
import { coalesce } from '../native/views.js';
import type { Params } from './runtime.js';
import { MAX_RANK } from './wgsl.js';

/** Some dims of a shape, merged where every view walks them alike, with each view's strides. */
export interface Dims {
  readonly shape: readonly number[];
  readonly strides: readonly (readonly number[])[];
}

export const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Row-major strides of a dense `shape`. */
export function denseStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

/** Merges dims of one shape walked by several views; refuses what the kernels' offset code cannot hold. */
export function mergeDims(shape: readonly number[], strides: readonly (readonly number[])[]): Dims {
  const [dims, merged] = coalesce(shape, ...strides);
  if (dims.length > MAX_RANK) throw new Error(`webgpu: views of more than ${MAX_RANK} non-mergeable dims are not supported`);
  return { shape: dims, strides: merged };
}

/** `shape` split into the dims outside `axes` (rows, in order) and those in it (a row's elements). */
export function splitDims(shape: readonly number[], axes: readonly number[], strides: readonly (readonly number[])[]): [Dims, Dims] {
  const pick = (inAxes: boolean) => {
    const dims = shape.map((_, d) => d).filter((d) => axes.includes(d) === inAxes);
    return mergeDims(dims.map((d) => shape[d]), strides.map((s) => dims.map((d) => s[d])));
  };
  return [pick(false), pick(true)];
}

/** Appends the words `offsetsFn` reads: the shape, then each view's strides. */
export function writeDims(p: Params, dims: Dims): void {
  p.u32(...dims.shape);
  for (const s of dims.strides) p.u32(...s);
}

/**
 * `fn name(i: u32) -> array<u32, K>`: the offsets, relative to each of K views' start, of element `i` (row-major)
 * of dims whose shape is at p[base..] and whose strides follow (Dims order). The rank is read from the
 * parameters too (the WGSL expression `rank`), so one pipeline serves views of every rank.
 */
export function offsetsFn(name: string, views: number, base: string, rank: string): string {
  const steps = Array.from({ length: views }, (_, v) => `    o[${v}] += c * p[b + r * ${1 + v}u + d];`).join('\n');
  return `fn ${name}(i: u32) -> array<u32, ${views}> {
  var o: array<u32, ${views}>;
  let b = ${base};
  let r = ${rank};
  var rem = i;
  for (var e = r; e > 0u; e--) {
    let d = e - 1u;
    let s = p[b + d];
    let c = rem % s;
    rem = rem / s;
${steps}
  }
  return o;
}`;
}

/** The smallest power of two ≥ n (1 for n ≤ 1). */
export function pow2ceil(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Workgroup counts (x, y) for `count` workgroups, each dimension within the device's limit. */
export function groupsGrid(count: number, maxPerDimension: number): [number, number] {
  const x = Math.max(1, Math.min(count, maxPerDimension));
  return [x, Math.ceil(count / x)];
}

/** The entry point of a kernel of whole workgroups, `w` its workgroup's number; surplus workgroups leave at once. */
export const GROUP_MAIN = (groupsWord: number, size: number): string => `@compute @workgroup_size(${size})
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let w = wid.x + wid.y * nwg.x;
  if (w >= p[${groupsWord}]) { return; }`;

// Note [Lanes per row]
// Row kernels (reductions, arg-reductions, softmax) give each row L lanes of a 256-thread workgroup, so that a
// workgroup holds G = 256 / L rows: a long row gets the whole workgroup and a short one a few threads, and
// neither a million rows of 3 nor one row of a million leaves threads idle. When a row's elements lie closer
// together in memory than consecutive rows do ("inner"), neighbouring threads take neighbouring elements of
// one row (t = g·L + lane); otherwise they take the same element of neighbouring rows (t = lane·G + g), so
// reads coalesce either way. Each lane folds its elements serially, then the lanes combine in a tree in
// workgroup memory: slot t, partner t + h (inner) or t + h·G.

/** L and whether rows are inner, for rows of `n` elements each folded `perLane` at a time by a lane. */
export function laneLayout(rows: number, n: number, perLane: number, rowStride: number, elementStride: number): { lanes: number; inner: boolean } {
  const want = Math.min(256, pow2ceil(Math.ceil(n / perLane)));
  const inner = rows <= 1 || (n > 1 && elementStride <= rowStride);
  // Across rows, 32 neighbouring rows (L = 8) read 128 contiguous bytes per step, so L grows past 8 only to fill
  // the workgroup when there are few rows.
  return { lanes: inner ? want : Math.min(want, Math.max(8, 256 / pow2ceil(rows))), inner };
}

/** WGSL computing `lane`, `g` (the row within the workgroup), `G` and `step` (the slot distance of neighbouring lanes) from `t`. */
export const laneCode = (lanesWord: number, innerWord: number): string => `  let L = p[${lanesWord}];
  let G = 256u / L;
  let inner = p[${innerWord}] == 1u;
  let lane = select(t / G, t % L, inner);
  let g = select(t % G, t / L, inner);
  let step = select(G, 1u, inner);`;

/** The smallest stride among dims (the first view's), or Infinity for none. */
export const minStride = (dims: Dims): number => Math.min(...dims.strides[0]);
