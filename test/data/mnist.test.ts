// test/data/mnist.test.ts — IDX parsing (raw, gzipped, corrupt) and the MNIST/FashionMNIST datasets on small generated files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as torch from 'kindling';

const { MNIST, FashionMNIST, DataLoader, parseIdx } = torch.data;

/** An IDX file: magic 00 00 <type> <ndim>, big-endian dims, then the element bytes. */
function idx(type: number, dims: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, type, dims.length]);
  dims.forEach((d, i) => { view.setInt32(4 + 4 * i, d); });
  out.set(body, 4 + 4 * dims.length);
  return out;
}

const N = 5, H = 28, W = 28;
const pixels = Uint8Array.from({ length: N * H * W }, (_, i) => (i * 7) % 256);
const labels = Uint8Array.from([5, 0, 4, 1, 9]);
const images = idx(0x08, [N, H, W], pixels);
const labelFile = idx(0x08, [N], labels);

const root = mkdtempSync(join(tmpdir(), 'kindling-mnist-'));
after(() => { rmSync(root, { recursive: true, force: true }); });

/** Writes the four files into `dir`, gzipped or raw. */
function writeSet(dir: string, gz: boolean): void {
  mkdirSync(dir, { recursive: true });
  const put = (name: string, bytes: Uint8Array) => { writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes); };
  put('train-images-idx3-ubyte', images);
  put('train-labels-idx1-ubyte', labelFile);
  put('t10k-images-idx3-ubyte', idx(0x08, [2, H, W], pixels.subarray(0, 2 * H * W)));
  put('t10k-labels-idx1-ubyte', idx(0x08, [2], labels.subarray(0, 2)));
}

test('parseIdx reads uint8 and wider big-endian element types', () => {
  const t = parseIdx(labelFile, 'labels');
  assert.equal(t.dtype, 'uint8');
  assert.deepEqual(t.tolist(), [5, 0, 4, 1, 9]);
  const body = new Uint8Array(8);
  new DataView(body.buffer).setInt32(0, -3);
  new DataView(body.buffer).setInt32(4, 70000);
  const ints = parseIdx(idx(0x0c, [2], body), 'ints');
  assert.equal(ints.dtype, 'int32');
  assert.deepEqual(ints.tolist(), [-3, 70000]);
  const f = new Uint8Array(8);
  new DataView(f.buffer).setFloat64(0, 0.1);
  assert.deepEqual(parseIdx(idx(0x0e, [1, 1], f), 'doubles').tolist(), [[0.1]]);
});

test('parseIdx names the file and the problem for every corruption', () => {
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array([0, 0]), /x: not an IDX file: 2 bytes, shorter than the 4-byte magic number/],
    [Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]), /x: bad magic number \(01 00 08 01\): an IDX file starts with two zero bytes/],
    [idx(0x07, [1], new Uint8Array(1)), /x: bad magic number \(00 00 07 01\): unknown element type 0x7/],
    [Uint8Array.from([0, 0, 8, 0]), /declares 0 dimensions/],
    [Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]), /x: truncated header: 3 dims need 16 header bytes, but the file has 8/],
    [idx(0x08, [-1, 2], new Uint8Array(0)), /x: dimension 0 is negative \(-1\)/],
    [images.subarray(0, images.length - 1), /x: file is truncated: dims \[5, 28, 28\] of 1-byte elements need 3920 data bytes, but 3919 follow the header/],
    [idx(0x08, [2], new Uint8Array(3)), /x: file has trailing bytes: dims \[2\] of 1-byte elements need 2 data bytes, but 3 follow/],
    // A header declaring a huge tensor fails on the length check, before anything is allocated.
    [idx(0x08, [0x7fffffff, 0x7fffffff, 0x7fffffff], new Uint8Array(4)), /x: file is truncated/],
  ];
  for (const [bytes, message] of cases) assert.throws(() => parseIdx(bytes, 'x'), message);
});

test('MNIST reads raw files from root and gzipped ones from root/MNIST/raw', () => {
  writeSet(join(root, 'flat'), false);
  writeSet(join(root, 'tv', 'MNIST', 'raw'), true);
  for (const dir of [join(root, 'flat'), join(root, 'tv')]) {
    const ds = new MNIST(dir);
    assert.equal(ds.length, N);
    assert.equal(ds.data.dtype, 'uint8');
    assert.deepEqual([...ds.data.shape], [N, H, W]);
    assert.equal(ds.targets.dtype, 'int64');
    assert.deepEqual(ds.targets.tolist(), [5, 0, 4, 1, 9]);
    const [x, y] = ds.get(2);
    assert.equal(y, 4);
    assert.equal(x.dtype, 'float32');
    assert.deepEqual([...x.shape], [1, H, W]);
    const flat = x.toArray();
    for (let k = 0; k < H * W; k++) assert.equal(flat[k], Math.fround(pixels[2 * H * W + k] / 255));
    assert.equal(new MNIST(dir, { train: false }).length, 2);
  }
});

test('MNIST items batch into float32 images and int64 labels; transforms apply', () => {
  const ds = new MNIST(join(root, 'flat'), { transform: (x) => x.mul(2), targetTransform: (y) => y + 1 });
  const [xb, yb] = [...new DataLoader(ds, { batchSize: 4 })][0];
  assert.deepEqual([...xb.shape], [4, 1, H, W]);
  assert.equal(xb.dtype, 'float32');
  assert.equal(yb.dtype, 'int64');
  assert.deepEqual(yb.tolist(), [6, 1, 5, 2]);
  assert.ok(Math.abs(xb.get(0, 0, 0, 1).item() - (2 * 7) / 255) < 1e-6);
});

test('FashionMNIST uses its own folder and class names', () => {
  writeSet(join(root, 'fm', 'FashionMNIST', 'raw'), true);
  const ds = new FashionMNIST(join(root, 'fm'));
  assert.equal(ds.length, N);
  assert.equal(ds.classes[9], 'Ankle boot');
  assert.throws(() => new MNIST(join(root, 'fm')), /MNIST: could not find train-images-idx3-ubyte \(or train-images-idx3-ubyte.gz\) in/);
});

test('MNIST reports corrupt, mismatched and non-gzip files by name', () => {
  const bad = join(root, 'bad');
  writeSet(bad, false);
  writeFileSync(join(bad, 'train-labels-idx1-ubyte'), idx(0x08, [4], labels.subarray(0, 4)));
  assert.throws(() => new MNIST(bad), /MNIST: .*train-images-idx3-ubyte holds 5 images but .*train-labels-idx1-ubyte holds 4 labels/);
  writeFileSync(join(bad, 'train-labels-idx1-ubyte'), labelFile.subarray(0, 7));
  assert.throws(() => new MNIST(bad), /train-labels-idx1-ubyte: truncated header/);
  rmSync(join(bad, 'train-labels-idx1-ubyte'));
  writeFileSync(join(bad, 'train-labels-idx1-ubyte.gz'), gzipSync(labelFile).subarray(0, 20));
  assert.throws(() => new MNIST(bad), /train-labels-idx1-ubyte.gz: could not gunzip/);
  writeFileSync(join(bad, 'train-labels-idx1-ubyte.gz'), gzipSync(images));
  assert.throws(() => new MNIST(bad), /expected a 1-d uint8 label array, got 3-d uint8/);
});

test('real Fashion-MNIST files parse when the Debian package is installed', { skip: !existsSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz') }, () => {
  const ds = new FashionMNIST('/usr/share/datasets/fashion-mnist', { train: false });
  assert.equal(ds.length, 10000);
  assert.deepEqual([...ds.data.shape], [10000, 28, 28]);
  assert.equal(ds.targets.get(0).item(), 9);
});
