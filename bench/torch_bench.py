#!/usr/bin/env python3
# bench/torch_bench.py — the same workloads as bench/run.ts, timed in PyTorch.
# Run by `npm run bench` with /usr/bin/python3 when it has torch: it prints its set-up as JSON, then
# times one workload per request line (see serve), so the two sides can take turns.
import gc
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

THREADS = int(os.environ.get('KINDLING_BENCH_THREADS', '2'))
ADD_CALLS = 10000  # adds per timed run of add_4, as in bench/run.ts
ADAM_SHAPES = [[1000, 800], [800], [199, 1000], [200]]  # adam_step_1m's parameters, as in bench/run.ts
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def mean_time(fn, min_runs=5, budget=1.0):
    """Mean seconds per call after two warm-up calls (as bench/run.ts measures kindling)."""
    fn()
    fn()
    runs = 0
    start = time.perf_counter()
    while runs < min_runs or (time.perf_counter() - start < budget and runs < 1000):
        fn()
        runs += 1
    return (time.perf_counter() - start) / runs


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def train_step(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def regression_step(model, run, target):
    """One Adam step on an MSE loss against a fixed target (as bench/run.ts's regressionStep)."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)

    def step():
        opt.zero_grad()
        F.mse_loss(run(), target).backward()
        opt.step()
    return step


def loop(x, w):
    def run():
        y = torch.empty(x.size(0), w.size(0))
        for k in range(y.size(0)):
            y[k] = w.mv(x[k])
    return run


def prepare(name):
    """The timed function of a workload, and its minimum number of runs."""
    if name == 'gemm_seed':
        x, w = torch.randn(2500, 1000), torch.randn(1500, 1000)
        return (lambda: x.mm(w.t())), 5
    if name.startswith('square_'):
        n = int(name.split('_')[1])
        a, b = torch.randn(n, n), torch.randn(n, n)
        return (lambda: a.mm(b)), 5
    if name == 'per_sample_loop':
        return loop(torch.randn(2500, 1000), torch.randn(1500, 1000)), 3
    if name == 'mlp_step':
        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
        return train_step(model, torch.randn(64, 784), torch.randint(0, 10, (64,))), 5
    if name == 'lenet_step':
        return train_step(lenet(), torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))), 5
    if name == 'transformer_step':
        layer = nn.TransformerEncoderLayer(256, 4, 1024, 0.0, batch_first=True)
        x, target = torch.randn(16, 128, 256), torch.randn(16, 128, 256)
        return regression_step(layer, lambda: layer(x), target), 3
    if name == 'lstm_step':
        lstm = nn.LSTM(128, 256)
        x, target = torch.randn(64, 32, 128), torch.randn(64, 32, 256)
        return regression_step(lstm, lambda: lstm(x)[0], target), 3
    if name == 'relu_10m':
        x = torch.randn(10_000_000)
        return (lambda: torch.relu(x)), 5
    if name == 'sum_10m':
        x = torch.randn(10_000_000)
        return (lambda: x.sum()), 5
    if name == 'randn_10m':
        return (lambda: torch.randn(10_000_000)), 5
    if name == 'rand_10m':
        return (lambda: torch.rand(10_000_000)), 5
    if name == 'randint_10m':
        return (lambda: torch.randint(0, 10, (10_000_000,))), 5
    if name == 'dropout_10m':
        x = torch.randn(10_000_000)
        return (lambda: F.dropout(x, 0.5, True)), 5
    if name == 'relu__10m':
        x = torch.randn(10_000_000)
        return (lambda: x.relu_()), 5
    if name == 'add__10m':
        x, y = torch.randn(10_000_000), torch.randn(10_000_000)
        return (lambda: x.add_(y)), 5
    if name == 'clamp__10m':
        x = torch.randn(10_000_000)
        return (lambda: x.clamp_(-1, 1)), 5
    if name == 'adam_step_1m':
        params = [torch.randn(shape, requires_grad=True) for shape in ADAM_SHAPES]
        for p in params:
            p.grad = torch.randn(p.shape)
        return torch.optim.Adam(params).step, 5
    if name == 'add_4':
        a, b = torch.randn(4), torch.randn(4)

        def adds():
            for _ in range(ADD_CALLS):
                a + b
        return adds, 5
    raise ValueError(f'unknown workload {name}')


def serve():
    """Answers requests "<workload> <budget seconds>" on stdin with one JSON time per line."""
    prepared = {}
    for line in sys.stdin:
        name, budget = line.split()
        if name not in prepared:
            gc.collect()  # once per workload, before its warm-up, as bench/run.ts collects
            prepared[name] = prepare(name)
        fn, min_runs = prepared[name]
        time.sleep(0.05)  # lets the other side's threads settle first
        t = mean_time(fn, min_runs, float(budget))
        print(json.dumps(t / ADD_CALLS if name == 'add_4' else t), flush=True)


def blas_info():
    torch.randn(64, 64).mm(torch.randn(64, 64))
    libs = set()
    with open('/proc/self/maps') as f:
        for line in f:
            if 'blas' in line:
                libs.add(line.split()[-1])
    core = os.environ.get('OPENBLAS_CORETYPE')
    info = ', '.join(sorted(libs)) + (f' (OPENBLAS_CORETYPE={core})' if core else '')
    # Debian's python3-torch alone links the netlib reference BLAS, whose GEMMs run about 50x slower
    # than OpenBLAS's: ratios against it say nothing about kindling.
    if libs and not any(k in lib for lib in libs for k in ('openblas', 'mkl', 'blis')):
        info += (' -- the reference BLAS, 50x slower than OpenBLAS at GEMMs, so the ratios flatter kindling:'
                 ' apt-get install libopenblas0-pthread')
    return info


if __name__ == '__main__':
    print(json.dumps({'threads': torch.get_num_threads(), 'blas': blas_info(), 'version': torch.__version__}), flush=True)
    serve()
