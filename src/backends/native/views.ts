// src/backends/native/views.ts — what the native kernels share: size thresholds, type checks, and the
// descriptors that hand views (shape, strides, offsets) to the addon.
import type { DataArray } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import { contiguousStrides, fmtShape } from '../../core/shape.js';
import type { CpuView as View } from '../backend.js';
import { jsBackend } from '../js/index.js';

// Below these sizes the JS loop beats the cost of crossing into C++.
export const ELEMENTWISE_MIN = 2048;
/**
 * Whether a small op stays in JavaScript: only when its views are dense (strided or broadcast
 * reads cost the JS loops far more than a native call). No rest arguments: this runs on every op.
 */
export const smallDense = (n: number, a: View, b?: View, c?: View): boolean =>
  n < ELEMENTWISE_MIN && isDense(a) && (b === undefined || isDense(b)) && (c === undefined || isDense(c));
export const isFloat = (a: DataArray): a is Float32Array | Float64Array => a instanceof Float32Array || a instanceof Float64Array;

// One reusable descriptor buffer: calls are synchronous, so it is never shared.
export const desc = new Float64Array(256);

/**
 * Merges adjacent dims that every view walks contiguously through, so kernels see few dims
 * with long inner runs. Returns the merged shape and the strides of each view.
 */
export function coalesce(shape: readonly number[], ...strides: (readonly number[])[]): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, v) => outStrides[v][last] === s[d] * n)) {
      outShape[last] *= n;
      strides.forEach((s, v) => {
        outStrides[v][last] = s[d];
      });
    } else {
      outShape.push(n);
      strides.forEach((s, v) => outStrides[v].push(s[d]));
    }
  }
  return [outShape, outStrides];
}

/**
 * Writes the descriptor the addon's Views<k> reads: [ndim, offset of each view..., shape...,
 * strides of each view...].
 */
export function viewsDesc(shape: readonly number[], views: readonly View[], strides: readonly (readonly number[])[]): Float64Array {
  for (const v of views) checkInBounds(v);
  let at = 0;
  desc[at++] = shape.length;
  for (const v of views) desc[at++] = v.offset;
  desc.set(shape, at);
  at += shape.length;
  for (const s of strides) {
    desc.set(s, at);
    at += s.length;
  }
  return desc;
}

/**
 * Native kernels trust their views, and a view that reached outside its storage would write over
 * other tensors' memory; ops validate their arguments so that none does, and this is the backstop
 * that turns a missed case into an error instead of corruption.
 */
function checkInBounds(v: View): void {
  let lo = v.offset, hi = v.offset;
  for (let d = 0; d < v.shape.length; d++) {
    if (v.shape[d] === 0) return;
    const span = (v.shape[d] - 1) * v.strides[d];
    if (span < 0) lo += span;
    else hi += span;
  }
  if (!(lo >= 0 && hi < v.storage.data.length)) {
    throw new RuntimeError(
      `internal error: a kernel's view ${fmtShape(v.shape)} with strides ${fmtShape(v.strides)} at offset ${v.offset} ` +
        `reaches outside its storage of ${v.storage.data.length} elements`,
    );
  }
}

/** The descriptor of views that share `shape`, with the dims they all walk contiguously merged. */
export function coalescedDesc(shape: readonly number[], ...views: View[]): Float64Array {
  const [merged, strides] = coalesce(shape, ...views.map((v) => v.strides));
  return viewsDesc(merged, views, strides);
}

export const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Whether a view walks its storage contiguously in row-major order. */
export function isDense(v: View): boolean {
  let expected = 1;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    const n = v.shape[i];
    if (n === 1) continue;
    if (v.strides[i] !== expected) return false;
    expected *= n;
  }
  return true;
}

/** A `denseIn(x, order)` over `copy`: `x` itself when dense, else a dense copy, with dims in the order `order`. */
export function denseCopier(copy: (src: View, dst: View) => void): (x: View, order: readonly number[]) => View {
  return (x, order) => {
    const shape = order.map((d) => x.shape[d]), strides = order.map((d) => x.strides[d]);
    const view = { storage: x.storage, shape, strides, offset: x.offset };
    if (isDense(view)) return view;
    const storage = jsBackend.alloc(x.storage.dtype, numelOf(shape));
    const dense = { storage, shape, strides: contiguousStrides(shape), offset: 0 };
    copy(view, dense);
    return dense;
  };
}
