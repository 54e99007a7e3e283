# scripts/fixtures_attention.py — records PyTorch 1.13's attention, Transformer and recurrent
# modules into test/fixtures/attention.json: for each case, the module's initial state dict under a
# seed, a perturbed state dict the tests load, the inputs (masks included), the outputs, and the
# gradients of inputs and parameters for a fixed output gradient; plus printed forms.
# scaled_dot_product_attention is PyTorch 2.x's; 1.13 lacks it, so its cases use the explicit math
# softmax(q·kᵀ·scale + mask)·v in float64 (bool masks: attend where true; float masks: added).
#
# Run from the repository root: /usr/bin/python3 scripts/fixtures_attention.py
import json
import math

import torch
from torch import nn
import torch.nn.functional as F


def enc(t):
    """A tensor as {shape, dtype, data}; floats keep their exact value (float32 widened to double)."""
    t = t.detach()
    dtype = str(t.dtype).replace('torch.', '')
    data = t.flatten().tolist()
    if t.is_floating_point():
        data = [v if math.isfinite(v) else ('nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')) for v in data]
    return {'shape': list(t.shape), 'dtype': dtype, 'data': data}


def state(module):
    return {k: enc(v) for k, v in module.state_dict().items()}


def perturb(module, seed):
    """Moves every parameter off its initial value, so biases initialised to zero are tested too."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.add_(torch.randn(p.shape, generator=g, dtype=p.dtype) * 0.2)


def outputs_and_grads(module, inputs, outputs, seed):
    """Backprops Σ out·g over every tensor output (g drawn from `seed`) into inputs and parameters."""
    g = torch.Generator().manual_seed(seed)
    loss = 0
    grads_out = []
    for o in outputs:
        go = torch.randn(o.shape, generator=g, dtype=o.dtype)
        grads_out.append(enc(go))
        loss = loss + (o * go).sum()
    params = [] if module is None else list(module.named_parameters())
    tensors = [t for t in inputs.values() if t.requires_grad] + [p for _, p in params]
    gs = torch.autograd.grad(loss, tensors, allow_unused=True)
    names = [k for k, t in inputs.items() if t.requires_grad] + [n for n, _ in params]
    return {
        'outputs': [enc(o) for o in outputs],
        'gradOutputs': grads_out,
        'grads': {n: enc(gr) for n, gr in zip(names, gs) if gr is not None},
    }


def rand(g, *shape, dtype=torch.float32, grad=True):
    return torch.randn(*shape, generator=g, dtype=dtype).requires_grad_(grad)


# ---------------------------------------------------------------- scaled dot product attention

def sdpa_math(q, k, v, attn_mask=None, is_causal=False, scale=None):
    L, S = q.size(-2), k.size(-2)
    scale = 1 / math.sqrt(q.size(-1)) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale
    if is_causal:
        attn_mask = torch.ones(L, S, dtype=torch.bool).tril()
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(attn_mask.logical_not(), float('-inf'))
        else:
            scores = scores + attn_mask
    return torch.softmax(scores, dim=-1) @ v


def sdpa_cases():
    g = torch.Generator().manual_seed(10)
    d = torch.float64
    cases = []

    def case(name, q, k, v, **kw):
        inputs = {'query': q, 'key': k, 'value': v}
        mask = kw.get('attn_mask')
        if mask is not None:
            inputs['attnMask'] = mask
        out = sdpa_math(q, k, v, **kw)
        rec = {'name': name, 'isCausal': kw.get('is_causal', False), 'scale': kw.get('scale'),
               'inputs': {n: enc(t) for n, t in inputs.items()}}
        rec.update(outputs_and_grads(None, inputs, [out], 100 + len(cases)))
        cases.append(rec)

    case('basic 4-D', rand(g, 2, 3, 4, 8, dtype=d), rand(g, 2, 3, 6, 8, dtype=d), rand(g, 2, 3, 6, 5, dtype=d))
    case('3-D causal square', rand(g, 2, 5, 4, dtype=d), rand(g, 2, 5, 4, dtype=d), rand(g, 2, 5, 3, dtype=d), is_causal=True)
    case('causal, more keys than queries', rand(g, 2, 4, 4, dtype=d), rand(g, 2, 6, 4, dtype=d), rand(g, 2, 6, 4, dtype=d),
         is_causal=True)
    bool_mask = torch.rand(4, 6, generator=g) > 0.3
    bool_mask[:, 0] = True  # every query keeps one key, so no row is all −∞
    case('bool mask broadcast', rand(g, 2, 3, 4, 8, dtype=d), rand(g, 2, 3, 6, 8, dtype=d), rand(g, 2, 3, 6, 8, dtype=d),
         attn_mask=bool_mask)
    case('float mask', rand(g, 2, 2, 4, 8, dtype=d), rand(g, 2, 2, 6, 8, dtype=d), rand(g, 2, 2, 6, 8, dtype=d),
         attn_mask=torch.randn(2, 1, 4, 6, generator=g, dtype=d).requires_grad_())
    case('scale', rand(g, 3, 4, 8, dtype=d), rand(g, 3, 4, 8, dtype=d), rand(g, 3, 4, 8, dtype=d), scale=0.5)
    return cases


# ---------------------------------------------------------------- multi-head attention

def mha_cases():
    cases = []

    def case(name, ctor, inputs, fwd, seed):
        torch.manual_seed(seed)
        m = nn.MultiheadAttention(**ctor)
        init_state = state(m)
        perturb(m, seed + 1)
        shared = {k: v for k, v in inputs.items() if not isinstance(v, str)}
        # Inputs named by another (e.g. "key": "query") are the same tensor, as in self-attention.
        args = [inputs[n] if not isinstance(inputs[n], str) else inputs[inputs[n]] for n in ('query', 'key', 'value')]
        out, w = m(*args, **fwd)
        rec = {'name': name, 'seed': seed, 'ctor': ctor, 'forward': {k: v for k, v in fwd.items() if not torch.is_tensor(v)},
               'repr': repr(m), 'init': init_state, 'state': state(m),
               'same': {k: v for k, v in inputs.items() if isinstance(v, str)},
               'inputs': {**{n: enc(t) for n, t in shared.items()}, **{k: enc(v) for k, v in fwd.items() if torch.is_tensor(v)}}}
        rec.update(outputs_and_grads(m, shared, [out] + ([w] if w is not None else []), seed + 2))
        cases.append(rec)

    g = torch.Generator().manual_seed(20)
    E, H, L, S, N = 8, 2, 5, 6, 3
    x = rand(g, L, N, E)
    case('self-attention', {'embed_dim': E, 'num_heads': H}, {'query': x, 'key': 'query', 'value': 'query'}, {}, 1)
    kpm = torch.zeros(N, S, dtype=torch.bool)
    kpm[0, 4:] = True
    kpm[2, 5] = True
    kv = rand(g, N, S, E)
    case('batch first, cross, key padding, float mask, per-head weights',
         {'embed_dim': E, 'num_heads': H, 'batch_first': True},
         {'query': rand(g, N, L, E), 'key': kv, 'value': 'key'},
         {'key_padding_mask': kpm, 'attn_mask': torch.randn(L, S, generator=g), 'average_attn_weights': False}, 2)
    bool3 = torch.rand(N * 4, L, S, generator=g) > 0.5
    bool3[:, :, 1] = False
    case('kdim and vdim, no bias, 3-D bool mask', {'embed_dim': E, 'num_heads': 4, 'kdim': 6, 'vdim': 4, 'bias': False},
         {'query': rand(g, L, N, E), 'key': rand(g, S, N, 6), 'value': rand(g, S, N, 4)}, {'attn_mask': bool3}, 3)
    causal = torch.ones(L, L, dtype=torch.bool).triu(1)
    kpm2 = torch.zeros(N, L, dtype=torch.bool)
    kpm2[1, 3:] = True
    case('bias_kv, zero attn, causal bool mask, key padding',
         {'embed_dim': E, 'num_heads': H, 'add_bias_kv': True, 'add_zero_attn': True},
         {'query': rand(g, L, N, E), 'key': 'query', 'value': 'query'}, {'attn_mask': causal, 'key_padding_mask': kpm2}, 4)
    case('unbatched', {'embed_dim': E, 'num_heads': H}, {'query': rand(g, L, E), 'key': rand(g, S, E), 'value': rand(g, S, E)},
         {'need_weights': True}, 5)
    case('need_weights false', {'embed_dim': E, 'num_heads': H, 'batch_first': True},
         {'query': rand(g, N, L, E), 'key': 'query', 'value': 'query'}, {'need_weights': False}, 6)
    return cases


SECTIONS = {'sdpa': sdpa_cases, 'mha': mha_cases}


def main():
    out = {name: fn() for name, fn in SECTIONS.items()}
    with open('test/fixtures/attention.json', 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
