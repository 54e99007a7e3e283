// test/examples/mnist.test.ts — the MNIST example: digit loading and caching, the fixed split, a short training run
// against PyTorch's losses (and on the webgpu device against the CPU), predict on PNG and IDX files, and the
// CLIs' options and one-line errors.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import * as torch from 'kindling';
import { lenet5 } from '../../examples/lenet5.js';
import { digitSplit, digitsTrainTest, idxTrainTest, loadDigits } from '../../examples/mnist/data.js';
import { readPng } from '../../examples/mnist/predict.js';
import { parseTrainArgs, train, type TrainResult } from '../../examples/mnist/train.js';
import { found } from '../backends/webgpu-device.js';
import { assertClose, loadFixture, present, repoRoot } from '../helpers.js';

const fixture = (loadFixture('lenet5.json') as { training: { splitTestHead: number[]; losses: number[] } }).training;
const tmp = mkdtempSync(join(tmpdir(), 'kindling-mnist-example-'));
after(() => { rmSync(tmp, { recursive: true, force: true }); });
const cacheDir = join(tmp, 'cache');

/** Runs an example CLI (with `env` added to this process's environment); returns its exit status and output. */
function cliEnv(env: Record<string, string>, script: 'train' | 'predict', ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/examples/mnist', `${script}.js`), ...args], { encoding: 'utf8', cwd: tmp, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const cli = (script: 'train' | 'predict', ...args: string[]) => cliEnv({}, script, ...args);

/** Asserts a CLI failed with one clear line on stderr and no stack trace. */
function assertOneLineError(r: { status: number | null; stderr: string }, name: string, match: RegExp): void {
  assert.notEqual(r.status, 0);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
  assert.match(lines[0], new RegExp(`^${name}: error: `));
  assert.match(lines[0], match);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

/** An IDX file: magic 00 00 08 <ndim>, big-endian dims, then uint8 elements. */
function idx(dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  out.set([0, 0, 0x08, dims.length]);
  dims.forEach((d, i) => { new DataView(out.buffer).setInt32(4 + 4 * i, d); });
  out.set(body, 4 + 4 * dims.length);
  return out;
}

test('the digits load as 10,000 uint8 1x28x28 images with int64 labels, and are cached', () => {
  const { images, labels } = loadDigits(cacheDir);
  assert.deepEqual([...images.shape], [10000, 1, 28, 28]);
  assert.equal(images.dtype, 'uint8');
  assert.equal(labels.dtype, 'int64');
  const counts = new Array<number>(10).fill(0);
  for (const y of labels.toArray()) counts[y] += 1;
  assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  assert.ok(existsSync(join(cacheDir, 'mnist-digits.safetensors')));
  const cached = loadDigits(cacheDir);
  assert.ok(cached.images.eq(images).all().item());
  assert.ok(cached.labels.eq(labels).all().item());
});

test('a corrupt cache file is rebuilt', () => {
  const dir = join(tmp, 'corrupt-cache');
  loadDigits(dir);
  writeFileSync(join(dir, 'mnist-digits.safetensors'), 'not safetensors');
  assert.deepEqual([...loadDigits(dir).images.shape], [10000, 1, 28, 28]);
});

test('the train/test split is fixed: 8,000/2,000, disjoint, and PyTorch\'s randperm', () => {
  const a = digitSplit(), b = digitSplit();
  assert.deepEqual(a, b);
  assert.equal(a.train.length, 8000);
  assert.equal(a.test.length, 2000);
  assert.equal(new Set([...a.train, ...a.test]).size, 10000);
  assert.deepEqual(a.test.slice(0, 10), fixture.splitTestHead);
  const data = digitsTrainTest(cacheDir);
  const [x, y] = data.test.get(0);
  assert.deepEqual([...x.shape], [1, 28, 28]);
  assert.ok(x.max().item() <= 1 && x.min().item() >= 0);
  assert.equal(typeof y, 'number');
});

let trained: TrainResult;

test('train: 3 batches give PyTorch\'s losses and write the weights and the plot', async () => {
  const out = join(tmp, 'out');
  const lines: string[] = [];
  trained = await train({ epochs: 1, maxBatches: 3, out, cacheDir, progress: false, log: (l) => lines.push(l) });
  assertClose(trained.losses, fixture.losses, { atol: 1e-4, what: 'losses' });
  assert.equal(trained.history.length, 1);
  assert.ok(trained.history[0].testAccuracy >= 0 && trained.history[0].testAccuracy <= 100);
  assert.match(present(lines.at(-1), 'last log line'), /^epoch 1\/1 {2}train loss \d\.\d{4} {2}test accuracy \d+\.\d\d%/);
  const state = torch.load(trained.weightsPath);
  assert.deepEqual(Object.keys(state).sort(), Object.keys(lenet5().stateDict()).sort());
  const svg = readFileSync(trained.plotPath, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /training loss/);
  assert.match(svg, /test accuracy/);
});

test('train is deterministic under a seed', async () => {
  const again = await train({ epochs: 1, maxBatches: 3, out: join(tmp, 'out2'), cacheDir, progress: false, log: () => {} });
  assert.deepEqual(again.losses, trained.losses);
});

test('predict classifies a PNG and all images of an IDX file, with top-3 probabilities', () => {
  const { test: testSet } = digitsTrainTest(cacheDir);
  const png = new PNG({ width: 28, height: 28 });
  const pixels = testSet.get(0)[0].toArray();
  pixels.forEach((v, i) => { png.data.set([Math.round(v * 255), Math.round(v * 255), Math.round(v * 255), 255], 4 * i); });
  const pngFile = join(tmp, 'digit.png');
  writeFileSync(pngFile, PNG.sync.write(png));
  const body = new Uint8Array(3 * 784);
  for (let i = 0; i < 3; i++) body.set(Array.from(testSet.get(i)[0].toArray(), (v) => Math.round(v * 255)), i * 784);
  const imagesFile = join(tmp, 't10k-images-idx3-ubyte');
  writeFileSync(imagesFile, idx([3, 28, 28], body));
  writeFileSync(join(tmp, 't10k-labels-idx1-ubyte'), idx([3], Uint8Array.from([0, 1, 2].map((i) => testSet.get(i)[1]))));
  const r = cli('predict', '--weights', trained.weightsPath, '--limit', '2', pngFile, imagesFile);
  assert.equal(r.status, 0, r.stderr);
  const top3 = /^(\d \d+\.\d%  ){2}\d \d+\.\d%$/;
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0].slice(`${pngFile}: `.length), top3);
  assert.match(lines[1].slice(`${imagesFile}[0]: `.length), top3);
  assert.ok(lines[2].startsWith(`${imagesFile}[1]: `));
  assert.match(lines[3], /… 1 more/);
  assert.match(lines[4], /accuracy \d+\.\d\d% on 3 images/);
});

test('predict rejects PNGs that are not 28x28', () => {
  const bytes = PNG.sync.write(new PNG({ width: 32, height: 32 }));
  assert.throws(() => readPng(bytes, 'big.png'), /big\.png: the image is 32×32; the model reads 28×28 images/);
});

test('predict: weights of the wrong shapes give loadStateDict\'s message on one line', () => {
  const bad = join(tmp, 'bad.safetensors');
  const state = lenet5().stateDict();
  torch.save({ ...state, '11.weight': torch.zeros(5, 84) }, bad);
  assertOneLineError(cli('predict', '--weights', bad, 'x.png'), 'predict', /Error\(s\) in loading state_dict for Sequential: size mismatch for 11\.weight/);
});

test('--data reads IDX files; a missing or corrupt folder is a clear error', () => {
  const dir = join(tmp, 'idx');
  rmSync(dir, { recursive: true, force: true });
  assert.throws(() => idxTrainTest(dir, 'mnist'), /data directory not found/);
  const fashion = '/usr/share/datasets/fashion-mnist';
  if (existsSync(fashion)) {
    const data = idxTrainTest(fashion, 'fashion');
    assert.equal(data.train.length, 60000);
    assert.equal(data.test.length, 10000);
    assert.equal(data.classes[9], 'Ankle boot');
  }
});

test('the train CLI: bad input gives one line on stderr and a non-zero exit', () => {
  assertOneLineError(cli('train', '--bogus'), 'train', /Unknown option '--bogus'/);
  assertOneLineError(cli('train', '--epochs', '-1'), 'train', /--epochs/);
  assertOneLineError(cli('train', '--epochs=-1'), 'train', /--epochs must be a positive integer, got -1/);
  assertOneLineError(cli('train', '--lr', 'fast'), 'train', /--lr must be a number, got 'fast'/);
  assertOneLineError(cli('train', '--device', 'cuda'), 'train', /--device must be cpu or webgpu, got 'cuda'/);
  assertOneLineError(cli('train', '--max-batches', '0'), 'train', /--max-batches must be a positive integer, got 0/);
  assertOneLineError(cli('train', '--data', join(tmp, 'no-such-dir')), 'train', /data directory not found/);
  const corrupt = join(tmp, 'corrupt');
  rmSync(corrupt, { recursive: true, force: true });
  mkdirSync(corrupt);
  writeFileSync(join(corrupt, 'train-images-idx3-ubyte'), 'garbage');
  writeFileSync(join(corrupt, 'train-labels-idx1-ubyte'), 'garbage');
  assertOneLineError(cli('train', '--data', corrupt), 'train', /bad magic number|not an IDX file/);
});

test('the train CLI documents every option in --help', () => {
  const r = cli('train', '--help');
  assert.equal(r.status, 0);
  for (const option of ['--epochs', '--batch-size', '--lr', '--optimizer', '--seed', '--threads', '--out', '--data', '--dataset', '--device', '--max-batches', '--help']) {
    assert.ok(r.stdout.includes(option), option);
  }
});

test('the train CLI parses --device and --max-batches; without them train\'s defaults apply', () => {
  assert.deepEqual(parseTrainArgs(['--device', 'webgpu', '--max-batches', '2']), { device: 'webgpu', maxBatches: 2 });
  assert.deepEqual(parseTrainArgs(['--device=cpu']), { device: 'cpu' });
  assert.deepEqual(parseTrainArgs([]), {});
  assert.throws(() => parseTrainArgs(['--max-batches', 'few']), /--max-batches must be an integer, got 'few'/);
});

test('the train CLI: --device webgpu without WebGPU is one line naming the reason, before any data is read', () => {
  const r = cliEnv({ KINDLING_WEBGPU: '0' }, 'train', '--device', 'webgpu', '--out', join(tmp, 'no-gpu'));
  assertOneLineError(r, 'train', /--device webgpu: device 'webgpu:0' is not available: KINDLING_WEBGPU=0 turned WebGPU off/);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
});

test('train on webgpu: 2 batches give the CPU\'s losses and accuracy, and save CPU weights equal to the CPU run\'s', { skip: typeof found === 'string' ? found : false }, async () => {
  const options = { epochs: 1, maxBatches: 2, batchSize: 16, cacheDir, progress: false } as const;
  const cpu = await train({ ...options, out: join(tmp, 'small-cpu'), log: () => {} });
  const lines: string[] = [];
  const gpu = await train({ ...options, device: 'webgpu', out: join(tmp, 'small-gpu'), log: (l) => lines.push(l) });
  assert.match(lines[1], /\| webgpu:0 device \(data on the \w+ backend, \d+ threads\)$/);
  assertClose(gpu.losses, cpu.losses, { atol: 1e-4, rtol: 0, what: 'webgpu losses against cpu' });
  // 32 test images: a near tie may flip one prediction between devices, no more.
  assert.ok(Math.abs(gpu.history[0].testAccuracy - cpu.history[0].testAccuracy) <= 100 / 32 + 1e-9);
  assert.ok(gpu.model.parameters().every((p) => p.device.type === 'cpu'), 'the model is back on the CPU');
  const saved = torch.load(gpu.weightsPath), expected = torch.load(cpu.weightsPath);
  assert.deepEqual(Object.keys(saved).sort(), Object.keys(expected).sort());
  for (const [name, t] of Object.entries(expected)) {
    assertClose(Array.from(present(saved[name], name).toArray()), Array.from(present(t, name).toArray()), { atol: 1e-4, rtol: 0, what: name });
  }
});
