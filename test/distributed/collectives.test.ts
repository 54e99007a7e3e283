// test/distributed/collectives.test.ts — torch.distributed on Gloo with 2 and 4 processes on 127.0.0.1:
// every collective for every dtype at 0, 1 and 1M elements (scenarios.ts checks the values), the
// three rendezvous methods, and the faults: a killed rank, a straggler, a peer that never arrives.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { launch, type Outcome, skip } from './launch.js';

function assertClean(outcomes: Outcome[]): void {
  for (const [rank, { report, code, signal }] of outcomes.entries()) {
    assert.ok(report !== null, `rank ${rank} sent no report (exit ${code}, ${signal})`);
    assert.equal(report.error, undefined, `rank ${rank}: ${report.error}`);
    assert.deepEqual(report.failures, [], `rank ${rank}`);
    assert.equal(code, 0, `rank ${rank} exit code`);
  }
}

describe('torch.distributed (Gloo)', { skip }, () => {
  test('every collective, dtype and size on 2 processes (env://)', async () => {
    assertClean(await launch('collectives', 2));
  });

  test('every collective, dtype and size on 4 processes (tcp://)', async () => {
    assertClean(await launch('collectives', 4, { init: 'tcp' }));
  });

  test('file:// rendezvous, and the store directory is removed afterwards', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kindling-dist-')), 'store');
    const outcomes = await launch('smoke', 2, { init: { file } });
    assertClean(outcomes);
    for (const { report } of outcomes) assert.deepEqual(report?.values, [3, 2]);
    // A second group on the same path must not meet the first one's stale addresses.
    assertClean(await launch('smoke', 2, { init: { file } }));
  });

  test('a rank killed mid-collective makes the others fail at once, not hang', async () => {
    const outcomes = await launch('killedRank', 3, { timeoutMs: 20000 });
    assert.equal(outcomes[1].signal, 'SIGKILL');
    for (const rank of [0, 2]) {
      const report = outcomes[rank].report;
      assert.ok(report !== null, `rank ${rank} sent no report`);
      assert.deepEqual(report.failures, []);
      assert.match(report.error ?? '', /Connection closed by peer|Connection reset by peer|Broken pipe/);
      assert.ok((report.elapsedMs ?? Infinity) < 5000, `rank ${rank} took ${report.elapsedMs} ms to notice`);
    }
  });

  test('a rank that never joins a collective times it out after the group timeout', async () => {
    const [rank0] = await launch('straggler', 2, { timeoutMs: 1000 });
    assert.ok(rank0.report !== null);
    assert.match(rank0.report.error ?? '', /Timed out/);
    assert.ok((rank0.report.elapsedMs ?? 0) >= 900 && (rank0.report.elapsedMs ?? Infinity) < 4000, `${rank0.report.elapsedMs} ms`);
  });

  test('destroyProcessGroup rejects the operations in flight at once, and the process exits', async () => {
    const started = Date.now();
    const [rank0] = await launch('destroyInFlight', 2, { timeoutMs: 20000 });
    assert.match(rank0.report?.error ?? '', /the process group was destroyed while this operation was in flight/);
    assert.ok((rank0.report?.elapsedMs ?? Infinity) < 1000);
    assert.ok(Date.now() - started < 10000, 'a worker waited for the group timeout before exiting');
  });

  test('a peer that never arrives: initProcessGroup rejects after the timeout', async () => {
    const [rank0] = await launch('idle', 2, { ranks: [0], timeoutMs: 1500 });
    assert.match(rank0.report?.error ?? '', /Timed out after 1500 ms waiting for rank 1 to join the process group/);
    const [rank1] = await launch('idle', 2, { ranks: [1], timeoutMs: 1000 });
    assert.match(rank1.report?.error ?? '', /Timed out after 1000 ms connecting to the store at 127\.0\.0\.1:\d+ .*is rank 0 running\?/);
  });
});
