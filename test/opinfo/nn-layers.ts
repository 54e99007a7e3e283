// test/opinfo/nn-layers.ts — entries for nn layers: convolutions, pooling, normalisation, embedding.
import * as torch from 'kindling';
import { F } from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const T = { transposed: true };
const noGrad = { grad: false };
// Windowed products sum tens of terms: float32 results differ from PyTorch's by a few ulps of the terms.
const tol = { atol: 1e-5, rtol: 1e-5, gradcheckMaxNumel: 200 };
// Normalisation divides by a batch standard deviation, which amplifies float32 rounding.
const normTol = { atol: 5e-5, rtol: 1e-4, gradcheckMaxNumel: 200 };

const convInfos: OpInfo[] = [
  {
    name: 'conv2d', call: (a, b, c) => F.conv2d(a, b, c), py: 'F.conv2d(a, b, c)', ...tol,
    samples: [
      s('basic', f([1, 2, 5, 5]), f([3, 2, 3, 3]), f([3])),
      s('batch_transposed', f([2, 2, 4, 5], T), f([2, 2, 2, 3], T), f([2])),
      s('one_by_one', f([2, 3, 3, 3]), f([4, 3, 1, 1]), f([4])),
    ],
    errors: [
      { name: 'channels', run: () => F.conv2d(torch.zeros(1, 3, 8, 8), torch.zeros(6, 1, 5, 5)), match: /Given groups=1, weight of size \[6, 1, 5, 5\], expected input\[1, 3, 8, 8\] to have 1 channels, but got 3 channels instead/ },
      { name: 'kernel too large', run: () => F.conv2d(torch.zeros(1, 1, 3, 3), torch.zeros(6, 1, 5, 5)), match: /Calculated padded input size per channel: \(3 x 3\). Kernel size: \(5 x 5\). Kernel size can't be greater than actual input size/ },
      { name: 'rank', run: () => F.conv2d(torch.zeros(1, 1, 1, 8, 8), torch.zeros(6, 1, 5, 5)), match: /Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of size: \[1, 1, 1, 8, 8\]/ },
      { name: 'bias size', run: () => F.conv2d(torch.zeros(1, 1, 8, 8), torch.zeros(6, 1, 5, 5), torch.zeros(5)), match: /expected bias to be 1-dimensional with 6 elements, but got bias of size \[5\] instead/ },
      { name: 'strided same', run: () => F.conv2d(torch.zeros(1, 1, 8, 8), torch.zeros(6, 1, 5, 5), null, { stride: 2, padding: 'same' }), match: /padding='same' is not supported for strided convolutions/ },
      { name: 'groups', run: () => F.conv2d(torch.zeros(1, 4, 8, 8), torch.zeros(6, 2, 5, 5), null, { groups: 4 }), match: /expected weight to be divisible by 4 at dimension 0/ },
      { name: 'dtypes', run: () => F.conv2d(torch.zeros(1, 1, 8, 8), torch.zeros([6, 1, 5, 5], { dtype: 'float64' })), match: /Input type \(torch.FloatTensor\) and weight type \(torch.DoubleTensor\) should be the same/ },
    ],
  },
  {
    name: 'conv2d.stride_padding', call: (a, b, c) => F.conv2d(a, b, c, { stride: 2, padding: 1 }), py: 'F.conv2d(a, b, c, stride=2, padding=1)', ...tol,
    samples: [s('square', f([1, 2, 5, 5]), f([3, 2, 3, 3]), f([3])), s('wide', f([2, 1, 4, 6]), f([2, 1, 3, 2]), f([2]))],
  },
  {
    name: 'conv2d.dilation', call: (a, b) => F.conv2d(a, b, null, { dilation: 2, padding: [1, 2], stride: [1, 2] }),
    py: 'F.conv2d(a, b, None, dilation=2, padding=(1, 2), stride=(1, 2))', ...tol,
    samples: [s('basic', f([1, 2, 6, 6]), f([2, 2, 2, 3]))],
  },
  {
    name: 'conv2d.groups', call: (a, b, c) => F.conv2d(a, b, c, { groups: 2 }), py: 'F.conv2d(a, b, c, groups=2)', ...tol,
    samples: [s('two', f([1, 4, 4, 4]), f([4, 2, 2, 2]), f([4])), s('depthwise', f([2, 2, 3, 4]), f([4, 1, 2, 2]), f([4]))],
  },
  {
    name: 'conv2d.same', call: (a, b) => F.conv2d(a, b, null, { padding: 'same', dilation: [1, 2] }), py: "F.conv2d(a, b, None, padding='same', dilation=(1, 2))", ...tol,
    samples: [s('even_kernel', f([1, 2, 4, 5]), f([2, 2, 2, 2])), s('odd_kernel', f([1, 1, 5, 5]), f([2, 1, 3, 3]))],
  },
  {
    name: 'conv2d.valid_unbatched', call: (a, b) => F.conv2d(a, b, null, { padding: 'valid' }), py: "F.conv2d(a, b, None, padding='valid')", ...tol,
    samples: [s('unbatched', f([2, 4, 4]), f([3, 2, 2, 2])), s('batched', f([2, 2, 4, 4]), f([3, 2, 3, 2]))],
  },
  {
    name: 'conv1d', call: (a, b, c) => F.conv1d(a, b, c, { stride: 2, padding: 1 }), py: 'F.conv1d(a, b, c, stride=2, padding=1)', ...tol,
    samples: [s('basic', f([2, 2, 7]), f([3, 2, 3]), f([3])), s('unbatched', f([2, 6]), f([1, 2, 2]), f([1]))],
  },
  {
    name: 'conv1d.groups_dilation', call: (a, b) => F.conv1d(a, b, null, { groups: 2, dilation: 2 }), py: 'F.conv1d(a, b, None, groups=2, dilation=2)', ...tol,
    samples: [s('basic', f([1, 4, 8]), f([2, 2, 3]))],
  },
  {
    name: 'conv_transpose2d', call: (a, b, c) => F.convTranspose2d(a, b, c), py: 'F.conv_transpose2d(a, b, c)', ...tol,
    samples: [s('basic', f([1, 2, 3, 3]), f([2, 3, 2, 2]), f([3])), s('transposed', f([2, 2, 3, 4], T), f([2, 1, 2, 3]), f([1]))],
    errors: [
      { name: 'output padding', run: () => F.convTranspose2d(torch.zeros(1, 2, 3, 3), torch.zeros(2, 3, 3, 3), null, { stride: 2, outputPadding: 2 }), match: /output padding must be smaller than either stride or dilation/ },
    ],
  },
  {
    name: 'conv_transpose2d.stride', call: (a, b, c) => F.convTranspose2d(a, b, c, { stride: 2, padding: 1, outputPadding: 1 }),
    py: 'F.conv_transpose2d(a, b, c, stride=2, padding=1, output_padding=1)', ...tol,
    samples: [s('basic', f([1, 2, 3, 3]), f([2, 3, 3, 3]), f([3]))],
  },
  {
    name: 'conv_transpose2d.groups_dilation', call: (a, b) => F.convTranspose2d(a, b, null, { groups: 2, dilation: 2, stride: [2, 1] }),
    py: 'F.conv_transpose2d(a, b, None, groups=2, dilation=2, stride=(2, 1))', ...tol,
    samples: [s('basic', f([1, 4, 3, 3]), f([4, 1, 2, 2]))],
  },
];

const poolInfos: OpInfo[] = [
  {
    name: 'max_pool2d', call: (a) => F.maxPool2d(a, 2), py: 'F.max_pool2d(a, 2)', samples: [
      s('floor', f([1, 2, 4, 5])), s('transposed', f([2, 1, 4, 6], T)), s('unbatched', f([2, 4, 4])),
    ],
    errors: [
      { name: 'padding', run: () => F.maxPool2d(torch.zeros(1, 1, 8, 8), 2, { padding: 2 }), match: /pad should be at most half of kernel size, but got pad=2 and kernel_size=2/ },
      { name: 'too small', run: () => F.maxPool2d(torch.zeros(1, 1, 1, 1), 3), match: /Given input size: \(1x1x1\). Calculated output size: \(1x0x0\). Output size is too small/ },
    ],
  },
  {
    name: 'max_pool2d.stride_padding', call: (a) => F.maxPool2d(a, 3, { stride: 2, padding: 1 }), py: 'F.max_pool2d(a, 3, stride=2, padding=1)',
    samples: [s('basic', f([2, 1, 5, 5]))],
  },
  {
    name: 'max_pool2d.dilation_ceil', call: (a) => F.maxPool2d(a, [2, 3], { stride: 2, dilation: [2, 1], ceilMode: true }),
    py: 'F.max_pool2d(a, (2, 3), stride=2, dilation=(2, 1), ceil_mode=True)', samples: [s('basic', f([1, 2, 6, 7]))],
  },
  {
    name: 'max_pool2d.indices', call: (a) => F.maxPool2d(a, 3, { stride: 2, padding: 1, returnIndices: true })[1],
    py: 'F.max_pool2d(a, 3, stride=2, padding=1, return_indices=True)[1]', differentiable: false, dtypes: ['float32'],
    samples: [s('basic', f([2, 1, 5, 6]))],
  },
  {
    name: 'avg_pool2d', call: (a) => F.avgPool2d(a, 2), py: 'F.avg_pool2d(a, 2)',
    samples: [s('floor', f([1, 2, 4, 5])), s('transposed', f([2, 1, 4, 6], T)), s('unbatched', f([2, 4, 4]))],
  },
  {
    name: 'avg_pool2d.pad_ceil', call: (a) => F.avgPool2d(a, 3, { stride: 2, padding: 1, ceilMode: true }),
    py: 'F.avg_pool2d(a, 3, stride=2, padding=1, ceil_mode=True)', samples: [s('basic', f([1, 2, 6, 6]))],
  },
  {
    name: 'avg_pool2d.exclude_pad', call: (a) => F.avgPool2d(a, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    py: 'F.avg_pool2d(a, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)', samples: [s('basic', f([1, 2, 6, 6]))],
  },
  {
    name: 'avg_pool2d.divisor', call: (a) => F.avgPool2d(a, [2, 3], { stride: 1, divisorOverride: 3 }),
    py: 'F.avg_pool2d(a, (2, 3), stride=1, divisor_override=3)', samples: [s('basic', f([1, 2, 4, 5]))],
  },
  {
    name: 'adaptive_avg_pool2d', call: (a) => F.adaptiveAvgPool2d(a, [2, 3]), py: 'F.adaptive_avg_pool2d(a, (2, 3))',
    samples: [s('uneven', f([1, 2, 5, 7])), s('transposed', f([2, 1, 4, 6], T)), s('unbatched', f([2, 3, 3]))],
  },
  {
    name: 'adaptive_avg_pool2d.global', call: (a) => F.adaptiveAvgPool2d(a, 1), py: 'F.adaptive_avg_pool2d(a, 1)',
    samples: [s('basic', f([2, 3, 3, 4]))],
  },
  {
    name: 'adaptive_avg_pool2d.keep', call: (a) => F.adaptiveAvgPool2d(a, [null, 2]), py: 'F.adaptive_avg_pool2d(a, (None, 2))',
    samples: [s('basic', f([1, 2, 3, 5]))],
  },
];

const normInfos: OpInfo[] = [
  {
    name: 'batch_norm.train', call: (a, b, c) => F.batchNorm(a, null, null, b, c, true), py: 'F.batch_norm(a, None, None, b, c, training=True)', ...normTol,
    samples: [s('1d', f([4, 3]), f([3]), f([3])), s('2d', f([2, 3, 2, 2]), f([3]), f([3])), s('3d', f([3, 2, 4], T), f([2]), f([2]))],
    errors: [
      { name: 'one value', run: () => F.batchNorm(torch.zeros(1, 3), null, null, null, null, true), match: /Expected more than 1 value per channel when training, got input size torch.Size\(\[1, 3\]\)/ },
      { name: 'stats size', run: () => F.batchNorm(torch.zeros(2, 3), torch.zeros(4), torch.ones(4)), match: /running_mean should contain 3 elements not 4/ },
    ],
  },
  {
    name: 'batch_norm.eval', call: (a, b, c, d) => F.batchNorm(a, b, c, d, null, false, 0.1, 1e-3),
    py: 'F.batch_norm(a, b, c, d, None, training=False, eps=1e-3)', ...normTol,
    samples: [s('2d', f([2, 3, 2, 2]), f([3], noGrad), f([3], { grad: false, range: [0.5, 2] }), f([3]))],
  },
  {
    name: 'batch_norm.no_affine', call: (a) => F.batchNorm(a, null, null, null, null, true, 0.1, 1e-2), py: 'F.batch_norm(a, None, None, training=True, eps=1e-2)', ...normTol,
    samples: [s('3d', f([3, 2, 4]))],
  },
  {
    name: 'layer_norm', call: (a, b, c) => F.layerNorm(a, [4], b, c), py: 'F.layer_norm(a, (4,), b, c)', ...normTol,
    samples: [s('2d', f([3, 4]), f([4]), f([4])), s('3d_transposed', f([2, 3, 4], T), f([4]), f([4]))],
    errors: [{ name: 'shape', run: () => F.layerNorm(torch.zeros(2, 3), [4]), match: /Given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got input of size\[2, 3\]/ }],
  },
  {
    name: 'layer_norm.2d', call: (a) => F.layerNorm(a, [3, 4], null, null, 1e-3), py: 'F.layer_norm(a, (3, 4), eps=1e-3)', ...normTol,
    samples: [s('basic', f([2, 3, 4]))],
  },
  {
    name: 'group_norm', call: (a, b, c) => F.groupNorm(a, 2, b, c), py: 'F.group_norm(a, 2, b, c)', ...normTol,
    samples: [s('3d', f([2, 4, 3]), f([4]), f([4])), s('4d', f([2, 2, 2, 3]), f([2]), f([2]))],
    errors: [{ name: 'groups', run: () => F.groupNorm(torch.zeros(2, 6, 2), 4), match: /Expected number of channels in input to be divisible by num_groups, but got input of shape \[2, 6, 2\] and num_groups=4/ }],
  },
];

const embeddingInfos: OpInfo[] = [
  {
    name: 'embedding', call: (a, b) => F.embedding(a, b), py: 'F.embedding(a, b)',
    samples: [s('2d_indices', f([2, 3], { kind: 'int64', range: [0, 5] }), f([5, 3])), s('1d_indices', f([7], { kind: 'int64', range: [0, 4] }), f([4, 2], T))],
    errors: [
      { name: 'out of range', run: () => F.embedding(torch.tensor([5], { dtype: 'int64' }), torch.zeros(3, 2)), match: /index out of range in self/ },
      { name: 'float indices', run: () => F.embedding(torch.tensor([1]), torch.zeros(3, 2)), match: /Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead/ },
    ],
  },
  {
    name: 'embedding.padding', call: (a, b) => F.embedding(a, b, -2), py: 'F.embedding(a, b, padding_idx=-2)',
    // The padding row gets no gradient by design, so finite differences disagree there: no gradcheck.
    gradcheckMaxNumel: 0,
    samples: [s('basic', f([4, 3], { kind: 'int64', range: [0, 4] }), f([4, 3]))],
  },
  {
    name: 'dropout.eval', call: (a) => F.dropout(a, 0.5, false), py: 'F.dropout(a, 0.5, training=False)', differentiable: false, samples: [s('basic', f([3, 4]))],
    errors: [{ name: 'p', run: () => F.dropout(torch.zeros(2, 3), 1.5), match: /dropout probability has to be between 0 and 1, but got 1.5/ }],
  },
];

const bilinearInfos: OpInfo[] = [
  {
    name: 'F.bilinear',
    call: (a, b, w, c) => F.bilinear(a, b, w, c),
    py: 'F.bilinear(a, b, c, d)',
    samples: [
      { name: 'batch', inputs: [{ shape: [4, 3] }, { shape: [4, 2] }, { shape: [5, 3, 2] }, { shape: [5] }] },
      { name: 'leading_dims', inputs: [{ shape: [2, 2, 3] }, { shape: [2, 2, 2] }, { shape: [2, 3, 2] }, { shape: [2] }] },
    ],
    gradcheckMaxNumel: 80,
    errors: [{ name: 'feature mismatch', run: () => F.bilinear(torch.zeros(2, 3), torch.zeros(2, 4), torch.zeros(5, 3, 2)), match: /bilinear: input1 \[2, 3\] and input2 \[2, 4\] do not match weight/ }],
  },
];

export const nnLayerInfos: OpInfo[] = [...convInfos, ...poolInfos, ...normInfos, ...embeddingInfos, ...bilinearInfos];
