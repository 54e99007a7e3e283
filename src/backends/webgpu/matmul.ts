// src/backends/webgpu/matmul.ts — batched matrix products: the tiled GEMM of gemm.ts, with k split when there are
// few tiles, and a GEMV for m = 1 or n = 1.
import { coalesce } from '../native/views.js';
import { chooseTile, encodeGemm, gemmCode, type GemmShape, type Load, splitK, type TileSize, workgroupsOf } from './gemm.js';
import type { Element, GpuRuntime } from './runtime.js';
import type { GpuStorage, GpuView } from './storage.js';
import { elementOf, MAX_RANK } from './wgsl.js';

/** Test and benchmark overrides of the kernel choice. */
export interface MatmulChoice {
  readonly tile?: TileSize;
  readonly splits?: number;
  /** false: the tiled kernel even for m = 1 or n = 1. */
  readonly gemv?: boolean;
  /** A smaller limit on workgroups per grid dimension, so that small tests fold the grid as huge products do. */
  readonly gridLimit?: number;
}


const numelOf = (shape: readonly number[]): number => shape.reduce((x, y) => x * y, 1);

/** How a matrix operand is read (Note [GEMM tiles]): vec4 along a dim of stride 1 when aligned, else strided. */
export function loadOf(offset: number, outer: number, k: number, batch: readonly number[]): Load {
  const aligned = offset % 4 === 0 && batch.every((s) => s % 4 === 0);
  if (k === 1 && aligned && outer % 4 === 0) return { kind: 'vecK' };
  if (outer === 1 && aligned && k % 4 === 0) return { kind: 'vecOuter' };
  return { kind: 'strided', walk: Math.abs(outer) <= Math.abs(k) ? 'outer' : 'k' };
}

/** The GEMV's WGSL: 'rows' gives each output 32 lanes along k, 'cols' 4 lanes and puts outputs side by side. */
function gemvCode(e: Element, mode: 'rows' | 'cols', byte: boolean): string {
  const [outs, lanes] = mode === 'rows' ? [8, 32] : [64, 4];
  const [local, lane, next] = mode === 'rows' ? ['t / 32u', 't % 32u', '1u'] : ['t % 64u', 't / 64u', '64u'];
  return `// gemv ${e} ${mode}
@group(0) @binding(0) var<storage, read> X: array<${e}>;
@group(0) @binding(1) var<storage, read> V: array<${e}>;
@group(0) @binding(2) var<storage, read_write> O: array<${e}>;
@group(0) @binding(3) var<storage, read> p: array<u32>;
var<workgroup> part: array<${e}, 256>;
fn bases(z: u32) -> vec2u {
  var rem = z;
  var o = vec2u(p[5], p[8]);
  for (var d = i32(p[4]) - 1; d >= 0; d--) {
    let du = u32(d);
    let c = rem % p[10u + du];
    rem = rem / p[10u + du];
    o += c * vec2u(p[18u + du], p[26u + du]);
  }
  return o;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let group = wg.x + wg.y * nwg.x;
  if (group >= p[2]) { return; }
  let z = wg.z + p[3];
  let b = bases(z);
  let o = group * ${outs}u + ${local};
  let lane = ${lane};
  let count = p[0];
  var acc = ${e}(0);
  if (o < count) {
    let row = b.x + o * p[6];
    for (var k = lane; k < p[1]; k += ${lanes}u) { acc += X[row + k * p[7]] * V[b.y + k * p[9]]; }
  }
  part[t] = acc;
  workgroupBarrier();
  if (lane == 0u && o < count) {
    var s = ${e}(0);
    for (var l = 0u; l < ${lanes}u; l++) { s += part[t + l * ${next}]; }
    O[z * count + o] = ${byte ? 's & 255u' : 's'};
  }
}`;
}

/**
 * Encodes out[z, i] = Σ_k X[z, i, k]·V[z, k]: X is A (n = 1) or, `transposed`, B (m = 1) read as its transpose,
 * V the other operand. Outputs go to x and y of the grid (folded under the limit), the batch to z.
 */
function encodeGemv(rt: GpuRuntime, code: (mode: 'rows' | 'cols') => string, g: GemmShape, x: GpuView, v: GpuView, out: GPUBuffer, transposed: boolean, limit: number): void {
  const [count, mx, vx] = transposed ? [g.n, g.b, g.a] : [g.m, g.a, g.b];
  const mode = mx.outer === 1 && mx.k !== 1 ? 'cols' : 'rows';
  const groups = Math.ceil(count / (mode === 'rows' ? 8 : 64));
  const gx = Math.min(groups, limit), gy = Math.ceil(groups / gx), zs = numelOf(g.batch);
  const pad = (s: readonly number[]): number[] => [...s, ...new Array<number>(MAX_RANK - s.length).fill(0)];
  for (let zBase = 0; zBase < zs; zBase += limit) {
    rt.dispatch(code(mode), [x.storage.buffer, v.storage.buffer, out], [gx, gy, Math.min(limit, zs - zBase)], (p) =>
      p.u32(count, g.k, groups, zBase, g.batch.length).i32(mx.offset, mx.outer, mx.k, vx.offset, vx.k).u32(...pad(g.batch)).i32(...pad(mx.batch), ...pad(vx.batch)));
  }
}

/** The matrix-product kernels of the webgpu backend; `force` pins the kernel choice (tests, benchmarks). */
export function matmulKernels(rt: GpuRuntime, force: MatmulChoice = {}) {
  const limit = force.gridLimit ?? rt.device.limits.maxComputeWorkgroupsPerDimension;
  const codes = new Map<string, string>();
  const cached = (key: string, make: () => string): string => {
    let code = codes.get(key);
    if (code === undefined) codes.set(key, (code = make()));
    return code;
  };

  function tiled(g: GemmShape, a: GpuView, b: GpuView, out: GPUBuffer): void {
    const dtype = a.storage.dtype, e = elementOf(dtype), byte = dtype === 'uint8', z = numelOf(g.batch);
    const size = force.tile ?? chooseTile(g.m, g.n, z);
    const split = splitK(workgroupsOf(g.m, g.n, z, size), g.k, force.splits);
    const la = loadOf(g.a.offset, g.a.outer, g.a.k, g.a.batch), lb = loadOf(g.b.offset, g.b.outer, g.b.k, g.b.batch);
    const spec = { name: 'matmul', e, size, a: la, b: lb, vecC: g.n % 4 === 0, byte };
    const code = cached(JSON.stringify(spec), () => gemmCode(spec));
    encodeGemm(rt, code, e, byte, [a.storage.buffer, b.storage.buffer], out, g, size, split, { limit });
  }

  return {
    /** out[..., m, n] = a[..., m, k] @ b[..., k, n]; batch dims already broadcast (stride 0 allowed). */
    matmul(a: GpuView, b: GpuView, out: GpuStorage): void {
      const nd = a.shape.length, m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
      const [batch, [aBatch, bBatch]] = coalesce(a.shape.slice(0, nd - 2), a.strides.slice(0, nd - 2), b.strides.slice(0, nd - 2));
      if (batch.length > MAX_RANK) throw new Error(`webgpu: matmul over more than ${MAX_RANK} non-mergeable batch dims`);
      const count = numelOf(batch) * m * n;
      if (count === 0) return;
      if (k === 0) {
        rt.clear(out.buffer, count * 4);
        return;
      }
      // A dim of size 1 has no meaningful stride; 0 keeps the vec4 alignment tests simple.
      const stride = (v: GpuView, d: number): number => (v.shape[d] === 1 ? 0 : v.strides[d]);
      const g: GemmShape = {
        m, n, k, batch,
        a: { offset: a.offset, outer: stride(a, nd - 2), k: stride(a, nd - 1), batch: aBatch },
        b: { offset: b.offset, outer: stride(b, nd - 1), k: stride(b, nd - 2), batch: bBatch },
      };
      // WebGPU cannot bind one buffer as both read and written in a dispatch.
      const aliased = out.buffer === a.storage.buffer || out.buffer === b.storage.buffer;
      const target = aliased ? rt.acquire(count * 4) : out.buffer;
      const dtype = a.storage.dtype, e = elementOf(dtype), byte = dtype === 'uint8';
      const gemv = (mode: 'rows' | 'cols'): string => cached(`gemv ${e} ${mode} ${byte}`, () => gemvCode(e, mode, byte));
      if (force.gemv !== false && n === 1) encodeGemv(rt, gemv, g, a, b, target, false, limit);
      else if (force.gemv !== false && m === 1) encodeGemv(rt, gemv, g, b, a, target, true, limit);
      else tiled(g, a, b, target);
      if (aliased) {
        rt.copyBuffer(target, 0, out.buffer, 0, count * 4);
        rt.release(target);
      }
    },
  };
}
