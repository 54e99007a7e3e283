// src/data/idx.ts — the IDX format (MNIST's files) parsed from bytes, on every platform.
import type { DType } from '../core/dtype.js';
import { allocArray } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { fmtShape } from '../core/shape.js';
import { backend } from '../backends/select.js';
import { Tensor } from '../tensor/tensor.js';

/** IDX element types: type code → kindling dtype, bytes per element, big-endian reader. */
const IDX_TYPES: ReadonlyMap<number, { dtype: DType; size: number; read: (v: DataView, at: number) => number }> = new Map([
  [0x08, { dtype: 'uint8', size: 1, read: (v: DataView, at: number) => v.getUint8(at) }],
  [0x09, { dtype: 'int32', size: 1, read: (v: DataView, at: number) => v.getInt8(at) }],
  [0x0b, { dtype: 'int32', size: 2, read: (v: DataView, at: number) => v.getInt16(at) }],
  [0x0c, { dtype: 'int32', size: 4, read: (v: DataView, at: number) => v.getInt32(at) }],
  [0x0d, { dtype: 'float32', size: 4, read: (v: DataView, at: number) => v.getFloat32(at) }],
  [0x0e, { dtype: 'float64', size: 8, read: (v: DataView, at: number) => v.getFloat64(at) }],
]);

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Parses an IDX file (the MNIST format: magic 00 00 <type> <ndim>, big-endian int32 dims, then
 * big-endian elements) into a tensor, checking the magic number, dims and length before allocating.
 * @example parseIdx(bytes, 'train-labels-idx1-ubyte') // tensor([5, 0, 4, ...], dtype=torch.uint8)
 */
export function parseIdx(bytes: Uint8Array, name: string): Tensor {
  const fail = (what: string): never => {
    throw new ValueError(`parseIdx: ${name}: ${what}`);
  };
  if (bytes.length < 4) fail(`not an IDX file: ${bytes.length} bytes, shorter than the 4-byte magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`bad magic number (${hex(bytes.subarray(0, 4))}): an IDX file starts with two zero bytes`);
  }
  const type = IDX_TYPES.get(bytes[2]) ?? fail(`bad magic number (${hex(bytes.subarray(0, 4))}): unknown element type 0x${bytes[2].toString(16)}`);
  const ndim = bytes[3];
  if (ndim === 0) fail('bad magic number: the file declares 0 dimensions');
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    fail(`truncated header: ${ndim} dims need ${headerBytes} header bytes, but the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndim; d++) {
    const n = view.getInt32(4 + 4 * d);
    if (n < 0) fail(`dimension ${d} is negative (${n})`);
    dims.push(n);
  }
  // The product may exceed 2^53 for a corrupt header, but then it cannot equal a real file length.
  const expected = dims.reduce((a, b) => a * b, 1) * type.size;
  const actual = bytes.length - headerBytes;
  if (expected !== actual) {
    const detail = `dims ${fmtShape(dims)} of ${type.size}-byte elements need ${expected} data bytes, but ${actual} follow the header`;
    fail(expected > actual ? `file is truncated: ${detail}` : `file has trailing bytes: ${detail}`);
  }
  const numel = expected / type.size;
  let data;
  if (bytes[2] === 0x08) {
    data = bytes.slice(headerBytes);
  } else {
    data = allocArray(type.dtype, numel);
    for (let i = 0; i < numel; i++) data[i] = type.read(view, headerBytes + i * type.size);
  }
  return new Tensor(backend().fromArray(type.dtype, data), dims);
}

