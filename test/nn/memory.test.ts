// test/nn/memory.test.ts — memory held after garbage collection does not grow across training steps.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { present, repoRoot } from '../helpers.js';

// The training loop runs in a child started with --expose-gc, so it can force full collections
// and read what is really still referenced after 50 and after 250 steps.
const script = `
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';
torch.manualSeed(0);
const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4 * 10 * 10, 10));
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const x = torch.randn(16, 1, 12, 12), y = torch.randint(0, 10, [16]);
const held = () => { globalThis.gc(); globalThis.gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
const step = () => { opt.zeroGrad(); F.crossEntropy(model(x), y).backward(); opt.step(); };
for (let i = 0; i < 50; i++) step();
const before = held();
for (let i = 0; i < 200; i++) step();
console.log(JSON.stringify({ before, after: held() }));
`;

test('250 training steps hold no more memory than 50 (after GC)', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: repoRoot, encoding: 'utf8',
  });
  const { before, after } = JSON.parse(present(out.trim().split('\n').pop(), 'last output line')) as { before: number; after: number };
  // Allow 2 MB of noise (JIT code, and the few 256 KB slabs that live tensors happen to pin, see
  // src/backends/js/slab.ts); leaking one 25 KB activation per step would hold 5 MB more.
  assert.ok(after - before < 2_000_000, `held ${before} bytes after 50 steps, ${after} after 250`);
});
