// src/backends/webgpu/sort.ts — stable sort along one axis: a bitonic network on (key, index) pairs, in workgroup
// memory for rows of up to BLOCK elements and with global steps between block-local ones for longer rows.
import type { DType } from '../../core/dtype.js';
import { grid, type GpuRuntime, type Params } from './runtime.js';
import { denseStrides, GROUP_MAIN, groupsGrid, numelOf, offsetsFn, pow2ceil, splitDims, writeDims } from './rows.js';
import type { GpuStorage, GpuView } from './storage.js';
import { bindings, elementOf, MAIN } from './wgsl.js';

// Note [Bitonic sort keys]
// Every value becomes a u32 key whose unsigned order is the sort's order: float bits with the sign folded so
// that negative floats count down, -0 taken as +0 (the two compare equal), every NaN the largest key; int32
// with its sign bit flipped; bool and uint8 as they are. Descending sorts use the complement, so that NaN
// comes first. Pairs compare by key, then by their position in the row, a strict total order: the network's
// result is the one stable order, whatever path it takes. Rows are padded to a power of two P with keys
// 0xffffffff and positions ≥ n, which sort after every real element. The values are not sorted along; the
// last step reads each from x at its sorted index, so NaN payloads and -0 come through unchanged.
//
// The network is the bitonic sort in its "flip" form: for each block size k = 2, 4 … P, one step pairs i with
// i ^ (k - 1) and the steps after pair i with i ^ j for j = k/4 … 1, always putting the smaller at the lower
// position. Every aligned block of k then ends sorted ascending, so rows of P ≤ BLOCK pack side by side in one
// workgroup's BLOCK slots and sort independently. Longer rows sort blocks first, then for each k > BLOCK run
// the steps with j ≥ BLOCK as global dispatches and the rest block-locally again.
const BLOCK = 2048;
const THREADS = 256;

function keyCode(dtype: DType, e: 'f32' | 'i32' | 'u32'): string {
  if (e === 'f32') {
    return `fn key_of(v: f32) -> u32 {
  let b = bitcast<u32>(v);
  if ((b & 0x7fffffffu) > 0x7f800000u) { return 0xffffffffu; }
  if ((b & 0x7fffffffu) == 0u) { return 0x80000000u; }
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}`;
  }
  return `fn key_of(v: ${e}) -> u32 { return ${e === 'i32' ? 'bitcast<u32>(v) ^ 0x80000000u' : 'v'}; } // ${dtype}`;
}

const LESS = 'fn less(ka: u32, ia: u32, kb: u32, ib: u32) -> bool { return ka < kb || (ka == kb && ia < ib); }';

/** Compare-exchange steps for j = `from` … 1 within workgroup memory (`k` is the block size in effect). */
const localSteps = (from: string): string => `  for (var j = ${from}; j > 0u; j = j / 2u) {
    for (var q = t; q < ${BLOCK / 2}u; q += ${THREADS}u) {
      let i = (q / j) * 2u * j + q % j;
      let l = select(i + j, i ^ (k - 1u), j == k / 2u);
      if (less(sk[l], sx[l], sk[i], sx[i])) {
        let tk = sk[i]; sk[i] = sk[l]; sk[l] = tk;
        let tx = sx[i]; sx[i] = sx[l]; sx[l] = tx;
      }
    }
    workgroupBarrier();
  }`;

// Parameters of the row kernels: rows, n, P, descending, x offset, workgroups or count, x axis stride,
// out axis stride, the rank of the kept dims, then those dims (x's strides and out's).
const HEADER = 9;

/** Loads blocks of rows from x (P ≤ BLOCK), sorts them, and writes the outputs, or the (key, index) pairs of a longer row. */
function blockSortCode(dtype: DType, outDtype: DType, final: boolean): string {
  const e = elementOf(dtype);
  const buffers = final
    ? bindings([['x', e, false], ['ov', elementOf(outDtype), true], ['oi', 'i32', true]])
    : bindings([['x', e, false], ['gk', 'u32', true], ['gx', 'u32', true]]);
  const store = final
    ? `if (row < p[0] && j < p[1]) {
      let r = rowAt(row);
      let src = sx[e];
      ov[r[1] + j * p[7]] = x[p[4] + r[0] + src * p[6]];
      oi[r[1] + j * p[7]] = i32(src);
    }`
    : 'gk[pos] = sk[e]; gx[pos] = sx[e];';
  return [
    `// sort blocks ${dtype}${final ? '' : ' to pairs'}`,
    buffers,
    keyCode(dtype, e),
    LESS,
    offsetsFn('rowAt', 2, `${HEADER}u`, 'p[8]'),
    `var<workgroup> sk: array<u32, ${BLOCK}>;`,
    `var<workgroup> sx: array<u32, ${BLOCK}>;`,
    GROUP_MAIN(5, THREADS),
    '  let P = p[2];',
    `  for (var e = t; e < ${BLOCK}u; e += ${THREADS}u) {`,
    `    let pos = w * ${BLOCK}u + e;`,
    '    let row = pos / P;',
    '    let j = pos % P;',
    '    var key = 0xffffffffu;',
    '    if (row < p[0] && j < p[1]) {',
    '      key = key_of(x[p[4] + rowAt(row)[0] + j * p[6]]);',
    '      if (p[3] == 1u) { key = ~key; }',
    '    }',
    '    sk[e] = key;',
    '    sx[e] = j;',
    '  }',
    '  workgroupBarrier();',
    `  for (var k = 2u; k <= min(P, ${BLOCK}u); k = k * 2u) {`,
    localSteps('k / 2u'),
    '  }',
    `  for (var e = t; e < ${BLOCK}u; e += ${THREADS}u) {`,
    `    let pos = w * ${BLOCK}u + e;`,
    '    let row = pos / P;',
    '    let j = pos % P;',
    `    ${store}`,
    '  }',
    '}',
  ].join('\n');
}

/** One global step (k, j) over all pairs of the padded rows: p = [pairs, k, j]. */
const GLOBAL_STEP = [
  '// sort global step',
  bindings([['gk', 'u32', true], ['gx', 'u32', true]]),
  LESS,
  MAIN,
  '  let k = p[1];',
  '  let j = p[2];',
  '  let a = (i / j) * 2u * j + i % j;',
  '  let b = select(a + j, a ^ (k - 1u), j == k / 2u);',
  '  if (less(gk[b], gx[b], gk[a], gx[a])) {',
  '    let tk = gk[a]; gk[a] = gk[b]; gk[b] = tk;',
  '    let tx = gx[a]; gx[a] = gx[b]; gx[b] = tx;',
  '  }',
  '}',
].join('\n');

/** The steps j < BLOCK of block size k (> BLOCK) within each block: p = [k, _, _, _, _, workgroups]. */
const BLOCK_MERGE = [
  '// sort block merge',
  bindings([['gk', 'u32', true], ['gx', 'u32', true]]),
  LESS,
  `var<workgroup> sk: array<u32, ${BLOCK}>;`,
  `var<workgroup> sx: array<u32, ${BLOCK}>;`,
  GROUP_MAIN(5, THREADS),
  '  let k = p[0];',
  `  for (var e = t; e < ${BLOCK}u; e += ${THREADS}u) { sk[e] = gk[w * ${BLOCK}u + e]; sx[e] = gx[w * ${BLOCK}u + e]; }`,
  '  workgroupBarrier();',
  localSteps(`${BLOCK / 2}u`),
  `  for (var e = t; e < ${BLOCK}u; e += ${THREADS}u) { gk[w * ${BLOCK}u + e] = sk[e]; gx[w * ${BLOCK}u + e] = sx[e]; }`,
  '}',
].join('\n');

/** Writes the outputs from sorted pairs: one thread per (row, j < n); p as the row kernels' with p[0] = rows · n. */
function gatherCode(dtype: DType, outDtype: DType): string {
  return [
    `// sort outputs ${dtype}`,
    bindings([['x', elementOf(dtype), false], ['gx', 'u32', false], ['ov', elementOf(outDtype), true], ['oi', 'i32', true]]),
    offsetsFn('rowAt', 2, `${HEADER}u`, 'p[8]'),
    MAIN,
    '  let row = i / p[1];',
    '  let j = i % p[1];',
    '  let src = gx[row * p[2] + j];',
    '  let r = rowAt(row);',
    '  ov[r[1] + j * p[7]] = x[p[4] + r[0] + src * p[6]];',
    '  oi[r[1] + j * p[7]] = i32(src);',
    '}',
  ].join('\n');
}

/** The sort kernel of the webgpu backend. */
export function sortKernels(rt: GpuRuntime) {
  const maxGroups = rt.device.limits.maxComputeWorkgroupsPerDimension;

  return {
    sort(x: GpuView, axis: number, descending: boolean, values: GpuStorage, indices: GpuStorage): void {
      const n = x.shape[axis] ?? 1, total = numelOf(x.shape);
      if (total === 0) return;
      const rows = total / n, P = pow2ceil(n), outStrides = denseStrides(x.shape);
      const [kept] = splitDims(x.shape, [axis], [x.strides, outStrides]);
      const rowParams = (count: number, groups: number) => (p: Params) => {
        p.u32(count, n, P, descending ? 1 : 0, x.offset, groups, x.strides[axis] ?? 0, outStrides[axis] ?? 0, kept.shape.length);
        writeDims(p, kept);
      };
      const dtype = x.storage.dtype;
      // A sort into the storage it reads goes through fresh outputs (WebGPU cannot bind one buffer twice).
      const aliased = x.storage.buffer === values.buffer || x.storage.buffer === indices.buffer;
      const ov = aliased ? rt.acquire(total * 4) : values.buffer, oi = aliased ? rt.acquire(total * 4) : indices.buffer;
      if (P <= BLOCK) {
        const groups = Math.ceil((rows * P) / BLOCK);
        rt.dispatch(blockSortCode(dtype, values.dtype, true), [x.storage.buffer, ov, oi], groupsGrid(groups, maxGroups), rowParams(rows, groups));
      } else {
        const padded = rows * P, blocks = padded / BLOCK;
        const gk = rt.acquire(padded * 4), gx = rt.acquire(padded * 4);
        rt.dispatch(blockSortCode(dtype, values.dtype, false), [x.storage.buffer, gk, gx], groupsGrid(blocks, maxGroups), rowParams(rows, blocks));
        for (let k = 2 * BLOCK; k <= P; k *= 2) {
          for (let j = k / 2; j >= BLOCK; j /= 2) {
            rt.dispatch(GLOBAL_STEP, [gk, gx], grid(padded / 2, maxGroups), (p) => p.u32(padded / 2, k, j));
          }
          rt.dispatch(BLOCK_MERGE, [gk, gx], groupsGrid(blocks, maxGroups), (p) => p.u32(k, 0, 0, 0, 0, blocks));
        }
        rt.dispatch(gatherCode(dtype, values.dtype), [x.storage.buffer, gx, ov, oi], grid(total, maxGroups), rowParams(total, 0));
        rt.release(gk);
        rt.release(gx);
      }
      if (aliased) {
        rt.copyBuffer(ov, 0, values.buffer, 0, total * 4);
        rt.copyBuffer(oi, 0, indices.buffer, 0, total * 4);
        rt.release(ov);
        rt.release(oi);
      }
    },
  };
}
