// test/opinfo/nn-layers2.ts — entries for the second set of nn layers: 3-D and transposed 1-D/3-D
// convolutions, 1-D and 3-D pooling, unfold/fold, interpolate and instance normalisation.
import * as torch from 'kindling';
import { F } from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const T = { transposed: true };
const tol = { atol: 1e-5, rtol: 1e-5, gradcheckMaxNumel: 200 };
const normTol = { atol: 5e-5, rtol: 1e-4, gradcheckMaxNumel: 200 };

const convs: OpInfo[] = [
  { name: 'conv3d', call: (a, b, c) => F.conv3d(a, b, c), py: 'F.conv3d(a, b, c)', ...tol,
    samples: [s('basic', f([1, 2, 3, 4, 4]), f([3, 2, 2, 2, 2]), f([3])), s('unbatched', f([1, 3, 3, 3]), f([2, 1, 2, 1, 2]), f([2]))],
    errors: [{ name: 'rank', run: () => F.conv3d(torch.zeros(3, 4, 5), torch.zeros(4, 3, 2, 2, 2)), match: /Expected 4D \(unbatched\) or 5D \(batched\) input to conv3d, but got input of size: \[3, 4, 5\]/ }] },
  { name: 'conv3d.options', call: (a, b) => F.conv3d(a, b, null, { stride: [1, 2, 1], padding: 1, dilation: [2, 1, 1], groups: 2 }),
    py: 'F.conv3d(a, b, None, stride=(1, 2, 1), padding=1, dilation=(2, 1, 1), groups=2)', ...tol,
    samples: [s('basic', f([2, 4, 3, 4, 3]), f([2, 2, 2, 2, 2]))] },
  { name: 'convTranspose1d', call: (a, b, c) => F.convTranspose1d(a, b, c, { stride: 2, padding: 1, outputPadding: 1 }),
    py: 'F.conv_transpose1d(a, b, c, stride=2, padding=1, output_padding=1)', ...tol,
    samples: [s('basic', f([2, 3, 5]), f([3, 2, 3]), f([2])), s('unbatched', f([3, 4], T), f([3, 1, 2]), f([1]))] },
  { name: 'convTranspose3d', call: (a, b) => F.convTranspose3d(a, b, null, { stride: [2, 1, 1], groups: 2 }),
    py: 'F.conv_transpose3d(a, b, None, stride=(2, 1, 1), groups=2)', ...tol,
    samples: [s('basic', f([1, 4, 2, 3, 2]), f([4, 1, 2, 2, 2]))],
    errors: [{ name: 'output padding', run: () => F.convTranspose3d(torch.zeros(1, 1, 2, 2, 2), torch.zeros(1, 1, 2, 2, 2), null, { outputPadding: 1 }), match: /output padding must be smaller than either stride or dilation/ }] },
];

const pools: OpInfo[] = [
  { name: 'F.maxPool1d', call: (a) => F.maxPool1d(a, 2), py: 'F.max_pool1d(a, 2)', samples: [s('batched', f([2, 3, 7])), s('unbatched', f([3, 6], T))],
    errors: [
      { name: 'rank', run: () => F.maxPool1d(torch.ones(7), 2), match: /max_pool1d: Expected 2D or 3D \(batch mode\) tensor with optional 0 dim batch size for input, but got:\[7\]/ },
      { name: 'too small', run: () => F.maxPool1d(torch.ones(2, 3, 7), 9), match: /Given input size: \(3x1x7\)\. Calculated output size: \(3x1x0\)\. Output size is too small/ },
      { name: 'zero kernel', run: () => F.maxPool1d(torch.ones(2, 3, 7), 0), match: /stride should not be zero/ },
      { name: 'padding', run: () => F.maxPool1d(torch.ones(2, 3, 7), 2, { padding: 2 }), match: /pad should be at most half of kernel size, but got pad=2 and kernel_size=2/ },
      { name: 'kernel list', run: () => F.maxPool1d(torch.ones(2, 3, 7), [2, 2]), match: /max_pool1d\(\) argument 'kernel_size' should contain one int \(got 2\)/ },
    ] },
  { name: 'F.maxPool1d.options', call: (a) => F.maxPool1d(a, 3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }), py: 'F.max_pool1d(a, 3, stride=2, padding=1, dilation=2, ceil_mode=True)', samples: [s('batched', f([2, 2, 9]))] },
  { name: 'F.maxPool1d.indices', call: (a) => F.maxPool1d(a, 3, { stride: 2, returnIndices: true })[1], py: 'F.max_pool1d(a, 3, stride=2, return_indices=True)[1]', differentiable: false, samples: [s('batched', f([2, 2, 9])), s('empty', f([0, 2, 9]))] },
  { name: 'F.avgPool1d', call: (a) => F.avgPool1d(a, 3), py: 'F.avg_pool1d(a, 3)', samples: [s('batched', f([2, 3, 7])), s('unbatched', f([3, 6]))],
    errors: [{ name: 'rank', run: () => F.avgPool1d(torch.ones(7), 3), match: /Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' \(while checking arguments for avg_pool1d\)/ }] },
  { name: 'F.avgPool1d.options', call: (a) => F.avgPool1d(a, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }), py: 'F.avg_pool1d(a, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)', samples: [s('batched', f([2, 2, 8]))] },
  { name: 'F.adaptiveAvgPool1d', call: (a) => F.adaptiveAvgPool1d(a, 3), py: 'F.adaptive_avg_pool1d(a, 3)', samples: [s('batched', f([2, 3, 7])), s('unbatched', f([3, 5], T))],
    errors: [{ name: 'size list', run: () => F.adaptiveAvgPool1d(torch.ones(2, 3, 7), [3, 2]), match: /adaptive_avg_pool1d\(\) argument 'output_size' should contain one int \(got 2\)/ }] },
  { name: 'F.maxPool3d', call: (a) => F.maxPool3d(a, 2), py: 'F.max_pool3d(a, 2)', samples: [s('batched', f([2, 2, 4, 5, 4])), s('unbatched', f([2, 3, 4, 4], T)), s('empty', f([0, 2, 4, 4, 4]))],
    errors: [
      { name: 'rank', run: () => F.maxPool3d(torch.ones(3, 4, 5), 2), match: /non-empty 4D or 5D \(batch mode\) tensor expected for input/ },
      { name: 'too small', run: () => F.maxPool3d(torch.ones(2, 3, 5, 6, 7), 6), match: /Given input size: \(3x5x6x7\)\. Calculated output size: \(3x0x1x1\)\. Output size is too small/ },
      { name: 'padding', run: () => F.maxPool3d(torch.ones(2, 3, 5, 6, 7), 2, { padding: 2 }), match: /pad should be at most half of kernel size, but got pad=2 and kernel_size=2/ },
    ] },
  { name: 'F.maxPool3d.options', call: (a) => F.maxPool3d(a, [2, 3, 2], { stride: [1, 2, 2], padding: [1, 1, 0], dilation: [1, 1, 2], ceilMode: true }),
    py: 'F.max_pool3d(a, (2, 3, 2), stride=(1, 2, 2), padding=(1, 1, 0), dilation=(1, 1, 2), ceil_mode=True)', samples: [s('batched', f([1, 2, 3, 5, 6]))] },
  { name: 'F.maxPool3d.indices', call: (a) => F.maxPool3d(a, [2, 3, 2], { stride: [1, 2, 2], padding: [1, 1, 0], returnIndices: true })[1],
    py: 'F.max_pool3d(a, (2, 3, 2), stride=(1, 2, 2), padding=(1, 1, 0), return_indices=True)[1]', differentiable: false, samples: [s('batched', f([2, 2, 3, 5, 6])), s('unbatched', f([2, 3, 4, 4])), s('empty', f([0, 2, 3, 5, 6]))] },
  { name: 'F.avgPool3d', call: (a) => F.avgPool3d(a, 2), py: 'F.avg_pool3d(a, 2)', samples: [s('batched', f([2, 2, 4, 5, 4])), s('unbatched', f([2, 3, 4, 4], T)), s('empty', f([0, 2, 4, 4, 4]))],
    errors: [{ name: 'kernel too large', run: () => F.avgPool3d(torch.ones(2, 3, 5, 6, 7), 6), match: /input image \(T: 5 H: 6 W: 7\) smaller than kernel size \(kT: 6 kH: 6 kW: 6\)/ }] },
  { name: 'F.avgPool3d.options', call: (a) => F.avgPool3d(a, [2, 3, 2], { stride: [1, 2, 2], padding: [1, 1, 0], ceilMode: true, countIncludePad: false }),
    py: 'F.avg_pool3d(a, (2, 3, 2), stride=(1, 2, 2), padding=(1, 1, 0), ceil_mode=True, count_include_pad=False)', samples: [s('batched', f([1, 2, 3, 5, 6]))] },
  { name: 'F.avgPool3d.divisor', call: (a) => F.avgPool3d(a, 2, { padding: 1, divisorOverride: 3 }), py: 'F.avg_pool3d(a, 2, padding=1, divisor_override=3)', samples: [s('batched', f([1, 2, 3, 4, 3]))] },
  { name: 'F.adaptiveAvgPool3d', call: (a) => F.adaptiveAvgPool3d(a, [2, null, 3]), py: 'F.adaptive_avg_pool3d(a, (2, None, 3))', samples: [s('batched', f([2, 2, 5, 3, 4])), s('unbatched', f([2, 3, 4, 5], T))],
    errors: [{ name: 'rank', run: () => F.adaptiveAvgPool3d(torch.ones(3, 4, 5), 2), match: /adaptive_avg_pool3d\(\): Expected 4D or 5D tensor, but got \[3, 4, 5\]/ }] },
];

const folding: OpInfo[] = [
  { name: 'F.unfold', call: (a) => F.unfold(a, 2), py: 'F.unfold(a, 2)', samples: [s('batched', f([2, 3, 4, 5])), s('unbatched', f([2, 3, 4], T))],
    errors: [
      { name: 'rank', run: () => F.unfold(torch.ones(2, 3, 4, 5, 6), 2), match: /Expected 3D or 4D \(batch mode\) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: \[2, 3, 4, 5, 6\]/ },
      { name: 'too large', run: () => F.unfold(torch.ones(2, 3, 5, 6), 7), match: /Given input with spatial size \(5, 6\), kernel_size=\(7, 7\), dilation=\(1, 1\), padding=\(0, 0\), calculated shape of the array of sliding blocks as \(-1, 0\), but its components must be at least one\./ },
      { name: 'kernel', run: () => F.unfold(torch.ones(2, 3, 5, 6), 0), match: /kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0/ },
      { name: 'kernel rank', run: () => F.unfold(torch.ones(2, 3, 5, 6), [2, 2, 2]), match: /It is expected kernel_size equals to 2, but got size 3/ },
    ] },
  { name: 'F.unfold.options', call: (a) => F.unfold(a, [2, 3], { dilation: [1, 2], padding: 1, stride: [2, 1] }), py: 'F.unfold(a, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))', samples: [s('batched', f([2, 2, 5, 6]))] },
  { name: 'F.fold', call: (a) => F.fold(a, [4, 5], 2), py: 'F.fold(a, (4, 5), 2)', samples: [s('batched', f([2, 8, 12])), s('unbatched', f([4, 12]))],
    errors: [
      { name: 'blocks', run: () => F.fold(torch.ones(2, 12, 21), [5, 6], 2), match: /Given output_size=\(5, 6\), kernel_size=\(2, 2\), dilation=\(1, 1\), padding=\(0, 0\), stride=\(1, 1\), expected size of input's dimension 2 to match the calculated number of sliding blocks 4 \* 5 = 20, but got input\.size\(2\)=21\./ },
      { name: 'channels', run: () => F.fold(torch.ones(2, 13, 20), [5, 6], 2), match: /Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input\.size\(1\)=13 and kernel_size=\(2, 2\)\./ },
      { name: 'rank', run: () => F.fold(torch.ones(2, 12, 20, 3), [5, 6], 2), match: /Expected 2D or 3D \(batch mode\) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: \[2, 12, 20, 3\]/ },
    ] },
  { name: 'F.fold.options', call: (a) => F.fold(a, [5, 6], [2, 3], { dilation: [1, 2], padding: 1, stride: [2, 1] }), py: 'F.fold(a, (5, 6), (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))', samples: [s('batched', f([2, 12, 12]))] },
];

const sizes = (mode: string, extra = ''): string => `F.interpolate(a, size=%s, mode='${mode}'${extra})`;
const sampling: OpInfo[] = [
  { name: 'F.interpolate.nearest', call: (a) => F.interpolate(a, { size: [3, 7] }), py: 'F.interpolate(a, size=(3, 7))', samples: [s('4d', f([2, 2, 5, 4])), s('transposed', f([1, 2, 4, 5], T))],
    errors: [
      { name: 'both', run: () => F.interpolate(torch.ones(2, 3, 5, 6), { size: [3, 4], scaleFactor: 2 }), match: /only one of size or scale_factor should be defined/ },
      { name: 'neither', run: () => F.interpolate(torch.ones(2, 3, 5, 6)), match: /either size or scale_factor should be defined/ },
      { name: 'size rank', run: () => F.interpolate(torch.ones(2, 3, 5, 6), { size: [3] }), match: /Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of \[5, 6\] and output size of \(3,\)\./ },
      { name: 'mode rank', run: () => F.interpolate(torch.ones(2, 3, 5, 6), { size: 3, mode: 'linear' }), match: /Got 4D input, but linear mode needs 3D input/ },
      { name: 'align corners', run: () => F.interpolate(torch.ones(2, 3, 5, 6), { size: 3, alignCorners: true }), match: /align_corners option can only be set with the interpolating modes: linear \| bilinear \| bicubic \| trilinear/ },
      { name: 'rank', run: () => F.interpolate(torch.ones(5, 6), { size: 3 }), match: /Input Error: Only 3D, 4D and 5D input Tensors supported \(got 2D\) for the modes: nearest \| linear \| bilinear \| bicubic \| trilinear \| area \| nearest-exact \(got nearest\)/ },
      { name: 'zero size', run: () => F.interpolate(torch.ones(2, 3, 4), { scaleFactor: 0.1 }), match: /Input and output sizes should be greater than 0, but got input \(W: 4\) and output \(W: 0\)/ },
    ] },
  { name: 'F.interpolate.nearest_scale', call: (a) => F.interpolate(a, { scaleFactor: [1.7, 0.6] }), py: 'F.interpolate(a, scale_factor=(1.7, 0.6))', samples: [s('4d', f([1, 2, 5, 6]))] },
  { name: 'F.interpolate.nearest_1d_3d', call: (a) => F.interpolate(a, { scaleFactor: 2 }), py: 'F.interpolate(a, scale_factor=2.0)', samples: [s('3d', f([2, 2, 5])), s('5d', f([1, 2, 2, 3, 2]))] },
  { name: 'F.interpolate.nearest_exact', call: (a) => F.interpolate(a, { size: [3, 7], mode: 'nearest-exact' }), py: "F.interpolate(a, size=(3, 7), mode='nearest-exact')", samples: [s('4d', f([2, 2, 5, 4]))] },
  { name: 'F.interpolate.linear', call: (a) => F.interpolate(a, { size: 7, mode: 'linear' }), py: sizes('linear').replace('%s', '7'), samples: [s('up', f([2, 3, 4])), s('transposed', f([2, 4, 3], T))] },
  { name: 'F.interpolate.linear_down_align', call: (a) => F.interpolate(a, { size: 3, mode: 'linear', alignCorners: true }), py: sizes('linear', ', align_corners=True').replace('%s', '3'), samples: [s('down', f([2, 3, 7])), s('one', f([1, 2, 1]))] },
  { name: 'F.interpolate.bilinear', call: (a) => F.interpolate(a, { scaleFactor: [1.5, 0.5], mode: 'bilinear' }), py: "F.interpolate(a, scale_factor=(1.5, 0.5), mode='bilinear')", samples: [s('4d', f([2, 2, 5, 6])), s('transposed', f([1, 2, 4, 5], T))] },
  { name: 'F.interpolate.bilinear_align', call: (a) => F.interpolate(a, { size: [7, 3], mode: 'bilinear', alignCorners: true }), py: sizes('bilinear', ', align_corners=True').replace('%s', '(7, 3)'), samples: [s('4d', f([2, 2, 5, 6]))] },
  { name: 'F.interpolate.bilinear_recompute', call: (a) => F.interpolate(a, { scaleFactor: 1.7, mode: 'bilinear', recomputeScaleFactor: true }), py: "F.interpolate(a, scale_factor=1.7, mode='bilinear', recompute_scale_factor=True)", samples: [s('4d', f([1, 2, 4, 5]))] },
  { name: 'F.interpolate.trilinear', call: (a) => F.interpolate(a, { size: [3, 4, 2], mode: 'trilinear' }), py: sizes('trilinear').replace('%s', '(3, 4, 2)'), samples: [s('5d', f([1, 2, 2, 3, 4]))] },
  { name: 'F.interpolate.bicubic', call: (a) => F.interpolate(a, { size: [6, 3], mode: 'bicubic' }), py: sizes('bicubic').replace('%s', '(6, 3)'), ...tol, samples: [s('4d', f([2, 2, 4, 5]))] },
  { name: 'F.interpolate.bicubic_align', call: (a) => F.interpolate(a, { scaleFactor: 2, mode: 'bicubic', alignCorners: true }), py: "F.interpolate(a, scale_factor=2.0, mode='bicubic', align_corners=True)", ...tol, samples: [s('4d', f([1, 2, 3, 4]))] },
  { name: 'F.interpolate.area', call: (a) => F.interpolate(a, { size: [2, 3], mode: 'area' }), py: sizes('area').replace('%s', '(2, 3)'), samples: [s('4d', f([2, 2, 5, 7])), s('3d_as_4d', f([1, 3, 4, 4]))] },
];

const norms: OpInfo[] = [
  { name: 'F.instanceNorm', call: (a) => F.instanceNorm(a), py: 'F.instance_norm(a)', ...normTol, samples: [s('1d', f([2, 3, 5])), s('2d', f([2, 2, 3, 4], T)), s('3d', f([1, 2, 2, 3, 2]))],
    errors: [
      { name: 'spatial', run: () => F.instanceNorm(torch.ones(2, 3)), match: /Expected more than 1 spatial element when training, got input size torch\.Size\(\[2, 3\]\)/ },
      { name: 'running', run: () => F.instanceNorm(torch.ones(2, 3, 4), null, null, null, null, false), match: /Expected running_mean and running_var to be defined when use_input_stats is false/ },
      { name: 'running size', run: () => F.instanceNorm(torch.ones(2, 3, 4), torch.zeros(4), torch.ones(3)), match: /running_mean should contain 6 elements not 8/ },
      { name: 'weight size', run: () => F.instanceNorm(torch.ones(2, 3, 4), null, null, torch.ones(4)), match: /weight should contain 6 elements not 8/ },
    ] },
  { name: 'F.instanceNorm.affine', call: (a, b, c) => F.instanceNorm(a, null, null, b, c, true, 0.1, 1e-3), py: 'F.instance_norm(a, None, None, b, c, True, 0.1, 1e-3)', ...normTol,
    samples: [s('2d', f([2, 3, 3, 4]), f([3]), f([3]))] },
  { name: 'F.instanceNorm.running', call: (a, b, c) => F.instanceNorm(a, b, c.abs(), null, null, false), py: 'F.instance_norm(a, b, c.abs(), None, None, False)', ...normTol,
    samples: [s('1d', f([2, 3, 5]), f([3], { grad: false }), f([3], { grad: false, range: [0.5, 2] }))] },
];

export const nnLayer2Infos: OpInfo[] = [...convs, ...pools, ...folding, ...sampling, ...norms];
