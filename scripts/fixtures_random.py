# scripts/fixtures_random.py — records PyTorch 1.13 CPU random draws into test/fixtures/random.json.
#
# Run with the interpreter that has torch: /usr/bin/python3 scripts/fixtures_random.py
# float32 values are stored as the hex of their IEEE bits and float64 values as the hex of theirs, so the
# TypeScript tests can compare bit for bit without any decimal round trip.
import json
import os
import struct

import torch
import torch.nn.functional as F

SEEDS = [0, 1, 42, 2**40 + 7]
SIZES = [1, 5, 15, 16, 17, 31, 32, 33, 100, 1000]
DTYPES = {'float32': torch.float32, 'float64': torch.float64}


def enc(t):
    """Encode a 1-D tensor: float32/float64 as bit hex strings, integers as JSON numbers."""
    t = t.reshape(-1)
    if t.dtype == torch.float32:
        return [struct.pack('>f', v).hex() for v in t.tolist()]
    if t.dtype == torch.float64:
        return [struct.pack('>d', v).hex() for v in t.tolist()]
    return [int(v) for v in t.tolist()]


def sizes_for(seed):
    # Size 1000 only for two seeds keeps the file small while still covering many 16-blocks.
    return [n for n in SIZES if n != 1000 or seed in (0, 42)]


def op(fn, dtype, n, values, **args):
    return {'fn': fn, 'dtype': dtype, 'n': n, 'args': args, 'values': enc(values)}


def single_cases():
    cases = []
    for seed in SEEDS:
        for n in sizes_for(seed):
            for dname, dt in DTYPES.items():
                ops = []
                torch.manual_seed(seed)
                ops.append(op('randn', dname, n, torch.randn(n, dtype=dt)))
                torch.manual_seed(seed)
                ops.append(op('rand', dname, n, torch.rand(n, dtype=dt)))
                torch.manual_seed(seed)
                ops.append(op('exponential', dname, n, torch.empty(n, dtype=dt).exponential_(1.5), lambd=1.5))
                torch.manual_seed(seed)
                ops.append(op('bernoulli', dname, n, torch.empty(n, dtype=dt).bernoulli_(0.5), p=0.5))
                torch.manual_seed(seed)
                ops.append(op('bernoulli', dname, n, torch.empty(n, dtype=dt).bernoulli_(0.2), p=0.2))
                if n in (5, 17, 33, 100):
                    torch.manual_seed(seed)
                    ops.append(op('normal', dname, n, torch.empty(n, dtype=dt).normal_(0.75, 2.5), mean=0.75, std=2.5))
                    torch.manual_seed(seed)
                    ops.append(op('uniform', dname, n, torch.empty(n, dtype=dt).uniform_(-3.3, 7.1), low=-3.3, high=7.1))
                for o in ops:
                    cases.append({'seed': str(seed), 'ops': [o]})
        for n in sizes_for(seed):
            torch.manual_seed(seed)
            cases.append({'seed': str(seed), 'ops': [op('randint', 'int64', n, torch.randint(0, 10, (n,)), low=0, high=10)]})
            torch.manual_seed(seed)
            cases.append({'seed': str(seed), 'ops': [op('randint', 'int64', n, torch.randint(-5, 2**40, (n,)), low=-5, high=2**40)]})
        for n in (1, 5, 10, 100, 1000, 20000):
            if n == 20000 and seed not in (0, 42):
                continue
            torch.manual_seed(seed)
            cases.append({'seed': str(seed), 'ops': [op('randperm', 'int64', n, torch.randperm(n))]})
    return cases


def sequence_cases():
    """Several draws after one seed: exercises the cached normal and the generator position between calls."""
    cases = []
    for seed in SEEDS:
        torch.manual_seed(seed)
        ops = [
            op('randn', 'float32', 5, torch.randn(5)),
            op('rand', 'float32', 17, torch.rand(17)),
            op('randint', 'int64', 7, torch.randint(0, 10, (7,)), low=0, high=10),
            op('randn', 'float32', 20, torch.randn(20)),
            op('randn', 'float64', 3, torch.randn(3, dtype=torch.float64)),
            op('rand', 'float64', 4, torch.rand(4, dtype=torch.float64)),
            op('randint', 'int64', 3, torch.randint(0, 2**33, (3,)), low=0, high=2**33),
            op('randint', 'int32', 6, torch.randint(-100, 100, (6,), dtype=torch.int32), low=-100, high=100),
            op('randint', 'int64', 4, torch.randint(3, 2**53, (4,)), low=3, high=2**53),
            op('randint', 'int64', 4, torch.randint(-2**62, 2**62, (4,)), low=-2**62, high=2**62),
            op('randperm', 'int64', 12, torch.randperm(12)),
            op('randn', 'float32', 1, torch.randn(1)),
            op('exponential', 'float32', 9, torch.empty(9).exponential_(0.5), lambd=0.5),
            op('randn', 'float32', 48, torch.randn(48)),
            op('bernoulli', 'float32', 40, torch.empty(40).bernoulli_(0.3), p=0.3),
            op('randn', 'float64', 40, torch.randn(40, dtype=torch.float64)),
            op('uniform', 'float32', 10, torch.empty(10).uniform_(2.0, 3.0), low=2.0, high=3.0),
            op('randn', 'float32', 7, torch.randn(7)),
        ]
        cases.append({'seed': str(seed), 'ops': ops})
    return cases


def dropout_cases():
    """F.dropout in training mode: the mask is bernoulli_(1 - p) on a float tensor, scaled by 1/(1 - p)."""
    cases = []
    for seed in (0, 42):
        for n, p in ((10, 0.5), (100, 0.1), (333, 0.25)):
            torch.manual_seed(seed)
            y = F.dropout(torch.ones(n), p=p, training=True)
            cases.append({'seed': str(seed), 'n': n, 'p': p, 'values': enc(y)})
    return cases


def parse_state(b):
    """Decode CPUGeneratorImplState (1.13 layout) from torch.get_rng_state() bytes."""
    raw = bytes(b.tolist())
    assert len(raw) == 5056
    seed, left, seeded, nxt = struct.unpack_from('<QiiQ', raw, 0)
    mt = list(struct.unpack_from('<624Q', raw, 24))
    normal_y, = struct.unpack_from('<d', raw, 5024)
    normal_valid, = struct.unpack_from('<i', raw, 5040)
    return {
        'seed': str(seed), 'left': left, 'next': nxt, 'mt': mt,
        'nextDoubleNormal': normal_y if normal_valid else None,
    }


def state_cases():
    """Raw generator internals after various draws, plus get/set round trips."""
    out = []
    for seed, draws in ((0, []), (42, [('randn', 3)]), (2**40 + 7, [('rand', 700), ('randn', 5)])):
        torch.manual_seed(seed)
        for fn, n in draws:
            getattr(torch, fn)(n)
        st = parse_state(torch.get_rng_state())
        out.append({'seed': str(seed), 'draws': [{'fn': fn, 'n': n} for fn, n in draws], 'state': st,
                    'initialSeed': str(torch.initial_seed())})
    return out


def roundtrip_cases():
    out = []
    for seed in (0, 1):
        torch.manual_seed(seed)
        torch.randn(3)  # leaves a cached normal in the state
        s = torch.get_rng_state()
        a = torch.randn(7)
        torch.rand(5)
        torch.set_rng_state(s)
        b = torch.randn(7)
        assert torch.equal(a, b)
        out.append({'seed': str(seed), 'before': 3, 'values': enc(a)})
    return out


def default_generator_case():
    g = torch.Generator()
    return {'initialSeed': str(g.initial_seed()), 'rand': enc(torch.rand(8, generator=g)),
            'randn': enc(torch.randn(20, generator=g))}


def main():
    data = {
        'torch': torch.__version__,
        'cases': single_cases() + sequence_cases(),
        'dropout': dropout_cases(),
        'states': state_cases(),
        'roundtrips': roundtrip_cases(),
        'defaultGenerator': default_generator_case(),
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, '..', 'test', 'fixtures', 'random.json')
    with open(path, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
    print(f'wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)')


if __name__ == '__main__':
    main()
