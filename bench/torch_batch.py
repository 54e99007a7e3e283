#!/usr/bin/env python3
# bench/torch_batch.py — the PyTorch half of `npm run bench:batch` (bench/batch.ts), printed as JSON.
# Usage: torch_batch.py matmul NB  |  torch_batch.py cnn SAMPLES BATCH_SIZE...
# Threads come from KINDLING_BENCH_THREADS, as for bench/torch_bench.py, whose BLAS report we reuse.
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_bench import THREADS, blas_info

torch.set_num_threads(THREADS)


# The lecture's function, line for line.
def timing(x, w, batch=False, nb=101):
    t = torch.zeros(nb)

    for u in range(nb):
        t0 = time.perf_counter()
        if batch:
            y = x.mm(w.t())
        else:
            y = torch.empty(x.size(0), w.size(0))
            for k in range(y.size(0)): y[k] = w.mv(x[k])

        y.is_cuda and torch.cuda.synchronize()
        t[u] = time.perf_counter() - t0

    return t.median().item()


def matmul(nb):
    torch.manual_seed(0)
    x = torch.randn(2500, 1000)
    w = torch.randn(1500, 1000)
    return {'loop': timing(x, w, batch=False, nb=nb), 'batch': timing(x, w, batch=True, nb=nb)}


# The same network as convNet() in bench/batch.ts.
def conv_net():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 10))


def train_seconds(samples, batch_size):
    """Seconds to train on `samples` random CIFAR-10-shaped samples, after one untimed warm-up step."""
    torch.manual_seed(0)
    model = conv_net()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(samples, 3, 32, 32), torch.randint(0, 10, (samples,))

    def step(i):
        opt.zero_grad()
        F.cross_entropy(model(x[i:i + batch_size]), y[i:i + batch_size]).backward()
        opt.step()
    step(0)
    t0 = time.perf_counter()
    for i in range(0, samples, batch_size):
        step(i)
    return time.perf_counter() - t0


if __name__ == '__main__':
    mode, args = sys.argv[1], [int(a) for a in sys.argv[2:]]
    if mode == 'matmul':
        times = matmul(args[0])
    else:
        times = {str(b): train_seconds(args[0], b) for b in args[1:]}
    print(json.dumps({'threads': torch.get_num_threads(), 'blas': blas_info(), 'version': torch.__version__,
                      'times': times}))
