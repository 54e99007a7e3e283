// bench/run.ts — `npm run bench`: kindling against PyTorch on the same machine, in the same run.
// Prints workload, kindling time, PyTorch time, speed ratio (PyTorch time / kindling time; higher
// is better for kindling) and GFLOP/s or GB/s.
import { execFileSync, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';

const THREADS = Number(process.env.KINDLING_BENCH_THREADS ?? 2);
/** V8's collector, exposed by `node --expose-gc` (as npm run bench starts it). */
const collectGarbage = (globalThis as { gc?: () => void }).gc;
torch.setNumThreads(THREADS);
torch.manualSeed(0);

/**
 * Mean seconds per call after two warm-up calls, over at least `minRuns` calls and about `budget` s:
 * the mean, not the median, so that garbage-collection pauses count against kindling.
 */
function meanTime(fn: () => unknown, minRuns: number, budget: number): number {
  fn();
  fn();
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

function trainStep(model: nn.Module, x: torch.Tensor, y: torch.Tensor): () => void {
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  return () => {
    opt.zeroGrad();
    F.crossEntropy(model(x), y).backward();
    opt.step();
  };
}

interface Workload {
  name: string;
  /** Work per call: floating-point operations (GFLOP/s) or bytes moved (GB/s). */
  amount: number;
  unit: 'GFLOP/s' | 'GB/s' | '';
  /** Builds the inputs once and returns the timed call and its minimum number of runs per round. */
  prepare: () => [() => unknown, number];
  /** Calls per timed run (the per-op workloads time a loop). */
  perRun?: number;
}

const gemm = (m: number, n: number, k: number) => 2 * m * n * k;
/** Adds per timed run of add_4 (per-op cost is too small to time one call). */
const ADD_CALLS = 10000;
/** adam_step_1m's parameters: 1M values in a few tensors, as in bench/torch_bench.py. */
const ADAM_SHAPES = [[1000, 800], [800], [199, 1000], [200]];

const WORKLOADS: Workload[] = [
  {
    name: 'gemm_seed', amount: gemm(2500, 1500, 1000), unit: 'GFLOP/s',
    prepare: () => { const x = torch.randn(2500, 1000), w = torch.randn(1500, 1000); return [() => x.mm(w.t()), 5]; },
  },
  ...[256, 512, 1024, 2048].map((n): Workload => ({
    name: `square_${n}`, amount: gemm(n, n, n), unit: 'GFLOP/s',
    prepare: () => { const a = torch.randn(n, n), b = torch.randn(n, n); return [() => a.mm(b), 5]; },
  })),
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
  {
    name: 'mlp_step', amount: 0, unit: '',
    prepare: () => [trainStep(new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10)),
      torch.randn(64, 784), torch.randint(0, 10, [64])), 5],
  },
  {
    name: 'lenet_step', amount: 0, unit: '',
    prepare: () => [trainStep(lenet(), torch.randn(64, 1, 28, 28), torch.randint(0, 10, [64])), 5],
  },
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

/** PyTorch in a child process that times one workload per request, so the two sides take turns. */
class TorchSide {
  private constructor(
    private readonly input: Writable,
    private readonly lines: AsyncIterator<string>,
    readonly info: { threads: number; blas: string; version: string },
  ) {}

  static async start(): Promise<TorchSide | string> {
    const env = { ...process.env, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread', KINDLING_BENCH_THREADS: String(THREADS) };
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
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The machine is shared and its speed drifts over seconds, so each workload alternates between the
// two sides for ROUNDS rounds of about ROUND_BUDGET seconds each, and each side reports the median
// of its rounds' mean times: both are measured under the same conditions.
const ROUNDS = 5;
const ROUND_BUDGET = 0.25;
const SETTLE_MS = 50;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length > 0 ? WORKLOADS.filter((w) => only.includes(w.name)) : WORKLOADS;
  const ref = await TorchSide.start();
  console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores); Node ${process.version}`);
  console.log(`kindling: backend ${torch.backendName()}, ${torch.getNumThreads()} threads`);
  if (typeof ref === 'string') console.log(ref);
  else console.log(`PyTorch ${ref.info.version}: ${ref.info.threads} threads, BLAS ${ref.info.blas || 'built-in'}`);
  console.log(`each side: mean time per call, median of ${ROUNDS} alternating rounds of ~${ROUND_BUDGET} s`);
  const rows: string[][] = [];
  for (const w of selected) {
    const [fn, minRuns] = w.prepare();
    const mine: number[] = [], theirs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // A round pays for the garbage it makes, not for what earlier workloads left (40 MB relu outputs),
      // and starts once the other side's idle threads have stopped spinning (OpenMP's spin for a
      // few milliseconds after each parallel region, and there are only two cores).
      collectGarbage?.();
      await settle();
      mine.push(meanTime(fn, minRuns, ROUND_BUDGET) / (w.perRun ?? 1));
      if (typeof ref !== 'string') theirs.push(await ref.time(w.name, ROUND_BUDGET));
    }
    const k = median(mine), p = theirs.length > 0 ? median(theirs) : undefined;
    const rate = (s: number) => (w.unit === '' ? '' : (w.amount / s / 1e9).toFixed(1));
    rows.push([w.name, fmtTime(k), p === undefined ? '-' : fmtTime(p), p === undefined ? '-' : `${(p / k).toFixed(2)}x`,
      w.unit ? `${rate(k)} / ${p === undefined ? '-' : rate(p)} ${w.unit}` : '']);
  }
  if (typeof ref !== 'string') ref.stop();
  const header = ['workload', 'kindling', 'PyTorch', 'ratio', 'rate (kindling / PyTorch)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

await main();
