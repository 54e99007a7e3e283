// test/examples/gpt.test.ts — the character-level GPT example against PyTorch's nanoGPT (scripts/fixtures_gpt.py):
// parameter names and initial weights, 20 training losses with dropout on Moby-Dick, the sampled text, then the
// CLI end to end on a small config (weights, plot, sample) and its one-line errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import * as torch from 'kindling';
import { CharTokenizer, getBatch, mobyDickPath, MOBY_DICK_PACKAGE, splitText } from '../../examples/gpt/data.js';
import { GPT, type GPTConfig } from '../../examples/gpt/model.js';
import { learningRate, parseTrainArgs, train } from '../../examples/gpt/train.js';
import { found } from '../backends/webgpu-device.js';
import { assertClose, loadFixture, repoRoot } from '../helpers.js';

interface Fixture {
  config: {
    n_layer: number; n_head: number; n_embd: number; block_size: number; batch_size: number; dropout: number; vocab_size: number;
    steps: number; lr: number; warmup: number; weight_decay: number; seed: number; sample_tokens: number; temperature: number; top_k: number;
  };
  vocab: string;
  params: { name: string; shape: number[]; head: number[]; sum: number }[];
  stateDictKeys: string[];
  losses: number[];
  sample: string;
}
const fixture = loadFixture('gpt.json') as Fixture;
const c = fixture.config;
const config: GPTConfig = { blockSize: c.block_size, vocabSize: c.vocab_size, nLayer: c.n_layer, nHead: c.n_head, nEmbd: c.n_embd, dropout: c.dropout, bias: true };
const mobyDick = mobyDickPath();
const noText = mobyDick === null ? `the npm package ${MOBY_DICK_PACKAGE} (a devDependency) is not installed` : false;

const tmp = mkdtempSync(join(tmpdir(), 'kindling-gpt-example-'));
after(() => { rmSync(tmp, { recursive: true, force: true }); });

/** Runs the CLI (with `env` added to this process's environment); returns its exit status and output. */
function cli(args: string[], env: Record<string, string> = {}, script: 'train' | 'sample' = 'train'): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/examples/gpt', `${script}.js`), ...args], { encoding: 'utf8', cwd: tmp, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts a CLI failed with one clear line on stderr and no stack trace. */
function assertOneLineError(r: { status: number | null; stderr: string }, name: 'gpt' | 'sample', match: RegExp): void {
  assert.notEqual(r.status, 0);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0], new RegExp(`^${name}: error: `));
  assert.match(lines[0], match);
}

test('GPT has nanoGPT\'s parameter names and shapes, weight tying and state dict keys', () => {
  const model = new GPT(config);
  assert.deepEqual(model.namedParameters().map(([n, p]) => [n, [...p.shape]]), fixture.params.map((p) => [p.name, p.shape]));
  assert.equal(model.transformer.wte.weight, model.lm_head.weight);
  assert.deepEqual(Object.keys(model.stateDict()).sort(), [...fixture.stateDictKeys].sort());
  const idx = torch.zeros([2, 5], { dtype: torch.long });
  const [logits, loss] = model(idx, idx);
  assert.deepEqual([...logits.shape], [2, 5, c.vocab_size]);
  assert.deepEqual(loss?.dim(), 0);
  const [last, none] = model(idx);
  assert.deepEqual([...last.shape], [2, 1, c.vocab_size]);
  assert.equal(none, null);
});

test('GPT\'s initial weights under manualSeed equal PyTorch\'s (nanoGPT init order, scaled c_proj)', () => {
  torch.manualSeed(c.seed);
  const params = new GPT(config).namedParameters();
  fixture.params.forEach((expected, i) => {
    const values = params[i][1].toArray();
    assertClose(Array.from(values.subarray(0, expected.head.length)), expected.head, { atol: 1e-7, what: expected.name });
    assertClose([Array.from(values).reduce((a, b) => a + b, 0)], [expected.sum], { atol: 1e-4, what: `${expected.name} sum` });
  });
});

test('the causal mask: changing a later token leaves earlier logits unchanged', () => {
  const model = new GPT(config).eval();
  const a = torch.tensor([[1, 2, 3, 4]], { dtype: torch.long }), b = torch.tensor([[1, 2, 3, 9]], { dtype: torch.long });
  const [[la], [lb]] = [model(a, a), model(b, b)];
  assertClose(Array.from(la.narrow(1, 0, 3).contiguous().toArray()), Array.from(lb.narrow(1, 0, 3).contiguous().toArray()), { atol: 0, what: 'earlier positions' });
  assert.ok(!la.select(1, 3).eq(lb.select(1, 3)).all().item(), 'the last position sees its own token');
});

test('the tokenizer sorts characters by code point (Python\'s sorted(set(text))) and round-trips', () => {
  const tok = new CharTokenizer('ba—a\nc’');
  assert.deepEqual(tok.chars, ['\n', 'a', 'b', 'c', '—', '’']);
  assert.equal(tok.decode(tok.encode('cab’')), 'cab’');
  assert.throws(() => tok.encode('z'), /the character "z" is not in the text's vocabulary/);
});

test('getBatch draws windows with torch.randint and shifts the targets by one', () => {
  const data = torch.arange(100, { dtype: torch.long });
  const [x, y] = getBatch(data, 8, 4, new torch.Generator().manualSeed(3));
  assert.deepEqual([...x.shape], [4, 8]);
  assert.ok(y.sub(x).eq(1).all().item());
  const starts = torch.randint(92, [4], { generator: new torch.Generator().manualSeed(3) });
  assert.deepEqual(Array.from(x.select(1, 0).toArray()), Array.from(starts.toArray()));
});

test('the learning rate warms up linearly and decays by a cosine to lr/10', () => {
  const o = { lr: 1e-3, steps: 20, warmup: 2 };
  assertClose([0, 1, 2, 11, 19, 20].map((it) => learningRate(it, o)), [1e-3 / 3, 2e-3 / 3, 1e-3, 5.5e-4, 1e-4 + 9e-4 * 0.5 * (1 + Math.cos(Math.PI * 17 / 18)), 1e-4], { atol: 1e-12 });
});

test('20 training steps on Moby-Dick (dropout 0.1) give PyTorch\'s losses, and the sample is PyTorch\'s text', { skip: noText }, async () => {
  const { tokenizer } = splitText(readFileSync(mobyDick ?? '', 'utf8'), c.block_size);
  assert.equal(tokenizer.chars.join(''), fixture.vocab);
  const result = await train({
    steps: c.steps, batchSize: c.batch_size, blockSize: c.block_size, nLayer: c.n_layer, nHead: c.n_head, nEmbd: c.n_embd,
    dropout: c.dropout, lr: c.lr, warmup: c.warmup, weightDecay: c.weight_decay, seed: c.seed, out: join(tmp, 'fixture'),
    evalInterval: 10, evalIters: 2, sampleTokens: c.sample_tokens, temperature: c.temperature, topK: c.top_k, progress: false, log: () => {},
  });
  assertClose(result.losses, fixture.losses, { atol: 1e-4, what: 'losses' });
  assert.equal(result.sample, fixture.sample);
  assert.deepEqual(result.evaluations.map((e) => e.step), [10, 20]);
});

test('the CLI trains a few steps on a text file, writes loadable weights and a PNG plot, and samples; sample.js gives the same text', () => {
  const out = join(tmp, 'cli');
  const r = cli(['--text', join(repoRoot, 'README.md'), '--steps', '3', '--batch-size', '2', '--block-size', '16', '--n-layer', '1',
    '--n-head', '2', '--n-embd', '16', '--eval-interval', '2', '--eval-iters', '1', '--sample-tokens', '20', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^data: .*README\.md: \d+ characters, vocabulary of \d+$/m);
  assert.match(r.stdout, /^step 2\/3: train loss \d+\.\d{4}, val loss \d+\.\d{4}/m);
  assert.match(r.stdout, /^trained 3 steps at \d+\.\d\d steps\/s/m);
  assert.match(r.stdout, /--- sample ---\n[^]{20}\n---/);
  const weights = join(out, 'gpt.safetensors');
  const meta = torch.safetensors.loadMetadata(weights);
  const saved = JSON.parse(meta.config) as GPTConfig;
  assert.equal(saved.nEmbd, 16);
  const model = new GPT(saved);
  model.loadStateDict(torch.load(weights));
  assert.equal(Array.from(meta.vocab).length, saved.vocabSize);
  const png = PNG.sync.read(readFileSync(join(out, 'loss.png')));
  assert.deepEqual([png.width, png.height], [800, 450]);
  // sample.js reloads the weights and, under the same seed and settings, writes the same text.
  const trained = /--- sample ---\n([^]{20})\n---/.exec(r.stdout)?.[1];
  const s = cli(['--weights', weights, '--tokens', '20'], {}, 'sample');
  assert.equal(s.status, 0, s.stderr);
  assert.equal(s.stdout, `\n${trained}\n---------------\n`);
  assertOneLineError(cli(['--weights', join(out, 'none.safetensors')], {}, 'sample'), 'sample', /weights not found/);
  assertOneLineError(cli(['--weights', weights, '--start', '\u{1F600}'], {}, 'sample'), 'sample', /is not in the text's vocabulary/);
});

test('the CLI: bad options give one line on stderr and a non-zero exit; --help lists every option', () => {
  assertOneLineError(cli(['--bogus']), 'gpt', /Unknown option '--bogus'/);
  assertOneLineError(cli(['--steps', '0']), 'gpt', /--steps must be a positive integer, got 0/);
  assertOneLineError(cli(['--n-embd', '30', '--n-head', '4']), 'gpt', /--n-embd \(30\) must be a multiple of --n-head \(4\)/);
  assertOneLineError(cli(['--dropout', '1']), 'gpt', /--dropout must be in \[0, 1\), got 1/);
  assertOneLineError(cli(['--text', join(tmp, 'missing.txt')]), 'gpt', /text file not found/);
  assertOneLineError(cli(['--device', 'webgpu'], { KINDLING_WEBGPU: '0' }), 'gpt', /--device webgpu: .*KINDLING_WEBGPU=0/);
  const help = cli(['--help']);
  assert.equal(help.status, 0);
  for (const option of ['--steps', '--batch-size', '--block-size', '--n-layer', '--n-head', '--n-embd', '--dropout', '--lr', '--warmup',
    '--weight-decay', '--seed', '--text', '--out', '--device', '--threads', '--eval-interval', '--eval-iters', '--sample-tokens',
    '--temperature', '--top-k', MOBY_DICK_PACKAGE]) {
    assert.ok(help.stdout.includes(option), option);
  }
  assert.deepEqual(parseTrainArgs(['--top-k', '0', '--temperature', '1.5']), { topK: null, temperature: 1.5 });
  assert.deepEqual(parseTrainArgs([]), {});
});

test('train on webgpu: 2 steps give the CPU\'s losses', { skip: typeof found === 'string' ? found : false }, async () => {
  const options = {
    text: join(repoRoot, 'README.md'), steps: 2, batchSize: 2, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0.1,
    evalInterval: 2, evalIters: 1, sampleTokens: 5, progress: false, log: () => {},
  } as const;
  const cpu = await train({ ...options, out: join(tmp, 'cpu') });
  const gpu = await train({ ...options, device: 'webgpu', out: join(tmp, 'gpu') });
  assertClose(gpu.losses, cpu.losses, { atol: 1e-4, rtol: 0, what: 'webgpu losses against cpu' });
  assert.ok(gpu.model.parameters().every((p) => p.device.type === 'cpu'), 'the model is back on the CPU');
});
