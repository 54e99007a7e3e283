// test/distributed/launcher.test.ts — kindling-run (src/distributed/run.ts) starts a group of processes from
// the environment it sets, and stops them all when one fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { freePort, skip } from './launch.js';

const run = fileURLToPath(new URL('../../src/distributed/run.js', import.meta.url));
const script = fileURLToPath(new URL('./launched.js', import.meta.url));

function launcher(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [run, ...args], { encoding: 'utf8', env: { ...process.env, KINDLING_WEBGPU: '0', ...env }, timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

describe('kindling-run', () => {
  test('refuses a command line without a script, or with an unknown option', () => {
    assert.match(launcher([]).stderr, /no script to run/);
    assert.equal(launcher(['--nproc-per-node', '2']).status, 2);
    assert.match(launcher(['--bogus', '1', script]).stderr, /unknown option --bogus/);
  });

  test('starts --nproc-per-node processes that form one group', { skip }, async () => {
    const port = await freePort();
    const r = launcher(['--nproc_per_node=3', '--master-port', String(port), script]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').sort();
    assert.deepEqual(lines, ['rank 0/3 local 0 sum 6', 'rank 1/3 local 1 sum 6', 'rank 2/3 local 2 sum 6'], `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  });

  test('a failing process stops the others, and its status is the launcher\'s', { skip }, async () => {
    const port = await freePort();
    const r = launcher(['--nproc-per-node', '2', '--master-port', String(port), script], { FAIL_RANK: '1' });
    assert.equal(r.status, 5);
    assert.match(r.stderr, /local rank 1 \(rank 1\) exited with code 5; stopping the others/);
    assert.ok(r.ms < 15000, `took ${r.ms} ms`);
  });

  test('examples/mnist/train-ddp.js trains LeNet-5 on 2 processes under kindling-run', { skip }, async () => {
    const port = await freePort();
    const example = fileURLToPath(new URL('../../examples/mnist/train-ddp.js', import.meta.url));
    const r = launcher(['--nproc-per-node', '2', '--master-port', String(port), example, '--epochs', '1', '--max-batches', '5']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 process\(es\) × batch 32\nepoch 1: loss \d+\.\d{4}, test accuracy \d+\.\d{2}%/);
  });
});
