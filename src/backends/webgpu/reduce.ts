// src/backends/webgpu/reduce.ts — reductions over any set of axes (sum, prod, amax, amin, any, all) and
// arg-reductions (max, min with the first extreme's index): lanes fold, a tree combines, passes shrink.
import type { DType } from '../../core/dtype.js';
import type { ArgReduceOp, ReduceOp } from '../backend.js';
import { type Element, type GpuRuntime } from './runtime.js';
import { type Dims, GROUP_MAIN, groupsGrid, laneCode, laneLayout, minStride, numelOf, offsetsFn, splitDims, writeDims } from './rows.js';
import type { GpuStorage, GpuView } from './storage.js';
import { bindings, convert, elementOf } from './wgsl.js';

// Note [Reduction passes]
// A pass reduces rows laid out by Note [Lanes per row]: each lane folds PER_LANE elements serially, the lanes
// of a row combine in a tree, and a row longer than L·PER_LANE is cut into C chunks, each its own workgroup,
// whose results land in a [rows, C] scratch buffer. The next pass reduces that buffer's rows (contiguous) the
// same way, until C is 1 and the last pass writes `out` in its dtype. A float32 sum thus adds at most PER_LANE
// terms in a row before the tree takes over, so its error grows with PER_LANE + log n, not n (NumPy's pairwise
// sum likewise adds blocks of 128 serially). 64 keeps a workgroup's fixed cost, its tree's barriers, small
// against its loads: on SwiftShader a 16M-element sum took 3.1 s with 16 and 1.0 s with 64, and 16M elements
// still make 1024 workgroups, enough to fill a large GPU. Arg-reductions carry the
// index along: of two candidates a NaN wins, then the larger (smaller) value, then the smaller index, a total
// order, so the tree's shape cannot change which element wins.
const PER_LANE = 64;

type Fold = 'sum' | 'prod' | 'max' | 'min';
const FOLD: Record<ReduceOp, Fold> = { sum: 'sum', prod: 'prod', amax: 'max', amin: 'min', any: 'max', all: 'min' };

/** The fold's identity as a WGSL expression (infinities from bits: WGSL refuses them as constants). */
function identity(fold: Fold, e: Element): string {
  if (fold === 'sum') return `${e}(0)`;
  if (fold === 'prod') return `${e}(1)`;
  const max = fold === 'max';
  if (e === 'f32') return `bitcast<f32>(ident_bits(${max ? '0xff800000u' : '0x7f800000u'}))`;
  if (e === 'i32') return max ? 'i32(-2147483647 - 1)' : '2147483647i';
  return max ? '0u' : '0xffffffffu';
}

/** WGSL helpers: NaN on the bits (Note in elementwise.ts), `comb` for plain folds, `better` for arg-folds. */
function helpers(fold: Fold, e: Element): string {
  const op = fold === 'max' ? '>' : '<';
  const plain = fold === 'sum' ? 'a + b' : fold === 'prod' ? 'a * b' : `${fold}(a, b)`;
  const floatComb = fold === 'max' || fold === 'min' ? 'if (isnan_(a)) { return a; } if (isnan_(b)) { return b; } ' : '';
  const nan = e === 'f32' ? 'let na = isnan_(a); let nb = isnan_(b); if (na || nb) { return nb && (!na || ib < ia); }\n  ' : '';
  return `fn ident_bits(b: u32) -> u32 { var v = b; return v; }
fn isnan_(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn comb(a: ${e}, b: ${e}) -> ${e} { ${e === 'f32' ? floatComb : ''}return ${plain}; }
fn better(a: ${e}, ia: u32, b: ${e}, ib: u32) -> bool {
  ${nan}if (a == b) { return ib < ia; }
  return b ${op} a;
}`;
}

interface Pass {
  readonly fold: Fold;
  readonly arg: boolean;
  /** The source's element type, the accumulator's, and whether a value first becomes 0/1 (any, all). */
  readonly load: Element;
  readonly acc: Element;
  readonly toBool: boolean;
  /** The first pass numbers elements itself; later ones read the indices earlier passes carried. */
  readonly first: boolean;
  /** The dtype written: out's, or null for a partial result (the accumulator's element). */
  readonly outDtype: DType | null;
}

// Parameter words: rows, row length, L, inner, chunks C, workgroups, source offset, the ranks of the kept and
// reduced dims, then those dims.
const HEADER = 9;

function passCode(pass: Pass): string {
  const { fold, arg, load, acc } = pass;
  const out = pass.outDtype === null ? acc : elementOf(pass.outDtype);
  const buffers: [string, Element, boolean][] = [['x', load, false]];
  if (arg && !pass.first) buffers.push(['xi', 'i32', false]);
  buffers.push(['o', out, true]);
  if (arg) buffers.push(['oi', 'i32', true]);
  const value = pass.toBool ? (load === 'f32' ? 'u32((bitcast<u32>(x[at]) & 0x7fffffffu) != 0u)' : `u32(x[at] != ${load}(0))`) : 'x[at]';
  const index = pass.first ? 'r' : 'u32(xi[at])';
  const fold1 = arg ? `let v = ${value}; let vi = ${index}; if (better(acc, ai, v, vi)) { acc = v; ai = vi; }` : `acc = comb(acc, ${value});`;
  const fold2 = arg
    ? 'if (better(sv[t], si[t], sv[u], si[u])) { sv[t] = sv[u]; si[t] = si[u]; }'
    : 'sv[t] = comb(sv[t], sv[u]);';
  const written = pass.outDtype === null ? 'sv[t]' : convert('sv[t]', acc, pass.outDtype);
  return [
    `// ${arg ? 'arg' : ''}reduce ${fold} ${load} -> ${acc} -> ${pass.outDtype ?? 'partial'}${pass.toBool ? ' as bool' : ''}`,
    bindings(buffers),
    helpers(fold, acc),
    offsetsFn('keptAt', 1, `${HEADER}u`, 'p[7]'),
    offsetsFn('redAt', 1, `${HEADER}u + 2u * p[7]`, 'p[8]'),
    `var<workgroup> sv: array<${acc}, 256>;`,
    arg ? 'var<workgroup> si: array<u32, 256>;' : '',
    GROUP_MAIN(5, 256),
    laneCode(2, 3),
    '  let C = p[4];',
    '  let row = (w / C) * G + g;',
    '  let chunk = w % C;',
    `  var acc = ${identity(fold, acc)};`,
    '  var ai = 0xffffffffu;',
    '  if (row < p[0]) {',
    '    let base = p[6] + keptAt(row)[0];',
    `    let start = chunk * L * ${PER_LANE}u + lane;`,
    `    for (var k = 0u; k < ${PER_LANE}u; k++) {`,
    '      let r = start + k * L;',
    '      if (r >= p[1]) { break; }',
    '      let at = base + redAt(r)[0];',
    `      ${fold1}`,
    '    }',
    '  }',
    '  sv[t] = acc;',
    arg ? '  si[t] = ai;' : '',
    '  workgroupBarrier();',
    '  for (var h = L / 2u; h > 0u; h = h / 2u) {',
    '    let u = t + h * step;',
    `    if (lane < h) { ${fold2} }`,
    '    workgroupBarrier();',
    '  }',
    '  if (lane == 0u && row < p[0]) {',
    '    let dst = row * C + chunk;',
    `    o[dst] = ${written};`,
    arg ? '    oi[dst] = i32(si[t]);' : '',
    '  }',
    '}',
  ].join('\n');
}

/** What a pass reads: the input view's storage, or the [rows, chunks] partial results of the pass before. */
interface Source {
  readonly buffer: GPUBuffer;
  readonly indices: GPUBuffer | null;
  readonly load: Element;
  readonly offset: number;
  readonly dims: readonly [Dims, Dims];
  readonly first: boolean;
}

/**
 * Reduces the `red` dims of x's storage (from `offset`) for every position of the `kept` dims into `out`, in passes
 * (Note [Reduction passes]); with `indices`, also writes the winners' indices along the one reduced dim.
 */
function reduceRows(rt: GpuRuntime, fold: Fold, toBool: boolean, x: GpuStorage, offset: number, kept: Dims, red: Dims, out: GpuStorage, indices: GpuStorage | null): void {
  const rows = numelOf(kept.shape);
  if (rows === 0) return;
  const acc = toBool ? 'u32' : elementOf(x.dtype), maxGroups = rt.device.limits.maxComputeWorkgroupsPerDimension;
  // A reduction into the storage it reads goes through a copy: WebGPU cannot bind one buffer twice in a dispatch.
  const aliased = x.buffer === out.buffer || x.buffer === indices?.buffer;
  const input = aliased ? rt.acquire(x.numel * 4) : x.buffer;
  if (aliased) rt.copyBuffer(x.buffer, 0, input, 0, x.numel * 4);
  let src: Source = { buffer: input, indices: null, load: elementOf(x.dtype), offset, dims: [kept, red], first: true };
  for (;;) {
    const length = numelOf(src.dims[1].shape);
    const { lanes, inner } = laneLayout(rows, length, PER_LANE, minStride(src.dims[0]), minStride(src.dims[1]));
    const chunks = Math.max(1, Math.ceil(length / (lanes * PER_LANE)));
    const groups = Math.ceil(rows / (256 / lanes)) * chunks;
    const last = chunks === 1;
    const target = last ? out.buffer : rt.acquire(rows * chunks * 4);
    const targetIndices = indices === null ? null : last ? indices.buffer : rt.acquire(rows * chunks * 4);
    const pass: Pass = { fold, arg: indices !== null, load: src.load, acc, toBool: toBool && src.first, first: src.first, outDtype: last ? out.dtype : null };
    const buffers = [src.buffer, src.indices, target, targetIndices].filter((b) => b !== null);
    const [k, r] = src.dims;
    rt.dispatch(passCode(pass), buffers, groupsGrid(groups, maxGroups), (p) => {
      p.u32(rows, length, lanes, inner ? 1 : 0, chunks, groups, src.offset, k.shape.length, r.shape.length);
      writeDims(p, k);
      writeDims(p, r);
    });
    if (!src.first || aliased) rt.release(src.buffer);
    if (src.indices !== null) rt.release(src.indices);
    if (last) return;
    src = { buffer: target, indices: targetIndices, load: acc, offset: 0, dims: [{ shape: [rows], strides: [[chunks]] }, { shape: [chunks], strides: [[1]] }], first: false };
  }
}

/** The reduction and arg-reduction kernels of the webgpu backend. */
export function reduceKernels(rt: GpuRuntime) {
  return {
    reduce(op: ReduceOp, x: GpuView, axes: readonly number[], out: GpuStorage): void {
      const [kept, red] = splitDims(x.shape, axes, [x.strides]);
      reduceRows(rt, FOLD[op], op === 'any' || op === 'all', x.storage, x.offset, kept, red, out, null);
    },

    argReduce(op: ArgReduceOp, x: GpuView, axis: number, values: GpuStorage, indices: GpuStorage): void {
      const [kept, red] = splitDims(x.shape, [axis], [x.strides]);
      if (numelOf(red.shape) === 0) return; // callers refuse: an empty axis has no extreme
      reduceRows(rt, op, false, x.storage, x.offset, kept, red, values, indices);
    },
  };
}
