#!/usr/bin/env python3
# scripts/fixtures_multinomial.py — torch.multinomial draws for seeded generators (with and without
# replacement, float32 and float64, 1-D and 2-D), and the generator's next uniform draws after them.
# Usage: /usr/bin/python3 scripts/fixtures_multinomial.py > test/fixtures/multinomial.json
import json

import torch


def probs(seed, shape, dtype, zeros=False):
    g = torch.Generator().manual_seed(seed)
    p = torch.rand(shape, generator=g, dtype=torch.float64).to(dtype)
    if zeros:
        p[..., ::3] = 0
    return p


CASES = [
    # name, probability seed, shape, dtype, samples, replacement, draw seed, zeros
    ('vector_replacement', 1, [4], torch.float32, 20, True, 0, False),
    ('rows_replacement', 2, [3, 7], torch.float32, 10, True, 1, False),
    ('rows_replacement_double', 2, [3, 7], torch.float64, 10, True, 1, False),
    ('long_row_replacement', 3, [1000], torch.float32, 2000, True, 4, False),
    ('zeros_replacement', 4, [2, 8], torch.float32, 30, True, 5, True),
    ('rows_without', 5, [3, 7], torch.float32, 4, False, 2, False),
    ('rows_without_double', 5, [3, 7], torch.float64, 7, False, 2, False),
    ('one_sample', 6, [4, 5], torch.float32, 1, False, 3, True),
    ('one_sample_replacement', 6, [5], torch.float64, 1, True, 3, False),
    ('long_row_without', 7, [500], torch.float32, 50, False, 6, True),
]

out = {}
for name, pseed, shape, dtype, n, replacement, seed, zeros in CASES:
    p = probs(pseed, shape, dtype, zeros)
    g = torch.Generator().manual_seed(seed)
    s = torch.multinomial(p, n, replacement, generator=g)
    after = torch.rand(3, generator=g, dtype=torch.float64)
    out[name] = {
        'shape': shape, 'dtype': 'float32' if dtype == torch.float32 else 'float64',
        'probs': p.reshape(-1).tolist(), 'samples': n, 'replacement': replacement, 'seed': seed,
        'out_shape': list(s.shape), 'out': s.reshape(-1).tolist(), 'after': after.tolist(),
    }

print(json.dumps(out))
