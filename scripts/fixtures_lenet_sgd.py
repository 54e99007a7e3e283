# scripts/fixtures_lenet_sgd.py — records 20 seeded SGD steps of LeNet-5 in PyTorch 1.13 into test/fixtures/lenet_sgd.json.
#
# Run with the interpreter that has torch: /usr/bin/python3 scripts/fixtures_lenet_sgd.py
# Everything random (initial weights, inputs, labels) comes from torch.manual_seed(0), drawn in this order:
# the model's layers in construction order, then the inputs, then the labels. test/random/lenet-e2e.test.ts
# repeats the run in kindling and compares the loss sequence.
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

STEPS = 20
BATCH = 8
LR = 0.05
MOMENTUM = 0.9


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = lenet()
    x = torch.randn(STEPS, BATCH, 1, 28, 28)
    y = torch.randint(0, 10, (STEPS, BATCH))
    initial = {n: float(p.detach().double().sum()) for n, p in model.named_parameters()}
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    losses = []
    for i in range(STEPS):
        opt.zero_grad()
        loss = F.cross_entropy(model(x[i]), y[i])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    final = {n: float(p.detach().double().sum()) for n, p in model.named_parameters()}
    data = {
        'torch': torch.__version__, 'steps': STEPS, 'batch': BATCH, 'lr': LR, 'momentum': MOMENTUM,
        'xSum': float(x.double().sum()), 'yFirst': y[0].tolist(),
        'initialParamSums': initial, 'losses': losses, 'finalParamSums': final,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, '..', 'test', 'fixtures', 'lenet_sgd.json')
    with open(path, 'w') as f:
        json.dump(data, f, indent=1)
    print(f'wrote {os.path.normpath(path)}: losses {losses[0]:.4f} … {losses[-1]:.4f}')


if __name__ == '__main__':
    main()
