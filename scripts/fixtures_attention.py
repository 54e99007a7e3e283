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


def flatten(out):
    """Tensor outputs of nested tuples (an LSTM's (output, (h_n, c_n))), in order."""
    if torch.is_tensor(out):
        return [out]
    if out is None:
        return []
    return [t for o in out for t in flatten(o)]


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


# ---------------------------------------------------------------- generic module cases

def module_case(cases, name, seed, kind, args, options, build, inputs, forward, train=True, call=None, extra=None):
    """A module built under `seed` (recorded: init state, repr), perturbed, run on positional `inputs`
    (a string names an earlier input: the same tensor) with keyword `forward` arguments. `options` and
    the forward keywords' camelCase names are what the TypeScript constructor and forward take."""
    torch.manual_seed(seed)
    m = build()
    m.train(train)
    init_state = state(m)
    perturb(m, seed + 1)
    tensors = {k: v for k, v in inputs.items() if not isinstance(v, str)}
    args_in = [inputs[k] if not isinstance(inputs[k], str) else inputs[inputs[k]] for k in inputs]
    py_kw = {k: v for k, (_, v) in forward.items()}
    out = call(m, *args_in) if call is not None else m(*args_in, **py_kw)
    outs = flatten(out)
    rec = {'name': name, 'seed': seed, 'kind': kind, 'args': args, 'options': options, 'train': train, 'repr': repr(m),
           'init': init_state, 'state': state(m), 'order': list(inputs.keys()),
           'same': {k: v for k, v in inputs.items() if isinstance(v, str)},
           'inputs': {k: enc(v) for k, v in tensors.items()},
           'forward': {camel: enc(v) if torch.is_tensor(v) else v for _, (camel, v) in forward.items()}}
    # Forward keyword names map to (TypeScript option name, value).
    rec['forwardKeys'] = {k: camel for k, (camel, _) in forward.items()}
    rec['extra'] = extra or {}
    rec.update(outputs_and_grads(m, tensors, outs, seed + 2))
    cases.append(rec)


def transformer_cases():
    cases = []
    g = torch.Generator().manual_seed(30)
    E, H, FF, L, S, N = 8, 2, 16, 5, 6, 3
    causal = nn.Transformer.generate_square_subsequent_mask(L)
    kpm = torch.zeros(N, L, dtype=torch.bool)
    kpm[1, 3:] = True
    mkpm = torch.zeros(N, S, dtype=torch.bool)
    mkpm[0, 4:] = True
    module_case(cases, 'encoder layer, post-norm, relu, causal float mask, key padding', 11, 'TransformerEncoderLayer',
                [E, H], {'dimFeedforward': FF, 'dropout': 0},
                lambda: nn.TransformerEncoderLayer(E, H, FF, 0.0),
                {'src': rand(g, L, N, E)}, {'src_mask': ('srcMask', causal), 'src_key_padding_mask': ('srcKeyPaddingMask', kpm)})
    module_case(cases, 'encoder layer, pre-norm, gelu, batch first', 12, 'TransformerEncoderLayer',
                [E, H], {'dimFeedforward': FF, 'dropout': 0, 'activation': 'gelu', 'batchFirst': True, 'normFirst': True,
                         'layerNormEps': 1e-6},
                lambda: nn.TransformerEncoderLayer(E, H, FF, 0.0, 'gelu', 1e-6, True, True),
                {'src': rand(g, N, L, E)}, {})
    module_case(cases, 'encoder, 2 layers and a norm, bool mask', 13, 'TransformerEncoder',
                [E, H, 2, True], {'dimFeedforward': FF, 'dropout': 0},
                lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, FF, 0.0), 2, nn.LayerNorm(E)),
                {'src': rand(g, L, N, E)},
                {'mask': ('mask', torch.ones(L, L, dtype=torch.bool).triu(1)), 'src_key_padding_mask': ('srcKeyPaddingMask', kpm)})
    module_case(cases, 'decoder layer, batch first, causal, memory padding', 14, 'TransformerDecoderLayer',
                [E, H], {'dimFeedforward': FF, 'dropout': 0, 'batchFirst': True},
                lambda: nn.TransformerDecoderLayer(E, H, FF, 0.0, batch_first=True),
                {'tgt': rand(g, N, L, E), 'memory': rand(g, N, S, E)},
                {'tgt_mask': ('tgtMask', causal), 'memory_key_padding_mask': ('memoryKeyPaddingMask', mkpm)})
    module_case(cases, 'decoder, 2 pre-norm layers, no norm', 15, 'TransformerDecoder',
                [E, H, 2, False], {'dimFeedforward': FF, 'dropout': 0, 'normFirst': True},
                lambda: nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, FF, 0.0, norm_first=True), 2),
                {'tgt': rand(g, L, N, E), 'memory': rand(g, S, N, E)},
                {'tgt_mask': ('tgtMask', causal), 'memory_mask': ('memoryMask', torch.randn(L, S, generator=g))})
    module_case(cases, 'transformer, 2 encoder and 1 decoder layers, all masks', 16, 'Transformer',
                [], {'dModel': E, 'nhead': H, 'numEncoderLayers': 2, 'numDecoderLayers': 1, 'dimFeedforward': FF, 'dropout': 0},
                lambda: nn.Transformer(E, H, 2, 1, FF, 0.0),
                {'src': rand(g, S, N, E), 'tgt': rand(g, L, N, E)},
                {'tgt_mask': ('tgtMask', causal), 'src_key_padding_mask': ('srcKeyPaddingMask', mkpm),
                 'tgt_key_padding_mask': ('tgtKeyPaddingMask', kpm), 'memory_key_padding_mask': ('memoryKeyPaddingMask', mkpm)})
    return cases


# ---------------------------------------------------------------- recurrent layers and cells

def rnn_cases():
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
    cases = []
    g = torch.Generator().manual_seed(40)
    I, H, T, N = 4, 6, 5, 3

    def seq_call(lstm):
        def call(m, x, *states):
            hx = None if not states else ((states[0], states[1]) if lstm else states[0])
            return m(x, hx)
        return call

    def packed_call(lengths, enforce, batch_first, lstm):
        def call(m, x, *states):
            hx = None if not states else ((states[0], states[1]) if lstm else states[0])
            out, h = m(pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce), hx)
            return (pad_packed_sequence(out, batch_first=batch_first)[0], h)
        return call

    def layer(name, seed, kind, options, py, inputs, call, extra=None):
        module_case(cases, name, seed, kind, [I, H], options, py, inputs, {}, call=call, extra=extra)

    layer('RNN tanh, one layer, no initial state', 41, 'RNN', {}, lambda: nn.RNN(I, H), {'input': rand(g, T, N, I)}, seq_call(False))
    layer('RNN relu, 2 layers, bidirectional, batch first, h0', 42, 'RNN',
          {'nonlinearity': 'relu', 'numLayers': 2, 'bidirectional': True, 'batchFirst': True},
          lambda: nn.RNN(I, H, 2, nonlinearity='relu', bidirectional=True, batch_first=True),
          {'input': rand(g, N, T, I), 'h0': rand(g, 4, N, H)}, seq_call(False))
    layer('LSTM, 2 layers, bidirectional, (h0, c0)', 43, 'LSTM', {'numLayers': 2, 'bidirectional': True},
          lambda: nn.LSTM(I, H, 2, bidirectional=True),
          {'input': rand(g, T, N, I), 'h0': rand(g, 4, N, H), 'c0': rand(g, 4, N, H)}, seq_call(True))
    layer('LSTM, batch first, no bias, 3 layers', 44, 'LSTM', {'numLayers': 3, 'bias': False, 'batchFirst': True},
          lambda: nn.LSTM(I, H, 3, bias=False, batch_first=True), {'input': rand(g, N, T, I)}, seq_call(True))
    layer('LSTM, unbatched, (h0, c0)', 45, 'LSTM', {}, lambda: nn.LSTM(I, H),
          {'input': rand(g, T, I), 'h0': rand(g, 1, H), 'c0': rand(g, 1, H)}, seq_call(True))
    layer('GRU, 2 layers, bidirectional, batch first, h0', 46, 'GRU', {'numLayers': 2, 'bidirectional': True, 'batchFirst': True},
          lambda: nn.GRU(I, H, 2, bidirectional=True, batch_first=True),
          {'input': rand(g, N, T, I), 'h0': rand(g, 4, N, H)}, seq_call(False))
    layer('GRU, unbatched', 47, 'GRU', {}, lambda: nn.GRU(I, H), {'input': rand(g, T, I)}, seq_call(False))
    lengths = [3, 5, 2]
    layer('LSTM, packed unsorted, 2 layers, bidirectional, (h0, c0)', 48, 'LSTM', {'numLayers': 2, 'bidirectional': True},
          lambda: nn.LSTM(I, H, 2, bidirectional=True),
          {'input': rand(g, T, N, I), 'h0': rand(g, 4, N, H), 'c0': rand(g, 4, N, H)},
          packed_call(lengths, False, False, True), {'lengths': lengths, 'enforceSorted': False, 'batchFirst': False})
    layer('GRU, packed sorted, batch first, bidirectional', 49, 'GRU', {'bidirectional': True, 'batchFirst': True},
          lambda: nn.GRU(I, H, bidirectional=True, batch_first=True), {'input': rand(g, N, T, I)},
          packed_call([5, 4, 2], True, True, False), {'lengths': [5, 4, 2], 'enforceSorted': True, 'batchFirst': True})
    layer('RNN, packed unsorted, h0', 50, 'RNN', {}, lambda: nn.RNN(I, H), {'input': rand(g, T, N, I), 'h0': rand(g, 1, N, H)},
          packed_call([2, 5, 4], False, False, False), {'lengths': [2, 5, 4], 'enforceSorted': False, 'batchFirst': False})

    layer('LSTM, proj_size, 2 layers, bidirectional, (h0, c0)', 56, 'LSTM', {'numLayers': 2, 'bidirectional': True, 'projSize': 3},
          lambda: nn.LSTM(I, H, 2, bidirectional=True, proj_size=3),
          {'input': rand(g, T, N, I), 'h0': rand(g, 4, N, 3), 'c0': rand(g, 4, N, H)}, seq_call(True))
    layer('LSTM, proj_size, packed unsorted', 57, 'LSTM', {'projSize': 2, 'batchFirst': True},
          lambda: nn.LSTM(I, H, proj_size=2, batch_first=True), {'input': rand(g, N, T, I)},
          packed_call([2, 5, 4], False, True, True), {'lengths': [2, 5, 4], 'enforceSorted': False, 'batchFirst': True})

    def cell(name, seed, kind, options, py, inputs, lstm):
        def call(m, x, *states):
            hx = None if not states else ((states[0], states[1]) if lstm else states[0])
            return m(x, hx)
        module_case(cases, name, seed, kind, [I, H], options, py, inputs, {}, call=call)

    cell('RNNCell tanh, h', 51, 'RNNCell', {}, lambda: nn.RNNCell(I, H), {'input': rand(g, N, I), 'h0': rand(g, N, H)}, False)
    cell('RNNCell relu, no bias, unbatched', 52, 'RNNCell', {'nonlinearity': 'relu', 'bias': False},
         lambda: nn.RNNCell(I, H, bias=False, nonlinearity='relu'), {'input': rand(g, I)}, False)
    cell('LSTMCell, (h, c)', 53, 'LSTMCell', {}, lambda: nn.LSTMCell(I, H),
         {'input': rand(g, N, I), 'h0': rand(g, N, H), 'c0': rand(g, N, H)}, True)
    cell('LSTMCell, unbatched, no state', 54, 'LSTMCell', {}, lambda: nn.LSTMCell(I, H), {'input': rand(g, I)}, True)
    cell('GRUCell, h', 55, 'GRUCell', {}, lambda: nn.GRUCell(I, H), {'input': rand(g, N, I), 'h0': rand(g, N, H)}, False)
    return cases


def packing_cases():
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence
    g = torch.Generator().manual_seed(60)
    seqs = [torch.randn(L, 2, generator=g) for L in (3, 5, 2)]
    padded = pad_sequence(seqs, batch_first=True, padding_value=-1.0)
    packed = pack_padded_sequence(pad_sequence(seqs), [3, 5, 2], enforce_sorted=False)
    unpacked, lengths = pad_packed_sequence(packed, batch_first=True, total_length=6)
    return [{'sequences': [enc(s) for s in seqs], 'padded': enc(padded), 'data': enc(packed.data),
             'batchSizes': packed.batch_sizes.tolist(), 'sortedIndices': packed.sorted_indices.tolist(),
             'unsortedIndices': packed.unsorted_indices.tolist(), 'unpacked': enc(unpacked), 'lengths': lengths.tolist()}]


SECTIONS = {'sdpa': sdpa_cases, 'mha': mha_cases, 'transformer': transformer_cases, 'rnn': rnn_cases, 'packing': packing_cases}


def main():
    out = {name: fn() for name, fn in SECTIONS.items()}
    with open('test/fixtures/attention.json', 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
