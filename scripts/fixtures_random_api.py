# scripts/fixtures_random_api.py — records PyTorch 1.13 draws of the public random API into test/fixtures/random_api.json.
#
# Run with the interpreter that has torch: /usr/bin/python3 scripts/fixtures_random_api.py
# scripts/fixtures_random.py covers the sampling kernels; this file covers what users call: torch.rand …,
# Tensor.uniform_ …, torch.Generator passed as generator=, the rng state functions, nn.init, every module's
# default initialisation and F.dropout. float32 and float64 values are stored as the hex of their IEEE bits
# so the tests compare bit for bit; integers are JSON numbers (all below 2^53 here).
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

SEEDS = [0, 1, 1234, 2**40 + 7]
SHAPES = [[1], [5], [15], [16], [17], [33], [100], [3, 7]]
FLOATS = {'float32': torch.float32, 'float64': torch.float64}


def enc(t):
    """Encode a tensor, flattened: float32/float64 as bit hex strings, integers as JSON numbers."""
    t = t.detach().reshape(-1)
    if t.dtype == torch.float32:
        return [struct.pack('>f', v).hex() for v in t.tolist()]
    if t.dtype == torch.float64:
        return [struct.pack('>d', v).hex() for v in t.tolist()]
    return [int(v) for v in t.tolist()]


def probs(shape, dtype):
    """A deterministic probability tensor (no generator use) covering 0, 1 and values between."""
    n = 1
    for d in shape:
        n *= d
    return (torch.arange(n, dtype=torch.float64) % 11 / 10).to(dtype).reshape(shape)


def draw(fn, shape, dtype, args, gen=None):
    """One call of the public API; `args` is what the TypeScript test passes back in."""
    g = {'generator': gen} if gen is not None else {}
    dt = FLOATS.get(dtype, torch.int64)
    if fn == 'rand':
        return torch.rand(shape, dtype=dt, **g)
    if fn == 'randn':
        return torch.randn(shape, dtype=dt, **g)
    if fn == 'randint':
        return torch.randint(args['low'], args['high'], shape, **g)
    if fn == 'randperm':
        return torch.randperm(shape[0], **g)
    if fn == 'uniform_':
        return torch.empty(shape, dtype=dt).uniform_(args['from'], args['to'], **g)
    if fn == 'normal_':
        return torch.empty(shape, dtype=dt).normal_(args['mean'], args['std'], **g)
    if fn == 'bernoulli_':
        return torch.empty(shape, dtype=dt).bernoulli_(args['p'], **g)
    if fn == 'bernoulli_tensor_':
        return torch.empty(shape, dtype=dt).bernoulli_(probs(shape, FLOATS[args['pDtype']]), **g)
    if fn == 'bernoulli':
        return torch.bernoulli(probs(shape, dt), **g)
    if fn == 'exponential_':
        return torch.empty(shape, dtype=dt).exponential_(args['lambd'], **g)
    if fn == 'normal':
        return torch.normal(args['mean'], args['std'], shape, dtype=dt, **g)
    if fn == 'rand_like':
        return torch.rand_like(torch.zeros(shape, dtype=dt))
    if fn == 'randn_like':
        return torch.randn_like(torch.zeros(shape, dtype=dt))
    if fn == 'randint_like':
        return torch.randint_like(torch.zeros(shape, dtype=dt), args['low'], args['high'])
    raise ValueError(fn)


def op(fn, shape, dtype, args=None, gen=None):
    args = args or {}
    values = draw(fn, shape, dtype, args, gen)
    assert list(values.shape) == list(shape)
    return {'fn': fn, 'shape': shape, 'dtype': dtype, 'args': args, 'gen': gen is not None, 'values': enc(values)}


FLOAT_OPS = [
    ('rand', {}), ('randn', {}), ('uniform_', {'from': -2, 'to': 3}), ('normal_', {'mean': 1, 'std': 0.5}),
    ('bernoulli_', {'p': 0.3}), ('exponential_', {'lambd': 2.0}), ('normal', {'mean': -1.5, 'std': 2.0}),
    ('bernoulli', {}), ('bernoulli_tensor_', {'pDtype': 'float32'}), ('bernoulli_tensor_', {'pDtype': 'float64'}),
    ('rand_like', {}), ('randn_like', {}), ('randint_like', {'low': 3, 'high': 9}),
]
INT_OPS = [('randint', {'low': 0, 'high': 10}), ('randint', {'low': -5, 'high': 2**40}), ('randint_like', {'low': -4, 'high': 4})]


def single_cases():
    """Each API function alone after manual_seed, for every seed, shape and dtype."""
    cases = []
    for seed in SEEDS:
        for shape in SHAPES:
            for dtype in FLOATS:
                for fn, args in FLOAT_OPS:
                    torch.manual_seed(seed)
                    cases.append({'seed': str(seed), 'ops': [op(fn, shape, dtype, args)]})
            for fn, args in INT_OPS:
                torch.manual_seed(seed)
                cases.append({'seed': str(seed), 'ops': [op(fn, shape, 'int64', args)]})
            if len(shape) == 1:
                torch.manual_seed(seed)
                cases.append({'seed': str(seed), 'ops': [op('randperm', shape, 'int64')]})
    return cases


def sequence_cases():
    """Several draws after one seed: the generator position and the cached normal carry between calls."""
    cases = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        cases.append({'seed': str(seed), 'ops': [
            op('randn', [5], 'float32'), op('rand', [17], 'float32'), op('randint', [7], 'int64', {'low': 0, 'high': 10}),
            op('randn', [20], 'float32'), op('randperm', [9], 'int64'), op('randn', [3], 'float64'),
            op('normal_', [2, 9], 'float32', {'mean': 1, 'std': 0.5}), op('bernoulli_', [16], 'float32', {'p': 0.3}),
            op('exponential_', [15], 'float64', {'lambd': 2.0}), op('randn', [1], 'float32'),
            op('uniform_', [33], 'float64', {'from': -2, 'to': 3}), op('bernoulli', [6], 'float32'),
            op('randn_like', [3, 7], 'float32'), op('randn', [4], 'float32'),
        ]})
    return cases


def generator_cases():
    """A torch.Generator passed as generator=, interleaved with default-generator draws."""
    cases = []
    for seed in (0, 1234):
        torch.manual_seed(seed)
        g = torch.Generator().manual_seed(7)
        cases.append({'seed': str(seed), 'genSeed': 7, 'ops': [
            op('randn', [5], 'float32', gen=g), op('randn', [5], 'float32'), op('rand', [17], 'float32', gen=g),
            op('rand', [3], 'float64'), op('randint', [7], 'int64', {'low': 0, 'high': 10}, gen=g),
            op('randn', [20], 'float32', gen=g), op('randn', [3], 'float32'), op('randperm', [9], 'int64', gen=g),
            op('uniform_', [4], 'float32', {'from': -2, 'to': 3}, gen=g), op('normal_', [17], 'float64', {'mean': 1, 'std': 0.5}, gen=g),
            op('bernoulli_', [10], 'float32', {'p': 0.3}, gen=g), op('exponential_', [6], 'float32', {'lambd': 2.0}, gen=g),
            op('bernoulli', [8], 'float64', gen=g), op('normal', [5], 'float32', {'mean': -1.5, 'std': 2.0}, gen=g),
            op('randperm', [9], 'int64'), op('randn', [2], 'float32', gen=g), op('randn', [1], 'float32'),
        ], 'genInitialSeed': str(g.initial_seed())})
    return cases


def state_cases():
    """get_rng_state/set_rng_state round trips (one with a cached normal pending) and initial_seed."""
    out = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        torch.randn(3)  # leaves a cached Box-Muller value in the state
        s = torch.get_rng_state()
        a = torch.randn(7)
        b = torch.rand(20)
        torch.set_rng_state(s)
        assert torch.equal(torch.randn(7), a) and torch.equal(torch.rand(20), b)
        out.append({'seed': str(seed), 'initialSeed': str(torch.initial_seed()), 'randn': enc(a), 'rand': enc(b)})
    return out


INIT_SHAPES = [[3, 4], [4, 4], [5, 7], [4, 2, 3, 3], [33, 2]]
INIT_FNS = [
    ('uniform_', {}), ('uniform_', {'a': -0.5, 'b': 2.0}), ('normal_', {}), ('normal_', {'mean': 1.0, 'std': 0.1}),
    ('constant_', {'val': 0.25}), ('xavier_uniform_', {}), ('xavier_uniform_', {'gain': 2.0}),
    ('xavier_normal_', {}), ('xavier_normal_', {'gain': 0.5}),
    ('kaiming_uniform_', {}), ('kaiming_uniform_', {'a': 5 ** 0.5}), ('kaiming_uniform_', {'mode': 'fan_out', 'nonlinearity': 'relu'}),
    ('kaiming_uniform_', {'nonlinearity': 'tanh'}), ('kaiming_normal_', {}), ('kaiming_normal_', {'mode': 'fan_out', 'nonlinearity': 'relu'}),
    ('kaiming_normal_', {'a': 0.2, 'nonlinearity': 'leaky_relu'}), ('kaiming_normal_', {'nonlinearity': 'selu'}),
]


def init_cases():
    cases = []
    for seed in (0, 1234):
        for shape in INIT_SHAPES:
            for fn, args in INIT_FNS:
                torch.manual_seed(seed)
                t = getattr(nn.init, fn)(torch.empty(shape), **args)
                cases.append({'seed': str(seed), 'fn': fn, 'shape': shape, 'args': args, 'values': enc(t)})
    return cases


MODULES = [
    ('Linear', [7, 5], {}), ('Linear', [20, 33], {}), ('Linear', [16, 3], {'bias': False}),
    ('Conv1d', [3, 4, 3], {}), ('Conv1d', [2, 6, 5], {'stride': 2, 'padding': 1}),
    ('Conv2d', [1, 6, 5], {}), ('Conv2d', [6, 16, 5], {}), ('Conv2d', [3, 8, 3], {'bias': False, 'padding': 1}),
    ('ConvTranspose2d', [4, 2, 3], {}), ('ConvTranspose2d', [3, 5, 2], {'stride': 2}),
    ('BatchNorm1d', [5], {}), ('BatchNorm2d', [3], {}), ('LayerNorm', [6], {}), ('LayerNorm', [[2, 3]], {}),
    ('GroupNorm', [2, 4], {}), ('Embedding', [10, 3], {}), ('Embedding', [5, 4], {'padding_idx': 1}),
]


def module_cases():
    """Build each module after manual_seed; record every parameter and a probe drawn afterwards."""
    cases = []
    for seed in (0, 1234):
        for name, args, kwargs in MODULES:
            torch.manual_seed(seed)
            m = getattr(nn, name)(*args, **kwargs)
            params = [{'name': n, 'shape': list(p.shape), 'values': enc(p)} for n, p in m.named_parameters()]
            cases.append({'seed': str(seed), 'module': name, 'args': args, 'kwargs': kwargs, 'params': params,
                          'probe': enc(torch.rand(3))})
    return cases


def dropout_cases():
    """F.dropout / F.dropout2d in training mode on ones: the mask times 1/(1-p), then a probe draw."""
    cases = []
    for seed in (0, 1234):
        for dtype, dt in FLOATS.items():
            for p in (0.5, 0.2):
                for shape in ([7], [16], [100], [4, 25]):
                    torch.manual_seed(seed)
                    y = F.dropout(torch.ones(shape, dtype=dt), p=p, training=True)
                    cases.append({'seed': str(seed), 'fn': 'dropout', 'dtype': dtype, 'p': p, 'shape': shape,
                                  'values': enc(y), 'probe': enc(torch.rand(3))})
                torch.manual_seed(seed)
                y = F.dropout2d(torch.ones(2, 3, 4, 4, dtype=dt), p=p, training=True)
                cases.append({'seed': str(seed), 'fn': 'dropout2d', 'dtype': dtype, 'p': p, 'shape': [2, 3, 4, 4],
                              'values': enc(y), 'probe': enc(torch.rand(3))})
    return cases


VIEWS = {
    't': ([7, 5], lambda b: b.t()),
    'permute': ([4, 5, 6], lambda b: b.permute(2, 0, 1)),
    'narrow': ([6, 10], lambda b: b.narrow(1, 1, 7)),
}
VIEW_OPS = [
    ('uniform_', 'float32', {'from': -2, 'to': 3}), ('normal_', 'float32', {'mean': 1, 'std': 0.5}),
    ('normal_', 'float64', {'mean': 1, 'std': 0.5}), ('bernoulli_', 'float32', {'p': 0.3}),
    ('bernoulli_tensor_', 'float32', {'pDtype': 'float64'}), ('exponential_', 'float64', {'lambd': 2.0}),
]


def view_cases():
    """In-place draws into non-contiguous views: PyTorch fills in memory order, and normal_ takes its scalar path."""
    cases = []
    for seed in (0, 1234):
        for view, (base_shape, make) in VIEWS.items():
            for fn, dtype, args in VIEW_OPS:
                torch.manual_seed(seed)
                v = make(torch.zeros(base_shape, dtype=FLOATS[dtype]))
                shape = list(v.shape)
                if fn == 'uniform_':
                    v.uniform_(args['from'], args['to'])
                elif fn == 'normal_':
                    v.normal_(args['mean'], args['std'])
                elif fn == 'bernoulli_':
                    v.bernoulli_(args['p'])
                elif fn == 'bernoulli_tensor_':
                    v.bernoulli_(probs(shape, FLOATS[args['pDtype']]))
                else:
                    v.exponential_(args['lambd'])
                cases.append({'seed': str(seed), 'view': view, 'baseShape': base_shape, 'fn': fn, 'shape': shape,
                              'dtype': dtype, 'args': args, 'values': enc(v), 'probe': enc(torch.rand(3))})
    return cases


def main():
    torch.manual_seed(0)
    printed = str(torch.randn(2, 5))
    torch.manual_seed(0)
    linear = nn.Linear(3, 2)
    data = {
        'torch': torch.__version__,
        'printedRandn': printed,
        'printedLinear': str(linear.weight.data) + '\n' + str(linear.bias.data),
        'cases': single_cases() + sequence_cases(),
        'generators': generator_cases(),
        'states': state_cases(),
        'init': init_cases(),
        'modules': module_cases(),
        'dropout': dropout_cases(),
        'views': view_cases(),
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, '..', 'test', 'fixtures', 'random_api.json')
    with open(path, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
    print(f'wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)')


if __name__ == '__main__':
    main()
