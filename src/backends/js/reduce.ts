// src/backends/js/reduce.ts — reductions over any set of axes, arg-reductions and sorting.
import type { ArgReduceOp, CpuStorage as Storage, CpuView as View, ReduceOp } from '../backend.js';
import { offsetsOf } from './strided.js';

interface Split {
  outer: Int32Array; // offset of each kept-dims position
  inner: Int32Array; // offset (relative) of each reduced-dims position
}

/** Splits a view into kept and reduced dims, so a reduction is a double loop over offsets. */
export function split(x: View, axes: readonly number[]): Split {
  const keptShape: number[] = [], keptStrides: number[] = [], redShape: number[] = [], redStrides: number[] = [];
  x.shape.forEach((n, d) => {
    if (axes.includes(d)) {
      redShape.push(n);
      redStrides.push(x.strides[d]);
    } else {
      keptShape.push(n);
      keptStrides.push(x.strides[d]);
    }
  });
  return { outer: offsetsOf(keptShape, keptStrides, x.offset), inner: offsetsOf(redShape, redStrides, 0) };
}

type Fold = { init: number; step: (acc: number, v: number) => number };

const FOLDS: Record<ReduceOp, Fold> = {
  sum: { init: 0, step: (acc, v) => acc + v },
  prod: { init: 1, step: (acc, v) => acc * v },
  amax: { init: -Infinity, step: (acc, v) => (v > acc || v !== v ? v : acc) },
  amin: { init: Infinity, step: (acc, v) => (v < acc || v !== v ? v : acc) },
  any: { init: 0, step: (acc, v) => (acc || v !== 0 ? 1 : 0) },
  all: { init: 1, step: (acc, v) => (acc && v !== 0 ? 1 : 0) },
};

export function reduce(op: ReduceOp, x: View, axes: readonly number[], out: Storage): void {
  const { outer, inner } = split(x, axes);
  const { init, step } = FOLDS[op];
  const src = x.storage.data, o = out.data;
  for (let i = 0; i < outer.length; i++) {
    const base = outer[i];
    let acc = init;
    // NaN is sticky for max/min: once seen, the fold keeps it.
    for (let j = 0; j < inner.length; j++) {
      if (acc !== acc) break;
      acc = step(acc, src[base + inner[j]]);
    }
    o[i] = acc;
  }
}

export function argReduce(op: ArgReduceOp, x: View, axis: number, values: Storage, indices: Storage): void {
  const { outer, inner } = split(x, [axis]);
  const src = x.storage.data, ov = values.data, oi = indices.data;
  const better = op === 'max' ? (v: number, b: number) => v > b : (v: number, b: number) => v < b;
  for (let i = 0; i < outer.length; i++) {
    const base = outer[i];
    let best = src[base + inner[0]], at = 0;
    for (let j = 1; j < inner.length && best === best; j++) {
      const v = src[base + inner[j]];
      if (v !== v || better(v, best)) {
        best = v;
        at = j;
      }
    }
    ov[i] = best;
    oi[i] = at;
  }
}

export function sort(x: View, axis: number, descending: boolean, values: Storage, indices: Storage): void {
  const { outer, inner } = split(x, [axis]);
  const src = x.storage.data, ov = values.data, oi = indices.data;
  const n = inner.length;
  // out is contiguous in x's shape: the sorted axis has stride `step` there.
  let step = 1;
  for (let d = axis + 1; d < x.shape.length; d++) step *= x.shape[d];
  const order = new Array<number>(n), vals = new Float64Array(n);
  const cmp = (a: number, b: number): number => {
    const an = a !== a, bn = b !== b;
    if (an || bn) return an === bn ? 0 : an ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  };
  for (let i = 0; i < outer.length; i++) {
    const base = outer[i];
    for (let j = 0; j < n; j++) {
      order[j] = j;
      vals[j] = src[base + inner[j]];
    }
    order.sort((p, q) => (descending ? cmp(vals[q], vals[p]) : cmp(vals[p], vals[q])));
    const outBase = Math.floor(i / step) * step * n + (i % step);
    for (let j = 0; j < n; j++) {
      ov[outBase + j * step] = vals[order[j]];
      oi[outBase + j * step] = order[j];
    }
  }
}
