// test/examples/preprocess.test.ts — examples/shared/preprocess.ts, the browser demo's drawing-to-MNIST step, on
// real digits: enlarged tenfold (as drawn on the 280-pixel pad) they come back as MNIST images LeNet-5 reads alike.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F } from 'kindling';
import { digitSplit, loadDigits } from '../../examples/mnist/data.js';
import { lenet5 } from '../../examples/shared/lenet5.js';
import { FIELD, toMnist } from '../../examples/shared/preprocess.js';
import { repoRoot } from '../helpers.js';

/** A 28×28 image enlarged `k` times by repeating pixels. */
function enlarge(image: Float32Array, k: number): Float32Array {
  const out = new Float32Array(FIELD * k * FIELD * k);
  for (let y = 0; y < FIELD * k; y++) for (let x = 0; x < FIELD * k; x++) out[y * FIELD * k + x] = image[Math.floor(y / k) * FIELD + Math.floor(x / k)];
  return out;
}

test('toMnist: nothing drawn is null; one dot becomes a centred blob within [0, 1]', () => {
  assert.equal(toMnist(new Float32Array(100), 10, 10), null);
  const ink = new Float32Array(100);
  ink[3 * 10 + 7] = 1;
  const image = toMnist(ink, 10, 10);
  assert.ok(image !== null);
  assert.ok(image.every((v) => v >= 0 && v <= 1));
  // The dot's box (1 pixel) is scaled to 20 pixels with its centre of mass on pixel 14.
  let mass = 0, mx = 0, my = 0;
  image.forEach((v, i) => { mass += v; mx += v * (i % FIELD); my += v * Math.floor(i / FIELD); });
  assert.ok(Math.abs(mx / mass - 14) < 1e-3 && Math.abs(my / mass - 14) < 1e-3, `centre ${mx / mass}, ${my / mass}`);
  assert.ok(Math.abs(mass - 400) < 1e-3, `mass ${mass}`);
});

test('toMnist: held-out digits enlarged tenfold are classified as the originals are', () => {
  const { images } = loadDigits();
  const model = lenet5();
  model.loadStateDict(torch.load(join(repoRoot, 'examples/web/lenet5.safetensors')));
  model.eval();
  const indices = digitSplit().test.slice(0, 100);
  const originals = indices.map((i) => Float32Array.from(images.get(i).reshape(-1).toArray(), (v) => v / 255));
  const redrawn = originals.map((image) => {
    const back = toMnist(enlarge(image, 10), FIELD * 10, FIELD * 10);
    assert.ok(back !== null);
    return back;
  });
  const classify = (list: Float32Array[]): number[] => Array.from(torch.noGrad(() =>
    F.softmax(model(torch.stack(list.map((x) => torch.tensor(x).view(1, FIELD, FIELD)))), 1).argmax(1)).toArray(), Number);
  const a = classify(originals), b = classify(redrawn);
  const agree = a.filter((label, i) => label === b[i]).length;
  assert.ok(agree >= 97, `${agree} of 100 agree`);
});
