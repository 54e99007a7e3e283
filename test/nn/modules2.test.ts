// test/nn/modules2.test.ts — the second set of nn modules against PyTorch (test/fixtures/nn2.json, from
// scripts/fixtures_nn2.py): printed form, parameter names, shapes and initial values for the same seed,
// buffers and forward outputs; then parameter containers, padding modes and module errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { assertClose, type FixtureNumber, fromFixture, loadFixture } from '../helpers.js';

type Named = [string, number[], FixtureNumber[]];
interface ModuleCase {
  repr: string;
  parameters: Named[];
  buffers: Named[];
  output: { shape: number[]; values: FixtureNumber[] };
}
const fixtures = loadFixture('nn2.json') as Record<string, ModuleCase> & {
  containers: { ParameterList: string; ParameterDict: string; Holder: string; names: string[]; stateDict: string[] };
};

/** An input of scripts/fixtures_nn2.py: a shape drawn by randn, ±1 signs, |randn| + 0.1, or randint classes. */
type InputSpec = number[] | { sign: number[] } | { positive: number[] } | { classes: number[]; n: number };
function makeInput(spec: InputSpec): torch.Tensor {
  if (Array.isArray(spec)) return torch.randn(spec);
  if ('sign' in spec) return torch.randn(spec.sign).gt(0).to('float32').mul(2).sub(1);
  if ('positive' in spec) return torch.randn(spec.positive).abs().add(0.1);
  return torch.randint(spec.n, spec.classes);
}

/** The modules of scripts/fixtures_nn2.py, built the same way, and their inputs. */
const CASES: Record<string, [() => nn.Module, InputSpec[]]> = {
  'Conv3d': [() => new nn.Conv3d(2, 4, 3, { stride: [1, 2, 1], padding: 1 }), [[1, 2, 4, 5, 4]]],
  'Conv3d.groups': [() => new nn.Conv3d(4, 4, [2, 1, 2], { groups: 2, bias: false, dilation: 2 }), [[2, 4, 3, 3, 5]]],
  'Conv3d.unbatched': [() => new nn.Conv3d(1, 2, 2), [[1, 3, 3, 3]]],
  'ConvTranspose1d': [() => new nn.ConvTranspose1d(3, 4, 3, { stride: 2, outputPadding: 1 }), [[2, 3, 5]]],
  'ConvTranspose3d': [() => new nn.ConvTranspose3d(2, 4, 2, { groups: 2, padding: [1, 0, 0] }), [[1, 2, 3, 2, 2]]],
  'Conv2d.reflect': [() => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: 'reflect' }), [[1, 2, 4, 5]]],
  'Conv2d.replicate': [() => new nn.Conv2d(2, 3, [3, 2], { padding: [2, 1], paddingMode: 'replicate' }), [[1, 2, 4, 5]]],
  'Conv2d.circular': [() => new nn.Conv2d(2, 3, 3, { stride: 2, padding: 1, paddingMode: 'circular' }), [[2, 2, 5, 5]]],
  'Conv1d.circular': [() => new nn.Conv1d(2, 2, 3, { padding: 2, paddingMode: 'circular' }), [[2, 2, 6]]],
  'Conv3d.replicate': [() => new nn.Conv3d(1, 2, 3, { padding: 1, paddingMode: 'replicate' }), [[1, 1, 3, 3, 3]]],
  'MaxPool1d': [() => new nn.MaxPool1d(3, 2), [[2, 3, 9]]],
  'MaxPool1d.options': [() => new nn.MaxPool1d(3, { stride: 2, padding: 1, dilation: 2, ceilMode: true }), [[2, 3, 9]]],
  'MaxPool3d': [() => new nn.MaxPool3d(2), [[1, 2, 4, 4, 4]]],
  'MaxPool3d.options': [() => new nn.MaxPool3d([2, 3, 2], { stride: [1, 2, 2], padding: [1, 1, 0], dilation: [1, 1, 2], ceilMode: true }), [[1, 2, 3, 5, 6]]],
  'AvgPool1d': [() => new nn.AvgPool1d(3, { stride: 2, padding: 1, countIncludePad: false }), [[2, 3, 8]]],
  'AvgPool3d': [() => new nn.AvgPool3d(2), [[1, 2, 4, 4, 4]]],
  'AvgPool3d.divisor': [() => new nn.AvgPool3d(2, { stride: 1, padding: 1, ceilMode: true, divisorOverride: 3 }), [[1, 2, 3, 3, 3]]],
  'AdaptiveAvgPool1d': [() => new nn.AdaptiveAvgPool1d(3), [[2, 3, 7]]],
  'AdaptiveAvgPool3d': [() => new nn.AdaptiveAvgPool3d([2, null, 3]), [[1, 2, 5, 3, 4]]],
  'InstanceNorm1d': [() => new nn.InstanceNorm1d(3), [[2, 3, 5]]],
  'InstanceNorm1d.unbatched': [() => new nn.InstanceNorm1d(3, { affine: true }), [[3, 5]]],
  'InstanceNorm2d': [() => new nn.InstanceNorm2d(3, { affine: true, eps: 1e-3 }), [[2, 3, 4, 4]]],
  'InstanceNorm3d': [() => new nn.InstanceNorm3d(2, { momentum: 0.3, trackRunningStats: true }), [[2, 2, 3, 2, 3]]],
  'Hardswish': [() => new nn.Hardswish(), [[2, 5]]],
  'Hardsigmoid': [() => new nn.Hardsigmoid(), [[2, 5]]],
  'Mish': [() => new nn.Mish(), [[2, 5]]],
  'GLU': [() => new nn.GLU(), [[2, 6]]],
  'GLU.dim0': [() => new nn.GLU(0), [[4, 3]]],
  'LogSigmoid': [() => new nn.LogSigmoid(), [[2, 5]]],
  'Upsample': [() => new nn.Upsample({ scaleFactor: 2, mode: 'nearest' }), [[1, 2, 3, 4]]],
  'Upsample.bilinear': [() => new nn.Upsample({ size: [3, 5], mode: 'bilinear', alignCorners: true }), [[1, 2, 4, 4]]],
  'Upsample.bicubic': [() => new nn.Upsample({ scaleFactor: 1.5, mode: 'bicubic' }), [[1, 1, 4, 4]]],
  'Upsample.linear': [() => new nn.Upsample({ scaleFactor: [2.5], mode: 'linear' }), [[1, 2, 4]]],
  'UpsamplingNearest2d': [() => new nn.UpsamplingNearest2d({ scaleFactor: 2 }), [[1, 2, 2, 3]]],
  'UpsamplingBilinear2d': [() => new nn.UpsamplingBilinear2d({ size: 5 }), [[1, 2, 3, 3]]],
  'PixelShuffle': [() => new nn.PixelShuffle(2), [[1, 8, 2, 3]]],
  'PixelUnshuffle': [() => new nn.PixelUnshuffle(2), [[1, 2, 4, 6]]],
  'CosineSimilarity': [() => new nn.CosineSimilarity(), [[3, 4], [3, 4]]],
  'CosineSimilarity.dim0': [() => new nn.CosineSimilarity(0, 0.5), [[3, 4], [3, 4]]],
  'PairwiseDistance': [() => new nn.PairwiseDistance(), [[3, 4], [3, 4]]],
  'PairwiseDistance.p1': [() => new nn.PairwiseDistance(1, 0, true), [[3, 4], [3, 4]]],
  'ZeroPad2d': [() => new nn.ZeroPad2d([1, 2, 0, 1]), [[1, 2, 3, 3]]],
  'ConstantPad1d': [() => new nn.ConstantPad1d(2, 3.5), [[2, 3]]],
  'ConstantPad2d': [() => new nn.ConstantPad2d([1, 0, 2, 1], -1), [[1, 2, 2]]],
  'ConstantPad3d': [() => new nn.ConstantPad3d(1, 0.5), [[1, 1, 2, 2, 2]]],
  'ReflectionPad1d': [() => new nn.ReflectionPad1d(2), [[2, 3, 4]]],
  'ReflectionPad2d': [() => new nn.ReflectionPad2d([1, 0, 2, 1]), [[1, 2, 3, 3]]],
  'ReflectionPad3d': [() => new nn.ReflectionPad3d(1), [[1, 1, 2, 3, 2]]],
  'ReplicationPad1d': [() => new nn.ReplicationPad1d([3, 1]), [[2, 3, 4]]],
  'ReplicationPad2d': [() => new nn.ReplicationPad2d(2), [[1, 2, 3, 3]]],
  'ReplicationPad3d': [() => new nn.ReplicationPad3d([1, 0, 0, 1, 2, 0]), [[1, 1, 2, 3, 2]]],
  'Fold': [() => new nn.Fold([4, 5], 2), [[2, 8, 12]]],
  'Unfold': [() => new nn.Unfold([2, 3], { dilation: [1, 2], padding: 1, stride: [2, 1] }), [[2, 2, 5, 6]]],
  'AdaptiveMaxPool1d': [() => new nn.AdaptiveMaxPool1d(3), [[2, 3, 7]]],
  'AdaptiveMaxPool2d': [() => new nn.AdaptiveMaxPool2d([3, null]), [[1, 2, 7, 5]]],
  'AdaptiveMaxPool3d': [() => new nn.AdaptiveMaxPool3d(2), [[1, 2, 5, 3, 4]]],
  'ReLU6': [() => new nn.ReLU6(), [[2, 5]]],
  'ReLU6.inplace': [() => new nn.ReLU6(true), [[2, 5]]],
  'SELU': [() => new nn.SELU(), [[2, 5]]],
  'CELU': [() => new nn.CELU(2, true), [[2, 5]]],
  'Softsign': [() => new nn.Softsign(), [[2, 5]]],
  'Tanhshrink': [() => new nn.Tanhshrink(), [[2, 5]]],
  'Hardshrink': [() => new nn.Hardshrink(0.3), [[2, 5]]],
  'Softshrink': [() => new nn.Softshrink(), [[2, 5]]],
  'Threshold': [() => new nn.Threshold(0.1, 20), [[2, 5]]],
  'Softmin': [() => new nn.Softmin(1), [[2, 5]]],
  'PReLU': [() => new nn.PReLU(), [[2, 5]]],
  'PReLU.channels': [() => new nn.PReLU(3, 0.1), [[2, 3, 4]]],
  'MarginRankingLoss': [() => new nn.MarginRankingLoss({ margin: 0.2 }), [[5], [5], { sign: [5] }]],
  'HingeEmbeddingLoss': [() => new nn.HingeEmbeddingLoss({ margin: 0.5, reduction: 'sum' }), [[3, 4], { sign: [3, 4] }]],
  'SoftMarginLoss': [() => new nn.SoftMarginLoss({ reduction: 'none' }), [[3, 4], { sign: [3, 4] }]],
  'CosineEmbeddingLoss': [() => new nn.CosineEmbeddingLoss({ margin: 0.1 }), [[4, 3], [4, 3], { sign: [4] }]],
  'TripletMarginLoss': [() => new nn.TripletMarginLoss({ margin: 0.5, p: 1, swap: true }), [[4, 3], [4, 3], [4, 3]]],
  'PoissonNLLLoss': [() => new nn.PoissonNLLLoss({ logInput: false, full: true }), [{ positive: [3, 4] }, { positive: [3, 4] }]],
  'GaussianNLLLoss': [() => new nn.GaussianNLLLoss({ full: true, reduction: 'sum' }), [[3, 4], [3, 4], { positive: [3, 1] }]],
  'MultiLabelSoftMarginLoss': [() => new nn.MultiLabelSoftMarginLoss(), [[3, 4], { sign: [3, 4] }]],
  'MultiMarginLoss': [() => new nn.MultiMarginLoss({ p: 2, margin: 0.5 }), [[4, 5], { classes: [4], n: 5 }]],
};

const values = (t: torch.Tensor): number[] => Array.from(t.detach().toArray());
const expected = (v: FixtureNumber[]): number[] => v.map(fromFixture);

describe('modules match PyTorch', () => {
  for (const [name, [make, shapes]] of Object.entries(CASES)) {
    test(`${name}: repr, parameters, buffers and output`, () => {
      const fx = fixtures[name];
      torch.manualSeed(0);
      const m = make();
      assert.equal(String(m), fx.repr);
      const params = m.namedParameters();
      assert.deepEqual(params.map(([n, p]) => [n, [...p.shape]]), fx.parameters.map(([n, s]) => [n, s]));
      // Same seed, same draws: initial values equal PyTorch's to float32 precision.
      params.forEach(([n, p], i) => { assertClose(values(p), expected(fx.parameters[i][2]), { atol: 1e-7, rtol: 1e-6, what: n }); });
      torch.manualSeed(1);
      const inputs = shapes.map(makeInput);
      const y = m(...inputs);
      assert.deepEqual([...y.shape], fx.output.shape);
      assertClose(values(y), expected(fx.output.values), { atol: 1e-5, rtol: 1e-5, what: 'output' });
      const buffers = m.namedBuffers();
      assert.deepEqual(buffers.map(([n, b]) => [n, [...b.shape]]), fx.buffers.map(([n, s]) => [n, s]));
      buffers.forEach(([n, b], i) => { assertClose(values(b), expected(fx.buffers[i][2]), { atol: 1e-6, rtol: 1e-5, what: n }); });
    });
  }
});

describe('ParameterList and ParameterDict', () => {
  const build = (): { plist: nn.ParameterList; pdict: nn.ParameterDict } => {
    torch.manualSeed(0);
    const plist = new nn.ParameterList([new nn.Parameter(torch.randn(2, 3)), new nn.Parameter(torch.zeros([4], { dtype: 'float64' }))]);
    plist.append(new nn.Parameter(torch.ones(1), false));
    const pdict = new nn.ParameterDict({ w: new nn.Parameter(torch.randn(3)), b: new nn.Parameter(torch.zeros(2, 2)) });
    return { plist, pdict };
  };
  class Holder extends nn.Module {
    constructor(readonly params: nn.ParameterList, readonly named: nn.ParameterDict) {
      super();
    }
    forward(x: torch.Tensor): torch.Tensor {
      return x;
    }
  }

  test('print, name and save their parameters as PyTorch', () => {
    const { plist, pdict } = build();
    const fx = fixtures.containers;
    assert.equal(String(plist), fx.ParameterList);
    assert.equal(String(pdict), fx.ParameterDict);
    const h = new Holder(plist, pdict);
    assert.equal(String(h), fx.Holder);
    assert.deepEqual(h.namedParameters().map(([n]) => n), fx.names);
    assert.deepEqual(Object.keys(h.stateDict()), fx.stateDict);
    assert.equal(String(new nn.ParameterList()), 'ParameterList()');
  });

  test('index, replace, iterate and wrap plain tensors', () => {
    const { plist, pdict } = build();
    assert.equal(plist.length, 3);
    assert.equal(plist.get(-1).requiresGrad, false);
    plist.set(0, torch.ones(5));
    assert.ok(plist.get(0) instanceof nn.Parameter);
    assert.equal(plist.get(0).requiresGrad, true);
    assert.deepEqual([...plist].map((p) => p.numel()), [5, 4, 1]);
    assert.throws(() => plist.get(3), /index 3 is out of range/);
    assert.deepEqual(pdict.keys(), ['b', 'w']);
    assert.deepEqual(new nn.ParameterDict([['w', torch.ones(1)], ['b', torch.ones(1)]]).keys(), ['w', 'b']);
    assert.equal(pdict.get('w')?.numel(), 3);
    assert.equal(pdict.get('x'), undefined);
    assert.ok(pdict.delete('w'));
    assert.deepEqual([...pdict], ['b']);
    assert.throws(() => plist.forward(), /Module \[ParameterList\] is missing the required "forward" function/);
    assert.throws(() => pdict.set('a.b', torch.ones(1)), /parameter name can't contain "\."/);
  });

  test('an optimizer trains what they hold', () => {
    const plist = new nn.ParameterList([torch.ones(2)]);
    const opt = new torch.optim.SGD(plist.parameters(), { lr: 0.5 });
    plist.get(0).sum().backward();
    opt.step();
    assert.deepEqual(plist.get(0).tolist(), [0.5, 0.5]);
  });
});

describe('module errors and modes', () => {
  test('convolutions check their padding mode as PyTorch', () => {
    assert.throws(() => new nn.Conv2d(2, 2, 2, { paddingMode: 'foo' as 'zeros' }), /padding_mode must be one of \{'replicate', 'zeros', 'circular', 'reflect'\}, but got padding_mode='foo'/);
    assert.throws(() => new nn.ConvTranspose2d(2, 2, 2, { paddingMode: 'reflect' as 'zeros' }), /Only "zeros" padding mode is supported for ConvTranspose2d/);
  });

  test('same padding with a padding mode pads the extra element after, as PyTorch', () => {
    torch.manualSeed(0);
    const conv = new nn.Conv1d(1, 1, 4, { padding: 'same', paddingMode: 'circular', bias: false });
    const x = torch.arange(6, { dtype: 'float32' }).reshape(1, 1, 6);
    const padded = torch.nn.functional.pad(x, [1, 2], { mode: 'circular' });
    assertClose(values(conv(x)), values(torch.nn.functional.conv1d(padded, conv.weight)), { what: 'same circular' });
  });

  test('instance norm checks ranks and tracks running statistics only in training', () => {
    const m = new nn.InstanceNorm2d(3, { trackRunningStats: true });
    assert.throws(() => m(torch.randn(3, 4)), /InstanceNorm2d: expected 3D or 4D input \(got 2D input\)/);
    torch.manualSeed(0);
    const x = torch.randn(2, 3, 4, 4);
    m(x);
    const mean = values(x.mean([2, 3]).mean(0));
    assertClose(values(m.running_mean ?? torch.zeros(3)), mean.map((v) => 0.1 * v), { what: 'running mean' });
    m.eval();
    const before = values(m.running_mean ?? torch.zeros(3));
    const y = m(x);
    assert.deepEqual(values(m.running_mean ?? torch.zeros(3)), before);
    const rm = (m.running_mean ?? torch.zeros(3)).reshape(1, 3, 1, 1), rv = (m.running_var ?? torch.ones(3)).reshape(1, 3, 1, 1);
    assertClose(values(y), values(x.sub(rm).div(rv.add(1e-5).sqrt())), { what: 'eval output' });
  });

  test('padding modules check their tuple length', () => {
    assert.throws(() => new nn.ReflectionPad2d([1, 2, 3]), /padding must be an int or a tuple of 4 ints/);
  });
});
