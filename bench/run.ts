// bench/run.ts — `npm run bench`: kindling against PyTorch on the same machine, in the same run.
// Prints workload, kindling time, PyTorch time, speed ratio (PyTorch time / kindling time; higher
// is better for kindling) and GFLOP/s or GB/s. With --device webgpu: the GPU against kindling's CPU backend
// on GEMMs and training steps (bench/args.ts has the options).
import { execFileSync, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';
import { type DeviceName, requireDevice } from '../examples/device.js';
import { runMain } from '../examples/mnist/data.js';
import { type BenchOptions, parseBenchArgs } from './args.js';
import { deviceMeanTime } from './device-time.js';
import { distributedBench } from './distributed.js';

const THREADS = Number(process.env.KINDLING_BENCH_THREADS ?? 2);
/** V8's collector, exposed by `node --expose-gc` (as npm run bench starts it). */
const collectGarbage = (globalThis as { gc?: () => void }).gc;
torch.setNumThreads(THREADS);
torch.manualSeed(0);

/**
 * Mean seconds per call after `warmups` warm-up calls, over at least `minRuns` calls and about `budget` s:
 * the mean, not the median, so that garbage-collection pauses count against kindling.
 */
function meanTime(fn: () => unknown, minRuns: number, budget: number, warmups = 2): number {
  for (let i = 0; i < warmups; i++) fn();
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || (performance.now() - start < budget * 1000 && runs < 1000)) {
    fn();
    runs++;
  }
  return (performance.now() - start) / 1000 / runs;
}

function lenet(): nn.Module {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
}

/** One SGD step of `model` on the batch (x, y), all moved to `device` first. */
function trainStep(model: nn.Module, x: torch.Tensor, y: torch.Tensor, device: DeviceName = 'cpu'): () => void {
  model.to(device);
  const [xd, yd] = [x.to(device), y.to(device)];
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  if (device === 'cpu') {
    return () => {
      opt.zeroGrad();
      F.crossEntropy(model(xd), yd).backward();
      opt.step();
    };
  }
  // A timed batch of GPU steps never yields to the event loop, where collected tensors would return their
  // memory; the scope frees each step's tensors instead, and zeroGrad comes last so the gradients go too.
  return () => {
    torch.webgpu.scope(() => {
      F.crossEntropy(model(xd), yd).backward();
      opt.step();
      opt.zeroGrad();
    }, { keep: [model, opt] });
  };
}

/** `fn` as timed on `device`: on a GPU in a scope that frees its output (see trainStep). */
const onDevice = (device: DeviceName, fn: () => unknown): (() => unknown) => (device === 'cpu' ? fn : () => {
  torch.webgpu.scope(() => { fn(); });
});

interface Workload {
  name: string;
  /** Work per call: floating-point operations (GFLOP/s) or bytes moved (GB/s). */
  amount: number;
  unit: 'GFLOP/s' | 'GB/s' | '';
  /** Builds the inputs once (on `device`, for the workloads --device webgpu runs) and returns the timed call and its minimum number of runs per round. */
  prepare: (device: DeviceName) => [() => unknown, number];
  /** Calls per timed run (the per-op workloads time a loop). */
  perRun?: number;
}

const gemm = (m: number, n: number, k: number) => 2 * m * n * k;
/** Adds per timed run of add_4 (per-op cost is too small to time one call). */
const ADD_CALLS = 10000;
/** adam_step_1m's parameters: 1M values in a few tensors, as in bench/torch_bench.py. */
const ADAM_SHAPES = [[1000, 800], [800], [199, 1000], [200]];

const GEMM_SEED: Workload = {
  name: 'gemm_seed', amount: gemm(2500, 1500, 1000), unit: 'GFLOP/s',
  prepare: (device) => {
    const x = torch.randn(2500, 1000).to(device), w = torch.randn(1500, 1000).to(device);
    return [onDevice(device, () => x.mm(w.t())), 5];
  },
};
const square = (n: number): Workload => ({
  name: `square_${n}`, amount: gemm(n, n, n), unit: 'GFLOP/s',
  prepare: (device) => { const a = torch.randn(n, n).to(device), b = torch.randn(n, n).to(device); return [onDevice(device, () => a.mm(b)), 5]; },
});
const MLP_STEP: Workload = {
  name: 'mlp_step', amount: 0, unit: '',
  prepare: (device) => [trainStep(new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10)),
    torch.randn(64, 784), torch.randint(0, 10, [64]), device), 5],
};
const LENET_STEP: Workload = {
  name: 'lenet_step', amount: 0, unit: '',
  prepare: (device) => [trainStep(lenet(), torch.randn(64, 1, 28, 28), torch.randint(0, 10, [64]), device), 5],
};

/** One Adam step of `model` on an MSE loss against a fixed target (the attention and recurrent workloads). */
function regressionStep(model: nn.Module<never, unknown>, run: () => torch.Tensor, target: torch.Tensor): () => void {
  const opt = new optim.Adam(model.parameters(), { lr: 1e-4 });
  return () => {
    opt.zeroGrad();
    F.mseLoss(run(), target).backward();
    opt.step();
  };
}
/** A Transformer block's training step: d_model 256, 4 heads, feed-forward 1024, sequence 128, batch 16, batch first. */
const TRANSFORMER_STEP: Workload = {
  name: 'transformer_step', amount: 0, unit: '',
  prepare: () => {
    const layer = new nn.TransformerEncoderLayer(256, 4, { dimFeedforward: 1024, dropout: 0, batchFirst: true });
    const x = torch.randn(16, 128, 256), target = torch.randn(16, 128, 256);
    return [regressionStep(layer, () => layer(x), target), 3];
  },
};
/** An LSTM's training step: input 128, hidden 256, sequence 64, batch 32. */
const LSTM_STEP: Workload = {
  name: 'lstm_step', amount: 0, unit: '',
  prepare: () => {
    const lstm = new nn.LSTM(128, 256);
    const x = torch.randn(64, 32, 128), target = torch.randn(64, 32, 256);
    return [regressionStep(lstm, () => lstm(x)[0], target), 3];
  },
};

const WORKLOADS: Workload[] = [
  GEMM_SEED,
  ...[256, 512, 1024, 2048].map(square),
  {
    name: 'per_sample_loop', amount: gemm(2500, 1500, 1000), unit: 'GFLOP/s',
    prepare: () => {
      const x = torch.randn(2500, 1000), w = torch.randn(1500, 1000);
      return [() => {
        const y = torch.empty(x.size(0), w.size(0));
        for (let k = 0; k < y.size(0); k++) y.set(k, w.mv(x.get(k)));
      }, 3];
    },
  },
  MLP_STEP,
  LENET_STEP,
  TRANSFORMER_STEP,
  LSTM_STEP,
  { name: 'relu_10m', amount: 8e7, unit: 'GB/s', prepare: () => { const x = torch.randn(10_000_000); return [() => x.relu(), 5]; } },
  { name: 'sum_10m', amount: 4e7, unit: 'GB/s', prepare: () => { const x = torch.randn(10_000_000); return [() => x.sum(), 5]; } },
  // Random draws of 10M elements (rates count the bytes written: float32, or int64 for randint).
  { name: 'randn_10m', amount: 4e7, unit: 'GB/s', prepare: () => [() => torch.randn(10_000_000), 5] },
  { name: 'rand_10m', amount: 4e7, unit: 'GB/s', prepare: () => [() => torch.rand(10_000_000), 5] },
  { name: 'randint_10m', amount: 8e7, unit: 'GB/s', prepare: () => [() => torch.randint(0, 10, [10_000_000]), 5] },
  { name: 'dropout_10m', amount: 0, unit: '', prepare: () => { const x = torch.randn(10_000_000); return [() => F.dropout(x, 0.5, true), 5]; } },
  { name: 'relu__10m', amount: 8e7, unit: 'GB/s', prepare: () => { const x = torch.randn(10_000_000); return [() => x.relu_(), 5]; } },
  {
    name: 'add__10m', amount: 1.2e8, unit: 'GB/s',
    prepare: () => { const x = torch.randn(10_000_000), y = torch.randn(10_000_000); return [() => x.add_(y), 5]; },
  },
  { name: 'clamp__10m', amount: 8e7, unit: 'GB/s', prepare: () => { const x = torch.randn(10_000_000); return [() => x.clamp_(-1, 1), 5]; } },
  {
    name: 'adam_step_1m', amount: 0, unit: '',
    prepare: () => {
      const params = ADAM_SHAPES.map((shape) => torch.randn(shape).requiresGrad_());
      for (const p of params) p.grad = torch.randn(p.dims);
      const opt = new optim.Adam(params);
      return [() => opt.step(), 5];
    },
  },
  {
    name: 'add_4', amount: 0, unit: '', perRun: ADD_CALLS,
    prepare: () => {
      const a = torch.randn(4), b = torch.randn(4);
      return [() => { torch.noGrad(() => { for (let i = 0; i < ADD_CALLS; i++) a.add(b); }); }, 5];
    },
  },
];

// PyTorch's OpenMP threads spin after each parallel region while OpenBLAS's own threads need the same
// cores: with GNU OpenMP's default wait policy a transformer step on two threads takes twice as long as
// with OMP_WAIT_POLICY=PASSIVE (and per-op workloads prefer the default). Both run, and PyTorch's time
// is the faster of the two, so that a ratio never rests on a setting that handicaps PyTorch.
const TORCH_POLICIES = [{ label: 'default', env: {} }, { label: 'passive', env: { OMP_WAIT_POLICY: 'PASSIVE' } }] as const;

/** PyTorch in a child process that times one workload per request, so the two sides take turns. */
class TorchSide {
  private constructor(
    private readonly input: Writable,
    private readonly lines: AsyncIterator<string>,
    readonly info: { threads: number; blas: string; version: string },
  ) {}

  static async start(extraEnv: Record<string, string> = {}): Promise<TorchSide | string> {
    const env = { ...process.env, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread', KINDLING_BENCH_THREADS: String(THREADS), ...extraEnv };
    try {
      execFileSync('/usr/bin/python3', ['-c', 'import torch'], { env, stdio: 'ignore' });
    } catch {
      return 'PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch libopenblas0-pthread); kindling only';
    }
    const script = new URL('../../bench/torch_bench.py', import.meta.url).pathname;
    const child = spawn('/usr/bin/python3', [script], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    return new TorchSide(child.stdin, lines, JSON.parse(String(first.value)) as TorchSide['info']);
  }

  /** Mean seconds per call of one workload over about `budget` seconds (per op for add_4). */
  async time(name: string, budget: number): Promise<number> {
    this.input.write(`${name} ${budget}\n`);
    const line = await this.lines.next();
    if (line.done === true) throw new Error(`PyTorch exited while timing ${name}`);
    return JSON.parse(line.value) as number;
  }

  stop(): void {
    this.input.end();
  }
}

const fmtTime = (s: number) => (s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(2)} µs`);
// Two significant digits below 0.1: a software GPU is hundreds of times slower than the CPU, not 0.00x as fast.
const fmtRatio = (r: number): string => `${r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}x`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The machine is shared and its speed drifts over seconds, so each workload alternates between the
// two sides for ROUNDS rounds of about ROUND_BUDGET seconds each, and each side reports the median
// of its rounds' mean times: both are measured under the same conditions.
const ROUNDS = 5;
const ROUND_BUDGET = 0.25;
// Untimed seconds each side runs a workload before its rounds: V8 compiles a training step's JavaScript
// over its first thousand or so calls (mlp_step's first 0.25 s ran at a third of its later speed or less), and
// a training run lives in the steady state that follows.
const WARMUP_BUDGET = 1;
const SETTLE_MS = 50;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** Prints rows under a header, each column padded to its widest cell. */
function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

/** The CPU bench: kindling against PyTorch, every workload or those named. */
async function cpuMain(only: string[]): Promise<void> {
  const selected = only.length > 0 ? WORKLOADS.filter((w) => only.includes(w.name)) : WORKLOADS;
  const started = await Promise.all(TORCH_POLICIES.map((p) => TorchSide.start(p.env)));
  const refs = started.filter((r): r is TorchSide => typeof r !== 'string');
  console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores); Node ${process.version}`);
  console.log(`kindling: backend ${torch.backendName()}, ${torch.getNumThreads()} threads`);
  if (refs.length === 0) console.log(started[0]);
  else {
    console.log(`PyTorch ${refs[0].info.version}: ${refs[0].info.threads} threads, BLAS ${refs[0].info.blas || 'built-in'}; `
      + 'its time is the faster of OpenMP\'s default wait policy and OMP_WAIT_POLICY=PASSIVE (the policy column)');
  }
  console.log(`each side: mean time per call, median of ${ROUNDS} alternating rounds of ~${ROUND_BUDGET} s after ~${WARMUP_BUDGET} s of warm-up`);
  const rows: string[][] = [];
  for (const w of selected) {
    const [fn, minRuns] = w.prepare('cpu');
    const mine: number[] = [], theirs: number[][] = refs.map(() => []);
    // The workload pays for the garbage it makes, not for what earlier workloads left (40 MB relu outputs):
    // one collection before its warm-up, none between rounds, where a forced collection shrinks V8's heap
    // and the round after it runs out of steady state (the MLP step's mean rose from ~0.55 to ~0.8 ms).
    collectGarbage?.();
    for (const start = performance.now(); performance.now() - start < WARMUP_BUDGET * 1000;) fn();
    for (const ref of refs) await ref.time(w.name, WARMUP_BUDGET);
    for (let r = 0; r < ROUNDS; r++) {
      // Each round starts once the other side's idle threads have stopped spinning (OpenMP's spin for
      // a few milliseconds after each parallel region, and there are only two cores).
      await settle();
      mine.push(meanTime(fn, minRuns, ROUND_BUDGET) / (w.perRun ?? 1));
      for (const [i, ref] of refs.entries()) {
        await settle();
        theirs[i].push(await ref.time(w.name, ROUND_BUDGET));
      }
    }
    const k = median(mine), medians = theirs.map(median);
    const best = medians.length > 0 ? medians.indexOf(Math.min(...medians)) : -1, p = best >= 0 ? medians[best] : undefined;
    const rate = (s: number) => (w.unit === '' ? '' : (w.amount / s / 1e9).toFixed(1));
    rows.push([w.name, fmtTime(k), p === undefined ? '-' : fmtTime(p), p === undefined ? '-' : `${(p / k).toFixed(2)}x`,
      w.unit ? `${rate(k)} / ${p === undefined ? '-' : rate(p)} ${w.unit}` : '', best >= 0 ? TORCH_POLICIES[best].label : '-']);
  }
  for (const ref of refs) ref.stop();
  printTable(['workload', 'kindling', 'PyTorch', 'ratio', 'rate (kindling / PyTorch)', 'policy'], rows);
}

const GPU_SQUARES = [256, 512, 1024, 2048, 4096];

/** What --device webgpu times: the squares up to maxSize, gemm_seed when it fits, and the two training steps. */
function gpuWorkloads(o: BenchOptions): Workload[] {
  const all = [...(o.maxSize >= 2500 ? [GEMM_SEED] : []), ...GPU_SQUARES.filter((n) => n <= o.maxSize).map(square), MLP_STEP, LENET_STEP];
  return o.names.length > 0 ? all.filter((w) => o.names.includes(w.name)) : all;
}

/** Median seconds per call on the GPU and on the CPU backend, over alternating rounds, after one warm-up call each. */
async function gpuAndCpu(w: Workload, rounds: number): Promise<[number, number]> {
  const [gpuFn] = w.prepare('webgpu'), [cpuFn] = w.prepare('cpu');
  // The first GPU call compiles the kernels' pipelines, the first CPU call allocates: neither is timed.
  gpuFn();
  await torch.webgpu.synchronize();
  cpuFn();
  const gpu: number[] = [], cpu: number[] = [];
  for (let r = 0; r < rounds; r++) {
    collectGarbage?.();
    await settle();
    gpu.push(await deviceMeanTime(gpuFn, torch.webgpu.synchronize, ROUND_BUDGET));
    // One run at least, not the CPU bench's five: square_4096 takes seconds on two threads.
    cpu.push(meanTime(cpuFn, 1, ROUND_BUDGET, 0));
  }
  return [median(gpu), median(cpu)];
}

/** The GPU bench: each workload on webgpu beside the CPU backend's time for it, measured in the same run. */
async function gpuMain(o: BenchOptions): Promise<void> {
  requireDevice(o.device);
  console.log(`GPU: ${torch.webgpu.getDeviceName()} (webgpu)`);
  console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores); Node ${process.version}; kindling backend ${torch.backendName()}, ${torch.getNumThreads()} threads`);
  console.log(`each side: mean time per call, median of ${o.rounds} alternating round${o.rounds === 1 ? '' : 's'} of ~${ROUND_BUDGET} s after one warm-up call; `
    + 'GPU calls queued back to back, the clock stopped after torch.webgpu.synchronize()');
  const rows: string[][] = [];
  for (const w of gpuWorkloads(o)) {
    const [g, c] = await gpuAndCpu(w, o.rounds);
    const rate = (s: number) => (w.amount / s / 1e9).toFixed(1);
    rows.push([w.name, fmtTime(g), fmtTime(c), fmtRatio(c / g), w.unit ? `${rate(g)} / ${rate(c)} ${w.unit}` : '']);
  }
  printTable(['workload', 'webgpu', 'cpu', 'ratio (cpu / webgpu)', 'rate (webgpu / cpu)'], rows);
}

/** `npm run bench`: the CPU bench against PyTorch, or with --device webgpu the GPU against the CPU. */
async function main(): Promise<void> {
  const o = parseBenchArgs(process.argv.slice(2));
  if (o === null) return;
  if (o.device !== 'cpu') {
    await gpuMain(o);
    return;
  }
  // 'distributed' names the torch.distributed rows (bench/distributed.ts), which run after the table.
  const names = o.names.filter((n) => n !== 'distributed');
  if (names.length > 0 || o.names.length === 0) await cpuMain(names);
  if (o.names.length === 0 || o.names.includes('distributed')) await distributedBench();
}

runMain('bench', main);
