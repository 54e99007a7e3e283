// src/backends/native/load.browser.ts — the browser's twin of load.ts: no addon there (the JS backend runs the CPU).
import type { CpuBackend } from '../backend.js';
import type { Threads } from './load.js';

/** Always the reason: the native addon is a Node-API module. */
export function loadNative(): Promise<{ backend: CpuBackend; threads: Threads } | Error> {
  return Promise.resolve(new Error('the native addon needs Node'));
}
