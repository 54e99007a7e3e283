// src/ops/operands.ts — turning JS numbers into tensors and PyTorch's result_type rule.
import { allocArray, castScalar, type DType, getDefaultDtype, isFloating, promoteTypes } from '../core/dtype.js';
import type { Backend, View } from '../backends/backend.js';
import { backend } from '../backends/select.js';
import { Tensor } from '../tensor/tensor.js';

/** A tensor or a JS scalar operand. */
export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;

const KIND = { bool: 0, uint8: 1, int32: 1, int64: 1, float32: 2, float64: 2 } as const;

function scalarDtype(s: Scalar): DType {
  return typeof s === 'boolean' ? 'bool' : Number.isInteger(s) ? 'int64' : getDefaultDtype();
}

/**
 * torch.result_type: tensors with dims decide first; 0-d tensors and then JS scalars only
 * raise the result to a higher kind (bool < integer < floating), as in PyTorch.
 */
export function resultType(operands: readonly TensorOrScalar[]): DType {
  let dimmed: DType | null = null, zeroDim: DType | null = null, scalar: DType | null = null;
  for (const o of operands) {
    if (o instanceof Tensor) {
      if (o.dims.length > 0) dimmed = dimmed ? promoteTypes(dimmed, o.dtype) : o.dtype;
      else zeroDim = zeroDim ? promoteTypes(zeroDim, o.dtype) : o.dtype;
    } else {
      const d = scalarDtype(o);
      scalar = scalar ? promoteTypes(scalar, d) : d;
    }
  }
  let result = dimmed;
  if (zeroDim !== null && (result === null || KIND[zeroDim] > KIND[result])) result = zeroDim;
  if (scalar !== null && (result === null || KIND[scalar] > KIND[result])) result = defaultOfKind(scalar);
  return result ?? getDefaultDtype();
}

/** A JS scalar of a higher kind promotes to the default dtype of that kind. */
function defaultOfKind(d: DType): DType {
  return isFloating(d) ? getDefaultDtype() : d === 'bool' ? 'bool' : 'int64';
}

/**
 * A 0-d CPU tensor holding `value` as `dtype`. It may join an op on any device (Note [Same device]
 * in tensor/device.ts), which uploads it.
 */
export function scalarTensor(value: Scalar, dtype: DType): Tensor {
  const s = backend().alloc(dtype, 1);
  s.data[0] = castScalar(dtype, Number(value));
  return new Tensor(s, []);
}

/** The operand as a tensor; scalars become 0-d tensors of `dtype`. */
export function asTensor(x: TensorOrScalar, dtype: DType): Tensor {
  return x instanceof Tensor ? x : scalarTensor(x, dtype);
}

/** A kernel view on `be` of `value` broadcast (stride 0) to `shape`: a one-element array, wrapped or uploaded. */
export function scalarView(be: Backend, value: number, dtype: DType, shape: readonly number[]): View {
  const data = allocArray(dtype, 1);
  data[0] = castScalar(dtype, value);
  return { storage: be.fromArray(dtype, data), shape, strides: shape.map(() => 0), offset: 0 };
}
