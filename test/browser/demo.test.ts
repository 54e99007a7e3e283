// test/browser/demo.test.ts — the browser demo (examples/web, `npm run demo`) in headless Chromium: it loads without
// console errors, reads MNIST digits drawn with the mouse, trains in its worker as Node trains (the same losses), runs
// the op database's forward cases against the PyTorch fixtures and the lecture's timing experiment — on WebGPU
// (SwiftShader) and on the CPU, the CPU last so the screenshot (docs/web-demo.png under test:browser) shows its
// longer run — and works at phone width.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { digitSplit, loadDigits } from '../../examples/mnist/data.js';
import { train } from '../../examples/mnist/train.js';
import { loadFixture, repoRoot } from '../helpers.js';
import { type DemoSession, drawImage, openDemo, read, skip, skipGpu, until } from './browser.js';
import type { OpDatabaseResult } from './op-database-page.js';

/** The page's window.demo.train (examples/web/app/train.ts), as far as the tests read it. */
interface TrainState { running: boolean; losses: number[]; samplesPerSecond: number; finalAccuracy: number | null; device: string; error: string | null }
interface TimingState { running: boolean; results: { device: string; loopSeconds: number; batchSeconds: number; speedUp: number }[]; error: string | null }

let demo: DemoSession;
const out = mkdtempSync(join(tmpdir(), 'kindling-web-'));

/** The first `n` losses `npm start` gets in Node for this batch size (the page's worker trains the same way). */
async function nodeLosses(batchSize: number, n: number): Promise<number[]> {
  const result = await train({ epochs: 1, batchSize, maxBatches: n, out, progress: false, log: () => {} });
  return result.losses;
}

/** Fills the training form, starts a run and waits for its end: the page's training state. */
async function trainInPage(o: { device: 'cpu' | 'webgpu'; steps: number; batchSize: number; testImages: number }): Promise<TrainState> {
  const { page } = demo;
  await page.selectOption('#train-device', o.device);
  await page.fill('#train-batches', String(o.steps));
  await page.fill('#train-batch-size', String(o.batchSize));
  await page.fill('#train-test-images', String(o.testImages));
  await page.fill('#train-lr', '0.05');
  await page.fill('#train-seed', '0');
  await page.click('#train-start');
  await until(page, 'window.demo.train.running === false && window.demo.train.losses.length > 0', 120_000);
  const state = await read<TrainState>(page, 'window.demo.train');
  assert.equal(state.error, null);
  return state;
}

/** Runs the lecture's experiment (small sizes) from the form and returns its result. */
async function timeInPage(device: 'cpu' | 'webgpu', runs: number): Promise<TimingState['results'][number]> {
  const { page } = demo;
  const before = (await read<TimingState>(page, 'window.demo.timing')).results.length;
  await page.selectOption('#timing-sizes', 'small');
  await page.fill('#timing-runs', String(runs));
  await page.click(device === 'cpu' ? '#timing-cpu' : '#timing-webgpu');
  await until(page, `window.demo.timing.results.length > ${before} || window.demo.timing.error !== null`, 120_000);
  const state = await read<TimingState>(page, 'window.demo.timing');
  assert.equal(state.error, null);
  return state.results[before];
}

/** The op database bundled for the page (kindling is the page's own bundle, at /kindling.js), run there on `device`. */
async function opDatabaseInPage(device: 'cpu' | 'webgpu'): Promise<OpDatabaseResult> {
  const { page } = demo;
  if (!(await read<boolean>(page, 'typeof window.runOpDatabase === "function"'))) {
    const bundle = await build({
      entryPoints: [join(repoRoot, 'test/browser/op-database-page.ts')], bundle: true, write: false, format: 'esm', platform: 'browser',
      target: 'es2022', logLevel: 'warning',
      plugins: [{ name: 'kindling', setup: (b) => { b.onResolve({ filter: /^kindling$/ }, () => ({ path: '/kindling.js', external: true })); } }],
    });
    await page.addScriptTag({ type: 'module', content: bundle.outputFiles[0].text });
    await until(page, 'typeof window.runOpDatabase === "function"');
  }
  const fixtures = loadFixture('ops.json');
  return page.evaluate<OpDatabaseResult>(`window.runOpDatabase(${JSON.stringify(fixtures)}, '${device}')`);
}

describe('the browser demo', { skip }, () => {
  before(async () => { demo = await openDemo(); });
  after(async () => {
    await demo.close();
  });

  test('loads without console errors, with labelled controls, and finds its devices', async () => {
    const { page } = demo;
    const unlabelled = await read<string[]>(page, `[...document.querySelectorAll('input, select')].filter((e) => e.labels.length === 0).map((e) => e.id)
      .concat([...document.querySelectorAll('canvas')].filter((c) => !c.getAttribute('aria-label')).map((c) => c.id))`);
    assert.deepEqual(unlabelled, []);
    assert.equal(await read<string>(page, 'window.demo.worker.backend'), 'js');
    assert.match(await page.textContent('#weights-source') ?? '', /pretrained/);
    assert.deepEqual(demo.errors, []);
  });

  test('reads MNIST test digits drawn on the pad with the mouse as their labels', async () => {
    const { images, labels } = loadDigits();
    const pixels = images.toArray(), targets = labels.toArray();
    const predicted: number[] = [], expected: number[] = [];
    for (const index of digitSplit().test.slice(0, 5)) {
      await drawImage(demo.page, Array.from(pixels.subarray(index * 784, (index + 1) * 784), (v) => v / 255));
      await until(demo.page, 'window.demo.digit.predicted !== null');
      predicted.push(await read<number>(demo.page, 'window.demo.digit.predicted'));
      expected.push(targets[index]);
    }
    assert.deepEqual(predicted, expected);
    assert.match(await demo.page.textContent('#prediction') ?? '', new RegExp(`It looks like a ${expected.at(-1)}`));
  });

  describe('on WebGPU (SwiftShader)', { skip: skipGpu }, () => {
    test('the worker found the adapter', async () => {
      assert.equal(await read<boolean>(demo.page, 'window.demo.worker.webgpu.available'), true);
    });

    test('trains LeNet-5 on WebGPU with the CPU\'s losses', async () => {
      const state = await trainInPage({ device: 'webgpu', steps: 3, batchSize: 16, testImages: 50 });
      assert.match(state.device, /^WebGPU \(/);
      const expected = await nodeLosses(16, 3);
      state.losses.forEach((loss, i) => { assert.ok(Math.abs(loss - expected[i]) < 1e-3, `step ${i + 1}: page ${loss}, Node ${expected[i]}`); });
    });

    test('runs the op database\'s forward cases on WebGPU: PyTorch\'s values or a documented refusal', async () => {
      const result = await opDatabaseInPage('webgpu');
      assert.deepEqual(result.failures, []);
      assert.ok(result.passed > 200, `${result.passed} passed, ${result.refused} refused`);
    });

    test('runs the lecture\'s timing experiment on WebGPU', async () => {
      const result = await timeInPage('webgpu', 1);
      assert.match(result.device, /^webgpu/);
      assert.ok(result.speedUp > 1, `speed-up ${result.speedUp}`);
    });
  });

  test('trains LeNet-5 in its worker on the CPU: the loss falls, step for step as in Node', async () => {
    const steps = 25;
    const state = await trainInPage({ device: 'cpu', steps, batchSize: 64, testImages: 500 });
    assert.equal(state.losses.length, steps);
    const expected = await nodeLosses(64, steps);
    state.losses.forEach((loss, i) => { assert.ok(Math.abs(loss - expected[i]) < 1e-3, `step ${i + 1}: page ${loss}, Node ${expected[i]}`); });
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(state.losses.slice(-5)) < mean(state.losses.slice(0, 5)), `losses ${state.losses.join(', ')}`);
    assert.match(state.device, /^CPU \(js backend\)$/);
    assert.ok(state.samplesPerSecond > 0 && state.finalAccuracy !== null);
    await demo.page.click('#train-use');
    assert.match(await demo.page.textContent('#weights-source') ?? '', /trained in this page/);
    await demo.page.click('#weights-pretrained');
  });

  test('runs the op database\'s forward cases on the CPU against PyTorch\'s values', async () => {
    const result = await opDatabaseInPage('cpu');
    assert.deepEqual(result.failures, []);
    assert.equal(result.refused, 0);
    assert.ok(result.passed > 300, `${result.passed} cases`);
  });

  test('runs the lecture\'s timing experiment on the CPU', async () => {
    const result = await timeInPage('cpu', 3);
    assert.equal(result.device, 'cpu');
    assert.ok(result.speedUp > 1, `speed-up ${result.speedUp}`);
  });

  test('fits a phone\'s width, and leaves a screenshot', async () => {
    const { page } = demo;
    const { images } = loadDigits();
    await drawImage(page, Array.from(images.toArray().subarray(digitSplit().test[3] * 784, (digitSplit().test[3] + 1) * 784), (v) => v / 255));
    await page.screenshot({ path: process.env.KINDLING_WEB_SCREENSHOT ?? join(out, 'web-demo.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    assert.ok(await read<boolean>(page, 'document.documentElement.scrollWidth <= 375'), 'the page scrolls sideways at 375 px');
    assert.deepEqual(demo.errors, []);
  });
});
