// bench/batch.ts — `npm run bench:batch`: the lecture's batch-processing experiment, kindling beside PyTorch.
// Part 1 is the lecture's timing(x, w, batch, nb): a loop of w.mv(x[k]) against one x.mm(w.t()).
// Part 2 is its CIFAR-10 claim (batch 1: 4h22min per epoch, batch 64: 4min50s): a convolutional
// network trained on random 3×32×32 samples at batch sizes 1 … 256, plotted to an SVG file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';

const HELP = `Usage: npm run bench:batch -- [options]

The lecture's batch-processing experiment, in kindling and (when /usr/bin/python3 has torch) PyTorch.

  --runs N       runs of each way in timing(x, w, batch, nb), median taken (default 101)
  --samples N    samples trained on at each batch size (default 512)
  --threads N    threads for kindling and PyTorch (default: kindling's default, ${torch.getNumThreads()})
  --skip-torch   time kindling only
  --out PATH     where the samples/s plot goes (default out/batch-speedup.svg)
  --help         print this and exit`;

const BATCH_SIZES = [1, 4, 16, 64, 256];
const EPOCH = 50_000; // CIFAR-10's training set
const MATMUL_FLOPS = 2 * 2500 * 1500 * 1000;

// The lecture's function, line for line: performance.now() for time.perf_counter(), seconds in a tensor.
function timing(x: torch.Tensor, w: torch.Tensor, batch = false, nb = 101): number {
  const t = torch.zeros(nb);
  for (let u = 0; u < nb; u++) {
    const t0 = performance.now();
    let y: torch.Tensor;
    if (batch) {
      y = x.mm(w.t());
    } else {
      y = torch.empty(x.size(0), w.size(0));
      for (let k = 0; k < y.size(0); k++) y.set(k, w.mv(x.get(k)));
    }
    if (y.isCuda) torch.cuda.synchronize();
    t.set(u, (performance.now() - t0) / 1000);
  }
  return t.median().item();
}

/**
 * The CIFAR-10-sized network (1,116,970 parameters), the same as conv_net() in bench/torch_batch.py:
 * conv(3→32, 3×3, pad 1)-ReLU-conv(32→32)-ReLU-MaxPool2 → 32×16×16,
 * conv(32→64)-ReLU-conv(64→64)-ReLU-MaxPool2 → 64×8×8, Flatten, Linear(4096→256)-ReLU-Linear(256→10).
 */
function convNet(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(3, 32, 3, { padding: 1 }), new nn.ReLU(),
    new nn.Conv2d(32, 32, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { padding: 1 }), new nn.ReLU(),
    new nn.Conv2d(64, 64, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(64 * 8 * 8, 256), new nn.ReLU(), new nn.Linear(256, 10),
  );
}

/** Seconds to train convNet() with SGD on `samples` random samples, after one untimed warm-up step. */
function trainSeconds(samples: number, batchSize: number): number {
  torch.manualSeed(0); // the same initial weights and data at every batch size
  const model = convNet();
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = torch.randn(samples, 3, 32, 32), y = torch.randint(0, 10, [samples]);
  const step = (i: number): void => {
    const n = Math.min(batchSize, samples - i);
    opt.zeroGrad();
    F.crossEntropy(model(x.narrow(0, i, n)), y.narrow(0, i, n)).backward();
    opt.step();
  };
  step(0); // first-call costs (allocation, thread start-up) belong to no batch size
  const t0 = performance.now();
  for (let i = 0; i < samples; i += batchSize) step(i);
  return (performance.now() - t0) / 1000;
}

interface TorchResult { threads: number; blas: string; version: string; times: Record<string, number> }

/** Runs bench/torch_batch.py with `args`, or says why PyTorch cannot run (as bench/run.ts does). */
function runTorch(threads: number, args: string[]): TorchResult | string {
  const env = { ...process.env, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread', KINDLING_BENCH_THREADS: String(threads) };
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { env, stdio: 'ignore' });
  } catch {
    return 'PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch libopenblas0-pthread); kindling only';
  }
  const script = new URL('../../bench/torch_batch.py', import.meta.url).pathname;
  return JSON.parse(execFileSync('/usr/bin/python3', [script, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 24 })) as TorchResult;
}

const fmtTime = (s: number): string => (s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1e3).toFixed(1)} ms`);
const gflops = (s: number): string => (MATMUL_FLOPS / s / 1e9).toFixed(1);

/** A duration in the lecture's style: `4h22min`, `4min50s`, `38s`. */
function fmtEpoch(seconds: number): string {
  if (seconds >= 3600) {
    const minutes = Math.round(seconds / 60);
    return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}min`;
  }
  if (seconds >= 60) {
    const s = Math.round(seconds);
    return `${Math.floor(s / 60)}min${String(s % 60).padStart(2, '0')}s`;
  }
  return `${seconds.toFixed(1)}s`;
}

/** Columns padded to their widest cell, two spaces apart. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** Part 1: the lecture's speed-up line for each library, then time and GFLOP/s of each way. */
function matmulPart(runs: number, threads: number, skipTorch: boolean): void {
  torch.manualSeed(0);
  const x = torch.randn(2500, 1000);
  const w = torch.randn(1500, 1000);
  const mine = { loop: timing(x, w, false, runs), batch: timing(x, w, true, runs) };
  const ref = skipTorch ? 'PyTorch skipped (--skip-torch)' : runTorch(threads, ['matmul', String(runs)]);
  console.log(`\n== timing(x, w, batch, nb=${runs}): x 2500×1000, w 1500×1000 ==`);
  if (typeof ref === 'string') console.log(ref);
  else console.log(`PyTorch ${ref.version}: ${ref.threads} threads, BLAS ${ref.blas || 'built-in'}`);
  console.log(`kindling  Batch-processing speed-up on CPU ${(mine.loop / mine.batch).toFixed(1)}`);
  if (typeof ref !== 'string') {
    console.log(`PyTorch   Batch-processing speed-up on CPU ${(ref.times.loop / ref.times.batch).toFixed(1)}`);
  }
  const rows = (['loop', 'batch'] as const).map((way) => {
    const k = mine[way], p = typeof ref === 'string' ? undefined : ref.times[way];
    const name = way === 'loop' ? 'w.mv(x[k]) loop' : 'x.mm(w.t())';
    return [name, fmtTime(k), p === undefined ? '-' : fmtTime(p), gflops(k), p === undefined ? '-' : gflops(p)];
  });
  console.log(table(['way', 'kindling', 'PyTorch', 'kindling GFLOP/s', 'PyTorch GFLOP/s'], rows));
}

interface Sweep { name: string; seconds: number[] }

/** Part 2: the network trained on `samples` samples at each batch size, in each library. */
function cnnPart(samples: number, threads: number, skipTorch: boolean): Sweep[] {
  console.log(`\n== training a CIFAR-10-sized network on ${samples} random 3×32×32 samples, SGD + cross-entropy ==`);
  const params = convNet().parameters().reduce((n, p) => n + p.numel(), 0);
  console.log(`conv(3→32)-conv(32→32)-pool-conv(32→64)-conv(64→64)-pool-fc(4096→256)-fc(256→10), ${params} parameters`);
  const sweeps: Sweep[] = [{ name: 'kindling', seconds: BATCH_SIZES.map((b) => trainSeconds(samples, b)) }];
  const ref = skipTorch ? 'PyTorch skipped (--skip-torch)' : runTorch(threads, ['cnn', String(samples), ...BATCH_SIZES.map(String)]);
  if (typeof ref === 'string') console.log(ref);
  else sweeps.push({ name: 'PyTorch', seconds: BATCH_SIZES.map((b) => ref.times[String(b)]) });
  const header = ['batch'];
  for (const s of sweeps) header.push(`${s.name} time`, 'samples/s', 'epoch (50k)', 'speed-up');
  const rows = BATCH_SIZES.map((b, i) => {
    const row = [String(b)];
    for (const s of sweeps) {
      const t = s.seconds[i];
      row.push(fmtTime(t), (samples / t).toFixed(1), fmtEpoch((t * EPOCH) / samples), `×${(s.seconds[0] / t).toFixed(1)}`);
    }
    return row;
  });
  console.log(table(header, rows));
  return sweeps;
}

/** samples/s against batch size (log₂ x axis), one line per library, as a small standalone SVG. */
function speedupSvg(samples: number, sweeps: Sweep[]): string {
  const W = 560, H = 340, left = 64, right = 130, top = 36, bottom = 50;
  const rates = sweeps.map((s) => s.seconds.map((t) => samples / t));
  const yMax = niceCeil(Math.max(...rates.flat()));
  const lastLog = Math.log2(BATCH_SIZES[BATCH_SIZES.length - 1]);
  const px = (b: number): number => left + (Math.log2(b) / lastLog) * (W - left - right);
  const py = (r: number): number => H - bottom - (r / yMax) * (H - top - bottom);
  const f = (v: number): string => v.toFixed(1);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${(left + W - right) / 2}" y="20" text-anchor="middle" font-weight="bold">training samples/s against batch size</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const r = (yMax * i) / 4, y = f(py(r));
    out.push(`<line x1="${left}" y1="${y}" x2="${W - right}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${left - 4}" y="${f(py(r) + 4)}" text-anchor="end">${Number(r.toPrecision(3))}</text>`);
  }
  for (const b of BATCH_SIZES) {
    out.push(`<line x1="${f(px(b))}" y1="${H - bottom}" x2="${f(px(b))}" y2="${H - bottom + 4}" stroke="black"/>`,
      `<text x="${f(px(b))}" y="${H - bottom + 17}" text-anchor="middle">${b}</text>`);
  }
  out.push(`<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="black"/>`,
    `<text x="${(left + W - right) / 2}" y="${H - 12}" text-anchor="middle">batch size (log scale)</text>`,
    `<text transform="translate(16 ${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle">samples/s</text>`);
  const colors = ['#d62728', '#1f77b4'];
  sweeps.forEach((s, i) => {
    const color = colors[i % colors.length], points = BATCH_SIZES.map((b, j) => `${f(px(b))},${f(py(rates[i][j]))}`);
    out.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
      ...points.map((p) => { const [cx, cy] = p.split(','); return `<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`; }),
      `<line x1="${W - right + 12}" y1="${top + 10 + 18 * i}" x2="${W - right + 32}" y2="${top + 10 + 18 * i}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${W - right + 38}" y="${top + 14 + 18 * i}">${s.name}</text>`);
  });
  out.push('</svg>', '');
  return out.join('\n');
}

/** The smallest 1, 2, 2.5, 5 or 10 × 10^k at or above v, so the y axis has round ticks. */
function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench:batch: --${name} must be a positive integer, got '${value}'`);
  return n;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' }, samples: { type: 'string' }, threads: { type: 'string' },
      'skip-torch': { type: 'boolean', default: false }, out: { type: 'string', default: 'out/batch-speedup.svg' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const runs = positiveInt('runs', values.runs, 101), samples = positiveInt('samples', values.samples, 512);
  torch.setNumThreads(positiveInt('threads', values.threads, torch.getNumThreads()));
  const threads = torch.getNumThreads(), skipTorch = values['skip-torch'];
  // Other jobs on the machine skew timings; the load average says how much to trust them.
  console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`Node ${process.version}; kindling: backend ${torch.backendName()}, ${threads} threads`);
  matmulPart(runs, threads, skipTorch);
  const sweeps = cnnPart(samples, threads, skipTorch);
  const path = resolve(values.out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, speedupSvg(samples, sweeps));
  console.log(`\nplot: ${path}`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main();
