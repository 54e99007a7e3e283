// test/io/safetensors.test.ts — safetensors round trips, the PyTorch-written fixture, atomic saves and malformed files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import * as torch from 'kindling';
import { type FixtureNumber, fromFixture, loadFixture, repoRoot } from '../helpers.js';

const { serialize, deserialize, loadMetadata, SafetensorError } = torch.safetensors;

interface Expected { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; values: (FixtureNumber | boolean)[] }> }
const expected = loadFixture('safetensors.json') as Expected;
const fixturePath = resolve(repoRoot, 'test/fixtures/tensors.safetensors');
const DTYPE: Record<string, torch.DType> = { F32: 'float32', F64: 'float64', I32: 'int32', I64: 'int64', BOOL: 'bool', U8: 'uint8' };

const dir = mkdtempSync(join(tmpdir(), 'kindling-safetensors-'));
after(() => { rmSync(dir, { recursive: true, force: true }); });

/** The fixture's tensors rebuilt in kindling from the JSON values. */
function expectedTensors(): Record<string, torch.Tensor> {
  const out: Record<string, torch.Tensor> = {};
  for (const [name, e] of Object.entries(expected.tensors)) {
    const values = e.values.map((v) => (typeof v === 'boolean' ? Number(v) : fromFixture(v)));
    out[name] = torch.tensor(Float64Array.from(values), { dtype: DTYPE[e.dtype] }).reshape(e.shape);
  }
  return out;
}

/** Exact comparison, NaN equal to NaN and -0 distinct from 0. */
function assertSameTensor(actual: torch.Tensor, wanted: torch.Tensor, what: string): void {
  assert.equal(actual.dtype, wanted.dtype, `${what}: dtype`);
  assert.deepEqual([...actual.shape], [...wanted.shape], `${what}: shape`);
  assert.deepEqual(Array.from(actual.toArray()), Array.from(wanted.toArray()), `${what}: values`);
}

test('a file written from PyTorch tensors loads with every dtype, shape and value', () => {
  const loaded = torch.load(fixturePath);
  const wanted = expectedTensors();
  assert.deepEqual(Object.keys(loaded).sort(), Object.keys(wanted).sort());
  for (const name of Object.keys(wanted)) assertSameTensor(loaded[name], wanted[name], name);
  assert.equal(loaded['step'].dim(), 0);
  assert.equal(loaded['step'].item(), 2 ** 40 + 3);
  assert.ok(Object.is(loaded['layer.é'].toArray()[0], -0));
  assert.deepEqual(loadMetadata(fixturePath), expected.metadata);
});

test('serialize reproduces the reference file byte for byte (order, header, padding)', () => {
  const bytes = serialize(expectedTensors(), expected.metadata);
  assert.deepEqual(Buffer.from(bytes), readFileSync(fixturePath));
});

test('every dtype round-trips through save and load, non-contiguous views as contiguous data', () => {
  const x = torch.arange(12, { dtype: torch.float64 }).reshape(3, 4);
  const tensors: Record<string, torch.Tensor> = {
    f32: torch.randn(2, 3),
    f64: x,
    i32: torch.tensor([-5, 7, 2 ** 31 - 1], { dtype: torch.int32 }),
    i64: torch.tensor([-(2 ** 53), 0, 2 ** 53], { dtype: torch.int64 }),
    bool: torch.tensor([true, false, true]),
    u8: torch.tensor([0, 128, 255], { dtype: torch.uint8 }),
    transposed: x.t(),
    scalar: torch.tensor(3.5),
    empty: torch.zeros(0, 2),
  };
  const path = join(dir, 'roundtrip.safetensors');
  torch.save(tensors, path);
  const back = torch.load(path);
  for (const [name, t] of Object.entries(tensors)) assertSameTensor(back[name], t, name);
  assert.deepEqual(back['transposed'].tolist(), x.t().tolist());
  assert.ok(back['transposed'].isContiguous());
  const fromBytes = deserialize(serialize(new Map(Object.entries(tensors))));
  for (const [name, t] of Object.entries(tensors)) assertSameTensor(fromBytes[name], t, name);
});

test('metadata round-trips and an empty dict serializes as the library does', () => {
  assert.deepEqual(Array.from(serialize({})), [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
  const path = join(dir, 'meta.safetensors');
  torch.save({ w: torch.ones(1) }, path, { format: 'pt', note: 'ü "quoted"' });
  assert.deepEqual(loadMetadata(path), { format: 'pt', note: 'ü "quoted"' });
  assert.deepEqual(loadMetadata(fixturePath), expected.metadata);
});

test('save replaces the target atomically and leaves no temporary file when it fails', () => {
  const path = join(dir, 'model.safetensors');
  torch.save({ a: torch.ones(2) }, path);
  const before = readFileSync(path);
  assert.throws(() => { torch.save({ __metadata__: torch.ones(1) }, path); }, /'__metadata__' is reserved/);
  assert.deepEqual(readFileSync(path), before);
  // A rename onto a non-empty directory fails after the temporary file was written and synced.
  const blocked = join(dir, 'blocked');
  mkdirSync(blocked);
  writeFileSync(join(blocked, 'keep'), 'x');
  assert.throws(() => { torch.save({ a: torch.ones(2) }, blocked); });
  assert.ok(existsSync(join(blocked, 'keep')));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  torch.save({ b: torch.zeros(3) }, path);
  assert.deepEqual(Object.keys(torch.load(path)), ['b']);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

/** A file with a hand-written header (padded to 8 bytes) and `data` bytes of data. */
function craft(header: string, data = 0, declared?: bigint): Uint8Array {
  const json = Buffer.from(header.padEnd(Math.ceil(header.length / 8) * 8, ' '));
  const out = new Uint8Array(8 + json.length + data);
  new DataView(out.buffer).setBigUint64(0, declared ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

test('malformed files are refused with a message naming the file and the problem', () => {
  const good = readFileSync(fixturePath);
  const f32 = (offsets: string, shape = '[2]') => `"t":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}`;
  const cases: [Uint8Array, RegExp][] = [
    [good.subarray(0, 5), /file is too small \(5 bytes\) to hold the 8-byte header length/],
    [good.subarray(0, 100), /header length \d+ runs past the end of the file \(100 bytes\)/],
    [craft('{}', 0, 2n ** 40n), /header length 1099511627776 is too large \(the limit is 100000000 bytes\)/],
    [craft('{}', 0, 2n ** 64n - 1n), /is too large/],
    [craft('{"t": '), /header is not valid JSON/],
    [craft('[1, 2]'), /header does not start with '\{'/],
    [craft('{"t":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', 2), /tensor 't' has unsupported dtype "F16"/],
    [craft(`{${f32('[0,8]', '[2.5]')}}`, 8), /tensor 't' has an invalid shape \[2.5\]/],
    [craft(`{${f32('[0]')}}`, 8), /tensor 't' has invalid data_offsets \[0\]/],
    [craft(`{${f32('[8,0]')}}`, 8), /end before they begin/],
    [craft(`{${f32('[0,12]')}}`, 12), /tensor 't' of dtype F32 and shape \[2\] needs 8 bytes, but data_offsets \[0, 12\] span 12/],
    [craft(`{${f32('[0,8]')}}`, 4), /data_offsets \[0, 8\] outside the data region of 4 bytes/],
    [craft(`{${f32('[4,12]')}}`, 12), /leaving a gap after byte 0/],
    [craft(`{${f32('[0,8]')},"u":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}`, 8), /tensor 'u' .*overlapping the previous tensor \(which ends at 8\)/],
    [craft(`{${f32('[0,8]')}}`, 10), /the tensors cover 8 bytes but the data region has 10 \(trailing bytes\)/],
    [craft('{"__metadata__":{"a":1}}'), /'__metadata__' value of 'a' is not a string/],
    [craft('{"t":[1]}'), /entry 't' is not an object/],
    // A huge declared shape fails the size check; nothing of that size is allocated.
    [craft(`{${f32('[0,8]', '[4294967296,4294967296]')}}`, 8), /needs \d+ bytes, but data_offsets \[0, 8\] span 8/],
  ];
  cases.forEach(([bytes, message], i) => {
    assert.throws(() => deserialize(bytes, 'case.safetensors'), (e: Error) => {
      assert.ok(e instanceof SafetensorError, `case ${i}: ${e.name}`);
      assert.match(e.message, /^safetensors: case\.safetensors: /, `case ${i}`);
      assert.match(e.message, message, `case ${i}`);
      return true;
    });
    const path = join(dir, `bad${i}.safetensors`);
    writeFileSync(path, bytes);
    assert.throws(() => torch.load(path), (e: Error) => e.message.startsWith(`safetensors: ${path}: `) && message.test(e.message), `case ${i} from a file`);
  });
  const badUtf8 = craft('{"t":"x"}');
  badUtf8[10] = 0xff;
  assert.throws(() => deserialize(badUtf8), /header is not valid UTF-8/);
});

test('a truncated copy of the fixture is refused, whatever the cut', () => {
  const good = readFileSync(fixturePath);
  for (let cut = 0; cut < good.length; cut += 37) assert.throws(() => deserialize(good.subarray(0, cut)), SafetensorError);
});

test('a module state dict survives torch.save and torch.load', () => {
  const a = new torch.nn.Linear(3, 2);
  const b = new torch.nn.Linear(3, 2);
  const path = join(dir, 'linear.safetensors');
  torch.save(a.stateDict(), path);
  b.loadStateDict(torch.load(path));
  const x = torch.randn(4, 3);
  assert.deepEqual(b.forward(x).tolist(), a.forward(x).tolist());
});
