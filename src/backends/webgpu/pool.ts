// src/backends/webgpu/pool.ts — max pooling over the last two dims: the index (and value) of each window's first
// maximum, NaN winning, and the gradient gathered back onto the input; float32.
import type { PoolGeometry } from '../backend.js';
import { coalesce } from '../native/views.js';
import { grid, type GpuRuntime, type Params } from './runtime.js';
import type { GpuStorage, GpuView } from './storage.js';
import { bindings, MAIN, MAX_RANK } from './wgsl.js';

// Note [Max-pool gradient]
// The gradient is the max-pool indices' scatter-add, written as a gather so that no two threads write one
// element (WebGPU has no float atomics): each input element sums the incoming gradient of the windows that
// contain it and chose it. The windows containing (iy, ix) are those with oy·sh − ph + ky·dh = iy for some ky,
// one per ky; walking ky (and kx) downwards visits them in increasing (oy, ox), the order in which the
// reference scatter-add (and PyTorch's CPU kernel) adds them, so the float sums round alike.

/** Writes the count, sizes and window geometry: words 0…12 (then each view's last two strides, then the lead dims). */
const geometry = (p: Params, count: number, h: number, w: number, geo: PoolGeometry): Params =>
  p.u32(count, h, w, ...geo.out, ...geo.kernel, ...geo.stride, ...geo.padding, ...geo.dilation);

/** `fn lead(plane) -> array<u32, K>`: each view's offset of a plane, from rank R's shape and strides at `base`. */
function leadCode(base: number, views: number): string {
  const init = Array.from({ length: views }, (_, v) => `p[${base + 1 + 8 * (1 + views) + v}]`).join(', ');
  const steps = Array.from({ length: views }, (_, v) => `    o[${v}] += c * p[${base + 1 + 8 * (1 + v)}u + du];`).join('\n');
  return `fn lead(plane: u32) -> array<u32, ${views}> {
  var o = array<u32, ${views}>(${init});
  var rem = plane;
  for (var d = i32(p[${base}]) - 1; d >= 0; d--) {
    let du = u32(d);
    let c = rem % p[${base + 1}u + du];
    rem = rem / p[${base + 1}u + du];
${steps}
  }
  return o;
}`;
}

/** Writes the lead dims (rank, shape, each view's strides, each view's offset) that `leadCode` reads. */
function leadParams(p: Params, shape: readonly number[], strides: readonly (readonly number[])[], offsets: readonly number[]): Params {
  const pad = (v: readonly number[]): number[] => [...v, ...new Array<number>(MAX_RANK - v.length).fill(0)];
  p.u32(shape.length, ...pad(shape));
  for (const s of strides) p.i32(...pad(s));
  return p.i32(...offsets);
}

const isnan = 'fn isnan_(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }';

function indicesCode(withValues: boolean): string {
  return `// max pool indices${withValues ? ' and values' : ''}
${bindings([['X', 'f32', false], ['I', 'i32', true], ...(withValues ? [['Y', 'f32', true] as const] : [])])}
${isnan}
${leadCode(15, 1)}
${MAIN}
  let positions = p[3] * p[4];
  let at = i % positions;
  let oy = i32(at / p[4]);
  let ox = i32(at % p[4]);
  let base = lead(i / positions)[0];
  var best = 0.0;
  var found = -1;
  for (var ky = 0u; ky < p[5]; ky++) {
    let iy = oy * i32(p[7]) - i32(p[9]) + i32(ky * p[11]);
    if (iy < 0 || iy >= i32(p[1])) { continue; }
    for (var kx = 0u; kx < p[6]; kx++) {
      let ix = ox * i32(p[8]) - i32(p[10]) + i32(kx * p[12]);
      if (ix < 0 || ix >= i32(p[2])) { continue; }
      let v = X[base + u32(iy) * p[13] + u32(ix) * p[14]];
      if (found < 0 || (!isnan_(best) && (v > best || isnan_(v)))) {
        best = v;
        found = iy * i32(p[2]) + ix;
      }
    }
  }
  I[i] = max(found, 0);${withValues ? '\n  Y[i] = best;' : ''}
}`;
}

const BACKWARD = `// max pool backward (Note [Max-pool gradient])
${bindings([['G', 'f32', false], ['I', 'i32', false], ['O', 'f32', true]])}
${leadCode(17, 2)}
${MAIN}
  let plane = p[1] * p[2];
  let at = i % plane;
  let iy = i32(at / p[2]);
  let ix = i32(at % p[2]);
  let base = lead(i / plane);
  var s = 0.0;
  for (var ky = i32(p[5]) - 1; ky >= 0; ky--) {
    let ty = iy + i32(p[9]) - ky * i32(p[11]);
    if (ty < 0 || ty % i32(p[7]) != 0 || ty / i32(p[7]) >= i32(p[3])) { continue; }
    let oy = u32(ty / i32(p[7]));
    for (var kx = i32(p[6]) - 1; kx >= 0; kx--) {
      let tx = ix + i32(p[10]) - kx * i32(p[12]);
      if (tx < 0 || tx % i32(p[8]) != 0 || tx / i32(p[8]) >= i32(p[4])) { continue; }
      let ox = u32(tx / i32(p[8]));
      if (I[base[1] + oy * p[15] + ox * p[16]] == i32(at)) { s += G[base[0] + oy * p[13] + ox * p[14]]; }
    }
  }
  O[i] = s;
}`;

/** Max pooling's fast paths on the webgpu device. */
export function poolKernels(rt: GpuRuntime) {
  const limit = rt.device.limits.maxComputeWorkgroupsPerDimension;
  const lastTwo = (v: GpuView): number[] => v.strides.slice(-2);
  return {
    /** out (int64) = flat h·W + w index of each window's first maximum; the maxima into `values` when given. */
    maxPool2dIndices(x: GpuView, out: GpuStorage, geo: PoolGeometry, values?: GpuStorage): boolean {
      if (x.storage.dtype !== 'float32' || x.shape.length < 2 || out.buffer === x.storage.buffer || values?.buffer === x.storage.buffer) return false;
      const [lead, [strides]] = coalesce(x.shape.slice(0, -2), x.strides.slice(0, -2));
      if (lead.length > MAX_RANK) return false;
      const [h, w] = x.shape.slice(-2) as [number, number];
      const count = lead.reduce((a, b) => a * b, 1) * geo.out[0] * geo.out[1];
      if (count === 0) return true;
      const buffers = [x.storage.buffer, out.buffer, ...(values === undefined ? [] : [values.buffer])];
      rt.dispatch(indicesCode(values !== undefined), buffers, grid(count, limit), (p) => {
        leadParams(geometry(p, count, h, w, geo).i32(...lastTwo(x)), lead, [strides], [x.offset]);
      });
      return true;
    },

    /** out (inShape) = zeros plus g added at the windows' maxima (Note [Max-pool gradient]). */
    maxPool2dBackward(g: GpuView, indices: GpuView, out: GpuStorage, inShape: readonly number[], geo: PoolGeometry): boolean {
      if (g.storage.dtype !== 'float32' || out.dtype !== 'float32' || inShape.length < 2) return false;
      if (out.buffer === g.storage.buffer || out.buffer === indices.storage.buffer) return false;
      const [lead, leadStrides] = coalesce(g.shape.slice(0, -2), g.strides.slice(0, -2), indices.strides.slice(0, -2));
      if (lead.length > MAX_RANK) return false;
      const [h, w] = inShape.slice(-2) as [number, number];
      const count = lead.reduce((a, b) => a * b, 1) * h * w;
      if (count === 0) return true;
      rt.dispatch(BACKWARD, [g.storage.buffer, indices.storage.buffer, out.buffer], grid(count, limit), (p) => {
        leadParams(geometry(p, count, h, w, geo).i32(...lastTwo(g), ...lastTwo(indices)), lead, leadStrides, [g.offset, indices.offset]);
      });
      return true;
    },
  };
}
