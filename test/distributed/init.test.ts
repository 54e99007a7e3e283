// test/distributed/init.test.ts — torch.distributed in this process, without a group: availability,
// PyTorch's error before initProcessGroup, and initProcessGroup's argument errors.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import * as torch from '../../src/index.js';
import { skip } from './launch.js';

const dist = torch.distributed;
const NOT_INITIALIZED = 'Default process group has not been initialized, please make sure to call init_process_group.';

describe('torch.distributed without a group', () => {
  test('isAvailable says whether the Gloo addon was built; NCCL never is', () => {
    assert.equal(dist.isAvailable(), skip === false);
    assert.equal(dist.isNcclAvailable(), false);
    assert.equal(dist.isInitialized(), false);
  });

  test('without the Gloo addon, isAvailable is false and initProcessGroup says how to install it', () => {
    const index = new URL('../../src/index.js', import.meta.url).href;
    const script = `const t = await import(${JSON.stringify(index)}); const d = t.distributed;
      console.log(d.isAvailable()); await d.initProcessGroup({ initMethod: 'tcp://127.0.0.1:1', rank: 0, worldSize: 1 }).catch((e) => console.log(e.message));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, KINDLING_GLOO: '0', KINDLING_WEBGPU: '0' },
      encoding: 'utf8',
    });
    assert.match(out, /^false\n/);
    assert.match(out, /torch\.distributed is not available: .*apt-get install libgloo-dev.* and rebuild kindling/);
  });

  test('everything that needs the default group throws PyTorch\'s error', () => {
    const calls: (() => unknown)[] = [() => dist.getRank(), () => dist.getWorldSize(), () => dist.allReduce(torch.ones(2)), () => dist.barrier(), () => {
      dist.destroyProcessGroup();
    }];
    for (const f of calls) {
      assert.throws(f, { name: 'RuntimeError', message: NOT_INITIALIZED });
    }
  });

  test('initProcessGroup refuses bad arguments before any network traffic', { skip }, async () => {
    await assert.rejects(dist.initProcessGroup({ initMethod: 'tcp://127.0.0.1:1', rank: 2, worldSize: 2 }), /rank must be in \[0, 1\]/);
    await assert.rejects(dist.initProcessGroup({ initMethod: 'tcp://127.0.0.1:1', worldSize: 2 }), /rank parameter missing/);
    await assert.rejects(dist.initProcessGroup({ initMethod: 'redis://x:1', rank: 0, worldSize: 1 }), /No rendezvous handler for redis:\/\//);
    await assert.rejects(dist.initProcessGroup({ backend: 'nccl' as 'gloo' }), /Distributed package doesn't have NCCL built in/);
    const saved = process.env.MASTER_ADDR;
    delete process.env.MASTER_ADDR;
    try {
      await assert.rejects(dist.initProcessGroup(), /env:\/\/ rendezvous: environment variable MASTER_ADDR expected, but not set/);
    } finally {
      if (saved !== undefined) process.env.MASTER_ADDR = saved;
    }
    assert.equal(dist.isInitialized(), false);
  });

  test('a group of one: collectives are identities, and the group can be made again after destroy', { skip }, async () => {
    for (let round = 0; round < 2; round++) {
      await dist.initProcessGroup({ initMethod: 'tcp://127.0.0.1:0', rank: 0, worldSize: 1, timeout: 5000 });
      assert.equal(dist.getRank(), 0);
      assert.equal(dist.getWorldSize(), 1);
      const t = torch.tensor([1, 2, 3]);
      await dist.allReduce(t, { op: dist.ReduceOp.AVG });
      assert.deepEqual(t.tolist(), [1, 2, 3]);
      const out = [torch.zeros(3)];
      await dist.allGather(out, t);
      assert.deepEqual(out[0].tolist(), [1, 2, 3]);
      dist.destroyProcessGroup();
      assert.equal(dist.isInitialized(), false);
    }
  });
});
