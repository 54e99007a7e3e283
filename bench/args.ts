// bench/args.ts — bench/run.ts's command line: workload names, and --device webgpu with its size limits.
import { parseArgs } from 'node:util';
import { type DeviceName, parseDevice } from '../examples/device.js';
import { UsageError } from '../examples/mnist/data.js';

/** What `npm run bench` was asked for. */
export interface BenchOptions {
  /** Workloads to run, by name; empty: all of them. */
  names: string[];
  /** cpu: kindling against PyTorch (the default); webgpu: the GPU against kindling's CPU backend. */
  device: DeviceName;
  /** The largest square GEMM on the GPU (gemm_seed, 2500×1000·(1500×1000)ᵀ, runs from 2500 up). */
  maxSize: number;
  /** Alternating GPU/CPU rounds per workload on the GPU, the median taken. */
  rounds: number;
}

export const GPU_MAX_SIZE = 4096;
export const GPU_ROUNDS = 3;
/** --quick: what SwiftShader (a software GPU, about 1 GFLOP/s) gets through in well under a minute. */
export const QUICK = { maxSize: 512, rounds: 1 } as const;

export const HELP = `Usage: npm run bench -- [options] [workload ...]     (node --expose-gc dist/bench/run.js …)

Without --device: kindling's CPU backend against PyTorch (when /usr/bin/python3 has torch), every
workload or the ones named; then (or when named: distributed) torch.distributed's rows: allreduce of
1M floats on 2 processes against PyTorch's Gloo, and a DDP LeNet-5 step against one process's.

  --device NAME     cpu (the default), or webgpu: square GEMMs (256 … --max-size, GFLOP/s), gemm_seed,
                    an MLP and a LeNet-5 training step on the GPU, each beside the CPU backend's time for
                    the same workload in the same run (ratio = CPU time / GPU time; higher favours the GPU)
  --max-size N      with webgpu: the largest square GEMM (default ${GPU_MAX_SIZE}); gemm_seed needs 2500
  --quick           with webgpu: --max-size ${QUICK.maxSize} and ${QUICK.rounds} round instead of ${GPU_ROUNDS}, for a software GPU (SwiftShader)
  -h, --help        show this help`;

/** Parses the command line; `null` after printing --help. */
export function parseBenchArgs(args: readonly string[]): BenchOptions | null {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { device: { type: 'string' }, 'max-size': { type: 'string' }, quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help === true) {
    console.log(HELP);
    return null;
  }
  const device = parseDevice(values.device);
  const quick = values.quick === true;
  if (device === 'cpu' && (quick || values['max-size'] !== undefined)) throw new UsageError('--quick and --max-size apply to --device webgpu');
  const text = values['max-size'];
  if (text !== undefined && (!/^\d+$/.test(text.trim()) || Number(text) === 0)) throw new UsageError(`--max-size must be a positive integer, got '${text}'`);
  return {
    names: positionals,
    device,
    maxSize: text !== undefined ? Number(text) : quick ? QUICK.maxSize : GPU_MAX_SIZE,
    rounds: quick ? QUICK.rounds : GPU_ROUNDS,
  };
}
