# scripts/fixtures_print.py — writes test/fixtures/print.json: tensors and PyTorch 1.13's repr of each.
# Run with /usr/bin/python3 (the interpreter that has torch). Values are stored as Python's repr of
# each element (a float32 widened to a double round-trips exactly; 'nan'/'inf'/'-inf' as strings).
import json
import os

import torch

DTYPES = {
    'float32': torch.float32,
    'float64': torch.float64,
    'int32': torch.int32,
    'int64': torch.int64,
    'bool': torch.bool,
    'uint8': torch.uint8,
}
GRAD_OPS = {
    'AddBackward0': lambda x: x + 0,
    'MulBackward0': lambda x: x * 1,
    'CloneBackward0': lambda x: x.clone(),
}

cases = []
gen = torch.Generator().manual_seed(1234)


def encode(v):
    return repr(int(v)) if isinstance(v, bool) else repr(v)


def add(name, t, requires_grad=False, grad_fn=None, options=None):
    """Records `t` (possibly made to require grad, or passed through a grad op) and its repr."""
    if requires_grad or grad_fn:
        t = t.clone().requires_grad_(True)
    shown = GRAD_OPS[grad_fn](t) if grad_fn else t
    if options:
        torch.set_printoptions(**options)
    try:
        text = repr(shown)
    finally:
        torch.set_printoptions(profile='default')
    dtype = [k for k, v in DTYPES.items() if v == t.dtype][0]
    values = [encode(v) for v in t.detach().reshape(-1).tolist()]
    if grad_fn == 'AddBackward0':
        # x + 0 turns -0.0 into 0.0: store the values actually shown.
        values = [encode(v) for v in shown.detach().reshape(-1).tolist()]
    cases.append({
        'name': name,
        'dtype': dtype,
        'shape': list(t.shape),
        'values': values,
        'requiresGrad': bool(requires_grad and not grad_fn),
        'gradFn': grad_fn,
        'options': options,
        'repr': text,
    })


def rand(shape, scale=1.0, dtype=torch.float32):
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * scale).to(dtype)


def T(values, dtype='float32'):
    return torch.tensor(values, dtype=DTYPES[dtype])


nan, inf = float('nan'), float('inf')

# 0-d tensors.
add('scalar int-valued float', T(9.0))
add('scalar float', T(2.25))
add('scalar nan', T(nan))
add('scalar -inf', T(-inf))
add('scalar negative zero', T(-0.0))
add('scalar tiny', T(1e-6))
add('scalar huge', T(3e12))
add('scalar int64', T(7, 'int64'))
add('scalar int32', T(-7, 'int32'))
add('scalar bool', T(True, 'bool'))
add('scalar uint8', T(200, 'uint8'))
add('scalar float64', T(1 / 3, 'float64'))
add('scalar requires grad', T(2.25), requires_grad=True)

# Empty tensors.
for dt in DTYPES:
    add(f'empty (0,) {dt}', torch.zeros(0, dtype=DTYPES[dt]))
    add(f'empty (0, 3) {dt}', torch.zeros(0, 3, dtype=DTYPES[dt]))
add('empty (2, 0, 3)', torch.zeros(2, 0, 3))
add('empty requires grad', torch.zeros(0, 3), requires_grad=True)

# Small float tensors.
add('ints as floats', T([1.0, 2.0]))
add('plain floats', T([[0.8008, -0.2586]]))
add('plain floats requires grad', T([[0.8008, -0.2586]]), requires_grad=True)
add('negative zero', T([-0.0, 1.0]))
add('negative zero fractional', T([-0.0, 1.5, -2.25]))
add('negative zero only', T([-0.0, 0.0]))
add('sci small and big', T([1e-5, 1e10]))
add('sci big ints', T([1.0, 2e9]))
add('int mode ratio', T([1.0, 5000.0]))
add('min below 1e-4', T([0.5, 5e-5]))
add('nan mixed', T([nan, 1.0, 2.5]))
add('inf mixed ints', T([inf, -inf, 3.0]))
add('nan inf sci', T([nan, inf, 1e-7, 3.0]))
add('all non-finite', T([nan, inf, -inf]))
add('zeros and nan', T([0.0, nan]))
add('all zeros', torch.zeros(2, 3))
add('ties round half even', T([0.03125, 1.5, 0.15625]))
add('tie in sci', T([1.03125, 1e-6], 'float64'))
add('rounds up to next power', T([9.99996, 99999.99], 'float64'))
add('float64', T([1.0, 2.5, -3.125], 'float64'))
add('float64 sci', T([1e-300, 1e300], 'float64'))
add('float64 int-valued', T([1.0, -2.0], 'float64'))
add('shape (5,)', rand(5))
add('shape (2, 3)', rand((2, 3)))
add('shape (2, 3, 4)', rand((2, 3, 4)))
add('shape (2, 2, 2, 2)', rand((2, 2, 2, 2)))
add('shape (1, 1, 1)', rand((1, 1, 1)))
add('grad_fn add', rand((2, 3)), grad_fn='AddBackward0')
add('grad_fn mul 3d', rand((2, 3, 4)), grad_fn='MulBackward0')
add('grad_fn scalar', T(0.5), grad_fn='CloneBackward0')

# Random magnitudes from 1e-6 to 1e12, mixed signs.
for exp in [-6, -4, -3, -1, 0, 2, 4, 7, 8, 9, 12]:
    add(f'random 1e{exp}', rand((2, 3), 10.0 ** exp))
    add(f'random 1e{exp} float64', rand((4,), 10.0 ** exp, torch.float64))
add('random mixed magnitudes', rand(6) * torch.logspace(-6, 12, 6).to(torch.float32))
add('random positive', rand((3, 3)).abs())

# Integer and bool tensors.
add('int64', T([1, 2, 3], 'int64'))
add('int32', T([1, 2, 3], 'int32'))
add('int32 mixed widths', T([[-100, 2], [3, 40000]], 'int32'))
add('int64 large', T([2 ** 62, -2 ** 63, 0], 'int64'))
add('int64 2^53', T([2 ** 53, -(2 ** 53) + 1], 'int64'))
add('uint8', T([0, 255, 7], 'uint8'))
add('bool', T([True, False], 'bool'))
add('bool all true', T([[True, True], [True, True]], 'bool'))
add('int64 3d', torch.arange(24).reshape(2, 3, 4))
add('int32 3d', torch.arange(-12, 12, dtype=torch.int32).reshape(2, 3, 4))

# Summarisation and wrapping.
add('summarised (1001,)', rand(1001))
add('summarised int (1001,)', torch.arange(1001))
add('summarised bool (1001,)', torch.arange(1001) % 3 == 0)
add('summarised (40, 40)', rand((40, 40)))
add('summarised (3, 400)', rand((3, 400)))
add('summarised (10, 10, 12)', rand((10, 10, 12)))
add('summarised (10, 10, 12) grad', rand((10, 10, 12)), grad_fn='AddBackward0')
add('summarised sci (1001,)', rand(1001, 1e9))
add('summarised (2, 3, 200)', rand((2, 3, 200)))
add('wrapped (30,)', rand(30))
add('wrapped (100,) requires grad', rand(100), requires_grad=True)
add('wrapped int64 (60,)', torch.arange(60) * 1000)
add('wrapped (3, 30)', rand((3, 30)))
add('wrapped float64 (25,)', rand(25, 1.0, torch.float64))
add('wrapped sci (20,)', rand(20, 1e-7))
add('wrapped (2, 2, 20)', rand((2, 2, 20)))
add('wrapped int32 (40,)', torch.arange(40, dtype=torch.int32))
add('suffix on new line (11,)', rand(11), requires_grad=True)
add('suffix on new line float64', rand(9, 1.0, torch.float64), requires_grad=True)
add('suffix on new line 2d', rand((2, 12)), grad_fn='MulBackward0')
add('two suffixes', rand(8, 1.0, torch.float64), requires_grad=True)

# Print options.
add('precision 2', rand((2, 3)), options={'precision': 2})
add('precision 0', T([1.5, 2.5, 0.25]), options={'precision': 0})
add('precision 8', rand(4, 1.0, torch.float64), options={'precision': 8})
add('sci_mode True', T([1.5, 2.25]), options={'sci_mode': True})
add('sci_mode True ints', T([1.0, 2.0]), options={'sci_mode': True})
add('sci_mode False', T([1e-6, 2.25e10]), options={'sci_mode': False})
add('sci_mode False int-valued', T([1e9, 2.0]), options={'sci_mode': False})
add('sci_mode True non-finite', T([nan, inf]), options={'sci_mode': True})
add('threshold 5', torch.arange(10), options={'threshold': 5})
add('threshold 5 edgeitems 1', rand((4, 4)), options={'threshold': 5, 'edgeitems': 1})
add('linewidth 40', rand(20), options={'linewidth': 40})
add('linewidth 40 suffix', rand(6), requires_grad=True, options={'linewidth': 40})
add('profile short', rand(1001), options={'profile': 'short'})
add('profile full', rand((3, 400)), options={'profile': 'full'})
add('threshold 0 scalar', T(1.5), options={'threshold': 0})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'print.json')
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, 'w') as fh:
    # One case per line keeps the file diffable without spreading 1001 values over 1001 lines.
    fh.write('{"torch": %s, "cases": [\n' % json.dumps(torch.__version__))
    fh.write(',\n'.join(json.dumps(c) for c in cases))
    fh.write('\n]}\n')
print(f'wrote {len(cases)} cases to {os.path.normpath(out)}')
