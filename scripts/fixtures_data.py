# scripts/fixtures_data.py — records PyTorch 1.13 DataLoader shuffles and random_split draws into test/fixtures/data.json.
#
# Run with the interpreter that has torch: /usr/bin/python3 scripts/fixtures_data.py
# Each case also records a probe drawn after the loader ran (a 0-d int64 random_(), as a decimal string)
# so the tests check that kindling leaves the generator in PyTorch's state, not just the same order.
import json
import os

import torch
from torch.utils.data import DataLoader, random_split


def probe(gen=None):
    return str(int(torch.empty((), dtype=torch.int64).random_(generator=gen).item()))


def epochs(loader, count):
    return [[b.tolist() for b in loader] for _ in range(count)]


def loader_cases():
    cases = []
    for seed in [0, 1, 42, 2**40 + 7]:
        for n, bs, drop in [(10, 3, False), (10, 3, True), (1, 1, False), (7, 7, False), (100, 16, False), (1000, 64, True)]:
            torch.manual_seed(seed)
            out = epochs(DataLoader(range(n), shuffle=True, batch_size=bs, drop_last=drop), 2)
            cases.append({'seed': str(seed), 'n': n, 'batchSize': bs, 'dropLast': drop, 'shuffle': True,
                          'generator': False, 'epochs': out, 'probe': probe()})
            g = torch.Generator().manual_seed(seed)
            torch.manual_seed(seed + 1)
            out = epochs(DataLoader(range(n), shuffle=True, batch_size=bs, drop_last=drop, generator=g), 2)
            cases.append({'seed': str(seed), 'n': n, 'batchSize': bs, 'dropLast': drop, 'shuffle': True,
                          'generator': True, 'epochs': out, 'probe': probe(g), 'defaultProbe': probe()})
        torch.manual_seed(seed)
        out = epochs(DataLoader(range(10), shuffle=False, batch_size=4), 2)
        cases.append({'seed': str(seed), 'n': 10, 'batchSize': 4, 'dropLast': False, 'shuffle': False,
                      'generator': False, 'epochs': out, 'probe': probe()})
    return cases


def split_cases():
    cases = []
    for seed in [0, 42, 2**40 + 7]:
        for n, lengths in [(10, [3, 7]), (30, [0.3, 0.3, 0.4]), (11, [0.5, 0.5]), (10, [0.1, 0.2, 0.7]), (5, [5, 0])]:
            g = torch.Generator().manual_seed(seed)
            parts = random_split(range(n), lengths, generator=g)
            cases.append({'seed': str(seed), 'n': n, 'lengths': lengths, 'generator': True,
                          'splits': [list(p) for p in parts]})
            torch.manual_seed(seed)
            parts = random_split(range(n), lengths)
            cases.append({'seed': str(seed), 'n': n, 'lengths': lengths, 'generator': False,
                          'splits': [list(p) for p in parts], 'probe': probe()})
    return cases


def random_cases():
    cases = []
    for seed in [0, 1, 42, 2**40 + 7]:
        torch.manual_seed(seed)
        cases.append({'seed': str(seed), 'values': [probe() for _ in range(5)]})
    return cases


def main():
    out = {'torch': torch.__version__, 'loaders': loader_cases(), 'splits': split_cases(), 'random': random_cases()}
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'data.json')
    with open(path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
