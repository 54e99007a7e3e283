// src/backends/webgpu/indexing.ts — gather, scatter, scatter-add and accumulation into a possibly self-overlapping view:
// one thread per element, with atomics wherever two threads may add into one place.
import type { DType } from '../../core/dtype.js';
import type { ScatterReduce } from '../backend.js';
import { grid, type Element, type GpuRuntime, type Params } from './runtime.js';
import { type Dims, mergeDims, numelOf, writeDims } from './rows.js';
import type { GpuStorage, GpuView } from './storage.js';
import { bindings, elementOf, MAIN, stridedAt } from './wgsl.js';

/** A view's place in a kernel: its storage, offset and strides (over the kernel's shape). */
interface Walk {
  readonly storage: GpuStorage;
  readonly offset: number;
  readonly strides: readonly number[];
}

/** How a kernel combines a value into its destination: add_at's operation. */
type Combine = 'add' | 'multiply';

/**
 * `fn add_at(a: u32, v)`: d[a] += v (or *= v) for any number of threads at once. WGSL has atomic adds only for
 * integers: the rest (float32, products, and the byte types, which wrap at 256 as a Uint8Array does) retry a
 * compare-exchange on the bits.
 */
function atomicCombine(e: Element, op: 'add' | 'multiply'): string {
  if (e === 'i32' && op === 'add') return 'fn add_at(a: u32, v: i32) { atomicAdd(&d[a], v); }';
  const sym = op === 'add' ? '+' : '*';
  const next = e === 'f32' ? `bitcast<u32>(bitcast<f32>(old) ${sym} v)` : e === 'i32' ? `old ${sym} v` : `(old ${sym} v) & 255u`;
  return `fn add_at(a: u32, v: ${e}) {
  var old = atomicLoad(&d[a]);
  loop {
    let r = atomicCompareExchangeWeak(&d[a], old, ${next});
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}`;
}

/** The same without atomics, for a destination no two threads share. */
function plainCombine(e: Element, op: Combine): string {
  const sym = op === 'add' ? '+' : '*';
  return `fn add_at(a: u32, v: ${e}) { d[a] = ${e === 'u32' ? `(d[a] ${sym} v) & 255u` : `d[a] ${sym} v`}; }`;
}

/** The binding type of a destination `add_at` updates. */
const destination = (e: Element, atomic: boolean): Element | `atomic<${Element}>` => (atomic ? (e === 'i32' ? 'atomic<i32>' : 'atomic<u32>') : e);

/**
 * Whether two positions of the view can share an element: with dims sorted by stride, each stride must exceed
 * the furthest offset the smaller dims reach, or the view overlaps itself (a sufficient test for views).
 */
function overlaps(v: GpuView): boolean {
  const dims = v.shape.map((n, d) => [n, v.strides[d]] as const).filter(([n]) => n > 1).sort((a, b) => a[1] - b[1]);
  let reach = 0;
  for (const [n, s] of dims) {
    if (s <= reach) return true;
    reach += (n - 1) * s;
  }
  return false;
}

/** The parameters `stridedAt` reads (count, offsets, shape, strides), then `extra` words. */
const stridedParams = (n: number, dims: Dims, walks: readonly Walk[], ...extra: number[]) => (p: Params) => {
  p.u32(n, ...walks.map((w) => w.offset));
  writeDims(p, dims);
  p.i32(...extra);
};

/** A buffer to read `storage` from in a dispatch that writes `written`: a copy when they are the same one. */
function readable(rt: GpuRuntime, storage: GpuStorage, written: GPUBuffer): [GPUBuffer, () => void] {
  if (storage.buffer !== written) return [storage.buffer, () => undefined];
  const copy = rt.acquire(storage.numel * 4);
  rt.copyBuffer(storage.buffer, 0, copy, 0, storage.numel * 4);
  return [copy, () => { rt.release(copy); }];
}

/** The strides of x over index's shape with `dim` zeroed: index values pick the position along it. */
const along = (x: GpuView, dim: number): number[] => x.strides.map((s, d) => (d === dim ? 0 : s));

/**
 * d[walks[0] + index · stride] += src over `shape` (walks: destination with dim zeroed, index, source), or
 * without an index d[walks[0]] += src (walks: destination, source).
 */
function accumulate(rt: GpuRuntime, shape: readonly number[], dtype: DType, walks: readonly Walk[], withIndex: boolean, stride: number, atomic: boolean, combine: Combine = 'add'): void {
  const n = numelOf(shape);
  if (n === 0) return;
  const dims = mergeDims(shape, walks.map((w) => w.strides));
  const e = elementOf(dtype), src = walks.length - 1;
  const [source, done] = readable(rt, walks[src].storage, walks[0].storage.buffer);
  const target = withIndex ? `u32(i32(a[0]) + ind[a[1]] * bitcast<i32>(p[${1 + walks.length + dims.shape.length * (1 + walks.length)}]))` : 'a[0]';
  const code = [
    `// ${withIndex ? `scatter-${combine}` : 'add into'} ${dtype} rank ${dims.shape.length}${atomic ? ' atomic' : ''}`,
    bindings([['d', destination(e, atomic), true], ...(withIndex ? [['ind', 'i32', false] as const] : []), ['s', e, false]]),
    atomic ? atomicCombine(e, combine) : plainCombine(e, combine),
    stridedAt(dims.shape.length, walks.length),
    MAIN,
    '  let a = at(i);',
    `  add_at(${target}, s[a[${src}]]);`,
    '}',
  ].join('\n');
  const buffers = [...walks.slice(0, src).map((w) => w.storage.buffer), source];
  rt.dispatch(code, buffers, grid(n, rt.device.limits.maxComputeWorkgroupsPerDimension), stridedParams(n, dims, walks, stride));
  done();
}

/**
 * dst[index …] = src with the last writer in index order winning, as on the CPU: one pass records each place's
 * last writer (atomicMax of its number + 1), a second lets only that writer store.
 */
function scatterAssign(rt: GpuRuntime, walks: readonly Walk[], shape: readonly number[], stride: number): void {
  const n = numelOf(shape);
  if (n === 0) return;
  const dst = walks[0].storage, dims = mergeDims(shape, walks.map((w) => w.strides));
  const e = elementOf(dst.dtype), bytes = dst.numel * 4;
  const [source, done] = readable(rt, walks[2].storage, dst.buffer);
  const winner = rt.acquire(bytes);
  rt.clear(winner, bytes);
  const target = `u32(i32(a[0]) + ind[a[1]] * bitcast<i32>(p[${4 + dims.shape.length * 4}]))`;
  const pass = (last: boolean): string => [
    `// scatter ${last ? 'store' : 'last writer'} ${dst.dtype} rank ${dims.shape.length}`,
    last ? bindings([['d', e, true], ['w', 'u32', false], ['ind', 'i32', false], ['s', e, false]]) : bindings([['w', 'atomic<u32>', true], ['ind', 'i32', false]]),
    stridedAt(dims.shape.length, 3),
    MAIN,
    '  let a = at(i);',
    last ? `  let t = ${target};\n  if (w[t] == i + 1u) { d[t] = s[a[2]]; }` : `  atomicMax(&w[${target}], i + 1u);`,
    '}',
  ].join('\n');
  const groups = grid(n, rt.device.limits.maxComputeWorkgroupsPerDimension), params = stridedParams(n, dims, walks, stride);
  rt.dispatch(pass(false), [winner, walks[1].storage.buffer], groups, params);
  rt.dispatch(pass(true), [dst.buffer, winner, walks[1].storage.buffer, source], groups, params);
  rt.release(winner);
  done();
}

/** The indexing kernels of the webgpu backend. */
export function indexingKernels(rt: GpuRuntime) {
  const maxGroups = rt.device.limits.maxComputeWorkgroupsPerDimension;

  return {
    /** out[i] = x[… index[i] …] with the index along `dim`; out has index's shape. */
    gather(x: GpuView, dim: number, index: GpuView, out: GpuStorage): void {
      const n = numelOf(index.shape);
      if (n === 0) return;
      const walks: Walk[] = [{ storage: x.storage, offset: x.offset, strides: along(x, dim) }, { storage: index.storage, offset: index.offset, strides: index.strides }];
      const dims = mergeDims(index.shape, walks.map((w) => w.strides));
      const [source, done] = readable(rt, x.storage, out.buffer);
      const e = elementOf(x.storage.dtype);
      const code = [
        `// gather ${x.storage.dtype} rank ${dims.shape.length}`,
        bindings([['x', e, false], ['ind', 'i32', false], ['o', elementOf(out.dtype), true]]),
        stridedAt(dims.shape.length, 2),
        MAIN,
        '  let a = at(i);',
        `  o[i] = x[u32(i32(a[0]) + ind[a[1]] * bitcast<i32>(p[${3 + dims.shape.length * 3}]))];`,
        '}',
      ].join('\n');
      rt.dispatch(code, [source, index.storage.buffer, out.buffer], grid(n, maxGroups), stridedParams(n, dims, walks, x.strides[dim] ?? 0));
      done();
    },

    scatterAdd(dst: GpuView, dim: number, index: GpuView, src: GpuView): void {
      accumulate(rt, index.shape, dst.storage.dtype, [
        { storage: dst.storage, offset: dst.offset, strides: along(dst, dim) },
        { storage: index.storage, offset: index.offset, strides: index.strides },
        { storage: src.storage, offset: src.offset, strides: src.strides },
      ], true, dst.strides[dim] ?? 0, true);
    },

    /** dst[index …] = src (the last writer in index order wins) or *= src. */
    scatter(dst: GpuView, dim: number, index: GpuView, src: GpuView, reduce: ScatterReduce): void {
      const walks: Walk[] = [
        { storage: dst.storage, offset: dst.offset, strides: along(dst, dim) },
        { storage: index.storage, offset: index.offset, strides: index.strides },
        { storage: src.storage, offset: src.offset, strides: src.strides },
      ];
      if (reduce === 'assign') scatterAssign(rt, walks, index.shape, dst.strides[dim] ?? 0);
      else accumulate(rt, index.shape, dst.storage.dtype, walks, true, dst.strides[dim] ?? 0, true, 'multiply');
    },

    /** dst[i] += src[i]; atomics only where dst overlaps itself (the adjoint of an overlapping view). */
    addInto(src: GpuView, dst: GpuView): void {
      accumulate(rt, dst.shape, dst.storage.dtype, [
        { storage: dst.storage, offset: dst.offset, strides: dst.strides },
        { storage: src.storage, offset: src.offset, strides: src.strides },
      ], false, 0, overlaps(dst));
    },
  };
}
