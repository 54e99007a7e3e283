// bench/distributed.ts — torch.distributed's rows of `npm run bench` (also `node dist/bench/distributed.js`):
// allReduce of 1M float32 on 2 processes against PyTorch's dist.all_reduce (Gloo, 2 processes, same machine),
// and a DDP LeNet-5 training step (2 processes × batch 32, 1 thread each) against one process's step with
// batch 64 (the same thread count in all: 2). Each process of a pair is a fork of this file.
import { execFileSync, fork, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';
import { lenet5 } from '../examples/lenet5.js';

const dist = torch.distributed;
const ALLREDUCE_ITERS = 50, DDP_STEPS = 20, WARMUP = 5;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

/** Mean seconds per call of `fn` over `iters` calls after the warm-up, the ranks lined up by a barrier. */
async function timeCalls(iters: number, fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await fn();
  await dist.barrier();
  const start = performance.now();
  for (let i = 0; i < iters; i++) await fn();
  return (performance.now() - start) / 1e3 / iters;
}

function lenetStep(model: nn.Module, opt: optim.SGD, x: torch.Tensor, y: torch.Tensor, sync: () => Promise<void>): () => Promise<void> {
  return async () => {
    opt.zeroGrad();
    F.crossEntropy(model(x), y).backward();
    await sync();
    opt.step();
  };
}

/** One rank: runs the named measurement and sends rank 0's seconds to the parent. */
async function worker(what: string): Promise<void> {
  torch.setNumThreads(1);
  await dist.initProcessGroup({ timeout: 60000 });
  let seconds: number;
  if (what === 'allreduce') {
    const x = torch.ones(1 << 20);
    seconds = await timeCalls(ALLREDUCE_ITERS, () => dist.allReduce(x));
  } else {
    torch.manualSeed(0);
    const model = lenet5();
    const ddp = new nn.parallel.DistributedDataParallel(model);
    await ddp.ready;
    const step = lenetStep(ddp, new optim.SGD(model.parameters(), { lr: 0.01 }), torch.randn(32, 1, 28, 28), torch.randint(0, 10, [32]), () => ddp.syncGradients());
    seconds = await timeCalls(DDP_STEPS, step);
  }
  if (dist.getRank() === 0) process.send?.(seconds);
  dist.destroyProcessGroup();
  process.disconnect();
}

/** Forks 2 ranks of this file for `what`; resolves with rank 0's seconds. */
async function pair(what: string): Promise<number> {
  const port = await freePort();
  const file = fileURLToPath(import.meta.url);
  const results = await Promise.all([0, 1].map((rank) => new Promise<number | null>((resolve) => {
    const child = fork(file, ['--worker', what], {
      env: { ...process.env, KINDLING_WEBGPU: '0', RANK: String(rank), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port) },
    });
    let got: number | null = null;
    child.on('message', (m) => { got = m as number; });
    child.on('exit', () => { resolve(got); });
  })));
  if (results[0] === null) throw new Error(`distributed bench: the ${what} ranks failed`);
  return results[0];
}

/** PyTorch's allReduce time on 2 processes, or why there is none. */
async function torchAllReduce(): Promise<number | string> {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch.distributed'], { stdio: 'ignore' });
  } catch {
    return 'no PyTorch';
  }
  const port = await freePort();
  const script = fileURLToPath(new URL('../../bench/torch_distributed_bench.py', import.meta.url));
  const outputs = await Promise.all([0, 1].map((rank) => new Promise<string>((resolve) => {
    const child = spawn('/usr/bin/python3', [script, String(ALLREDUCE_ITERS)], {
      env: { ...process.env, RANK: String(rank), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', () => { resolve(out); });
  })));
  const match = /\{.*\}/.exec(outputs[0]);
  return match ? (JSON.parse(match[0]) as { allreduce_s: number }).allreduce_s : 'PyTorch run failed';
}

/** One process's LeNet-5 step with batch 64 and 2 threads. */
async function singleLenetStep(): Promise<number> {
  const threads = torch.getNumThreads();
  torch.setNumThreads(2);
  torch.manualSeed(0);
  const model = lenet5();
  const step = lenetStep(model, new optim.SGD(model.parameters(), { lr: 0.01 }), torch.randn(64, 1, 28, 28), torch.randint(0, 10, [64]), () => Promise.resolve());
  for (let i = 0; i < WARMUP; i++) await step();
  const start = performance.now();
  for (let i = 0; i < DDP_STEPS; i++) await step();
  torch.setNumThreads(threads);
  return (performance.now() - start) / 1e3 / DDP_STEPS;
}

const ms = (s: number): string => `${(s * 1e3).toFixed(2)} ms`;

/** Prints the distributed rows (or why they are skipped). */
export async function distributedBench(): Promise<void> {
  console.log('\ntorch.distributed (Gloo, 2 processes on 127.0.0.1, 1 thread each):');
  if (!dist.isAvailable()) {
    console.log('  skipped: the Gloo addon is not built (apt-get install libgloo-dev, then rebuild)');
    return;
  }
  const ours = await pair('allreduce');
  const theirs = await torchAllReduce();
  const gbps = (s: number): string => `${((2 * 4 * (1 << 20)) / s / 1e9).toFixed(2)} GB/s`;
  console.log(`  allreduce 1M float32: kindling ${ms(ours)} (${gbps(ours)} algorithm bandwidth), PyTorch ${typeof theirs === 'string' ? theirs : `${ms(theirs)} (${gbps(theirs)}); ratio ${(theirs / ours).toFixed(2)}x`}`);
  const ddp = await pair('lenet');
  const single = await singleLenetStep();
  console.log(`  lenet_step: DDP 2 × batch 32 ${ms(ddp)} per step; 1 process × batch 64 (2 threads) ${ms(single)} per step`);
}

const workerAt = process.argv.indexOf('--worker');
if (workerAt >= 0) await worker(process.argv[workerAt + 1]);
else if (process.argv[1] === fileURLToPath(import.meta.url)) await distributedBench();
