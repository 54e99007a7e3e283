// test/opinfo/nn-functional2.ts — entries for the second set of nn.functional ops: more activations,
// padding, one-hot, pixel shuffles, norms and distances, with PyTorch's errors.
import * as torch from 'kindling';
import { F } from 'kindling';
import { unarySamples } from './samples.js';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const long = (values: number[]) => torch.tensor(values, { dtype: 'int64' });
const classes = (shape: number[], hi: number): InputSpec => ({ shape, kind: 'int64', range: [0, hi], grad: false });

const activations: OpInfo[] = [
  { name: 'F.logsigmoid', call: (a) => F.logsigmoid(a), py: 'F.logsigmoid(a)', samples: [...unarySamples([-6, 6]), s('large', f([6], { range: [-200, 200] }))],
    errors: [{ name: 'int', run: () => F.logsigmoid(long([1])), match: /"log_sigmoid_cpu" not implemented for 'Long'/ }] },
  { name: 'F.hardswish', call: (a) => F.hardswish(a), py: 'F.hardswish(a)', samples: unarySamples([-5, 5]),
    errors: [{ name: 'int', run: () => F.hardswish(long([1])), match: /"hardswish_cpu" not implemented for 'Long'/ }] },
  { name: 'F.hardswish.inplace', call: (a) => F.hardswish(a.mul(1), { inplace: true }), py: 'F.hardswish(a * 1, inplace=True)', samples: unarySamples([-5, 5]) },
  { name: 'F.hardsigmoid', call: (a) => F.hardsigmoid(a), py: 'F.hardsigmoid(a)', samples: unarySamples([-5, 5]),
    errors: [{ name: 'int', run: () => F.hardsigmoid(long([1])), match: /"hardsigmoid_cpu" not implemented for 'Long'/ }] },
  { name: 'F.hardsigmoid.inplace', call: (a) => F.hardsigmoid(a.mul(1), { inplace: true }), py: 'F.hardsigmoid(a * 1, inplace=True)', samples: unarySamples([-5, 5]) },
  { name: 'F.mish', call: (a) => F.mish(a), py: 'F.mish(a)', samples: [...unarySamples([-5, 5]), s('large', f([6], { range: [-100, 100] }))],
    errors: [{ name: 'int', run: () => F.mish(long([1])), match: /"mish_cpu" not implemented for 'Long'/ }] },
  { name: 'F.mish.inplace', call: (a) => F.mish(a.mul(1), { inplace: true }), py: 'F.mish(a * 1, inplace=True)', samples: unarySamples() },
  { name: 'F.glu', call: (a) => F.glu(a), py: 'F.glu(a)', samples: [s('matrix', f([3, 4])), s('transposed', f([3, 4], { transposed: true })), s('cube', f([2, 3, 6]))],
    errors: [
      { name: 'odd', run: () => F.glu(torch.ones(3, 5)), match: /Halving dimension must be even, but dimension 1 is size 5/ },
      { name: 'scalar', run: () => F.glu(torch.ones()), match: /glu does not support scalars because halving size must be even/ },
      { name: 'dim', run: () => F.glu(torch.ones(3, 4), 2), match: /Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/ },
    ] },
  { name: 'F.glu.dim0', call: (a) => F.glu(a, 0), py: 'F.glu(a, 0)', samples: [s('matrix', f([4, 3])), s('cube', f([2, 3, 1]))] },
];

const padSamples1d = [s('batched', f([2, 3, 5])), s('unbatched', f([3, 5])), s('transposed', f([2, 5, 4], { transposed: true }))];
const padSamples2d = [s('batched', f([2, 2, 4, 5])), s('unbatched', f([2, 4, 5]))];
const padSamples3d = [s('batched', f([1, 2, 3, 4, 5])), s('unbatched', f([2, 3, 4, 5]))];

const padding: OpInfo[] = [
  { name: 'F.pad.constant', call: (a) => F.pad(a, [1, 2]), py: 'F.pad(a, (1, 2))', samples: [s('vector', f([4])), ...padSamples1d, s('empty', f([0, 3]))] },
  { name: 'F.pad.constant_value', call: (a) => F.pad(a, [0, 1, 2, 0], { value: 2.5 }), py: 'F.pad(a, (0, 1, 2, 0), value=2.5)', samples: padSamples2d },
  { name: 'F.pad.constant_many', call: (a) => F.pad(a, [1, 0, 0, 2, 1, 1, 2, 1]), py: 'F.pad(a, (1, 0, 0, 2, 1, 1, 2, 1))', samples: [s('4d', f([2, 1, 3, 2]))] },
  { name: 'F.pad.constant_negative', call: (a) => F.pad(a, [-1, 2, 1, -2]), py: 'F.pad(a, (-1, 2, 1, -2))', samples: padSamples2d },
  { name: 'F.pad.constant_int', call: (a) => F.pad(a, [1, 1], { value: 3 }), py: 'F.pad(a, (1, 1), value=3)', samples: [s('matrix', f([2, 3]))], dtypes: ['int64'] },
  ...(['reflect', 'replicate', 'circular'] as const).flatMap((mode): OpInfo[] => [
    { name: `F.pad.${mode}1d`, call: (a) => F.pad(a, [2, 1], { mode }), py: `F.pad(a, (2, 1), mode='${mode}')`, samples: mode === 'circular' ? [padSamples1d[0], padSamples1d[2]] : padSamples1d },
    { name: `F.pad.${mode}2d`, call: (a) => F.pad(a, [1, 3, 2, 0], { mode }), py: `F.pad(a, (1, 3, 2, 0), mode='${mode}')`, samples: mode === 'circular' ? [padSamples2d[0]] : padSamples2d },
    { name: `F.pad.${mode}3d`, call: (a) => F.pad(a, [1, 2, 0, 1, 2, 1], { mode }), py: `F.pad(a, (1, 2, 0, 1, 2, 1), mode='${mode}')`, samples: mode === 'circular' ? [padSamples3d[0]] : padSamples3d },
    { name: `F.pad.${mode}_negative`, call: (a) => F.pad(a, [-1, 2, 1, -1], { mode }), py: `F.pad(a, (-1, 2, 1, -1), mode='${mode}')`, samples: [padSamples2d[0]] },
  ]),
  {
    name: 'F.pad.errors', call: (a) => F.pad(a, [1, 1]), py: 'F.pad(a, (1, 1))', samples: [s('matrix', f([2, 3]))],
    errors: [
      { name: 'odd length', run: () => F.pad(torch.ones(2, 3), [1, 2, 3]), match: /Padding length must be divisible by 2/ },
      { name: 'too long', run: () => F.pad(torch.ones(2, 3), [1, 1, 1, 1, 1, 1]), match: /Padding length too large/ },
      { name: 'mode', run: () => F.pad(torch.ones(2, 3, 4), [1, 1], { mode: 'foo' as 'reflect' }), match: /Unrecognised padding mode foo/ },
      { name: 'value with reflect', run: () => F.pad(torch.ones(2, 3, 4), [1, 1], { mode: 'reflect', value: 2 }), match: /Padding mode "reflect" doesn't take in value argument/ },
      { name: 'reflect dims', run: () => F.pad(torch.ones(2, 3, 4, 5), [1, 1], { mode: 'reflect' }), match: /Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now/ },
      { name: 'reflect too wide', run: () => F.pad(torch.ones(2, 3, 5), [5, 2], { mode: 'reflect' }), match: /Argument #4: Padding size should be less than the corresponding input dimension, but got: padding \(5, 2\) at dimension 2 of input \[2, 3, 5\]/ },
      { name: 'circular size', run: () => F.pad(torch.ones(2, 3, 4, 5), [1, 1, 1, 1, 1, 1], { mode: 'circular' }), match: /Invalid padding size, expected 4 but got 6/ },
      { name: 'circular wraps', run: () => F.pad(torch.ones(2, 3, 4, 5), [6, 2, 1, 1], { mode: 'circular' }), match: /Padding value causes wrapping around more than once\./ },
      { name: 'reflect int', run: () => F.pad(torch.zeros(3, 2, 5, { dtype: 'int64' }), [1, 2], { mode: 'reflect' }), match: /"reflection_pad1d" not implemented for 'Long'/ },
      { name: 'reflect empty', run: () => F.pad(torch.zeros(3, 0, 5), [1, 2], { mode: 'reflect' }), match: /2D or 3D \(batch mode\) tensor expected for input, but got: \[ torch\.FloatTensor\{3,0,5\} \]/ },
      { name: 'replicate empty', run: () => F.pad(torch.zeros(3, 0, 5), [1, 2], { mode: 'replicate' }), match: /Expected 2D or 3D \(batch mode\) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: \[3, 0, 5\]/ },
    ],
  },
];

const shapes: OpInfo[] = [
  { name: 'F.oneHot', call: (a) => F.oneHot(a), py: 'F.one_hot(a)', differentiable: false, dtypes: ['float32'],
    samples: [s('vector', classes([6], 5)), s('matrix', classes([2, 3], 4)), s('scalar', classes([], 3))],
    errors: [
      { name: 'float', run: () => F.oneHot(torch.tensor([0, 1])), match: /one_hot is only applicable to index tensor\./ },
      { name: 'too large', run: () => F.oneHot(long([0, 2, 1]), 2), match: /Class values must be smaller than num_classes\./ },
      { name: 'negative', run: () => F.oneHot(long([0, -2, 1]), 4), match: /Class values must be non-negative\./ },
      { name: 'empty', run: () => F.oneHot(long([])), match: /Can not infer total number of classes from empty tensor\./ },
    ] },
  { name: 'F.oneHot.numClasses', call: (a) => F.oneHot(a, 7), py: 'F.one_hot(a, 7)', differentiable: false, dtypes: ['float32'],
    samples: [s('vector', classes([6], 5)), s('empty', classes([0], 3))] },
  { name: 'F.pixelShuffle', call: (a) => F.pixelShuffle(a, 2), py: 'F.pixel_shuffle(a, 2)', samples: [s('batched', f([2, 8, 2, 3])), s('unbatched', f([4, 3, 2])), s('5d', f([2, 1, 4, 2, 2]))],
    errors: [
      { name: 'channels', run: () => F.pixelShuffle(torch.ones(2, 6, 3, 3), 2), match: /pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input\.size\(-3\)=6 is not divisible by 4/ },
      { name: 'rank', run: () => F.pixelShuffle(torch.ones(8, 3), 2), match: /pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension\(s\)/ },
      { name: 'factor', run: () => F.pixelShuffle(torch.ones(8, 3, 3), 0), match: /pixel_shuffle expects a positive upscale_factor, but got 0/ },
    ] },
  { name: 'F.pixelShuffle.3', call: (a) => F.pixelShuffle(a, 3), py: 'F.pixel_shuffle(a, 3)', samples: [s('batched', f([1, 9, 2, 2]))] },
  { name: 'F.pixelUnshuffle', call: (a) => F.pixelUnshuffle(a, 2), py: 'F.pixel_unshuffle(a, 2)', samples: [s('batched', f([2, 2, 4, 6])), s('unbatched', f([1, 4, 2])), s('transposed', f([1, 2, 6, 4], { transposed: true }))],
    errors: [
      { name: 'width', run: () => F.pixelUnshuffle(torch.ones(2, 2, 4, 5), 2), match: /pixel_unshuffle expects width to be divisible by downscale_factor, but input\.size\(-1\)=5 is not divisible by 2/ },
      { name: 'height', run: () => F.pixelUnshuffle(torch.ones(2, 2, 5, 4), 2), match: /pixel_unshuffle expects height to be divisible by downscale_factor, but input\.size\(-2\)=5 is not divisible by 2/ },
      { name: 'factor', run: () => F.pixelUnshuffle(torch.ones(2, 4, 4), 0), match: /pixel_unshuffle expects a positive downscale_factor, but got 0/ },
    ] },
];

const pair = (a: number[], b: number[] = a): InputSpec[] => [f(a), f(b)];
const distances: OpInfo[] = [
  { name: 'F.normalize', call: (a) => F.normalize(a), py: 'F.normalize(a)', samples: [s('matrix', f([3, 4])), s('transposed', f([3, 4], { transposed: true })), s('cube', f([2, 3, 2]))],
    errors: [
      { name: 'int', run: () => F.normalize(long([1, 2])), match: /norm\(\): input dtype should be either floating point or complex\. Got Long instead\./ },
      { name: 'dim', run: () => F.normalize(torch.ones(2, 3, 5), { dim: 4 }), match: /Dimension out of range \(expected to be in range of \[-3, 2\], but got 4\)/ },
    ] },
  { name: 'F.normalize.p1', call: (a) => F.normalize(a, { p: 1, dim: -1 }), py: 'F.normalize(a, p=1.0, dim=-1)', samples: [s('matrix', f([3, 4])), s('vector', f([5]))] },
  { name: 'F.normalize.p3', call: (a) => F.normalize(a, { p: 3, dim: 0 }), py: 'F.normalize(a, p=3.0, dim=0)', samples: [s('matrix', f([3, 4]))] },
  { name: 'F.normalize.pinf', call: (a) => F.normalize(a, { p: Infinity, dim: 1 }), py: "F.normalize(a, p=float('inf'), dim=1)", samples: [s('matrix', f([3, 4]))] },
  { name: 'F.normalize.eps', call: (a) => F.normalize(a, { eps: 1.5 }), py: 'F.normalize(a, eps=1.5)', samples: [s('matrix', f([4, 3], { range: [-1, 1] }))] },
  { name: 'F.cosineSimilarity', call: (a, b) => F.cosineSimilarity(a, b), py: 'F.cosine_similarity(a, b)',
    samples: [s('matrix', ...pair([3, 4])), s('broadcast', ...pair([3, 4], [4])), s('cube', ...pair([2, 3, 2])), s('transposed', f([3, 4], { transposed: true }), f([3, 4]))],
    errors: [
      { name: 'shapes', run: () => F.cosineSimilarity(torch.ones(3, 4), torch.ones(3, 5)), match: /The size of tensor a \(4\) must match the size of tensor b \(5\) at non-singleton dimension 1/ },
      { name: 'int', run: () => F.cosineSimilarity(long([1, 2]), long([1, 2])), match: /expected common dtype to be floating point, yet common dtype is Long/ },
    ] },
  { name: 'F.cosineSimilarity.dim0_eps', call: (a, b) => F.cosineSimilarity(a, b, { dim: 0, eps: 2 }), py: 'F.cosine_similarity(a, b, dim=0, eps=2.0)', samples: [s('matrix', ...pair([3, 4]))],
    gradcheckMaxNumel: 0 }, // PyTorch's gradient divides by the clamped norm: not the derivative where the clamp acts
  { name: 'F.pairwiseDistance', call: (a, b) => F.pairwiseDistance(a, b), py: 'F.pairwise_distance(a, b)',
    samples: [s('matrix', ...pair([3, 4])), s('broadcast', ...pair([3, 4], [4])), s('vector', ...pair([5])), s('scalar', ...pair([]))],
    errors: [{ name: 'shapes', run: () => F.pairwiseDistance(torch.ones(3, 4), torch.ones(3, 5)), match: /The size of tensor a \(4\) must match the size of tensor b \(5\) at non-singleton dimension 1/ }] },
  { name: 'F.pairwiseDistance.p1_keepdim', call: (a, b) => F.pairwiseDistance(a, b, { p: 1, keepdim: true }), py: 'F.pairwise_distance(a, b, p=1.0, keepdim=True)', samples: [s('matrix', ...pair([3, 4])), s('vector', ...pair([5]))] },
  { name: 'F.pairwiseDistance.p3', call: (a, b) => F.pairwiseDistance(a, b, { p: 3, eps: 0.1 }), py: 'F.pairwise_distance(a, b, p=3.0, eps=0.1)', samples: [s('matrix', ...pair([3, 4]))] },
  { name: 'F.pairwiseDistance.pinf', call: (a, b) => F.pairwiseDistance(a, b, { p: Infinity }), py: "F.pairwise_distance(a, b, p=float('inf'))", samples: [s('matrix', ...pair([3, 4]))] },
];


const moreActivations: OpInfo[] = [
  { name: 'F.relu6', call: (a) => F.relu6(a), py: 'F.relu6(a)', samples: unarySamples([-8, 8]), dtypes: ['float32', 'float64', 'int64'] },
  { name: 'F.relu6.inplace', call: (a) => F.relu6(a.mul(1), { inplace: true }), py: 'F.relu6(a * 1, inplace=True)', samples: unarySamples([-8, 8]) },
  { name: 'F.selu', call: (a) => F.selu(a), py: 'F.selu(a)', samples: unarySamples([-3, 3]),
    errors: [{ name: 'int', run: () => F.selu(long([1])), match: /"elu_cpu" not implemented for 'Long'/ }] },
  { name: 'F.selu.inplace', call: (a) => F.selu(a.mul(1), { inplace: true }), py: 'F.selu(a * 1, inplace=True)', samples: unarySamples([-3, 3]) },
  { name: 'F.celu', call: (a) => F.celu(a), py: 'F.celu(a)', samples: [...unarySamples([-3, 3]), s('large', f([4], { range: [-200, 200] }))],
    errors: [
      { name: 'int', run: () => F.celu(long([1])), match: /"elu_cpu" not implemented for 'Long'/ },
      { name: 'alpha 0', run: () => F.celu(torch.ones(2), { alpha: 0 }), match: /ZeroDivisionError: alpha cannot be 0 for CELU/ },
    ] },
  { name: 'F.celu.alpha_inplace', call: (a) => F.celu(a.mul(1), { alpha: 0.5, inplace: true }), py: 'F.celu(a * 1, 0.5, inplace=True)', samples: unarySamples([-3, 3]) },
  { name: 'F.softsign', call: (a) => F.softsign(a), py: 'F.softsign(a)', samples: unarySamples([-5, 5]) },
  { name: 'F.softsign.int', call: (a) => F.softsign(a), py: 'F.softsign(a)', samples: [s('vector', f([5], { range: [-5, 5] }))], dtypes: ['int64'] },
  { name: 'F.tanhshrink', call: (a) => F.tanhshrink(a), py: 'F.tanhshrink(a)', samples: unarySamples([-3, 3]) },
  { name: 'F.hardshrink', call: (a) => F.hardshrink(a), py: 'F.hardshrink(a)', samples: unarySamples(),
    errors: [{ name: 'int', run: () => F.hardshrink(long([1])), match: /"hardshrink_cpu" not implemented for 'Long'/ }] },
  { name: 'F.hardshrink.lambd', call: (a) => F.hardshrink(a, 1.2), py: 'F.hardshrink(a, 1.2)', samples: unarySamples() },
  { name: 'F.softshrink', call: (a) => F.softshrink(a), py: 'F.softshrink(a)', samples: unarySamples(),
    errors: [
      { name: 'int', run: () => F.softshrink(long([1])), match: /"softshrink_cpu" not implemented for 'Long'/ },
      { name: 'negative', run: () => F.softshrink(torch.ones(2), -1), match: /lambda must be greater or equal to 0, but found to be -1\./ },
    ] },
  { name: 'F.softshrink.lambd', call: (a) => F.softshrink(a, 1.2), py: 'F.softshrink(a, 1.2)', samples: unarySamples() },
  { name: 'F.threshold', call: (a) => F.threshold(a, 0.5, 2), py: 'F.threshold(a, 0.5, 2.0)', samples: unarySamples(), dtypes: ['float32', 'float64', 'int64'] },
  { name: 'F.threshold.inplace', call: (a) => F.threshold(a.mul(1), -0.5, 3, { inplace: true }), py: 'F.threshold(a * 1, -0.5, 3.0, inplace=True)', samples: unarySamples() },
  { name: 'F.softmin', call: (a) => F.softmin(a, 1), py: 'F.softmin(a, 1)', samples: [s('matrix', f([3, 4])), s('transposed', f([4, 3], { transposed: true }))] },
  { name: 'F.prelu', call: (a, b) => F.prelu(a, b), py: 'F.prelu(a, b)', samples: [s('shared', f([3, 4]), f([1], { range: [0, 1] })), s('channels', f([2, 3, 4]), f([3], { range: [0, 1] })), s('scalar', f([]), f([1])), s('vector', f([5]), f([1]))],
    errors: [{ name: 'channels', run: () => F.prelu(torch.ones(2, 3), torch.ones(2)), match: /Mismatch of parameter numbers and input channel size\. Found parameter numbers = 2 and channel size = 3\./ }] },
];

const adaptiveMax: OpInfo[] = [
  { name: 'F.adaptiveMaxPool1d', call: (a) => F.adaptiveMaxPool1d(a, 3), py: 'F.adaptive_max_pool1d(a, 3)', samples: [s('batched', f([2, 3, 7])), s('unbatched', f([3, 5], { transposed: true }))],
    errors: [
      { name: 'rank', run: () => F.adaptiveMaxPool1d(torch.ones(7), 3), match: /Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' \(while checking arguments for adaptive_max_pool1d\)/ },
      { name: 'size list', run: () => F.adaptiveMaxPool1d(torch.ones(2, 3, 7), [3, 2]), match: /adaptive_max_pool1d\(\) argument 'output_size' should contain one int \(got 2\)/ },
    ] },
  { name: 'F.adaptiveMaxPool1d.indices', call: (a) => F.adaptiveMaxPool1d(a, 4, { returnIndices: true })[1], py: 'F.adaptive_max_pool1d(a, 4, return_indices=True)[1]', differentiable: false, samples: [s('batched', f([2, 3, 7]))] },
  { name: 'F.adaptiveMaxPool2d', call: (a) => F.adaptiveMaxPool2d(a, [3, null]), py: 'F.adaptive_max_pool2d(a, (3, None))', samples: [s('batched', f([2, 2, 7, 5])), s('unbatched', f([2, 5, 4], { transposed: true }))],
    errors: [
      { name: 'rank', run: () => F.adaptiveMaxPool2d(torch.ones(7, 5), 3), match: /adaptive_max_pool2d\(\): Expected 3D or 4D tensor, but got: \[7, 5\]/ },
      { name: 'int', run: () => F.adaptiveMaxPool2d(torch.zeros([2, 3, 7, 5], { dtype: 'int64' }), 2), match: /"adaptive_max_pool2d" not implemented for 'Long'/ },
      { name: 'empty channels', run: () => F.adaptiveMaxPool2d(torch.zeros(2, 0, 7, 5), 2), match: /Expected input to have non-zero size for non-batch dimensions, but input has sizes \[2, 0, 7, 5\] with dimension 1 being empty/ },
    ] },
  { name: 'F.adaptiveMaxPool2d.indices', call: (a) => F.adaptiveMaxPool2d(a, [4, 3], { returnIndices: true })[1], py: 'F.adaptive_max_pool2d(a, (4, 3), return_indices=True)[1]', differentiable: false, samples: [s('batched', f([2, 2, 7, 5]))] },
  { name: 'F.adaptiveMaxPool3d', call: (a) => F.adaptiveMaxPool3d(a, 2), py: 'F.adaptive_max_pool3d(a, 2)', samples: [s('batched', f([1, 2, 5, 3, 4])), s('unbatched', f([2, 3, 4, 5]))],
    errors: [{ name: 'rank', run: () => F.adaptiveMaxPool3d(torch.ones(3, 7, 5), 2), match: /adaptive_max_pool3d\(\): Expected 4D or 5D tensor, but got: \[3, 7, 5\]/ }] },
  { name: 'F.adaptiveMaxPool3d.indices', call: (a) => F.adaptiveMaxPool3d(a, [2, 3, 3], { returnIndices: true })[1], py: 'F.adaptive_max_pool3d(a, (2, 3, 3), return_indices=True)[1]', differentiable: false, samples: [s('batched', f([1, 2, 5, 3, 4]))] },
];

export const nnFunctional2Infos: OpInfo[] = [...activations, ...padding, ...shapes, ...distances, ...moreActivations, ...adaptiveMax];
