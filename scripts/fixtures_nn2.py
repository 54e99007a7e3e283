#!/usr/bin/env python3
# scripts/fixtures_nn2.py — PyTorch's printed form, parameters (for torch.manual_seed(0)), buffers and
# forward outputs (inputs from torch.manual_seed(1); torch.randn) of the second set of nn modules,
# written to test/fixtures/nn2.json for test/nn/modules2.test.ts.
# Usage: /usr/bin/python3 scripts/fixtures_nn2.py
import json
import math

import torch
import torch.nn as nn

# name: (constructor, input shapes); the test builds the same module under the same name.
CASES = {
    'Conv3d': ('nn.Conv3d(2, 4, 3, stride=(1, 2, 1), padding=1)', [[1, 2, 4, 5, 4]]),
    'Conv3d.groups': ('nn.Conv3d(4, 4, (2, 1, 2), groups=2, bias=False, dilation=2)', [[2, 4, 3, 3, 5]]),
    'Conv3d.unbatched': ('nn.Conv3d(1, 2, 2)', [[1, 3, 3, 3]]),
    'ConvTranspose1d': ('nn.ConvTranspose1d(3, 4, 3, stride=2, output_padding=1)', [[2, 3, 5]]),
    'ConvTranspose3d': ('nn.ConvTranspose3d(2, 4, 2, groups=2, padding=(1, 0, 0))', [[1, 2, 3, 2, 2]]),
    'Conv2d.reflect': ("nn.Conv2d(2, 3, 3, padding=1, padding_mode='reflect')", [[1, 2, 4, 5]]),
    'Conv2d.replicate': ("nn.Conv2d(2, 3, (3, 2), padding=(2, 1), padding_mode='replicate')", [[1, 2, 4, 5]]),
    'Conv2d.circular': ("nn.Conv2d(2, 3, 3, stride=2, padding=1, padding_mode='circular')", [[2, 2, 5, 5]]),
    'Conv1d.circular': ("nn.Conv1d(2, 2, 3, padding=2, padding_mode='circular')", [[2, 2, 6]]),
    'Conv3d.replicate': ("nn.Conv3d(1, 2, 3, padding=1, padding_mode='replicate')", [[1, 1, 3, 3, 3]]),
    'MaxPool1d': ('nn.MaxPool1d(3, stride=2)', [[2, 3, 9]]),
    'MaxPool1d.options': ('nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True)', [[2, 3, 9]]),
    'MaxPool3d': ('nn.MaxPool3d(2)', [[1, 2, 4, 4, 4]]),
    'MaxPool3d.options': ('nn.MaxPool3d((2, 3, 2), stride=(1, 2, 2), padding=(1, 1, 0), dilation=(1, 1, 2), ceil_mode=True)', [[1, 2, 3, 5, 6]]),
    'AvgPool1d': ('nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False)', [[2, 3, 8]]),
    'AvgPool3d': ('nn.AvgPool3d(2)', [[1, 2, 4, 4, 4]]),
    'AvgPool3d.divisor': ('nn.AvgPool3d(2, stride=1, padding=1, ceil_mode=True, divisor_override=3)', [[1, 2, 3, 3, 3]]),
    'AdaptiveAvgPool1d': ('nn.AdaptiveAvgPool1d(3)', [[2, 3, 7]]),
    'AdaptiveAvgPool3d': ('nn.AdaptiveAvgPool3d((2, None, 3))', [[1, 2, 5, 3, 4]]),
    'InstanceNorm1d': ('nn.InstanceNorm1d(3)', [[2, 3, 5]]),
    'InstanceNorm1d.unbatched': ('nn.InstanceNorm1d(3, affine=True)', [[3, 5]]),
    'InstanceNorm2d': ('nn.InstanceNorm2d(3, affine=True, eps=1e-3)', [[2, 3, 4, 4]]),
    'InstanceNorm3d': ('nn.InstanceNorm3d(2, momentum=0.3, track_running_stats=True)', [[2, 2, 3, 2, 3]]),
    'Hardswish': ('nn.Hardswish()', [[2, 5]]),
    'Hardsigmoid': ('nn.Hardsigmoid()', [[2, 5]]),
    'Mish': ('nn.Mish()', [[2, 5]]),
    'GLU': ('nn.GLU()', [[2, 6]]),
    'GLU.dim0': ('nn.GLU(dim=0)', [[4, 3]]),
    'LogSigmoid': ('nn.LogSigmoid()', [[2, 5]]),
    'Upsample': ("nn.Upsample(scale_factor=2, mode='nearest')", [[1, 2, 3, 4]]),
    'Upsample.bilinear': ("nn.Upsample(size=(3, 5), mode='bilinear', align_corners=True)", [[1, 2, 4, 4]]),
    'Upsample.bicubic': ("nn.Upsample(scale_factor=1.5, mode='bicubic')", [[1, 1, 4, 4]]),
    'Upsample.linear': ("nn.Upsample(scale_factor=(2.5,), mode='linear')", [[1, 2, 4]]),
    'UpsamplingNearest2d': ('nn.UpsamplingNearest2d(scale_factor=2)', [[1, 2, 2, 3]]),
    'UpsamplingBilinear2d': ('nn.UpsamplingBilinear2d(size=5)', [[1, 2, 3, 3]]),
    'PixelShuffle': ('nn.PixelShuffle(2)', [[1, 8, 2, 3]]),
    'PixelUnshuffle': ('nn.PixelUnshuffle(2)', [[1, 2, 4, 6]]),
    'CosineSimilarity': ('nn.CosineSimilarity()', [[3, 4], [3, 4]]),
    'CosineSimilarity.dim0': ('nn.CosineSimilarity(dim=0, eps=0.5)', [[3, 4], [3, 4]]),
    'PairwiseDistance': ('nn.PairwiseDistance()', [[3, 4], [3, 4]]),
    'PairwiseDistance.p1': ('nn.PairwiseDistance(p=1.0, eps=0.0, keepdim=True)', [[3, 4], [3, 4]]),
    'ZeroPad2d': ('nn.ZeroPad2d((1, 2, 0, 1))', [[1, 2, 3, 3]]),
    'ConstantPad1d': ('nn.ConstantPad1d(2, 3.5)', [[2, 3]]),
    'ConstantPad2d': ('nn.ConstantPad2d((1, 0, 2, 1), -1)', [[1, 2, 2]]),
    'ConstantPad3d': ('nn.ConstantPad3d(1, 0.5)', [[1, 1, 2, 2, 2]]),
    'ReflectionPad1d': ('nn.ReflectionPad1d(2)', [[2, 3, 4]]),
    'ReflectionPad2d': ('nn.ReflectionPad2d((1, 0, 2, 1))', [[1, 2, 3, 3]]),
    'ReflectionPad3d': ('nn.ReflectionPad3d(1)', [[1, 1, 2, 3, 2]]),
    'ReplicationPad1d': ('nn.ReplicationPad1d((3, 1))', [[2, 3, 4]]),
    'ReplicationPad2d': ('nn.ReplicationPad2d(2)', [[1, 2, 3, 3]]),
    'ReplicationPad3d': ('nn.ReplicationPad3d((1, 0, 0, 1, 2, 0))', [[1, 1, 2, 3, 2]]),
    'Fold': ('nn.Fold(output_size=(4, 5), kernel_size=2)', [[2, 8, 12]]),
    'Unfold': ('nn.Unfold(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=(2, 1))', [[2, 2, 5, 6]]),
    'AdaptiveMaxPool1d': ('nn.AdaptiveMaxPool1d(3)', [[2, 3, 7]]),
    'AdaptiveMaxPool2d': ('nn.AdaptiveMaxPool2d((3, None))', [[1, 2, 7, 5]]),
    'AdaptiveMaxPool3d': ('nn.AdaptiveMaxPool3d(2)', [[1, 2, 5, 3, 4]]),
    'ReLU6': ('nn.ReLU6()', [[2, 5]]),
    'ReLU6.inplace': ('nn.ReLU6(inplace=True)', [[2, 5]]),
    'SELU': ('nn.SELU()', [[2, 5]]),
    'CELU': ('nn.CELU(2.0, inplace=True)', [[2, 5]]),
    'Softsign': ('nn.Softsign()', [[2, 5]]),
    'Tanhshrink': ('nn.Tanhshrink()', [[2, 5]]),
    'Hardshrink': ('nn.Hardshrink(0.3)', [[2, 5]]),
    'Softshrink': ('nn.Softshrink()', [[2, 5]]),
    'Threshold': ('nn.Threshold(0.1, 20)', [[2, 5]]),
    'Softmin': ('nn.Softmin(1)', [[2, 5]]),
    'PReLU': ('nn.PReLU()', [[2, 5]]),
    'PReLU.channels': ('nn.PReLU(3, init=0.1)', [[2, 3, 4]]),
    'MarginRankingLoss': ('nn.MarginRankingLoss(margin=0.2)', [[5], [5], {'sign': [5]}]),
    'HingeEmbeddingLoss': ("nn.HingeEmbeddingLoss(margin=0.5, reduction='sum')", [[3, 4], {'sign': [3, 4]}]),
    'SoftMarginLoss': ("nn.SoftMarginLoss(reduction='none')", [[3, 4], {'sign': [3, 4]}]),
    'CosineEmbeddingLoss': ('nn.CosineEmbeddingLoss(margin=0.1)', [[4, 3], [4, 3], {'sign': [4]}]),
    'TripletMarginLoss': ('nn.TripletMarginLoss(margin=0.5, p=1, swap=True)', [[4, 3], [4, 3], [4, 3]]),
    'PoissonNLLLoss': ('nn.PoissonNLLLoss(log_input=False, full=True)', [{'positive': [3, 4]}, {'positive': [3, 4]}]),
    'GaussianNLLLoss': ("nn.GaussianNLLLoss(full=True, reduction='sum')", [[3, 4], [3, 4], {'positive': [3, 1]}]),
    'MultiLabelSoftMarginLoss': ('nn.MultiLabelSoftMarginLoss()', [[3, 4], {'sign': [3, 4]}]),
    'MultiMarginLoss': ('nn.MultiMarginLoss(p=2, margin=0.5)', [[4, 5], {'classes': [4], 'n': 5}]),
}


def flat(t):
    vals = t.detach().reshape(-1).to(torch.float64).tolist()
    return [v if math.isfinite(v) else repr(v) for v in vals]


def make_input(spec):
    # a shape draws torch.randn; {'sign': shape} gives ±1 from randn's signs, {'positive': shape} |randn| + 0.1,
    # {'classes': shape, 'n': n} torch.randint(n, shape)
    if isinstance(spec, list):
        return torch.randn(*spec)
    if 'sign' in spec:
        return (torch.randn(*spec['sign']) > 0).float() * 2 - 1
    if 'positive' in spec:
        return torch.randn(*spec['positive']).abs() + 0.1
    return torch.randint(spec['n'], spec['classes'])


def run(expr, shapes):
    torch.manual_seed(0)
    m = eval(expr, {'nn': nn})
    rec = {
        'repr': repr(m),
        'parameters': [[n, list(p.shape), flat(p)] for n, p in m.named_parameters()],
    }
    torch.manual_seed(1)
    xs = [make_input(s) for s in shapes]
    y = m(*xs)
    rec['output'] = {'shape': list(y.shape), 'values': flat(y)}
    rec['buffers'] = [[n, list(b.shape), flat(b)] for n, b in m.named_buffers()]
    return rec


def containers():
    torch.manual_seed(0)
    plist = nn.ParameterList([nn.Parameter(torch.randn(2, 3)), nn.Parameter(torch.zeros(4, dtype=torch.float64))])
    plist.append(nn.Parameter(torch.ones(1), requires_grad=False))
    pdict = nn.ParameterDict({'w': nn.Parameter(torch.randn(3)), 'b': nn.Parameter(torch.zeros(2, 2))})

    class Holder(nn.Module):
        def __init__(self):
            super().__init__()
            self.params = plist
            self.named = pdict
    h = Holder()
    return {
        'ParameterList': repr(plist),
        'ParameterDict': repr(pdict),
        'Holder': repr(h),
        'names': [n for n, _ in h.named_parameters()],
        'stateDict': list(h.state_dict().keys()),
    }


def main():
    out = {name: run(expr, shapes) for name, (expr, shapes) in CASES.items()}
    out['containers'] = containers()
    with open('test/fixtures/nn2.json', 'w') as f:
        f.write('{\n' + ',\n'.join(json.dumps(k) + ': ' + json.dumps(v) for k, v in out.items()) + '\n}\n')
    print(f'{len(CASES)} modules')


if __name__ == '__main__':
    main()
