// test/opinfo/indexing.ts — entries for joining, splitting and index ops, and tensor indices in get.
import * as torch from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const T = { transposed: true };
const idx = (shape: number[], hi: number, lo = 0): InputSpec => ({ shape, kind: 'int64', range: [lo, hi], grad: false });
const mask = (shape: number[]): InputSpec => ({ shape, kind: 'bool', grad: false });
const long = (values: number[]) => torch.tensor(values, { dtype: 'int64' });

export const indexingInfos: OpInfo[] = [
  {
    name: 'cat', call: (a, b) => torch.cat([a, b]), py: 'torch.cat([a, b])',
    samples: [s('rows', f([2, 3]), f([4, 3])), s('transposed', f([2, 3], T), f([1, 3])), s('legacy_empty', f([2, 3]), f([0])), s('empty_part', f([0, 3]), f([2, 3]))],
    dtypes: ['float32', 'float64', 'int64'],
    errors: [
      { name: 'sizes', run: () => torch.cat([torch.zeros(2, 2), torch.zeros(3, 3)], 1), match: /Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list./ },
      { name: 'ranks', run: () => torch.cat([torch.zeros(2, 2), torch.zeros(2, 3, 4)]), match: /Tensors must have same number of dimensions: got 2 and 3/ },
      { name: 'empty list', run: () => torch.cat([]), match: /expected a non-empty list of Tensors/ },
      { name: '0-d', run: () => torch.cat([torch.zeros(), torch.zeros()]), match: /zero-dimensional tensor \(at position 0\) cannot be concatenated/ },
      { name: 'dim', run: () => torch.cat([torch.zeros(2, 2), torch.zeros(2, 2)], 2), match: /Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/ },
    ],
  },
  {
    name: 'cat.dim1', call: (a, b, c) => torch.cat([a, b, c], -1), py: 'torch.cat([a, b, c], -1)',
    samples: [s('three', f([3, 2]), f([3, 4], T), f([3, 1])), s('batched', f([2, 2, 1]), f([2, 2, 3]), f([2, 2, 2], T))],
  },
  {
    name: 'cat.promote', call: (a, b) => torch.cat([a, b], 1), py: 'torch.cat([a, b], 1)',
    samples: [s('float_int', f([2, 3]), idx([2, 2], 5, -5))],
  },
  {
    name: 'stack', call: (a, b, c) => torch.stack([a, b, c]), py: 'torch.stack([a, b, c])',
    samples: [s('matrices', f([2, 3]), f([2, 3], T), f([2, 3])), s('vectors', f([1]), f([1]), f([1])), s('empty', f([0, 2]), f([0, 2]), f([0, 2]))],
    errors: [
      { name: 'sizes', run: () => torch.stack([torch.zeros(2, 2), torch.zeros(2, 3)]), match: /stack expects each tensor to be equal size, but got \[2, 2\] at entry 0 and \[2, 3\] at entry 1/ },
      { name: 'empty list', run: () => torch.stack([]), match: /stack expects a non-empty TensorList/ },
    ],
  },
  { name: 'stack.last', call: (a, b) => torch.stack([a, b], -1), py: 'torch.stack([a, b], -1)', samples: [s('matrices', f([2, 3], T), f([2, 3]))] },
  {
    name: 'split', call: (a) => a.split(2, 1)[2], py: 'a.split(2, 1)[2]', samples: [s('matrix', f([3, 5])), s('transposed', f([3, 5], T))],
    errors: [
      { name: 'zero size', run: () => torch.zeros(3, 4).split(0), match: /split_size can only be 0 if dimension size is 0, but got dimension size of 3/ },
      { name: 'sizes', run: () => torch.zeros(3, 4).split([1, 1]), match: /split_with_sizes expects split_sizes to sum exactly to 3/ },
    ],
  },
  { name: 'split.sizes', call: (a) => a.split([1, 3, 0, 1], -1)[1], py: 'a.split([1, 3, 0, 1], -1)[1]', samples: [s('matrix', f([3, 5])), s('transposed', f([3, 5], T))] },
  {
    name: 'chunk', call: (a) => a.chunk(3)[2], py: 'a.chunk(3)[2]', samples: [s('seven', f([7, 2])), s('six', f([6, 2], T))],
    errors: [{ name: 'zero', run: () => torch.zeros(3, 4).chunk(0), match: /chunk expects `chunks` to be greater than 0, got: 0/ }],
  },
  { name: 'unbind', call: (a) => a.unbind(1)[2], py: 'a.unbind(1)[2]', samples: [s('matrix', f([2, 3])), s('transposed', f([2, 3], T))] },
  {
    name: 'indexSelect', call: (a, b) => a.indexSelect(0, b), py: 'torch.index_select(a, 0, b)',
    samples: [s('rows', f([4, 3]), idx([5], 4)), s('transposed', f([4, 3], T), idx([2], 4)), s('empty_index', f([4, 3]), idx([0], 4)), s('vector', f([5]), idx([7], 5))],
    dtypes: ['float32', 'float64', 'int64'],
    errors: [
      { name: 'bounds', run: () => torch.zeros(3, 4).indexSelect(0, long([5])), match: /index out of range in self/ },
      { name: 'negative', run: () => torch.zeros(3, 4).indexSelect(0, long([-1])), match: /index out of range in self/ },
      { name: 'dtype', run: () => torch.zeros(3, 4).indexSelect(0, torch.tensor([1])), match: /index_select\(\): Expected dtype int32 or int64 for index/ },
      { name: 'rank', run: () => torch.zeros(3, 4).indexSelect(0, long([1]).reshape(1, 1)), match: /Index is supposed to be a vector/ },
    ],
  },
  { name: 'indexSelect.dim1', call: (a, b) => torch.indexSelect(a, -1, b), py: 'torch.index_select(a, -1, b)', samples: [s('cube', f([2, 3, 4], T), idx([6], 3))] },
  {
    name: 'gather', call: (a, b) => a.gather(1, b), py: 'torch.gather(a, 1, b)',
    samples: [s('rows', f([3, 4]), idx([3, 2], 4)), s('transposed', f([3, 4], T), idx([2, 6], 4)), s('empty', f([3, 4]), idx([3, 0], 4))],
    dtypes: ['float32', 'float64', 'int64'],
    errors: [
      { name: 'dtype', run: () => torch.zeros(3, 4).gather(0, torch.tensor([[1]], { dtype: 'int32' })), match: /gather\(\): Expected dtype int64 for index/ },
      { name: 'bounds', run: () => torch.zeros(3, 4).gather(0, long([5]).reshape(1, 1)), match: /index 5 is out of bounds for dimension 0 with size 3/ },
      { name: 'negative', run: () => torch.zeros(3, 4).gather(1, long([-1]).reshape(1, 1)), match: /index -1 is out of bounds for dimension 1 with size 4/ },
      { name: 'rank', run: () => torch.zeros(3, 4).gather(0, long([1])), match: /Index tensor must have the same number of dimensions as input tensor/ },
      { name: 'size', run: () => torch.zeros(3, 4).gather(1, long([1, 1, 1, 1]).reshape(4, 1)), match: /Size does not match at dimension 0 expected index \[4, 1\] to be smaller than self \[3, 4\] apart from dimension 1/ },
    ],
  },
  { name: 'gather.dim0', call: (a, b) => torch.gather(a, 0, b), py: 'torch.gather(a, 0, b)', samples: [s('cube', f([3, 2, 4]), idx([5, 2, 3], 3))] },
  {
    name: 'scatterAdd', call: (a, b, c) => torch.scatterAdd(a, 0, b, c), py: 'torch.scatter_add(a, 0, b, c)',
    samples: [s('rows', f([3, 4]), idx([5, 4], 3), f([5, 4])), s('transposed', f([3, 4], T), idx([2, 3], 3), f([2, 3], T))],
    dtypes: ['float32', 'float64', 'int64'],
    errors: [
      { name: 'dtype', run: () => torch.zeros(3, 4).scatterAdd(0, torch.tensor([[1]], { dtype: 'int32' }), torch.zeros(1, 1)), match: /scatter\(\): Expected dtype int64 for index/ },
      { name: 'bounds', run: () => torch.zeros(3, 4).scatterAdd(0, long([5]).reshape(1, 1), torch.zeros(1, 1)), match: /index 5 is out of bounds for dimension 0 with size 3/ },
      { name: 'src dtype', run: () => torch.zeros(3, 4).scatterAdd(0, long([1]).reshape(1, 1), torch.zeros([1, 1], { dtype: 'float64' })), match: /Expected self.dtype to be equal to src.dtype/ },
      { name: 'src size', run: () => torch.zeros(3, 4).scatterAdd(0, long([1, 1]).reshape(1, 2), torch.zeros(1, 1)), match: /Expected index \[1, 2\] to be smaller than self \[3, 4\] apart from dimension 0 and to be smaller size than src \[1, 1\]/ },
    ],
  },
  {
    name: 'scatterAdd_', call: (a, b, c) => a.clone().scatterAdd_(1, b, c), py: 'a.clone().scatter_add_(1, b, c)',
    samples: [s('rows', f([3, 4]), idx([3, 6], 4), f([3, 6]))],
  },
  {
    name: 'indexAdd', call: (a, b, c) => torch.indexAdd(a, 0, b, c, { alpha: 2 }), py: 'torch.index_add(a, 0, b, c, alpha=2)',
    samples: [s('rows', f([4, 3]), idx([5], 4), f([5, 3])), s('transposed', f([4, 3], T), idx([2], 4), f([2, 3], T)), s('vector', f([3]), idx([4], 3), f([4]))],
    dtypes: ['float32', 'float64', 'int64'],
    errors: [
      { name: 'bounds', run: () => torch.zeros(3, 4).indexAdd(0, long([5]), torch.zeros(1, 4)), match: /index out of range in self/ },
      { name: 'count', run: () => torch.zeros(3, 4).indexAdd(0, long([1]), torch.zeros(2, 4)), match: /Number of indices \(1\) should be equal to source.size\(dim\): \(2\), for dim: 0/ },
      { name: 'dtype', run: () => torch.zeros(3, 4).indexAdd(0, long([1]), torch.zeros([1, 4], { dtype: 'float64' })), match: /self \(Float\) and source \(Double\) must have the same scalar type/ },
    ],
  },
  {
    name: 'indexAdd_', call: (a, b, c) => a.clone().indexAdd_(1, b, c), py: 'a.clone().index_add_(1, b, c)',
    samples: [s('columns', f([3, 4]), idx([6], 4), f([3, 6]))],
  },
  {
    name: 'maskedSelect', call: (a, b) => torch.maskedSelect(a, b), py: 'torch.masked_select(a, b)',
    samples: [s('same', f([3, 4]), mask([3, 4])), s('broadcast', f([3, 4], T), mask([4])), s('broadcast_input', f([4]), mask([3, 4]))],
    errors: [{ name: 'mask dtype', run: () => torch.maskedSelect(torch.zeros(3, 4), torch.zeros(4)), match: /expected BoolTensor or ByteTensor for mask/ }],
  },
  {
    name: 'get.tensor', call: (a, b) => a.get(b), py: 'a[b]',
    samples: [s('rows', f([3, 4]), idx([5], 3)), s('negative', f([3, 4], T), idx([4], 3, -3)), s('matrix_index', f([3, 2]), idx([2, 2], 3))],
    errors: [
      { name: 'bounds', run: () => torch.zeros(3, 4).get(long([5])), match: /index 5 is out of bounds for dimension 0 with size 3/ },
      { name: 'dtype', run: () => torch.zeros(3, 4).get(torch.tensor([1])), match: /tensors used as indices must be long, byte or bool tensors/ },
    ],
  },
  { name: 'get.tensor_dim1', call: (a, b) => a.get(null, b, 0), py: 'a[:, b, 0]', samples: [s('cube', f([2, 3, 4]), idx([4], 3))] },
  {
    name: 'get.mask', call: (a, b) => a.get(b), py: 'a[b]',
    samples: [s('full', f([3, 4]), mask([3, 4])), s('leading', f([3, 4], T), mask([3])), s('cube_leading', f([2, 3, 2]), mask([2, 3]))],
    errors: [{ name: 'shape', run: () => torch.zeros(3, 4).get(torch.zeros([2], { dtype: 'bool' })), match: /The shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor \[3, 4\] at index 0/ }],
  },
  { name: 'get.mask_after_slice', call: (a, b) => a.get([0, 2], b), py: 'a[0:2, b]', samples: [s('matrix', f([3, 4]), mask([4]))] },
];
