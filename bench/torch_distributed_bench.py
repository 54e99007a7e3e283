# bench/torch_distributed_bench.py — PyTorch's side of bench/distributed.ts: one rank of a Gloo group
# (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT from the environment) timing dist.all_reduce of 1M floats.
# Rank 0 prints {"allreduce_s": mean seconds per call}.
import json
import sys
import time

import torch
import torch.distributed as dist

iters = int(sys.argv[1]) if len(sys.argv) > 1 else 50
torch.set_num_threads(1)
dist.init_process_group("gloo", init_method="env://")
x = torch.ones(1 << 20)
for _ in range(5):
    dist.all_reduce(x)
dist.barrier()
start = time.perf_counter()
for _ in range(iters):
    dist.all_reduce(x)
elapsed = (time.perf_counter() - start) / iters
if dist.get_rank() == 0:
    print(json.dumps({"allreduce_s": elapsed}))
dist.destroy_process_group()
