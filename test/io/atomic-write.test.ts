// test/io/atomic-write.test.ts — temporaries of killed saves are removed by the next save to the same path, and nothing else is.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import * as torch from 'kindling';
import { temporaryPath } from '../../src/io/atomic-write.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-atomic-'));
after(() => { rmSync(dir, { recursive: true, force: true }); });

const isTemporary = (name: string): boolean => name.endsWith('.tmp');
const NUMEL = 8 * 1024 * 1024; // 32 MB of float32: each save spends long enough writing to be caught mid-way

/** Saves NUMEL ones to `path` in a loop in a child process and SIGKILLs it while its temporary exists; tries until one is left. */
async function killMidSave(path: string): Promise<void> {
  const index = new URL('../../src/index.js', import.meta.url).href;
  const code = `const torch = await import(${JSON.stringify(index)}); const w = torch.ones(${NUMEL});
    for (;;) torch.save({ w }, ${JSON.stringify(path)});`;
  for (let attempt = 0; attempt < 10; attempt++) {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
    const exited = new Promise((done) => child.once('exit', done));
    const deadline = Date.now() + 30_000;
    // Busy polling on purpose: the child writes on the other core, and a timer would sleep through its short writes.
    const mine = (name: string): boolean => name.startsWith(`.${basename(path)}.${child.pid ?? -1}.`);
    while (!readdirSync(dir).some(mine) && Date.now() < deadline && child.exitCode === null) { /* poll */ }
    child.kill('SIGKILL');
    await exited;
    if (readdirSync(dir).some(mine)) return;
  }
  assert.fail('no save was caught mid-write in 10 attempts');
}

test('a save removes the temporaries that a save killed with SIGKILL left beside the same path; the checkpoint loads whole', async () => {
  const path = join(dir, 'model.safetensors');
  torch.save({ w: torch.ones(NUMEL) }, path);
  await killMidSave(path);
  assert.equal(readdirSync(dir).filter(isTemporary).length, 1);
  const w = torch.load(path).w;
  assert.equal(w.numel(), NUMEL);
  assert.equal(w.sum().item(), NUMEL);
  torch.save({ w: torch.zeros(3) }, path);
  assert.deepEqual(readdirSync(dir), ['model.safetensors']);
  assert.deepEqual(torch.load(path).w.tolist(), [0, 0, 0]);
});

test('a save leaves alone temporaries of live writers, of other targets, and look-alike names', () => {
  const target = join(dir, 'kept', 'model.safetensors');
  const other = join(dir, 'kept', 'model.safetensors2');
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const stale = temporaryPath(target, deadPid);
  const live = temporaryPath(target, process.pid);
  const otherTarget = temporaryPath(other, deadPid);
  const lookAlikes = [
    `.model.safetensors.${deadPid}.tmp`,
    `.model.safetensors.${deadPid}.0123456789ab.tmp.bak`,
    `model.safetensors.${deadPid}.0123456789ab.tmp`,
    `.model.${deadPid}.0123456789ab.tmp`,
  ];
  mkdirSync(join(dir, 'kept'));
  for (const p of [stale, live, otherTarget]) writeFileSync(p, 'partial');
  for (const name of lookAlikes) writeFileSync(join(dir, 'kept', name), 'mine');
  torch.save({ a: torch.ones(2) }, target);
  const left = readdirSync(join(dir, 'kept')).sort();
  const expected = [basename(target), basename(live), basename(otherTarget), ...lookAlikes].sort();
  assert.deepEqual(left, expected);
  assert.deepEqual(torch.load(target).a.tolist(), [1, 1]);
});
