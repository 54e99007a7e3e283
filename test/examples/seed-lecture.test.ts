// test/examples/seed-lecture.test.ts — examples/seed-lecture.ts's command line (--device, the sizes, --small,
// --runs), its one-line errors, and its timing experiment on the webgpu device (the output's form, never the times).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import * as torch from 'kindling';
import { LECTURE_SIZES, parseSeedArgs, SMALL_SIZES } from '../../examples/seed-lecture.js';
import { found } from '../backends/webgpu-device.js';
import { repoRoot } from '../helpers.js';

const skip = typeof found === 'string' ? found : false;

/** Runs the seed CLI with `env` added to this process's environment. */
function seed(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/examples/seed-lecture.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('seed: the lecture\'s sizes on the CPU by default; --small, explicit sizes and --runs', () => {
  const runs = Number(process.env.KINDLING_SEED_RUNS ?? 5);
  assert.deepEqual(parseSeedArgs([]), { device: 'cpu', ...LECTURE_SIZES, runs });
  assert.deepEqual(parseSeedArgs(['--device', 'webgpu', '--small']), { device: 'webgpu', ...SMALL_SIZES, runs });
  assert.deepEqual(parseSeedArgs(['--small', '--samples', '40', '--runs', '3']), { device: 'cpu', ...SMALL_SIZES, samples: 40, runs: 3 });
  assert.deepEqual(parseSeedArgs(['--in-features=7', '--out-features=9']), { device: 'cpu', ...LECTURE_SIZES, inFeatures: 7, outFeatures: 9, runs });
});

test('seed: bad options are one line on stderr, exit code 2, before the lecture prints', () => {
  for (const [args, message] of [
    [['--device', 'tpu'], /^seed: error: --device must be cpu or webgpu, got 'tpu'$/],
    [['--runs', '0'], /^seed: error: --runs must be a positive integer, got '0'$/],
    [['--samples', '2.5'], /^seed: error: --samples must be a positive integer, got '2.5'$/],
    [['--device', 'webgpu'], /^seed: error: --device webgpu: device 'webgpu:0' is not available: KINDLING_WEBGPU=0 turned WebGPU off/],
  ] as const) {
    const r = seed({ KINDLING_WEBGPU: '0' }, ...args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), message);
    assert.equal(r.stdout, '');
  }
});

test('seed: the lecture\'s loop of w.mv(x[k]) on webgpu fills y as x.mm(w.t()) does', { skip }, async () => {
  const x = torch.randn(13, 7).to('webgpu'), w = torch.randn(5, 7).to('webgpu');
  const y = torch.empty(x.size(0), w.size(0), { device: x.device });
  for (let k = 0; k < y.size(0); k++) y.set(k, w.mv(x.get(k)));
  const diff = await y.sub(x.mm(w.t())).abs().max().itemAsync();
  assert.ok(diff < 1e-5, `max difference ${diff}`);
});

test('seed --device webgpu --small prints the lecture\'s CPU line, then its GPU line', { skip }, () => {
  const r = seed({}, '--device', 'webgpu', '--small', '--runs', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').slice(-2).map((l) => l.replace(/\d+\.\d$/, 'N')),
    ['Batch-processing speed-up on CPU N', 'Batch-processing speed-up on GPU N']);
});
