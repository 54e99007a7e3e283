// src/backends/native/reduce.ts — reductions on the addon: over adjacent axes in one pass, over
// scattered axes one run at a time, arg-reductions and running sums and products along one axis.
import { contiguousStrides } from '../../core/shape.js';
import type { ArgReduceOp, CpuBackend as Backend, CpuStorage as Storage, CpuView as View, CumulativeOp, ReduceOp } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { Addon } from './addon.js';
import { ELEMENTWISE_MIN, isFloat, numelOf } from './views.js';

const REDUCE_CODES: Partial<Record<ReduceOp, number>> = { sum: 0, amax: 1, amin: 2 };
/** The reduction kernels of the native backend, reading strided inputs through `denseIn`. */
export function reduceKernels(
  addon: Addon,
  denseIn: (x: View, order: readonly number[]) => View,
  allocUninit: NonNullable<Backend['allocUninit']>,
): Required<Pick<Backend, 'reduce' | 'argReduce' | 'cumulative'>> {
  const argReduce = (op: ArgReduceOp, x: View, axis: number, values: Storage, indices: Storage): void => {
    const data = x.storage.data;
    if (!isFloat(data) || numelOf(x.shape) < 256 || x.shape[axis] === 0) {
      jsBackend.argReduce(op, x, axis, values, indices);
      return;
    }
    const v = denseIn(x, x.shape.map((_, d) => d));
    const a = numelOf(x.shape.slice(0, axis)), b = numelOf(x.shape.slice(axis + 1));
    addon.argReduce(op === 'max', v.storage.data as Float32Array | Float64Array, values.data, indices.data, a, x.shape[axis], b, v.offset);
  };

  const reduce = (op: ReduceOp, x: View, axes: readonly number[], out: Storage): void => {
    const code = REDUCE_CODES[op], data = x.storage.data;
    if (code === undefined || !isFloat(data) || numelOf(x.shape) < ELEMENTWISE_MIN || axes.length === 0) {
      jsBackend.reduce(op, x, axes, out);
      return;
    }
    const contiguousAxes = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
    if (contiguousAxes) {
      // [A, R, B] with the reduced dims in the middle: no reordering needed.
      const v = denseIn(x, x.shape.map((_, d) => d));
      const first = axes[0], last = axes[axes.length - 1];
      addon.reduce(code, v.storage.data as Float32Array | Float64Array, out.data,
        numelOf(x.shape.slice(0, first)), numelOf(x.shape.slice(first, last + 1)), numelOf(x.shape.slice(last + 1)), v.offset);
      return;
    }
    // Scattered axes (e.g. all but the channel dim of a bias gradient): reduce one run of adjacent
    // axes at a time, the last run first, each pass over the (shrinking) dense result of the previous,
    // where a permuting copy to bring the axes together would cost more than all the passes. A sum
    // over everything but one dim takes one pass.
    let v = denseIn(x, x.shape.map((_, d) => d));
    const kept = x.shape.findIndex((_, d) => !axes.includes(d));
    if (op === 'sum' && x.shape.length - axes.length === 1 && kept > 0 && kept < x.shape.length - 1) {
      addon.sumOuterInner(v.storage.data as Float32Array | Float64Array, out.data, numelOf(x.shape.slice(0, kept)), x.shape[kept], numelOf(x.shape.slice(kept + 1)), v.offset);
      return;
    }
    let shape = [...x.shape];
    for (let last = axes.length - 1; last >= 0;) {
      let first = last;
      while (first > 0 && axes[first - 1] === axes[first] - 1) first--;
      const a0 = axes[first], a1 = axes[last];
      const outer = numelOf(shape.slice(0, a0)), inner = numelOf(shape.slice(a1 + 1));
      const dst = first === 0 ? out : allocUninit(out.dtype, outer * inner);
      addon.reduce(code, v.storage.data as Float32Array | Float64Array, dst.data, outer, numelOf(shape.slice(a0, a1 + 1)), inner, v.offset);
      shape = [...shape.slice(0, a0), ...shape.slice(a1 + 1)];
      v = { storage: dst, shape, strides: contiguousStrides(shape), offset: 0 };
      last = first - 1;
    }
  };

  const cumulative = (op: CumulativeOp, x: View, axis: number, out: Storage): void => {
    const data = x.storage.data, scan = addon.cumulative?.bind(addon);
    if (scan === undefined || !isFloat(data) || data.constructor !== out.data.constructor || numelOf(x.shape) < ELEMENTWISE_MIN) {
      jsBackend.cumulative(op, x, axis, out);
      return;
    }
    const v = denseIn(x, x.shape.map((_, d) => d));
    scan(op === 'sum' ? 0 : 1, v.storage.data as Float32Array | Float64Array, out.data,
      numelOf(x.shape.slice(0, axis)), x.shape[axis], numelOf(x.shape.slice(axis + 1)), v.offset);
  };

  return { reduce, argReduce, cumulative };
}
