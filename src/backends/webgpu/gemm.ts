// src/backends/webgpu/gemm.ts — the tiled GEMM that matmul and the convolutions share: C[z] = A[z]·B[z] over
// workgroup tiles staged in workgroup memory, register-blocked, with vec4 loads where the layout allows.
import { type Element, grid, type GpuRuntime, type Params } from './runtime.js';
import { bindings, MAIN, MAX_RANK } from './wgsl.js';

// Note [GEMM tiles]
// 256 threads (16×16) own a BM×BN tile of C, each a size×size block (size 8: 128×128, size 4: 64×64). Per step
// of BK = 16 along k the workgroup stages A's BM×16 and B's 16×BN slices in workgroup memory, both stored
// k-major as vec4 along m or n (16 KB for size 8, the WebGPU default limit), so a thread's inner step reads
// size/4 vec4 of A and of B and does size² multiply-adds. A thread's rows are ty·4 + 64·i (not contiguous) so
// that neighbouring threads read neighbouring vec4s. Global loads for the next step go to registers before the
// current step's arithmetic and to workgroup memory after it (one buffer, two barriers a step). Each operand
// is read in the way its layout allows: vec4 along a dim of stride 1 when its offsets are multiples of 4,
// otherwise scalars with the threads walking the dim of smaller stride (so neighbours still read neighbours).
// Loads outside the operand or past the step's end are zeros, so every tile edge (m, n, k) needs no other case.

/** Outputs per thread along each dim: the tile is 16·size square. */
export type TileSize = 4 | 8;
export const BK = 16;
export const tileOf = (size: TileSize): number => 16 * size;

/**
 * How the kernel reads one operand. 'vecOuter': stride 1 along m (A) or n (B); 'vecK': stride 1 along k; both
 * with offsets and the other stride multiples of 4. 'strided': any strides, the threads walking `walk`.
 * 'custom': a WGSL function `fn(o, k) -> T` of the outer index and k (the convolutions' implicit operands),
 * called only inside the operand.
 */
export type Load =
  | { readonly kind: 'vecOuter' }
  | { readonly kind: 'vecK' }
  | { readonly kind: 'strided'; readonly walk: 'outer' | 'k' }
  | { readonly kind: 'custom'; readonly fn: string; readonly walk: 'outer' | 'k' };

export interface GemmSpec {
  /** A comment naming the kernel (the pipeline cache keys on the whole source). */
  readonly name: string;
  readonly e: Element;
  readonly size: TileSize;
  readonly a: Load;
  readonly b: Load;
  /** N is a multiple of 4: C is written as vec4. */
  readonly vecC: boolean;
  /** uint8 results wrap to a byte. */
  readonly byte: boolean;
  /** More read-only bindings after C (before the parameters), as [name, WGSL element type]. */
  readonly extra?: readonly (readonly [string, string])[];
  /** WGSL functions the custom loads and the epilogue use (they may read the private `zb`, the batch index). */
  readonly helpers?: string;
  /** `fn(row, v: vec4<T>) -> vec4<T>` applied to each group of four results before the store (a bias). */
  readonly epilogue?: string;
}

/** Parameter words of a GEMM dispatch; the convolutions' own parameters start at `extra`. */
export const P = {
  m: 0, n: 1, k: 2, tilesN: 3, tiles: 4, zBase: 5, splits: 6, kChunk: 7, rank: 8,
  aOffset: 9, aOuter: 10, aK: 11, bOffset: 12, bOuter: 13, bK: 14, shape: 15, aBatch: 23, bBatch: 31, extra: 40,
} as const;

/** One GEMM's sizes and operand layouts, in elements: outer = m for A, n for B. */
export interface GemmShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** The batch dims (coalesced), enumerated row-major by z; C is contiguous [z, m, n]. */
  readonly batch: readonly number[];
  readonly a: { readonly offset: number; readonly outer: number; readonly k: number; readonly batch: readonly number[] };
  readonly b: { readonly offset: number; readonly outer: number; readonly k: number; readonly batch: readonly number[] };
}

const numelOf = (shape: readonly number[]): number => shape.reduce((x, y) => x * y, 1);

/** The batch's offsets into A and B, decoded from z over the batch dims. */
const BATCH_BASES = `fn batchBases(z: u32) -> vec2u {
  var rem = z;
  var o = vec2u(p[${P.aOffset}], p[${P.bOffset}]);
  for (var d = i32(p[${P.rank}]) - 1; d >= 0; d--) {
    let du = u32(d);
    let size = p[${P.shape}u + du];
    let c = rem % size;
    rem = rem / size;
    o += c * vec2u(p[${P.aBatch}u + du], p[${P.bBatch}u + du]);
  }
  return o;
}`;

/** Everything a GEMM kernel declares before its entry point: bindings, tiles, per-thread state, loads. */
function declarations(s: GemmSpec): string {
  const T = s.e, V = `vec4<${T}>`, bm = tileOf(s.size);
  const isVec = (l: Load): boolean => l.kind === 'vecOuter' || l.kind === 'vecK';
  const privates = ['lid', 'zb', 'M', 'N', 'kEnd', 'row0', 'col0', 'aBase', 'bBase'].map((name) => `var<private> ${name}: u32;`);
  return [
    `// gemm ${s.name}: ${T}, ${bm}x${bm} tiles, A ${describe(s.a)}, B ${describe(s.b)}${s.vecC ? ', vec4 C' : ''}`,
    `@group(0) @binding(0) var<storage, read> A: array<${isVec(s.a) ? V : T}>;`,
    `@group(0) @binding(1) var<storage, read> B: array<${isVec(s.b) ? V : T}>;`,
    `@group(0) @binding(2) var<storage, read_write> C: array<${s.vecC ? V : T}>;`,
    ...(s.extra ?? []).map(([name, type], i) => `@group(0) @binding(${3 + i}) var<storage, read> ${name}: array<${type}>;`),
    `@group(0) @binding(${3 + (s.extra?.length ?? 0)}) var<storage, read> p: array<u32>;`,
    `var<workgroup> As: array<${V}, ${(BK * bm) / 4}>;`,
    `var<workgroup> Bs: array<${V}, ${(BK * bm) / 4}>;`,
    ...privates,
    operandCode('a', s.a, s.size, T),
    operandCode('b', s.b, s.size, T),
    s.helpers ?? '',
    BATCH_BASES,
  ].join('\n');
}

/** The WGSL of one GEMM kernel (Note [GEMM tiles]). */
export function gemmCode(s: GemmSpec): string {
  const V = `vec4<${s.e}>`, bm = tileOf(s.size), rows = s.size / 4;
  const accs = Array.from({ length: s.size }, (_, r) => Array.from({ length: rows }, (__, j) => `c${r}_${j}`));
  const step = [
    ...Array.from({ length: rows }, (_, i) => `    let a${i} = As[kk * ${bm / 4}u + ty + ${16 * i}u];`),
    ...Array.from({ length: rows }, (_, j) => `    let b${j} = Bs[kk * ${bm / 4}u + tx + ${16 * j}u];`),
    ...accs.flatMap((row, r) => row.map((c, j) => `    ${c} += a${r >> 2}.${'xyzw'[r & 3]} * b${j};`)),
  ];
  return `${declarations(s)}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) t: u32) {
  let tile = wg.x + wg.y * nwg.x;
  if (tile >= p[${P.tiles}]) { return; }
  lid = t;
  M = p[${P.m}];
  N = p[${P.n}];
  let zz = wg.z + p[${P.zBase}];
  let splits = p[${P.splits}];
  zb = zz / splits;
  let kStart = (zz % splits) * p[${P.kChunk}];
  let kStop = min(p[${P.k}], kStart + p[${P.kChunk}]);
  kEnd = kStop;
  let bases = batchBases(zb);
  aBase = bases.x;
  bBase = bases.y;
  row0 = (tile / p[${P.tilesN}]) * ${bm}u;
  col0 = (tile % p[${P.tilesN}]) * ${bm}u;
  let tx = t % 16u;
  let ty = t / 16u;
${accs.flat().map((c) => `  var ${c} = ${V}();`).join('\n')}
  loadA(kStart);
  loadB(kStart);
  storeA();
  storeB();
  workgroupBarrier();
  for (var k0 = kStart; k0 < kStop; k0 += ${BK}u) {
    let more = k0 + ${BK}u < kStop;
    if (more) {
      loadA(k0 + ${BK}u);
      loadB(k0 + ${BK}u);
    }
    for (var kk = 0u; kk < ${BK}u; kk++) {
${step.join('\n')}
    }
    workgroupBarrier();
    if (more) {
      storeA();
      storeB();
    }
    workgroupBarrier();
  }
  let cz = zz * M * N;
${storeCode(s, accs)}
}`;
}

const describe = (l: Load): string => (l.kind === 'strided' || l.kind === 'custom' ? `${l.kind} along ${l.walk}` : l.kind);

/** The names and strides one operand's WGSL uses: X is A or B; outer is m for A, n for B. */
function names(x: 'a' | 'b', size: TileSize) {
  const bo = tileOf(size);
  return {
    x, X: x.toUpperCase(), bo, q: bo / 4, extent: x === 'a' ? 'M' : 'N', origin: x === 'a' ? 'row0' : 'col0',
    outer: `p[${x === 'a' ? P.aOuter : P.bOuter}]`, kStride: `p[${x === 'a' ? P.aK : P.bK}]`,
  };
}

/**
 * `fn loadX(k0)` (global to registers) and `fn storeX()` (registers to workgroup memory) for operand `x`. Every
 * layout puts element (o, k) of the step at Xs[k·BO/4 + o/4][o%4].
 */
function operandCode(x: 'a' | 'b', load: Load, size: TileSize, T: Element): string {
  const [regs, lines, stores] = load.kind === 'vecOuter' || load.kind === 'vecK' ? vecLoads(names(x, size), load.kind, size, T) : scalarLoads(names(x, size), load, size, T);
  return `${regs.join('\n')}
fn load${x.toUpperCase()}(k0: u32) {
${lines.join('\n')}
}
fn store${x.toUpperCase()}() {
${stores.join('\n')}
}`;
}

type Code = [regs: string[], loads: string[], stores: string[]];

/** vec4 loads along the dim of stride 1, size/4 per thread; along k they are spread over four rows of Xs. */
function vecLoads({ x, X, q, extent, origin, outer, kStride }: ReturnType<typeof names>, kind: 'vecOuter' | 'vecK', size: TileSize, T: Element): Code {
  const code: Code = [[], [], []];
  for (let j = 0; j < size / 4; j++) {
    const q4 = `lid + ${256 * j}u`;
    code[0].push(`var<private> ${x}r${j}: vec4<${T}>;`);
    if (kind === 'vecOuter') {
      code[1].push(
        `  { let o = ${origin} + 4u * ((${q4}) % ${q}u); let k = k0 + (${q4}) / ${q}u;`,
        `    let at = ${x}Base + o + k * ${kStride};`,
        `    let ok = (o + vec4u(0u, 1u, 2u, 3u) < vec4u(${extent})) & vec4<bool>(k < kEnd);`,
        `    ${x}r${j} = select(vec4<${T}>(), ${X}[select(0u, at / 4u, ok.x)], ok); }`,
      );
      code[2].push(`  ${X}s[${q4}] = ${x}r${j};`);
    } else {
      code[1].push(
        `  { let o = ${origin} + (${q4}) / 4u; let k = k0 + 4u * ((${q4}) % 4u);`,
        `    let at = ${x}Base + o * ${outer} + k;`,
        `    let ok = vec4<bool>(o < ${extent}) & (k + vec4u(0u, 1u, 2u, 3u) < vec4u(kEnd));`,
        `    ${x}r${j} = select(vec4<${T}>(), ${X}[select(0u, at / 4u, ok.x)], ok); }`,
      );
      code[2].push(
        `  { let o = (${q4}) / 4u; let kr = 4u * ((${q4}) % 4u); let v = ${x}r${j};`,
        ...[0, 1, 2, 3].map((c) => `    ${X}s[(kr + ${c}u) * ${q}u + o / 4u][o % 4u] = v.${'xyzw'[c]};`),
        '  }',
      );
    }
  }
  return code;
}

/** Scalar loads, size per thread, neighbouring threads on neighbouring elements of the `walk` dim. */
function scalarLoads({ x, X, bo, q, extent, origin, outer, kStride }: ReturnType<typeof names>, load: Exclude<Load, { kind: 'vecOuter' | 'vecK' }>, size: TileSize, T: Element): Code {
  const code: Code = [[], [], []];
  for (let j = 0; j < size; j++) {
    const e = `lid + ${256 * j}u`;
    const [o, kr] = load.walk === 'outer' ? [`(${e}) % ${bo}u`, `(${e}) / ${bo}u`] : [`(${e}) / ${BK}u`, `(${e}) % ${BK}u`];
    const value = load.kind === 'custom' ? `${load.fn}(o, k)` : `${X}[${x}Base + o * ${outer} + k * ${kStride}]`;
    code[0].push(`var<private> ${x}r${j}: ${T};`);
    code[1].push(
      `  { let o = ${origin} + ${o}; let k = k0 + ${kr};`,
      `    ${x}r${j} = ${T}(0);`,
      `    if (o < ${extent} && k < kEnd) { ${x}r${j} = ${value}; } }`,
    );
    code[2].push(`  { let o = ${o}; ${X}s[(${kr}) * ${q}u + o / 4u][o % 4u] = ${x}r${j}; }`);
  }
  return code;
}

/** Writes a thread's results: rows ty·4 + 64·i + r, columns tx·4 + 64·j (Note [GEMM tiles]). */
function storeCode(s: GemmSpec, accs: readonly (readonly string[])[]): string {
  const lines: string[] = [];
  accs.forEach((row, r) => {
    lines.push(`  { let row = row0 + (ty + ${16 * (r >> 2)}u) * 4u + ${r & 3}u;`, '    if (row < M) {');
    row.forEach((c, j) => {
      let v = s.epilogue === undefined ? c : `${s.epilogue}(row, ${c})`;
      if (s.byte) v = `(${v} & vec4u(255u))`;
      lines.push(`      { let col = col0 + (tx + ${16 * j}u) * 4u; let v = ${v};`);
      if (s.vecC) lines.push('        if (col < N) { C[(cz + row * N + col) / 4u] = v; } }');
      else lines.push(...[0, 1, 2, 3].map((k) => `        if (col + ${k}u < N) { C[cz + row * N + col + ${k}u] = v.${'xyzw'[k]}; }`), '      }');
    });
    lines.push('    }', '  }');
  });
  return lines.join('\n');
}

/** Writes a GEMM's parameters (P); `extra` appends the convolutions' own from P.extra. */
export function gemmParams(p: Params, g: GemmShape, size: TileSize, zBase: number, splits: number, kChunk: number): Params {
  const tile = tileOf(size), tilesN = Math.ceil(g.n / tile);
  const pad = (v: readonly number[]): number[] => [...v, ...new Array<number>(MAX_RANK - v.length).fill(0)];
  p.u32(g.m, g.n, g.k, tilesN, tilesN * Math.ceil(g.m / tile), zBase, splits, kChunk, g.batch.length);
  p.i32(g.a.offset, g.a.outer, g.a.k, g.b.offset, g.b.outer, g.b.k);
  p.u32(...pad(g.batch)).i32(...pad(g.a.batch), ...pad(g.b.batch), 0);
  return p;
}

/** How a GEMM is encoded beyond its shape: more parameters (from P.extra, in `slots` slots), a smaller grid limit (tests). */
export interface Encoding {
  readonly extra?: (p: Params) => void;
  readonly slots?: number;
  readonly limit?: number;
}

/**
 * Encodes one GEMM: the dispatches (the tiles folded into x and y under the per-dimension limit, the batch
 * and the k-splits in z, in chunks under it) writing C [z·splits, m, n]. `extra` writes the words from P.extra.
 */
function runGemm(
  rt: GpuRuntime, code: string, buffers: readonly GPUBuffer[], g: GemmShape, size: TileSize, splits: number, kChunk: number, how: Encoding,
): void {
  const { extra, slots = 1, limit = rt.device.limits.maxComputeWorkgroupsPerDimension } = how;
  const tile = tileOf(size), tiles = Math.ceil(g.m / tile) * Math.ceil(g.n / tile);
  const x = Math.min(tiles, limit), y = Math.ceil(tiles / x);
  const zs = numelOf(g.batch) * splits;
  if (tiles === 0) return;
  for (let zBase = 0; zBase < zs; zBase += limit) {
    rt.dispatch(code, buffers, [x, y, Math.min(limit, zs - zBase)], (p) => {
      gemmParams(p, g, size, zBase, splits, kChunk);
      extra?.(p);
    }, slots);
  }
}

// 128×128 tiles need this many workgroups before they beat 64×64 ones; below it the device would idle.
const BIG_TILE_WORKGROUPS = 128;

/** The tile size for an m×n product over `batch` matrices: the big tile only where there is work enough. */
export const chooseTile = (m: number, n: number, batch: number): TileSize =>
  Math.ceil(m / 128) * Math.ceil(n / 128) * batch >= BIG_TILE_WORKGROUPS ? 8 : 4;

/** Workgroups of an m×n product over `batch` matrices in tiles of `size`. */
export const workgroupsOf = (m: number, n: number, batch: number, size: TileSize): number =>
  Math.ceil(m / tileOf(size)) * Math.ceil(n / tileOf(size)) * batch;

/**
 * How many pieces to split k into so that a GEMM with very few tiles and a long k still fills the device: at
 * least TARGET workgroups, each piece at least MIN_CHUNK long (a multiple of BK). Returns [splits, chunk]. On an
 * H200 the extra pass cost more than it saved for every square and the seed shape (64 workgroups at 512²: 2.6
 * TFLOP/s split against 5.2 unsplit), so only products like a convolution's weight gradient (a few outputs,
 * k in the tens of thousands) split.
 */
export function splitK(workgroups: number, k: number, force?: number): [number, number] {
  const TARGET = 32, MIN_CHUNK = 1024, MAX_SPLITS = 64;
  const wanted = force ?? Math.min(MAX_SPLITS, Math.ceil(TARGET / Math.max(workgroups, 1)), Math.floor(k / MIN_CHUNK));
  const chunk = Math.max(BK, Math.ceil(k / Math.max(1, wanted) / BK) * BK);
  return [Math.max(1, Math.ceil(k / chunk)), chunk];
}

/** The WGSL that sums k-split partials [z, splits, mn] into C [z, mn]. */
function sumSplitsCode(e: Element, byte: boolean): string {
  return `// gemm split-k sum ${e}
${bindings([['S', e, false], ['O', e, true]])}
${MAIN}
  let mn = p[1];
  let splits = p[2];
  let first = (i / mn) * splits * mn + i % mn;
  var s = ${e}(0);
  for (var j = 0u; j < splits; j++) { s += S[first + j * mn]; }
  O[i] = ${byte ? 's & 255u' : 's'};
}`;
}

/**
 * Encodes a GEMM into `out` (C, contiguous [z, m, n]); with more than one k-split, into a scratch buffer of
 * partials that one more dispatch sums in split order (deterministic, unlike atomics).
 */
export function encodeGemm(
  rt: GpuRuntime, code: string, e: Element, byte: boolean, inputs: readonly GPUBuffer[], out: GPUBuffer, g: GemmShape,
  size: TileSize, [splits, chunk]: readonly [number, number], how: Encoding = {},
): void {
  const [a, b, ...rest] = inputs;
  if (splits === 1) {
    runGemm(rt, code, [a, b, out, ...rest], g, size, 1, chunk, how);
    return;
  }
  const count = numelOf(g.batch) * g.m * g.n;
  const scratch = rt.acquire(count * splits * 4);
  runGemm(rt, code, [a, b, scratch, ...rest], g, size, splits, chunk, how);
  rt.dispatch(sumSplitsCode(e, byte), [scratch, out], grid(count, rt.device.limits.maxComputeWorkgroupsPerDimension), (p) => p.u32(count, g.m * g.n, splits));
  rt.release(scratch);
}
