// bench/webgpu-gemm.ts — GFLOP/s of the webgpu matmul on whatever adapter is found: square 256…4096 and the seed
// shape 2500×1000·(1500×1000)ᵀ, each kernel variant, a sample of each result checked on the CPU.
// Usage: node dist/bench/webgpu-gemm.js [--max 4096] [--budget 1] [--variants]
//   --max      largest square size (SwiftShader: 512 finishes in seconds, the seed shape in about a minute)
//   --budget   seconds of timed runs per shape (after a warm-up)
//   --variants also time each tile size and k-split forced, not only the automatic choice
import { loadWebgpuBackend } from '../src/backends/webgpu/index.js';
import { type MatmulChoice, matmulKernels } from '../src/backends/webgpu/matmul.js';
import type { GpuView } from '../src/backends/webgpu/storage.js';
import { deviceMeanTime } from './device-time.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MAX = arg('max', 4096), BUDGET = arg('budget', 1), VARIANTS = process.argv.includes('--variants');

const found = await loadWebgpuBackend();
if (typeof found === 'string') {
  console.log(`no WebGPU adapter: ${found}`);
  process.exit(0);
}
const be = found;
console.log(`adapter: ${be.deviceName()}`);
console.log(`node ${process.version}; mean of runs after one warm-up, encoded back to back, synchronized once`);

interface Shape { name: string; m: number; n: number; k: number; transposeB: boolean }
const shapes: Shape[] = [256, 512, 1024, 2048, 4096].filter((s) => s <= MAX).map((s) => ({ name: `square ${s}`, m: s, n: s, k: s, transposeB: false }));
shapes.push({ name: 'seed 2500x1000 @ (1500x1000)T', m: 2500, n: 1500, k: 1000, transposeB: true });
const v = Math.min(MAX, 4096);
shapes.push({ name: `gemv 1x${v} @ ${v}x${v}`, m: 1, n: v, k: v, transposeB: false });

/** A random rows×cols matrix on the device, row-major; its host copy for the check. */
function matrix(rows: number, cols: number): [GpuView, Float32Array] {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
  return [{ storage: be.fromArray('float32', data), shape: [rows, cols], strides: [cols, 1], offset: 0 }, data];
}

async function time(s: Shape, choice: MatmulChoice): Promise<[number, number]> {
  const [a, ha] = matrix(s.m, s.k);
  const [b, hb] = s.transposeB ? matrix(s.n, s.k) : matrix(s.k, s.n);
  const bView: GpuView = s.transposeB ? { ...b, shape: [s.k, s.n], strides: [1, s.k] } : b;
  const out = be.allocUninit('float32', s.m * s.n);
  const { matmul } = matmulKernels(be.runtime, choice);
  matmul(a, bView, out);
  await be.synchronize();
  const ms = 1000 * await deviceMeanTime(() => { matmul(a, bView, out); }, () => be.synchronize(), BUDGET);
  // 64 sampled entries against a float64 dot product.
  const c = new Float32Array(await be.readAsync(out));
  let worst = 0;
  for (let t = 0; t < 64; t++) {
    const i = Math.floor(Math.random() * s.m), j = Math.floor(Math.random() * s.n);
    let want = 0;
    for (let p = 0; p < s.k; p++) want += ha[i * s.k + p] * (s.transposeB ? hb[j * s.k + p] : hb[p * s.n + j]);
    worst = Math.max(worst, Math.abs(c[i * s.n + j] - want) / (1 + Math.abs(want)));
  }
  for (const v of [a, b]) v.storage.dispose();
  out.dispose();
  return [ms, worst];
}

const choices: [string, MatmulChoice][] = VARIANTS
  ? [['auto', {}], ['64x64', { tile: 4, splits: 1 }], ['128x128', { tile: 8, splits: 1 }], ['64x64 split 4', { tile: 4, splits: 4 }]]
  : [['auto', {}]];
console.log(`${'shape'.padEnd(34)} ${'kernel'.padEnd(14)} ${'ms'.padStart(9)} ${'GFLOP/s'.padStart(9)}  max rel err`);
for (const s of shapes) {
  for (const [label, choice] of choices) {
    const [ms, err] = await time(s, choice);
    const gflops = (2 * s.m * s.n * s.k) / ms / 1e6;
    console.log(`${s.name.padEnd(34)} ${label.padEnd(14)} ${ms.toFixed(3).padStart(9)} ${gflops.toFixed(1).padStart(9)}  ${err.toExponential(1)}`);
  }
}
if (be.runtime.errors.length > 0) console.log(`device errors: ${be.runtime.errors.join('; ')}`);
process.exit(0);
