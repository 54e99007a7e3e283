// src/io/safetensors-file.browser.ts — the browser's twin of safetensors-file.ts: a page has no files, so
// save and load refuse, naming what works there instead.
import { RuntimeError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import type { StateDict } from './safetensors.js';

function noFiles(op: string): never {
  throw new RuntimeError(
    `${op}: files need Node; in a browser use torch.loadFromUrl(url) or torch.safetensors.deserialize(bytes) to load, ` +
      'and torch.safetensors.serialize(stateDict) for the bytes to save',
  );
}

/** Refused in a browser (no files): see loadFromUrl and deserialize. */
export function load(_path: string): Record<string, Tensor> {
  return noFiles('load');
}

/** Refused in a browser (no files). */
export function loadMetadata(_path: string): Record<string, string> {
  return noFiles('loadMetadata');
}

/** Refused in a browser (no files): serialize gives the bytes. */
export function save(_tensors: StateDict, _path: string, _metadata?: Readonly<Record<string, string>>): void {
  noFiles('save');
}
