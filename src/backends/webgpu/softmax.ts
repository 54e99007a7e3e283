// src/backends/webgpu/softmax.ts — fused (log-)softmax and its gradient for float32: each row (along the axis)
// reduced and written by its lanes of one workgroup, the row read from memory two or three times, never stored.
import type { GpuRuntime } from './runtime.js';
import { denseStrides, type Dims, GROUP_MAIN, groupsGrid, laneCode, minStride, numelOf, offsetsFn, pow2ceil, splitDims, writeDims } from './rows.js';
import type { GpuStorage, GpuView } from './storage.js';
import { bindings } from './wgsl.js';

// Rows are laid out as in Note [Lanes per row], with enough lanes that none folds more than PER_LANE elements
// serially before the tree. Longer rows would need a workgroup per chunk and a second pass; for them the
// kernels return false and the library composes softmax from the multi-pass reductions.
const PER_LANE = 64;
const MAX_ROW = 256 * PER_LANE;

// As in elementwise.ts, NaN is tested on the bits; SwiftShader's exp(NaN) is inf, so exp_ keeps NaN itself.
const HELPERS = `fn isnan_(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn exp_(v: f32) -> f32 { return select(exp(v), v, isnan_(v)); }
fn maxn(a: f32, b: f32) -> f32 { if (isnan_(a)) { return a; } if (isnan_(b)) { return b; } return max(a, b); }
fn neg_inf() -> f32 { var b = 0xff800000u; return bitcast<f32>(b); }
var<workgroup> sh: array<f32, 256>;
/** Combines the lanes' values of each row (max or sum); every lane gets its row's result. */
fn tree(t: u32, lane: u32, v: f32, is_max: bool) -> f32 {
  let L = p[2];
  let step = select(256u / L, 1u, p[3] == 1u);
  sh[t] = v;
  workgroupBarrier();
  for (var h = L / 2u; h > 0u; h = h / 2u) {
    if (lane < h) { let u = sh[t + h * step]; sh[t] = select(sh[t] + u, maxn(sh[t], u), is_max); }
    workgroupBarrier();
  }
  let r = sh[t - lane * step];
  workgroupBarrier();
  return r;
}`;

/** Parameters: rows, n, L, inner, rank of the kept dims, workgroups, each view's offset and axis stride, the kept dims. */
const header = (views: number): number => 6 + 2 * views;

/** The loop over this lane's elements of the row, `body` seeing `k{v}` (view v's offset of the element). */
function eachElement(views: number, body: string): string {
  const at = Array.from({ length: views }, (_, v) => `let k${v} = p[${6 + v}] + r[${v}] + j * p[${6 + views + v}];`).join(' ');
  return `  if (live) { for (var j = lane; j < p[1]; j += L) { ${at} ${body} } }`;
}

function forwardCode(log: boolean): string {
  return [
    `// ${log ? 'log_' : ''}softmax`,
    bindings([['x', 'f32', false], ['o', 'f32', true]]),
    HELPERS,
    offsetsFn('rowAt', 2, `${header(2)}u`, 'p[4]'),
    GROUP_MAIN(5, 256),
    laneCode(2, 3),
    '  let row = w * G + g;',
    '  let live = row < p[0];',
    '  let r = rowAt(min(row, p[0] - 1u));',
    '  var m = neg_inf();',
    eachElement(2, 'm = maxn(m, x[k0]);'),
    '  m = tree(t, lane, m, true);',
    '  var s = 0.0;',
    eachElement(2, 's += exp_(x[k0] - m);'),
    '  s = tree(t, lane, s, false);',
    log ? '  let ls = select(log(s), s, isnan_(s));' : '',
    eachElement(2, log ? 'o[k1] = (x[k0] - m) - ls;' : 'o[k1] = exp_(x[k0] - m) / s;'),
    '}',
  ].join('\n');
}

function backwardCode(log: boolean): string {
  return [
    `// ${log ? 'log_' : ''}softmax backward`,
    bindings([['dy', 'f32', false], ['y', 'f32', false], ['o', 'f32', true]]),
    HELPERS,
    offsetsFn('rowAt', 3, `${header(3)}u`, 'p[4]'),
    GROUP_MAIN(5, 256),
    laneCode(2, 3),
    '  let row = w * G + g;',
    '  let live = row < p[0];',
    '  let r = rowAt(min(row, p[0] - 1u));',
    '  var s = 0.0;',
    eachElement(3, log ? 's += dy[k0];' : 's += dy[k0] * y[k1];'),
    '  s = tree(t, lane, s, false);',
    eachElement(3, log ? 'o[k2] = dy[k0] - exp_(y[k1]) * s;' : 'o[k2] = y[k1] * (dy[k0] - s);'),
    '}',
  ].join('\n');
}

/** The fused softmax kernels of the webgpu backend. */
export function softmaxKernels(rt: GpuRuntime) {
  const maxGroups = rt.device.limits.maxComputeWorkgroupsPerDimension;

  /** Runs a row kernel over `views` (the last is out, dense) along `axis`; false when it does not fit. */
  function rowsOf(code: string, views: readonly GpuView[], axis: number): boolean {
    const shape = views[0].shape, n = shape[axis] ?? 1, total = numelOf(shape);
    if (views.some((v) => v.storage.dtype !== 'float32') || n > MAX_ROW) return false;
    if (total === 0) return true;
    const rows = total / n;
    const [kept]: [Dims, Dims] = splitDims(shape, [axis], views.map((v) => v.strides));
    const lanes = Math.min(256, pow2ceil(Math.ceil(n / PER_LANE)));
    const inner = rows <= 1 || (views[0].strides[axis] ?? 0) <= minStride(kept);
    const groups = Math.ceil(rows / (256 / lanes));
    const out = views[views.length - 1].storage;
    // WebGPU cannot bind one buffer as input and output of a dispatch: an aliased output goes through a copy.
    const aliased = views.slice(0, -1).some((v) => v.storage.buffer === out.buffer);
    const target = aliased ? rt.acquire(total * 4) : out.buffer;
    const buffers = [...views.slice(0, -1).map((v) => v.storage.buffer), target];
    rt.dispatch(code, buffers, groupsGrid(groups, maxGroups), (p) => {
      p.u32(rows, n, lanes, inner ? 1 : 0, kept.shape.length, groups, ...views.map((v) => v.offset), ...views.map((v) => v.strides[axis] ?? 0));
      writeDims(p, kept);
    });
    if (aliased) {
      rt.copyBuffer(target, 0, out.buffer, 0, total * 4);
      rt.release(target);
    }
    return true;
  }

  const dense = (storage: GpuStorage, shape: readonly number[]): GpuView => ({ storage, shape, strides: denseStrides(shape), offset: 0 });

  return {
    softmax(x: GpuView, axis: number, log: boolean, out: GpuStorage): boolean {
      return rowsOf(forwardCode(log), [x, dense(out, x.shape)], axis);
    },
    softmaxBackward(g: GpuView, y: GpuView, axis: number, log: boolean, out: GpuStorage): boolean {
      return rowsOf(backwardCode(log), [g, y, dense(out, g.shape)], axis);
    },
  };
}
