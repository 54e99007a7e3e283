// src/ops/scatter.ts — scatter (with reduce 'add' or 'multiply') and indexFill, out of place; methods.ts
// adds the in-place forms.
import { checkedScalar, TYPE_NAMES } from '../core/dtype.js';
import { IndexError, RuntimeError } from '../core/errors.js';
import { wrapDim } from '../core/shape.js';
import { arange, full } from '../tensor/creation.js';
import { isCpuStorage } from '../tensor/device.js';
import { Tensor } from '../tensor/tensor.js';
import { defineOp, denseView, type Meta } from './define.js';
import { add, eq, lt, where } from './elementwise.js';
import { checkIndexDtype, checkScatterShapes, gather, padTo } from './indexing.js';
import { any } from './reduce.js';
import { reshape, unsqueeze } from './views.js';

type Reduce = 'assign' | 'add' | 'multiply';

const scatterOp = defineOp<{ dim: number; reduce: Reduce }>({
  name: 'scatter',
  gradFn: 'ScatterBackward0',
  meta: ([x, index, src], { dim }): Meta => {
    checkIndexDtype('scatter()', index, false);
    if (x.dtype !== src.dtype) throw new RuntimeError('scatter(): Expected self.dtype to be equal to src.dtype');
    checkScatterShapes(x, dim, index, src);
    return { shape: x.dims, dtype: x.dtype };
  },
  forward: (be, [x, index, src], out, { dim, reduce }) => {
    const dense = denseView(out, x.shape);
    be.copy(x, dense);
    if (reduce === 'add') be.scatterAdd(dense, dim, index, src);
    else be.scatter(dense, dim, index, src, reduce);
  },
  backward: (g, [, index, src], _, { dim, reduce }) => {
    // As in PyTorch 1.13, whose scatter with a reduction has no derivative.
    if (reduce !== 'assign') throw new RuntimeError('derivative for aten::scatter is not implemented');
    return [scatter(g, dim, index, 0), null, src.requiresGrad ? padTo(gather(g, dim, index), src.dims) : null];
  },
  saves: 'inputs',
});

/** The reduce= keyword of scatter: 'add' or 'multiply' combine with what is there instead of replacing it. */
export interface ScatterOptions {
  reduce?: 'add' | 'multiply';
}

/**
 * `x` with src[i][j] (or a scalar value) written at x[index[i][j]][j] for dim 0, likewise for other dims, out
 * of place (torch.scatter); with `reduce`, added to or multiplied into what is there.
 * @example torch.scatter(torch.zeros(3), 0, torch.tensor([2, 0], { dtype: 'int64' }), torch.tensor([5, 6])) // tensor([6., 0., 5.])
 */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number, { reduce }: ScatterOptions = {}): Tensor {
  const given: string | undefined = reduce; // checked at run time for JavaScript callers
  if (given !== undefined && given !== 'add' && given !== 'multiply') {
    throw new RuntimeError('scatter(): reduce argument must be either add or multiply.');
  }
  const d = wrapDim(dim, x.dims.length, 'scatter');
  // A scalar is a source of index's shape, in x's dtype.
  const source = src instanceof Tensor ? src : full(index.dims, checkedScalar('scatter', x.dtype, src), { dtype: x.dtype, device: x.storage.device });
  return scatterOp([x, index, source], { dim: d, reduce: reduce ?? 'assign' });
}

/**
 * `x` with `value` at the positions `index` (1-D or 0-d int64, negative counting from the end) along `dim`,
 * out of place (torch.index_fill).
 * @example torch.indexFill(torch.zeros(3), 0, torch.tensor([0, -1], { dtype: 'int64' }), 7) // tensor([7., 0., 7.])
 */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: number | Tensor): Tensor {
  const d = wrapDim(dim, x.dims.length, 'index_fill');
  if (index.dtype !== 'int64') throw new RuntimeError('index_fill_(): Expected dtype int64 for index.');
  if (index.dims.length > 1) throw new IndexError('index_fill_(): Index has to be a vector/scalar');
  if (value instanceof Tensor && value.dims.length !== 0) {
    throw new RuntimeError(`index_fill_(): only supports a 0-dimensional value tensor, but got tensor with ${value.dims.length} dimension(s).`);
  }
  if (value instanceof Tensor && value.dtype !== x.dtype) {
    throw new RuntimeError(`index_fill_(): value (${TYPE_NAMES[value.dtype]}) and self (${TYPE_NAMES[x.dtype]}) must have the same scalar type`);
  }
  const n = x.dims.length === 0 ? 1 : x.dims[d], device = x.storage.device;
  // A device index is not readable synchronously; out-of-range values there select nothing.
  if (isCpuStorage(index.storage)) {
    for (const i of index.toArray()) if (!(i >= -n && i < n)) throw new IndexError(`index_fill_(): index ${i} is out of bounds for dimension ${d} with size ${n}`);
  }
  // A mask along dim, true at the listed positions.
  const positions = reshape(where(lt(index, 0), add(index, n), index), [1, -1]);
  const hit = any(eq(unsqueeze(arange(n, { device }), 1), positions), 1);
  const mask = x.dims.length === 0 ? reshape(hit, []) : reshape(hit, x.dims.map((size, i) => (i === d ? size : 1)));
  return where(mask, typeof value === 'number' ? checkedScalar('index_fill', x.dtype, value) : value, x);
}
