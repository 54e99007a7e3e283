// test/bench/run.test.ts — bench/run.ts's command line: workload names, --device webgpu with --max-size and
// --quick, the one-line error without a GPU, and a quick GPU run's table (its rows, never its times).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { GPU_MAX_SIZE, GPU_ROUNDS, parseBenchArgs, QUICK } from '../../bench/args.js';
import { found } from '../backends/webgpu-device.js';
import { repoRoot } from '../helpers.js';

/** Runs the bench with `env` added to this process's environment. */
function bench(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--expose-gc', join(repoRoot, 'dist/bench/run.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('bench: workload names as before; --device webgpu with its size limit and rounds', () => {
  assert.deepEqual(parseBenchArgs(['add_4', 'sum_10m']), { names: ['add_4', 'sum_10m'], device: 'cpu', maxSize: GPU_MAX_SIZE, rounds: GPU_ROUNDS });
  assert.deepEqual(parseBenchArgs(['--device', 'webgpu']), { names: [], device: 'webgpu', maxSize: GPU_MAX_SIZE, rounds: GPU_ROUNDS });
  assert.deepEqual(parseBenchArgs(['--device', 'webgpu', '--quick']), { names: [], device: 'webgpu', ...QUICK });
  assert.deepEqual(parseBenchArgs(['--device=webgpu', '--max-size', '1024', 'square_256']),
    { names: ['square_256'], device: 'webgpu', maxSize: 1024, rounds: GPU_ROUNDS });
  assert.throws(() => parseBenchArgs(['--device', 'metal']), /--device must be cpu or webgpu, got 'metal'/);
  assert.throws(() => parseBenchArgs(['--device', 'webgpu', '--max-size', '0']), /--max-size must be a positive integer, got '0'/);
  assert.throws(() => parseBenchArgs(['--quick']), /--quick and --max-size apply to --device webgpu/);
});

test('bench --device webgpu without WebGPU: one line naming the reason, exit code 2', () => {
  const r = bench({ KINDLING_WEBGPU: '0' }, '--device', 'webgpu');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr.trim(), /^bench: error: --device webgpu: device 'webgpu:0' is not available: KINDLING_WEBGPU=0 turned WebGPU off/);
  assert.equal(r.stdout, '');
});

test('bench --device webgpu --quick: a row per workload named, GPU beside CPU', { skip: typeof found === 'string' ? found : false }, () => {
  const r = bench({}, '--device', 'webgpu', '--quick', 'square_256', 'mlp_step', 'square_1024');
  assert.equal(r.status, 0, r.stderr);
  const rows = r.stdout.trim().split('\n').slice(-3);
  assert.match(rows[0], /^workload +webgpu +cpu +ratio \(cpu \/ webgpu\) +rate \(webgpu \/ cpu\)$/);
  // square_1024 is over --quick's size limit.
  assert.match(rows[1], /^square_256 +\d+\.\d\d [µm]?s +\d+\.\d\d [µm]?s +[\d.e-]+x +\d+\.\d \/ \d+\.\d GFLOP\/s$/);
  assert.match(rows[2], /^mlp_step +\d+\.\d\d [µm]?s +\d+\.\d\d [µm]?s +[\d.e-]+x *$/);
});
