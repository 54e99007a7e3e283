// test/opinfo/nn-functional.ts — entries for nn.functional activations and losses: every option,
// reduction, weight, ignored target, label smoothing, probability target, and PyTorch's errors.
import * as torch from 'kindling';
import { F } from 'kindling';
import { unarySamples } from './samples.js';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
/** A target, weight or other input that takes no gradient. */
const fixed = (shape: number[], range: [number, number] = [-2, 2]): InputSpec => ({ shape, range, grad: false });
const classes = (shape: number[], hi: number, lo = 0): InputSpec => ({ shape, kind: 'int64', range: [lo, hi], grad: false });
const long = (values: number[]) => torch.tensor(values, { dtype: 'int64' });
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

const activations: OpInfo[] = [
  { name: 'F.leakyRelu', call: (a) => F.leakyRelu(a), py: 'F.leaky_relu(a)', samples: unarySamples(),
    errors: [{ name: 'int', run: () => F.leakyRelu(long([1, -2])), match: /leaky_relu: "leaky_relu_cpu" not implemented for 'Long'/ }] },
  { name: 'F.leakyRelu.slope', call: (a) => F.leakyRelu(a, { negativeSlope: -0.3 }), py: 'F.leaky_relu(a, -0.3)', samples: unarySamples() },
  { name: 'F.leakyRelu.inplace', call: (a) => F.leakyRelu(a.mul(1), { negativeSlope: 0.2, inplace: true }), py: 'F.leaky_relu(a * 1, 0.2, inplace=True)', samples: unarySamples(),
    errors: [{ name: 'negative slope in place', run: () => { F.leakyRelu(torch.ones(2, { requiresGrad: true }).mul(1), { negativeSlope: -0.5, inplace: true }).sum().backward(); }, match: /In-place leakyReLu backward calculation is triggered with a negative slope/ }] },
  { name: 'F.elu', call: (a) => F.elu(a), py: 'F.elu(a)', samples: unarySamples(),
    errors: [{ name: 'int', run: () => F.elu(long([1, -2])), match: /"elu_cpu" not implemented for 'Long'/ }] },
  { name: 'F.elu.alpha', call: (a) => F.elu(a, { alpha: 0.5 }), py: 'F.elu(a, 0.5)', samples: unarySamples() },
  { name: 'F.elu.inplace', call: (a) => F.elu(a.mul(1), { alpha: 1.5, inplace: true }), py: 'F.elu(a * 1, 1.5, inplace=True)', samples: unarySamples(),
    errors: [{ name: 'negative alpha in place', run: () => { F.elu(torch.ones(2, { requiresGrad: true }).mul(1), { alpha: -0.5, inplace: true }).sum().backward(); }, match: /In-place elu backward calculation is triggered with a negative slope/ }] },
  { name: 'F.gelu', call: (a) => F.gelu(a), py: 'F.gelu(a)', samples: unarySamples([-4, 4]),
    errors: [
      { name: 'int', run: () => F.gelu(long([1])), match: /"GeluKernelImpl" not implemented for 'Long'/ },
      { name: 'approximate', run: () => F.gelu(torch.ones(2), { approximate: 'foo' as 'tanh' }), match: /gelu: approximate argument must be either none or tanh\./ },
    ] },
  { name: 'F.gelu.tanh', call: (a) => F.gelu(a, { approximate: 'tanh' }), py: "F.gelu(a, approximate='tanh')", samples: unarySamples([-4, 4]) },
  { name: 'F.silu', call: (a) => F.silu(a), py: 'F.silu(a)', samples: unarySamples([-5, 5]),
    errors: [{ name: 'int', run: () => F.silu(long([1])), match: /"silu_cpu" not implemented for 'Long'/ }] },
  { name: 'F.silu.inplace', call: (a) => F.silu(a.mul(1), { inplace: true }), py: 'F.silu(a * 1, inplace=True)', samples: unarySamples() },
  { name: 'F.sigmoid', call: (a) => F.sigmoid(a), py: 'torch.sigmoid(a)', samples: unarySamples([-5, 5]) },
  { name: 'F.tanh', call: (a) => F.tanh(a), py: 'torch.tanh(a)', samples: unarySamples() },
  { name: 'F.softmax', call: (a) => F.softmax(a, 1), py: 'F.softmax(a, 1)', samples: [s('matrix', f([3, 4])), s('transposed', f([4, 3], { transposed: true })), s('cube', f([2, 3, 2]))],
    errors: [{ name: 'dim', run: () => F.softmax(torch.ones(2, 3), 5), match: /Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)/ }] },
  { name: 'F.softmax.implicit', call: (a) => F.softmax(a, null), py: 'F.softmax(a, None)', samples: [s('vector', f([5])), s('matrix', f([3, 4])), s('cube', f([2, 3, 2]))] },
  { name: 'F.logSoftmax', call: (a) => F.logSoftmax(a, -1), py: 'F.log_softmax(a, -1)', samples: [s('matrix', f([3, 4], { range: [-30, 30] })), s('transposed', f([4, 3], { transposed: true }))] },
  { name: 'F.logSoftmax.dim0', call: (a) => F.logSoftmax(a, 0, { dtype: 'float64' }), py: 'F.log_softmax(a, 0, dtype=torch.float64)', samples: [s('matrix', f([3, 4]))] },
  { name: 'F.softplus', call: (a) => F.softplus(a), py: 'F.softplus(a)', samples: unarySamples([-30, 30]),
    errors: [{ name: 'int', run: () => F.softplus(long([1])), match: /"softplus_cpu" not implemented for 'Long'/ }] },
  { name: 'F.softplus.beta_threshold', call: (a) => F.softplus(a, { beta: 2, threshold: 1 }), py: 'F.softplus(a, beta=2, threshold=1)', samples: unarySamples([-3, 3]) },
  { name: 'F.hardtanh', call: (a) => F.hardtanh(a), py: 'F.hardtanh(a)', samples: unarySamples() },
  { name: 'F.hardtanh.bounds', call: (a) => F.hardtanh(a, { minVal: -0.5, maxVal: 1.5 }), py: 'F.hardtanh(a, -0.5, 1.5)', samples: unarySamples(), dtypes: ['float32', 'float64', 'int64'] },
  { name: 'F.hardtanh.inplace', call: (a) => F.hardtanh(a.mul(1), { minVal: 0, maxVal: 1, inplace: true }), py: 'F.hardtanh(a * 1, 0., 1., inplace=True)', samples: unarySamples() },
];

/** Entries for one regression loss under each reduction. */
function regression(name: string, py: string, call: (a: torch.Tensor, b: torch.Tensor, reduction: 'mean' | 'sum' | 'none') => torch.Tensor, pyOptions = ''): OpInfo[] {
  return REDUCTIONS.map((reduction) => ({
    name: `${name}.${reduction}`,
    call: (a, b) => call(a, b, reduction),
    py: `${py}(a, b${pyOptions}, reduction='${reduction}')`,
    samples: [
      s('same', f([3, 4]), fixed([3, 4])),
      s('transposed', f([4, 3], { transposed: true }), fixed([4, 3])),
      s('broadcast', f([3, 4]), fixed([4])),
      s('empty', f([0, 3]), fixed([0, 3])),
    ],
  }));
}

const targetGrad = (run: (target: torch.Tensor) => unknown): { name: string; run: () => unknown; match: RegExp } => ({
  name: 'target requires grad', run: () => run(torch.ones(2, 3, { requiresGrad: true })), match: /nn criterions don't compute the gradient w\.r\.t\. targets/,
});

const regressionLosses: OpInfo[] = [
  ...regression('F.l1Loss', 'F.l1_loss', (a, b, reduction) => F.l1Loss(a, b, { reduction })),
  ...regression('F.smoothL1Loss', 'F.smooth_l1_loss', (a, b, reduction) => F.smoothL1Loss(a, b, { reduction })),
  ...regression('F.smoothL1Loss.beta', 'F.smooth_l1_loss', (a, b, reduction) => F.smoothL1Loss(a, b, { reduction, beta: 0.5 }), ', beta=0.5'),
  ...regression('F.smoothL1Loss.beta0', 'F.smooth_l1_loss', (a, b, reduction) => F.smoothL1Loss(a, b, { reduction, beta: 0 }), ', beta=0.0'),
  ...regression('F.huberLoss', 'F.huber_loss', (a, b, reduction) => F.huberLoss(a, b, { reduction })),
  ...regression('F.huberLoss.delta', 'F.huber_loss', (a, b, reduction) => F.huberLoss(a, b, { reduction, delta: 0.5 }), ', delta=0.5'),
  {
    name: 'F.regression.errors', call: (a, b) => F.l1Loss(a, b), py: 'F.l1_loss(a, b)', samples: [s('same', f([2, 3]), fixed([2, 3]))],
    errors: [
      targetGrad((t) => F.l1Loss(torch.ones(2, 3), t)),
      { name: 'smooth_l1 target requires grad', run: () => F.smoothL1Loss(torch.ones(2, 3), torch.ones(2, 3, { requiresGrad: true })), match: /nn criterions don't compute/ },
      { name: 'huber target requires grad', run: () => F.huberLoss(torch.ones(2, 3), torch.ones(2, 3, { requiresGrad: true })), match: /nn criterions don't compute/ },
      { name: 'broadcast', run: () => F.l1Loss(torch.ones(2, 3), torch.ones(2, 4)), match: /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1/ },
      { name: 'negative beta', run: () => F.smoothL1Loss(torch.ones(2), torch.ones(2), { beta: -1 }), match: /smooth_l1_loss does not support negative values for beta\./ },
      { name: 'zero delta', run: () => F.huberLoss(torch.ones(2), torch.ones(2), { delta: 0 }), match: /huber_loss does not support non-positive values for delta\./ },
      { name: 'reduction', run: () => F.l1Loss(torch.ones(2), torch.ones(2), { reduction: 'foo' as 'sum' }), match: /l1_loss: foo is not a valid value for reduction/ },
    ],
  },
  ...(['mean', 'sum', 'none', 'batchmean'] as const).flatMap((reduction): OpInfo[] => [
    {
      name: `F.klDiv.${reduction}`, call: (a, b) => F.klDiv(a, b, { reduction }), py: `F.kl_div(a, b, reduction='${reduction}')`,
      samples: [s('matrix', f([3, 4], { range: [-3, 0] }), fixed([3, 4], [0, 1])), s('transposed', f([4, 3], { range: [-3, 0], transposed: true }), fixed([4, 3], [0, 1])), s('scalar', f([], { range: [-3, 0] }), fixed([], [0, 1]))],
    },
    {
      name: `F.klDiv.logTarget.${reduction}`, call: (a, b) => F.klDiv(a, b, { reduction, logTarget: true }), py: `F.kl_div(a, b, reduction='${reduction}', log_target=True)`,
      samples: [s('matrix', f([3, 4], { range: [-3, 0] }), fixed([3, 4], [-3, 0]))],
    },
  ]),
  {
    name: 'F.klDiv.zeroTarget', call: (a, b) => F.klDiv(a, b.relu(), { reduction: 'none' }), py: "F.kl_div(a, b.relu(), reduction='none')",
    samples: [s('half_zero', f([3, 4], { range: [-3, 0] }), fixed([3, 4], [-1, 1]))],
    errors: [
      targetGrad((t) => F.klDiv(torch.ones(2, 3), t)),
      { name: 'reduction', run: () => F.klDiv(torch.ones(2), torch.ones(2), { reduction: 'foo' as 'sum' }), match: /kl_div: foo is not a valid value for reduction/ },
    ],
  },
];

/** Class-index samples: (N, C), unbatched (C), (N, C, d1), (N, C, d1, d2) and an empty batch. */
const indexSamples = (hi = 4): Sample[] => [
  s('batch', f([5, 4], { range: [-3, 3] }), classes([5], hi)),
  s('transposed', f([5, 4], { transposed: true }), classes([5], hi)),
  s('unbatched', f([4]), classes([], 4)), // never ignored: an all-ignored mean is NaN, which gradcheck cannot check
  s('spatial1d', f([2, 4, 3]), classes([2, 3], hi)),
  s('spatial2d', f([2, 4, 2, 3]), classes([2, 2, 3], hi)),
  s('spatial3d', f([2, 4, 2, 1, 2]), classes([2, 2, 1, 2], hi)),
];
const weightSamples = (hi = 4): Sample[] => indexSamples(hi).filter((x) => x.name !== 'unbatched').map((x) => ({ ...x, inputs: [...x.inputs, fixed([4], [0.1, 2])] }));

const nllErrors = [
  targetGrad((t) => F.nllLoss(torch.ones(2, 3), t)),
  { name: 'float target', run: () => F.nllLoss(torch.ones(2, 3), torch.tensor([0, 1])), match: /nll_loss: expected scalar type Long but found Float/ },
  { name: 'out of bounds', run: () => F.nllLoss(torch.ones(2, 3), long([0, 3])), match: /Target 3 is out of bounds\./ },
  { name: 'negative target', run: () => F.nllLoss(torch.ones(2, 3), long([-1, 0])), match: /Target -1 is out of bounds\./ },
  { name: 'batch size', run: () => F.nllLoss(torch.ones(2, 3), long([0, 1, 2])), match: /Expected input batch_size \(2\) to match target batch_size \(3\)\./ },
  { name: '0-d input', run: () => F.nllLoss(torch.ones(), long([0]).reshape([])), match: /Expected 1 or more dimensions \(got 0\)/ },
  { name: 'multi-target', run: () => F.nllLoss(torch.ones(2, 3), long([0, 1]).reshape(2, 1)), match: /0D or 1D target tensor expected, multi-target not supported/ },
  { name: 'unbatched size', run: () => F.nllLoss(torch.ones(3), long([0])), match: /size mismatch \(got input: \[3\], target: \[1\]\)/ },
  { name: 'weight size', run: () => F.nllLoss(torch.ones(2, 3), long([0, 1]), { weight: torch.ones(2) }), match: /weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: \[2\]/ },
  { name: 'weight requires grad', run: () => F.nllLoss(torch.ones(2, 3), long([0, 1]), { weight: torch.ones(3, { requiresGrad: true }) }), match: /not differentiable with respect to argument 'weight'/ },
  { name: 'spatial target size', run: () => F.nllLoss(torch.ones(2, 4, 3), torch.zeros(2, 4, { dtype: 'int64' })), match: /Expected target size \[2, 3\], got \[2, 4\]/ },
  { name: '2d target rank', run: () => F.nllLoss(torch.ones(2, 3, 4, 5), torch.zeros(2, 4, { dtype: 'int64' })), match: /only batches of spatial targets supported \(3D tensors\) but got targets of dimension: 2/ },
  { name: '2d size mismatch', run: () => F.nllLoss(torch.ones(2, 3, 4, 5), torch.zeros(2, 4, 6, { dtype: 'int64' })), match: /size mismatch \(got input: \[2, 3, 4, 5\] , target: \[2, 4, 6\]/ },
  { name: 'reduction', run: () => F.nllLoss(torch.ones(2, 3), long([0, 1]), { reduction: 'batchmean' as 'sum' }), match: /nll_loss: batchmean is not a valid value for reduction/ },
];

const ceErrors = [
  targetGrad((t) => F.crossEntropy(torch.ones(2, 3), t)),
  { name: 'float target wrong shape', run: () => F.crossEntropy(torch.ones(2, 4, 3), torch.rand(2)), match: /Expected target size \[2, 3\], got \[2\]/ },
  { name: 'float target 2-d', run: () => F.crossEntropy(torch.ones(2, 3), torch.rand(2)), match: /expected scalar type Long but found Float/ },
  { name: 'out of bounds', run: () => F.crossEntropy(torch.ones(2, 3), long([0, 5])), match: /Target 5 is out of bounds\./ },
  { name: 'batch size', run: () => F.crossEntropy(torch.ones(2, 3), long([0, 1, 2])), match: /Expected input batch_size \(2\) to match target batch_size \(3\)\./ },
  { name: 'int probabilities', run: () => F.crossEntropy(torch.ones(2, 3), torch.zeros(2, 3, { dtype: 'int64' })), match: /Expected floating point type for target with class probabilities, got Long/ },
  { name: 'probabilities weight', run: () => F.crossEntropy(torch.ones(2, 3), torch.rand(2, 3), { weight: torch.ones(2) }), match: /cross_entropy: weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: \[2\]/ },
  { name: 'probabilities ignore_index', run: () => F.crossEntropy(torch.ones(2, 3), torch.rand(2, 3), { ignoreIndex: 1 }), match: /ignore_index is not supported for floating point target/ },
  { name: 'label smoothing', run: () => F.crossEntropy(torch.ones(2, 3), long([0, 1]), { labelSmoothing: 1.5 }), match: /label_smoothing must be between 0\.0 and 1\.0\. Got: 1\.5/ },
  { name: 'probabilities label smoothing', run: () => F.crossEntropy(torch.ones(2, 3), torch.rand(2, 3), { labelSmoothing: 1.5 }), match: /label_smoothing must be between 0\.0 and 1\.0\. Got: 1\.5/ },
];

const nllPy = (extra: string): string => `F.nll_loss(torch.log_softmax(a, 0 if a.dim() == 1 else 1), b${extra})`;
const logp = (a: torch.Tensor): torch.Tensor => a.logSoftmax(a.dim() === 1 ? 0 : 1);

const classification: OpInfo[] = [
  ...REDUCTIONS.flatMap((reduction): OpInfo[] => [
    {
      name: `F.nllLoss.${reduction}`, call: (a, b) => F.nllLoss(logp(a), b, { reduction }), py: nllPy(`, reduction='${reduction}'`),
      samples: [...indexSamples(), s('empty', f([0, 4]), classes([0], 4))],
    },
    {
      name: `F.nllLoss.weight.${reduction}`, call: (a, b, c) => F.nllLoss(logp(a), b, { weight: c, reduction }), py: nllPy(`, weight=c, reduction='${reduction}'`),
      samples: weightSamples(),
    },
    {
      // targets drawn from 0..4 with class 4 ignored: some samples are ignored, and their weight too
      name: `F.nllLoss.ignoreIndex.${reduction}`, call: (a, b, c) => F.nllLoss(logp(a), b, { weight: c, ignoreIndex: 4, reduction }), py: nllPy(`, weight=c, ignore_index=4, reduction='${reduction}'`),
      samples: weightSamples(5),
    },
    {
      name: `F.crossEntropy.${reduction}`, call: (a, b) => F.crossEntropy(a, b, { reduction }), py: `F.cross_entropy(a, b, reduction='${reduction}')`,
      samples: [...indexSamples(), s('large_logits', f([3, 4], { range: [-500, 500] }), classes([3], 4))],
    },
    {
      name: `F.crossEntropy.weight_ignore.${reduction}`, call: (a, b, c) => F.crossEntropy(a, b, { weight: c, ignoreIndex: 4, reduction }),
      py: `F.cross_entropy(a, b, weight=c, ignore_index=4, reduction='${reduction}')`, samples: weightSamples(5),
    },
    {
      name: `F.crossEntropy.smoothing.${reduction}`, call: (a, b) => F.crossEntropy(a, b, { labelSmoothing: 0.2, ignoreIndex: 4, reduction }),
      py: `F.cross_entropy(a, b, label_smoothing=0.2, ignore_index=4, reduction='${reduction}')`, samples: indexSamples(5),
    },
    {
      name: `F.crossEntropy.smoothing_weight.${reduction}`, call: (a, b, c) => F.crossEntropy(a, b, { weight: c, labelSmoothing: 0.3, ignoreIndex: 4, reduction }),
      py: `F.cross_entropy(a, b, weight=c, label_smoothing=0.3, ignore_index=4, reduction='${reduction}')`, samples: weightSamples(5),
    },
    {
      name: `F.crossEntropy.probabilities.${reduction}`, call: (a, b) => F.crossEntropy(a, b, { reduction }), py: `F.cross_entropy(a, b, reduction='${reduction}')`,
      samples: [s('batch', f([3, 4]), fixed([3, 4], [0, 1])), s('unbatched', f([4]), fixed([4], [0, 1])), s('spatial', f([2, 4, 3], { transposed: true }), fixed([2, 4, 3], [0, 1]))],
    },
    {
      name: `F.crossEntropy.probabilities_weight_smoothing.${reduction}`, call: (a, b, c) => F.crossEntropy(a, b, { weight: c, labelSmoothing: 0.1, reduction }),
      py: `F.cross_entropy(a, b, weight=c, label_smoothing=0.1, reduction='${reduction}')`,
      samples: [s('batch', f([3, 4]), fixed([3, 4], [0, 1]), fixed([4], [0.1, 2])), s('spatial', f([2, 4, 3]), fixed([2, 4, 3], [0, 1]), fixed([4], [0.1, 2]))],
    },
    {
      name: `F.binaryCrossEntropy.${reduction}`, call: (a, b) => F.binaryCrossEntropy(a, b, { reduction }), py: `F.binary_cross_entropy(a, b, reduction='${reduction}')`,
      samples: [s('matrix', f([3, 4], { range: [0.02, 0.98] }), fixed([3, 4], [0, 1])), s('transposed', f([4, 3], { range: [0.02, 0.98], transposed: true }), fixed([4, 3], [0, 1])), s('empty', f([0, 2], { range: [0.1, 0.9] }), fixed([0, 2], [0, 1]))],
    },
    {
      name: `F.binaryCrossEntropy.weight.${reduction}`, call: (a, b, c) => F.binaryCrossEntropy(a, b, { weight: c, reduction }), py: `F.binary_cross_entropy(a, b, weight=c, reduction='${reduction}')`,
      samples: [s('full', f([3, 4], { range: [0.02, 0.98] }), fixed([3, 4], [0, 1]), fixed([3, 4], [0, 2])), s('broadcast', f([3, 4], { range: [0.02, 0.98] }), fixed([3, 4], [0, 1]), fixed([4], [0, 2]))],
    },
    {
      name: `F.binaryCrossEntropyWithLogits.${reduction}`, call: (a, b) => F.binaryCrossEntropyWithLogits(a, b, { reduction }), py: `F.binary_cross_entropy_with_logits(a, b, reduction='${reduction}')`,
      samples: [s('matrix', f([3, 4], { range: [-5, 5] }), fixed([3, 4], [0, 1])), s('large_logits', f([3, 4], { range: [-200, 200] }), fixed([3, 4], [0, 1])), s('transposed', f([4, 3], { transposed: true }), fixed([4, 3], [0, 1]))],
    },
    {
      name: `F.binaryCrossEntropyWithLogits.weights.${reduction}`, call: (a, b, c, d) => F.binaryCrossEntropyWithLogits(a, b, { weight: c, posWeight: d, reduction }),
      py: `F.binary_cross_entropy_with_logits(a, b, weight=c, pos_weight=d, reduction='${reduction}')`,
      samples: [s('matrix', f([3, 4], { range: [-5, 5] }), fixed([3, 4], [0, 1]), fixed([3, 1], [0, 2]), fixed([4], [0.5, 3]))],
    },
    {
      name: `F.binaryCrossEntropyWithLogits.posWeight.${reduction}`, call: (a, b, c) => F.binaryCrossEntropyWithLogits(a, b, { posWeight: c, reduction }),
      py: `F.binary_cross_entropy_with_logits(a, b, pos_weight=c, reduction='${reduction}')`,
      samples: [s('matrix', f([3, 4], { range: [-5, 5] }), fixed([3, 4], [0, 1]), fixed([4], [0.5, 3]))],
    },
  ]),
  {
    name: 'F.nllLoss.errors', call: (a, b) => F.nllLoss(a, b), py: 'F.nll_loss(a, b)', samples: [s('batch', f([3, 4]), classes([3], 4))], errors: nllErrors,
  },
  {
    name: 'F.crossEntropy.errors', call: (a, b) => F.crossEntropy(a, b), py: 'F.cross_entropy(a, b)', samples: [s('batch', f([3, 4]), classes([3], 4))], errors: ceErrors,
  },
  {
    name: 'F.binaryCrossEntropy.errors', call: (a, b) => F.binaryCrossEntropy(a, b), py: 'F.binary_cross_entropy(a, b)', samples: [s('vector', f([4], { range: [0.1, 0.9] }), fixed([4], [0, 1]))],
    errors: [
      targetGrad((t) => F.binaryCrossEntropy(torch.full([2, 3], 0.5), t)),
      { name: 'logits target requires grad', run: () => F.binaryCrossEntropyWithLogits(torch.ones(2, 3), torch.ones(2, 3, { requiresGrad: true })), match: /nn criterions don't compute/ },
      { name: 'target size', run: () => F.binaryCrossEntropy(torch.full([2, 3], 0.5), torch.rand(2)), match: /Using a target size \(torch\.Size\(\[2\]\)\) that is different to the input size \(torch\.Size\(\[2, 3\]\)\) is deprecated\. Please ensure they have the same size\./ },
      { name: 'input range', run: () => F.binaryCrossEntropy(torch.tensor([0.5, 1.5]), torch.rand(2)), match: /all elements of input should be between 0 and 1/ },
      { name: 'nan input', run: () => F.binaryCrossEntropy(torch.tensor([0.5, NaN]), torch.rand(2)), match: /all elements of input should be between 0 and 1/ },
      { name: 'logits target size', run: () => F.binaryCrossEntropyWithLogits(torch.ones(2, 3), torch.rand(2)), match: /Target size \(torch\.Size\(\[2\]\)\) must be the same as input size \(torch\.Size\(\[2, 3\]\)\)/ },
      { name: 'weight shape', run: () => F.binaryCrossEntropyWithLogits(torch.ones(2, 3), torch.rand(2, 3), { posWeight: torch.ones(4) }), match: /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1/ },
    ],
  },
];

export const nnFunctionalInfos: OpInfo[] = [...activations, ...regressionLosses, ...classification];
