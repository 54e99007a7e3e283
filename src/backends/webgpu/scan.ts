// src/backends/webgpu/scan.ts — running sums and products along one axis: one thread per row, serially.
import type { CumulativeOp } from '../backend.js';
import { grid, type GpuRuntime } from './runtime.js';
import { denseStrides, numelOf, offsetsFn, splitDims, writeDims } from './rows.js';
import type { GpuStorage, GpuView } from './storage.js';
import { bindings, elementOf, MAIN } from './wgsl.js';

// Parameters: rows, n, x offset, x axis stride, out axis stride, the rank of the kept dims, then those dims
// (x's strides and out's). A serial row keeps the CPU's order of additions (a parallel scan would not).
const HEADER = 6;

function scanCode(op: CumulativeOp, dtype: GpuStorage['dtype']): string {
  const e = elementOf(dtype);
  return [
    `// cumulative ${op} ${dtype}`,
    bindings([['x', e, false], ['o', e, true]]),
    offsetsFn('rowAt', 2, `${HEADER}u`, 'p[5]'),
    MAIN,
    '  let r = rowAt(i);',
    `  var acc = ${e}(${op === 'sum' ? 0 : 1});`,
    '  for (var j = 0u; j < p[1]; j++) {',
    `    acc = acc ${op === 'sum' ? '+' : '*'} x[p[2] + r[0] + j * p[3]];`,
    '    o[r[1] + j * p[4]] = acc;',
    '  }',
    '}',
  ].join('\n');
}

/** The scan kernel of the webgpu backend. */
export function scanKernels(rt: GpuRuntime) {
  return {
    cumulative(op: CumulativeOp, x: GpuView, axis: number, out: GpuStorage): void {
      const n = x.shape[axis] ?? 1, total = numelOf(x.shape);
      if (total === 0) return;
      const rows = total / n, outStrides = denseStrides(x.shape);
      const [kept] = splitDims(x.shape, [axis], [x.strides, outStrides]);
      rt.dispatch(scanCode(op, x.storage.dtype), [x.storage.buffer, out.buffer], grid(rows, rt.device.limits.maxComputeWorkgroupsPerDimension), (p) => {
        p.u32(rows, n, x.offset, x.strides[axis] ?? 0, outStrides[axis] ?? 0, kept.shape.length);
        writeDims(p, kept);
      });
    },
  };
}
