// test/distributed/ddp.test.ts — nn.parallel.DistributedDataParallel on 2 processes with batch 32 each
// matches one process with batch 64 after 10 SGD steps (ddp-scenarios.ts), for an MLP and LeNet-5.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { launch, skip } from './launch.js';

describe('DistributedDataParallel', { skip }, () => {
  for (const [name, scenario] of [['an MLP', 'ddpMlp'], ['LeNet-5', 'ddpLenet']] as const) {
    test(`${name} on 2 processes × batch 32 equals 1 process × batch 64 after 10 steps`, async () => {
      const outcomes = await launch(scenario, 2);
      for (const [rank, { report, code }] of outcomes.entries()) {
        assert.ok(report !== null, `rank ${rank} sent no report`);
        assert.equal(report.error, undefined, `rank ${rank}: ${report.error}`);
        assert.deepEqual(report.failures, [], `rank ${rank}`);
        assert.equal(code, 0);
      }
      const diff = outcomes[0].report?.values?.[0] ?? Infinity;
      assert.ok(diff <= 1e-5, `max parameter difference ${diff}`);
    });
  }
});
