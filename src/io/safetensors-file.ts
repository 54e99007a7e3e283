// src/io/safetensors-file.ts — safetensors files: the header read and checked before the data, and atomic
// saves. Node only: the browser bundle takes safetensors-file.browser.ts, which refuses clearly.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic-write.js';
import { failer, type Header, headerLength, parseHeader, SafetensorError, serialize, type StateDict, toRecord } from './safetensors.js';

/** Reads exactly `length` bytes at `position` of an open file. */
function readAt(fd: number, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new SafetensorError(`safetensors: file shrank while being read`);
    done += n;
  }
  return out;
}

/** Reads and validates the header of a file, then hands the open descriptor to `then`. */
function withHeader<R>(path: string, then: (fd: number, header: Header) => R): R {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const fail = failer(path);
    const n = headerLength(readAt(fd, 0, Math.min(8, size)), size, fail);
    const { entries, metadata } = parseHeader(readAt(fd, 8, n), size - 8 - n, fail);
    return then(fd, { headerBytes: n, entries, metadata });
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads a safetensors file. The header is read and checked first, so a corrupt file never causes a
 * large allocation; only then is the data region read.
 * @example torch.load('model.safetensors') // { 'fc.weight': tensor(...), 'fc.bias': tensor(...) }
 */
export function load(path: string): Record<string, Tensor> {
  return withHeader(path, (fd, { headerBytes, entries }) => {
    const dataBytes = fstatSync(fd).size - 8 - headerBytes;
    return toRecord(entries, readAt(fd, 8 + headerBytes, dataBytes));
  });
}

/** The `__metadata__` strings of a safetensors file (an empty object when it has none). */
export function loadMetadata(path: string): Record<string, string> {
  return withHeader(path, (_, header) => header.metadata);
}

/**
 * Saves tensors to `path` atomically: the bytes go to a temporary file in the same directory, which is
 * fsynced and then renamed over `path`, so a crash never leaves a truncated file there; temporaries
 * that killed saves left beside `path` are removed.
 * @example torch.save(model.stateDict(), 'model.safetensors')
 */
export function save(tensors: StateDict, path: string, metadata?: Readonly<Record<string, string>>): void {
  writeFileAtomic(path, serialize(tensors, metadata));
}
