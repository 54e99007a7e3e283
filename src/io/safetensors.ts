// src/io/safetensors.ts — state dicts to and from the safetensors format as bytes, on every platform: the
// validating reader, the writer, and loading from a URL. Files are safetensors-file.ts's (Node only).
import { allocArray, type DType, itemsize } from '../core/dtype.js';
import { KindlingError } from '../core/errors.js';
import { backend } from '../backends/select.js';
import { deviceName } from '../tensor/device.js';
import { Tensor } from '../tensor/tensor.js';

/** A malformed safetensors file or an unsavable state dict (the safetensors library's SafetensorError). */
export class SafetensorError extends KindlingError {
  override name = 'SafetensorError';
}

/** A state dict: tensor names to tensors, as an object or a Map. */
export type StateDict = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;

// The safetensors dtype codes kindling stores, with their rank in the library's Dtype enum: files
// lay tensors out by descending rank (alignment), then by name, and so do we.
const CODES: Record<DType, { code: string; rank: number }> = {
  bool: { code: 'BOOL', rank: 0 },
  uint8: { code: 'U8', rank: 1 },
  int32: { code: 'I32', rank: 9 },
  float32: { code: 'F32', rank: 11 },
  float64: { code: 'F64', rank: 12 },
  int64: { code: 'I64', rank: 13 },
};
const DTYPE_OF: ReadonlyMap<string, DType> = new Map(Object.entries(CODES).map(([dtype, { code }]) => [code, dtype as DType]));

/** The library's MAX_HEADER_SIZE: a larger declared header is refused before anything is read. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextEncoder();

/** Rust's String ordering: bytewise over UTF-8 (JS `<` compares UTF-16 units, which differs past U+FFFF). */
function compareNames(a: string, b: string): number {
  // Rust's String ordering is by UTF-8 bytes, not by JavaScript's UTF-16 code units; no Buffer in browsers.
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** The element bytes of `t` in row-major order, little-endian, in safetensors' encoding of its dtype. */
function tensorBytes(t: Tensor): Uint8Array {
  const values = t.toArray(); // a fresh contiguous copy: non-contiguous views are saved contiguously
  if (t.dtype === 'int64') {
    const out = new Uint8Array(values.length * 8);
    const view = new DataView(out.buffer);
    for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]), true);
    return out;
  }
  if (t.dtype === 'bool') return Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (LITTLE_ENDIAN || values.BYTES_PER_ELEMENT === 1) return raw;
  const size = values.BYTES_PER_ELEMENT;
  return raw.map((_, i) => raw[i - (i % size) + size - 1 - (i % size)]);
}

/**
 * Encodes tensors (and optional string metadata) as a safetensors file, byte for byte as the
 * safetensors library writes it: data ordered by descending dtype alignment then name, header
 * padded with spaces to a multiple of 8.
 * @example serialize({ w: torch.ones(2) }) // Uint8Array [64, 0, 0, 0, 0, 0, 0, 0, 123, ...]
 */
export function serialize(tensors: StateDict, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors : Object.entries(tensors))] as [string, Tensor][];
  for (const [name, t] of entries) {
    if (name === METADATA_KEY) throw new SafetensorError(`safetensors: '${METADATA_KEY}' is reserved and cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new SafetensorError(`safetensors: '${name}' is not a Tensor`);
    if (t.storage.device !== 'cpu') {
      throw new SafetensorError(
        `safetensors: '${name}' is on ${deviceName(t.storage.device)}, which cannot be read synchronously; save a CPU copy (await t.cpuAsync())`,
      );
    }
  }
  entries.sort(([a, x], [b, y]) => CODES[y.dtype].rank - CODES[x.dtype].rank || compareNames(a, b));
  // The header is assembled by hand: JSON.stringify would move integer-like keys ("0") to the front.
  const parts: string[] = [];
  if (metadata !== undefined) {
    const keys = Object.keys(metadata).sort(compareNames);
    for (const k of keys) {
      if (typeof metadata[k] !== 'string') throw new SafetensorError(`safetensors: metadata value of '${k}' is not a string`);
    }
    parts.push(`"${METADATA_KEY}":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  const blobs = entries.map(([, t]) => tensorBytes(t));
  let offset = 0;
  entries.forEach(([name, t], i) => {
    const end = offset + blobs[i].length;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${CODES[t.dtype].code}","shape":[${t.dims.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  });
  const json = utf8.encode(`{${parts.join(',')}}`);
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerBytes + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  let at = 8 + headerBytes;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.length;
  }
  return out;
}

/** One tensor's header entry, validated. */
interface Entry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

/** A parsed and fully validated header: where each tensor's bytes lie in the data region. */
export interface Header {
  readonly headerBytes: number;
  readonly entries: Entry[];
  readonly metadata: Record<string, string>;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Reads and checks the 8-byte header length against the file size. */
export function headerLength(prefix: Uint8Array, fileBytes: number, fail: (what: string) => never): number {
  if (fileBytes < 8) fail(`file is too small (${fileBytes} bytes) to hold the 8-byte header length`);
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} is too large (the limit is ${MAX_HEADER_BYTES} bytes)`);
  if (Number(n) > fileBytes - 8) fail(`header length ${n} runs past the end of the file (${fileBytes} bytes)`);
  return Number(n);
}

/** Parses the JSON header and checks every entry against a data region of `dataBytes` bytes. */
export function parseHeader(json: Uint8Array, dataBytes: number, fail: (what: string) => never): Omit<Header, 'headerBytes'> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    return fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(`header does not start with '{'`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('header is not a JSON object');
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) fail(`'${METADATA_KEY}' is not an object`);
      for (const [k, v] of Object.entries(info as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`'${METADATA_KEY}' value of '${k}' is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    entries.push(parseEntry(name, info, fail));
  }
  // Offsets must tile the data region exactly: in order, no gaps, no overlaps, nothing left over.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of entries) {
    if (e.end > dataBytes) fail(`tensor '${e.name}' has data_offsets [${e.begin}, ${e.end}] outside the data region of ${dataBytes} bytes`);
    if (e.begin < covered) fail(`tensor '${e.name}' has data_offsets [${e.begin}, ${e.end}] overlapping the previous tensor (which ends at ${covered})`);
    if (e.begin > covered) fail(`tensor '${e.name}' has data_offsets [${e.begin}, ${e.end}] leaving a gap after byte ${covered}`);
    covered = e.end;
  }
  if (covered !== dataBytes) fail(`the tensors cover ${covered} bytes but the data region has ${dataBytes} (trailing bytes)`);
  return { entries, metadata };
}

/** Validates one tensor entry: known dtype, a shape of counts, and offsets spanning shape × itemsize bytes. */
function parseEntry(name: string, info: unknown, fail: (what: string) => never): Entry {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) return fail(`entry '${name}' is not an object`);
  const { dtype: code, shape, data_offsets: offsets } = info as Record<string, unknown>;
  const dtype = typeof code === 'string' ? DTYPE_OF.get(code) : undefined;
  if (dtype === undefined) {
    return fail(`tensor '${name}' has unsupported dtype ${JSON.stringify(code)} (kindling reads ${[...DTYPE_OF.keys()].join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) return fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    return fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`tensor '${name}' has data_offsets [${begin}, ${end}] that end before they begin`);
  const nbytes = (shape).reduce((a, b) => a * b, itemsize(dtype));
  if (nbytes !== end - begin) {
    fail(`tensor '${name}' of dtype ${code as string} and shape [${(shape).join(', ')}] needs ${nbytes} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype, shape: shape, begin, end };
}

/** Decodes one tensor from its validated bytes. */
function decode(e: Entry, bytes: Uint8Array): Tensor {
  const numel = (e.end - e.begin) / itemsize(e.dtype);
  const data = allocArray(e.dtype, numel);
  const view = new DataView(bytes.buffer, bytes.byteOffset + e.begin, e.end - e.begin);
  switch (e.dtype) {
    case 'bool':
    case 'uint8':
      for (let i = 0; i < numel; i++) data[i] = e.dtype === 'bool' ? (view.getUint8(i) !== 0 ? 1 : 0) : view.getUint8(i);
      break;
    case 'int32':
      for (let i = 0; i < numel; i++) data[i] = view.getInt32(i * 4, true);
      break;
    case 'int64':
      // Note [int64 storage]: values beyond ±2^53 are rounded to the nearest double (lossy).
      for (let i = 0; i < numel; i++) data[i] = Number(view.getBigInt64(i * 8, true));
      break;
    case 'float32':
      for (let i = 0; i < numel; i++) data[i] = view.getFloat32(i * 4, true);
      break;
    case 'float64':
      for (let i = 0; i < numel; i++) data[i] = view.getFloat64(i * 8, true);
      break;
  }
  return new Tensor(backend().fromArray(e.dtype, data), e.shape);
}

export function failer(source: string): (what: string) => never {
  return (what) => {
    throw new SafetensorError(`safetensors: ${source}: ${what}`);
  };
}

/** Tensors keyed by name in sorted order (Object.fromEntries defines own keys, so '__proto__' is safe). */
export function toRecord(entries: readonly Entry[], data: Uint8Array): Record<string, Tensor> {
  const sorted = [...entries].sort((a, b) => compareNames(a.name, b.name));
  return Object.fromEntries(sorted.map((e) => [e.name, decode(e, data)]));
}

/** Parses and validates a whole file in memory. */
function parseBytes(bytes: Uint8Array, source: string): Header {
  const fail = failer(source);
  const n = headerLength(bytes, bytes.length, fail);
  return { headerBytes: n, ...parseHeader(bytes.subarray(8, 8 + n), bytes.length - 8 - n, fail) };
}

/**
 * Decodes safetensors bytes into tensors, validating the whole header before allocating any tensor.
 * @example deserialize(serialize({ w: torch.ones(2) })).w // tensor([1., 1.])
 */
export function deserialize(bytes: Uint8Array, source = '<bytes>'): Record<string, Tensor> {
  const { headerBytes, entries } = parseBytes(bytes, source);
  return toRecord(entries, bytes.subarray(8 + headerBytes));
}

/**
 * Fetches a safetensors file and decodes it (Node 18+ and browsers): weights served next to a page, or
 * from any URL `fetch` reaches.
 * @example model.loadStateDict(await torch.loadFromUrl('/out/lenet5.safetensors'))
 */
export async function loadFromUrl(url: string): Promise<Record<string, Tensor>> {
  const response = await fetch(url);
  if (!response.ok) throw new SafetensorError(`loadFromUrl: ${url}: HTTP ${response.status} ${response.statusText}`);
  return deserialize(new Uint8Array(await response.arrayBuffer()), url);
}
