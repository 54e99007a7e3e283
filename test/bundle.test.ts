// test/bundle.test.ts — the browser bundle (dist/browser/kindling.js, scripts/build-browser.mjs) is one
// self-contained ES module: no Node imports, the JS backend, the whole API, and clear refusals for files.
// Node runs it here the way a page would (without its native addon); test/browser/ runs it in Chromium.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './helpers.js';

const bundle = join(repoRoot, 'dist/browser/kindling.js');

// Browsers have no Buffer or process: the bundle must not lean on Node's globals.
const script = `
delete globalThis.Buffer;
const torch = await import(${JSON.stringify(bundle)});
const { nn, F, optim } = torch;
const out = {};
torch.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
const x = torch.randn(16, 4), y = torch.randint(0, 3, [16]);
out.losses = [];
for (let i = 0; i < 5; i++) {
  opt.zeroGrad();
  const loss = F.crossEntropy(model(x), y);
  loss.backward();
  opt.step();
  out.losses.push(loss.item());
}
out.backend = torch.backendName();
out.printed = String(torch.tensor([[1, 2], [3, 4]]));
out.model = String(model);
out.roundTrip = torch.safetensors.deserialize(torch.safetensors.serialize(model.stateDict()))['0.weight'].tolist();
out.weight = model.stateDict()['0.weight'].tolist();
const refusal = (f) => { try { f(); return null; } catch (e) { return String(e); } };
out.save = refusal(() => torch.save(model.stateDict(), 'x.safetensors'));
out.load = refusal(() => torch.load('x.safetensors'));
out.mnist = refusal(() => new torch.data.MNIST('data'));
console.log(JSON.stringify(out));
`;

test('the browser bundle is one minified ES module without Node imports', () => {
  const text = readFileSync(bundle, 'utf8');
  assert.doesNotMatch(text, /["']node:[a-z_]+["']/);
  assert.doesNotMatch(text, /\brequire\(/);
  // Sizes for the README: ~255 kB minified, ~85 kB gzipped when this was written.
  assert.ok(text.length < 600_000 && gzipSync(text).length < 200_000, `${text.length} bytes, ${gzipSync(text).length} gzipped`);
});

test('the bundle trains on the JS backend as the library does, round-trips safetensors bytes, and refuses files clearly', () => {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8', env: { ...process.env, KINDLING_WEBGPU: '0' },
  });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { losses: number[]; backend: string; printed: string; model: string; roundTrip: number[][]; weight: number[][]; save: string; load: string; mnist: string };
  assert.equal(out.backend, 'js');
  assert.ok(out.losses[4] < out.losses[0], `losses ${out.losses.join(', ')}`);
  assert.equal(out.printed, 'tensor([[1., 2.],\n        [3., 4.]])');
  assert.equal(out.model, 'Sequential(\n  (0): Linear(in_features=4, out_features=8, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=8, out_features=3, bias=True)\n)');
  assert.deepEqual(out.roundTrip, out.weight);
  assert.equal(out.save, 'RuntimeError: save: files need Node; in a browser use torch.loadFromUrl(url) or torch.safetensors.deserialize(bytes) to load, and torch.safetensors.serialize(stateDict) for the bytes to save');
  assert.match(out.load, /^RuntimeError: load: files need Node/);
  assert.equal(out.mnist, 'RuntimeError: MNIST: reading IDX files needs Node; in a browser fetch the bytes and use torch.data.parseIdx(bytes, name)');
});
