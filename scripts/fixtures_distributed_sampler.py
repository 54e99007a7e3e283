# scripts/fixtures_distributed_sampler.py — PyTorch's DistributedSampler orders for a few datasets,
# replica counts, seeds and epochs: test/fixtures/distributed_sampler.json (test/data/distributed-sampler.test.ts).
# Run: /usr/bin/python3 scripts/fixtures_distributed_sampler.py
import json
import os

import torch
from torch.utils.data.distributed import DistributedSampler

cases = []
for n in [0, 1, 10, 11, 17]:
    for replicas in [1, 2, 3, 4]:
        for shuffle in [True, False]:
            for drop_last in [False, True]:
                for seed, epoch in [(0, 0), (0, 3), (42, 1)]:
                    if not shuffle and (seed, epoch) != (0, 0):
                        continue
                    ranks = []
                    for rank in range(replicas):
                        s = DistributedSampler(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
                        s.set_epoch(epoch)
                        ranks.append({"indices": list(s), "length": len(s)})
                    cases.append({"n": n, "replicas": replicas, "shuffle": shuffle, "dropLast": drop_last, "seed": seed, "epoch": epoch, "ranks": ranks})

out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "distributed_sampler.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases -> {out}")
