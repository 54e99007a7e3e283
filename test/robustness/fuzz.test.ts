// test/robustness/fuzz.test.ts — tens of thousands of seeded random calls, valid and invalid, across the public
// API (on the backend this test run uses): the process must survive every one, each error must be a kindling
// error that names its op, and memory must stay bounded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { FuzzReport } from '../../scripts/fuzz.js';

const SEED = 20261204;
const CALLS = 30000;
/** Resident memory the child may reach, and grow by after its first tenth of calls (MB). */
const MAX_RSS_MB = 512;
const MAX_GROWTH_MB = 64;

const child = fileURLToPath(new URL('../../scripts/fuzz.js', import.meta.url));

/** The lines the child wrote for its last call: the call that was running when it died. */
function lastCall(progress: string): string {
  const lines = readFileSync(progress, 'utf8').trimEnd().split('\n');
  let start = lines.length - 1;
  while (start > 0 && !lines[start].startsWith('call ')) start--;
  return lines.slice(start).join('\n');
}

test(`${CALLS} random calls (seed ${SEED}) end normally or with a clear kindling error`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-fuzz-'));
  const progress = join(dir, 'progress.txt');
  try {
    const r = spawnSync(process.execPath, [child, String(SEED), String(CALLS), progress], { encoding: 'utf8', timeout: 300_000 });
    const replay = (i: string) => `replay: npm run fuzz -- ${SEED} ${CALLS} /tmp/progress.txt ${i}`;
    if (r.status !== 0) {
      const last = lastCall(progress);
      assert.fail(
        `the fuzz child died (status ${String(r.status)}, signal ${String(r.signal)}) during:\n${last}\n` +
          `${replay(/^call (\d+)/.exec(last)?.[1] ?? '?')}\n${r.stderr.slice(-4000)}`,
      );
    }
    const report = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as FuzzReport;
    assert.equal(report.calls, CALLS);
    assert.deepEqual(report.failures, [], `calls that ended with an unclear error:\n${report.failures.join('\n\n')}\n${replay('<i>')}`);
    // Both outcomes are exercised: most calls are valid, and a good share are not.
    assert.ok(report.ok > CALLS / 3 && report.clearErrors > CALLS / 10, `ok ${report.ok}, clear errors ${report.clearErrors}`);
    const peak = Math.max(...report.rssMB), growth = (report.rssMB.at(-1) ?? 0) - report.rssMB[0];
    assert.ok(peak < MAX_RSS_MB && growth < MAX_GROWTH_MB, `resident memory per tenth of the calls (MB): ${report.rssMB.join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
