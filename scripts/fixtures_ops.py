#!/usr/bin/env python3
# scripts/fixtures_ops.py — runs the op database's samples through PyTorch and writes
# test/fixtures/ops.json (outputs, output dtypes and input gradients).
# Usage: npm run fixtures   (runs node dist/scripts/opinfo-samples.js | /usr/bin/python3 this)
import json
import math
import sys

import torch
import torch.nn.functional as F  # noqa: F401  (used by entries' expressions)

DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'int32': torch.int32,
          'int64': torch.int64, 'bool': torch.bool, 'uint8': torch.uint8}
NAMES = {v: k for k, v in DTYPES.items()}


def grad_seed(i):
    return (((i * 37) % 11) - 5) / 4


def make_input(spec, dtype):
    kind = spec['kind']
    dt = DTYPES[dtype] if kind == 'float' else DTYPES[kind]
    shape = list(spec['shape'])
    stored = shape[:-2] + [shape[-1], shape[-2]] if spec['transposed'] else shape
    t = torch.tensor(spec['values'], dtype=torch.float64).to(dt).reshape(stored)
    if spec['transposed']:
        t = t.transpose(-1, -2)
    if kind == 'float' and spec['grad'] and dt.is_floating_point:
        t.requires_grad_(True)
    return t


def flat(t):
    vals = t.detach().reshape(-1).to(torch.float64).tolist()
    return [v if math.isfinite(v) else repr(v) for v in vals]


def run(case):
    inputs = [make_input(s, case['dtype']) for s in case['inputs']]
    env = {'torch': torch, 'F': F}
    for name, t in zip('abcd', inputs):
        env[name] = t
    try:
        out = eval(case['py'], env)
    except Exception as e:  # the entry expects PyTorch to accept it; record the failure loudly
        return {'error': f'{type(e).__name__}: {e}'}
    rec = {'shape': list(out.shape), 'dtype': NAMES[out.dtype], 'values': flat(out)}
    if case['differentiable'] and out.requires_grad:
        seed = torch.tensor([grad_seed(i) for i in range(out.numel())], dtype=out.dtype).reshape(out.shape)
        wanted = [t for t in inputs if t.requires_grad]
        grads = torch.autograd.grad(out, wanted, seed, allow_unused=True)
        rec['grads'] = [None if g is None else flat(g) for g in grads]
    return rec


def main():
    cases = json.load(sys.stdin)
    out = {}
    for case in cases:
        rec = run(case)
        rec['inputs'] = case['inputs']
        out[case['key']] = rec
    path = sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures/ops.json'
    with open(path, 'w') as f:
        f.write('{\n' + ',\n'.join(json.dumps(k) + ': ' + json.dumps(v) for k, v in sorted(out.items())) + '\n}\n')
    errors = [k for k, v in out.items() if 'error' in v]
    print(f'{len(out)} cases, {len(errors)} rejected by PyTorch', file=sys.stderr)
    for k in errors:
        print(f'  {k}: {out[k]["error"]}', file=sys.stderr)


if __name__ == '__main__':
    main()
