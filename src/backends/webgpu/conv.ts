// src/backends/webgpu/conv.ts — 1-D and 2-D convolutions over NCHW as implicit GEMMs (gemm.ts): the forward and
// the gradients in the input and the weight, any stride, padding, dilation and groups, float32.
import type { ConvGeometry } from '../backend.js';
import { BK, chooseTile, encodeGemm, gemmCode, type GemmShape, type GemmSpec, type Load, P, splitK, workgroupsOf } from './gemm.js';
import type { GpuRuntime, Params } from './runtime.js';
import type { GpuStorage, GpuView } from './storage.js';

// Note [Implicit GEMM]
// Each convolution is the GEMM of Note [Convolution kernels] (nn/functional/conv.ts) with its im2col operand
// never built: the kernel reads each element of it from x or g where it is needed (zero in the padding, and for
// the input gradient zero where a stride skips the position). Per (sample, group) z:
//   forward      C [Cout/G, OH·OW]   = W [Cout/G, C/G·K]     · cols(x) [C/G·K, OH·OW]
//   inputGrad    C [C/G, H·W]        = Wᵀ [C/G, Cout/G·K]    · cols(g) [Cout/G·K, H·W]
//   weightGrad   C [Cout/G, C/G·K]   = g [Cout/G, N·OH·OW]   · cols(x)ᵀ [N·OH·OW, C/G·K]   (z = group; k split)
// C comes out contiguous in each case: the output's NCHW (or OIHW) layout. 1-D convolutions are 2-D ones of
// height 1.

/** The words of the convolution's geometry after the GEMM's (from P.extra), in `convParams`'s order. */
const Q = {
  groups: 0, cg: 1, cog: 2, h: 3, w: 4, oh: 5, ow: 6, kh: 7, kw: 8, sh: 9, sw: 10, ph: 11, pw: 12, dh: 13, dw: 14,
  xOffset: 15, xs: 16, wOffset: 20, ws: 21, gOffset: 25, gs: 26, biasOffset: 30, biasStride: 31,
} as const;
const q = (name: keyof typeof Q, i = 0): string => `p[${P.extra + Q[name] + i}]`;

/** A convolution's sizes as 2-D: [N, C, H, W] in, [N, Cout, OH, OW] out, [Cout, C/G, KH, KW] weight. */
interface Conv2d {
  readonly n: number; readonly c: number; readonly h: number; readonly w: number;
  readonly cout: number; readonly kh: number; readonly kw: number; readonly oh: number; readonly ow: number;
  readonly groups: number; readonly cg: number; readonly cog: number;
  readonly stride: readonly number[]; readonly pad: readonly number[]; readonly dilation: readonly number[];
}

/** [N, C, *S] with 1 or 2 spatial dims as 2-D, or null for other ranks. */
function geometry(x: readonly number[], cout: number, kernel: readonly number[], out: readonly number[], geo: ConvGeometry): Conv2d | null {
  if (x.length !== 3 && x.length !== 4) return null;
  const two = <T>(v: readonly T[], one: T): T[] => (v.length === 1 ? [one, v[0]] : [...v]);
  const [h, w] = two(x.slice(2), 1), [kh, kw] = two(kernel, 1), [oh, ow] = two(out, 1);
  return {
    n: x[0], c: x[1], h, w, cout, kh, kw, oh, ow, groups: geo.groups, cg: x[1] / geo.groups, cog: cout / geo.groups,
    stride: two(geo.stride, 1), pad: two(geo.padBefore, 0), dilation: two(geo.dilation, 1),
  };
}

/** A view's four NCHW strides (a 1-D view's height stride is 0). */
const strides4 = (v: GpuView): number[] => (v.strides.length === 3 ? [v.strides[0], v.strides[1], 0, v.strides[2]] : [...v.strides]);

/** Writes the geometry and the three operands' offsets and strides (Q). */
function convParams(p: Params, c: Conv2d, x: GpuView | null, w: GpuView | null, g: GpuView | null, bias: GpuView | null): void {
  const view = (v: GpuView | null): number[] => (v === null ? [0, 0, 0, 0, 0] : [v.offset, ...strides4(v)]);
  p.u32(c.groups, c.cg, c.cog, c.h, c.w, c.oh, c.ow, c.kh, c.kw, ...c.stride, ...c.pad, ...c.dilation);
  p.i32(...view(x), ...view(w), ...view(g), bias?.offset ?? 0, bias?.strides[0] ?? 0);
}

// im2col's element (channel·KH·KW + ky·KW + kx, position): the input pixel it reads, or none in the padding.
const HELPERS = `
fn tap(r: u32) -> vec2u { return vec2u(r / ${q('kw')}, r % ${q('kw')}); }
fn pixel(oy: u32, ox: u32, t: vec2u) -> vec2i {
  return vec2i(i32(oy * ${q('sh')} + t.x * ${q('dh')}) - i32(${q('ph')}), i32(ox * ${q('sw')} + t.y * ${q('dw')}) - i32(${q('pw')}));
}
fn inside(at: vec2i) -> bool { return at.x >= 0 && at.y >= 0 && u32(at.x) < ${q('h')} && u32(at.y) < ${q('w')}; }
fn xAt(n: u32, ch: u32, at: vec2i) -> f32 { return B[${q('xOffset')} + n * ${q('xs')} + ch * ${q('xs', 1)} + u32(at.x) * ${q('xs', 2)} + u32(at.y) * ${q('xs', 3)}]; }`;

/** cols(x) of the forward: o is the output position, k the (channel, tap) of group zb % G. */
const FORWARD_B = `${HELPERS}
fn colsX(o: u32, k: u32) -> f32 {
  let kk = ${q('kh')} * ${q('kw')};
  let at = pixel(o / ${q('ow')}, o % ${q('ow')}, tap(k % kk));
  if (!inside(at)) { return 0.0; }
  return xAt(zb / ${q('groups')}, (zb % ${q('groups')}) * ${q('cg')} + k / kk, at);
}
fn wAt(o: u32, k: u32) -> f32 {
  let kk = ${q('kh')} * ${q('kw')};
  let t = tap(k % kk);
  return A[${q('wOffset')} + ((zb % ${q('groups')}) * ${q('cog')} + o) * ${q('ws')} + (k / kk) * ${q('ws', 1)} + t.x * ${q('ws', 2)} + t.y * ${q('ws', 3)}];
}`;

/** The forward's epilogue: the bias of the output channel. */
const BIAS = `
fn addBias(row: u32, v: vec4<f32>) -> vec4<f32> {
  return v + vec4<f32>(bias[${q('biasOffset')} + ((zb % ${q('groups')}) * ${q('cog')} + row) * ${q('biasStride')}]);
}`;

/** Wᵀ and cols(g) of the input gradient: o is the input channel or position, k the (output channel, tap). */
const INPUT_GRAD = `
fn tap(r: u32) -> vec2u { return vec2u(r / ${q('kw')}, r % ${q('kw')}); }
fn wT(o: u32, k: u32) -> f32 {
  let kk = ${q('kh')} * ${q('kw')};
  let t = tap(k % kk);
  return A[${q('wOffset')} + ((zb % ${q('groups')}) * ${q('cog')} + k / kk) * ${q('ws')} + o * ${q('ws', 1)} + t.x * ${q('ws', 2)} + t.y * ${q('ws', 3)}];
}
fn colsG(o: u32, k: u32) -> f32 {
  let kk = ${q('kh')} * ${q('kw')};
  let t = tap(k % kk);
  let y = i32(o / ${q('w')}) + i32(${q('ph')}) - i32(t.x * ${q('dh')});
  let x = i32(o % ${q('w')}) + i32(${q('pw')}) - i32(t.y * ${q('dw')});
  if (y < 0 || x < 0 || u32(y) % ${q('sh')} != 0u || u32(x) % ${q('sw')} != 0u) { return 0.0; }
  let oy = u32(y) / ${q('sh')};
  let ox = u32(x) / ${q('sw')};
  if (oy >= ${q('oh')} || ox >= ${q('ow')}) { return 0.0; }
  let ch = (zb % ${q('groups')}) * ${q('cog')} + k / kk;
  return B[${q('gOffset')} + (zb / ${q('groups')}) * ${q('gs')} + ch * ${q('gs', 1)} + oy * ${q('gs', 2)} + ox * ${q('gs', 3)}];
}`;

/** g and cols(x)ᵀ of the weight gradient: k is the (sample, output position), o the output channel or (channel, tap). */
const WEIGHT_GRAD = `${HELPERS}
fn gAt(o: u32, k: u32) -> f32 {
  let positions = ${q('oh')} * ${q('ow')};
  let at = k % positions;
  return A[${q('gOffset')} + (k / positions) * ${q('gs')} + (zb * ${q('cog')} + o) * ${q('gs', 1)} + (at / ${q('ow')}) * ${q('gs', 2)} + (at % ${q('ow')}) * ${q('gs', 3)}];
}
fn colsXT(o: u32, k: u32) -> f32 {
  let kk = ${q('kh')} * ${q('kw')};
  let positions = ${q('oh')} * ${q('ow')};
  let at = k % positions;
  let px = pixel(at / ${q('ow')}, at % ${q('ow')}, tap(o % kk));
  if (!inside(px)) { return 0.0; }
  return xAt(k / positions, zb * ${q('cg')} + o / kk, px);
}`;

/** Backend.conv (ConvKernels) with device views and storages. */
export interface GpuConvKernels {
  forward(x: GpuView, w: GpuView, b: GpuView | null, out: GpuStorage, geo: ConvGeometry): boolean;
  inputGrad(g: GpuView, w: GpuView, out: GpuStorage, inShape: readonly number[], geo: ConvGeometry): boolean;
  weightGrad(g: GpuView, x: GpuView, out: GpuStorage, kernel: readonly number[], geo: ConvGeometry): boolean;
}

const isFloat = (...views: readonly (GpuView | null)[]): boolean => views.every((v) => v === null || v.storage.dtype === 'float32');

/** A GemmShape whose operands the custom loads read themselves (only the sizes and batch count). */
const implicit = (m: number, n: number, k: number, batch: readonly number[]): GemmShape => {
  const none = { offset: 0, outer: 0, k: 0, batch: batch.map(() => 0) };
  return { m, n, k, batch, a: none, b: none };
};

/** The implicit-GEMM convolutions of the webgpu backend (Note [Implicit GEMM]). */
export function convKernels(rt: GpuRuntime): { conv: GpuConvKernels } {
  const codes = new Map<string, string>();
  const run = (spec: Omit<GemmSpec, 'size' | 'vecC' | 'byte' | 'e'>, inputs: readonly GPUBuffer[], out: GpuStorage, g: GemmShape, write: (p: Params) => void, split = false): void => {
    const z = g.batch.reduce((s, v) => s * v, 1), size = chooseTile(g.m, g.n, z);
    const full: GemmSpec = { ...spec, e: 'f32', size, vecC: g.n % 4 === 0, byte: false };
    const key = JSON.stringify(full);
    let code = codes.get(key);
    if (code === undefined) codes.set(key, (code = gemmCode(full)));
    const splits = split ? splitK(workgroupsOf(g.m, g.n, z, size), g.k) : ([1, Math.ceil(g.k / BK) * BK] as [number, number]);
    encodeGemm(rt, code, 'f32', false, inputs, out.buffer, g, size, splits, { extra: write, slots: 2 });
  };
  const aliases = (out: GpuStorage, ...views: readonly (GpuView | null)[]): boolean => views.some((v) => v?.storage.buffer === out.buffer);
  const custom = (fn: string, walk: 'outer' | 'k'): Load => ({ kind: 'custom', fn, walk });

  return {
    conv: {
      forward(x, w, b, out, geo) {
        const c = geometry(x.shape, w.shape[0], w.shape.slice(2), outSize(x.shape, w.shape.slice(2), geo), geo);
        if (c === null || !isFloat(x, w, b) || aliases(out, x, w, b)) return false;
        const g = implicit(c.cog, c.oh * c.ow, c.cg * c.kh * c.kw, [c.n, c.groups]);
        const spec = {
          name: `conv forward${b === null ? '' : ' + bias'}`, a: custom('wAt', 'k'), b: custom('colsX', 'outer'),
          ...(b === null ? { helpers: FORWARD_B } : { helpers: FORWARD_B + BIAS, extra: [['bias', 'f32']] as const, epilogue: 'addBias' }),
        };
        const inputs = [w.storage.buffer, x.storage.buffer, ...(b === null ? [] : [b.storage.buffer])];
        run(spec, inputs, out, g, (p) => {
          convParams(p, c, x, w, null, b);
        });
        return true;
      },
      inputGrad(gv, w, out, inShape, geo) {
        const c = geometry(inShape, w.shape[0], w.shape.slice(2), gv.shape.slice(2), geo);
        if (c === null || !isFloat(gv, w) || aliases(out, gv, w)) return false;
        const g = implicit(c.cg, c.h * c.w, c.cog * c.kh * c.kw, [c.n, c.groups]);
        run({ name: 'conv input grad', a: custom('wT', 'k'), b: custom('colsG', 'outer'), helpers: INPUT_GRAD }, [w.storage.buffer, gv.storage.buffer], out, g, (p) => {
          convParams(p, c, null, w, gv, null);
        });
        return true;
      },
      weightGrad(gv, x, out, kernel, geo) {
        const c = geometry(x.shape, gv.shape[1], kernel, gv.shape.slice(2), geo);
        if (c === null || !isFloat(gv, x) || aliases(out, gv, x)) return false;
        const g = implicit(c.cog, c.cg * c.kh * c.kw, c.n * c.oh * c.ow, [c.groups]);
        run({ name: 'conv weight grad', a: custom('gAt', 'k'), b: custom('colsXT', 'k'), helpers: WEIGHT_GRAD }, [gv.storage.buffer, x.storage.buffer], out, g, (p) => {
          convParams(p, c, x, null, gv, null);
        }, true);
        return true;
      },
    },
  };
}

/** The forward's output size per spatial dim: ⌊(S + pads − d·(k−1) − 1) / s⌋ + 1. */
function outSize(x: readonly number[], kernel: readonly number[], geo: ConvGeometry): number[] {
  return x.slice(2).map((s, i) => Math.floor((s + geo.padBefore[i] + geo.padAfter[i] - geo.dilation[i] * (kernel[i] - 1) - 1) / geo.stride[i]) + 1);
}
