// src/backends/native/load.ts — the native backend, loaded on demand (select.ts asks only in Node). The browser
// bundle takes load.browser.ts instead, so the addon's Node-only modules never reach it.
import { setFlagsFromString } from 'node:v8';
import type { CpuBackend } from '../backend.js';

/** The addon's thread-pool controls (torch.setNumThreads). */
export interface Threads {
  setNumThreads(n: number): void;
  getNumThreads(): number;
}

/** The native CPU backend and its thread controls, or why the addon did not load. */
export async function loadNative(): Promise<{ backend: CpuBackend; threads: Threads } | Error> {
  tuneGarbageCollector();
  const { loadAddon } = await import('./addon.js');
  const addon = loadAddon();
  if (addon instanceof Error) return addon;
  const { makeNativeBackend } = await import('./index.js');
  return { backend: makeNativeBackend(addon), threads: addon };
}

/**
 * Turns V8's incremental marking off, unless the command line chose (`node --incremental-marking` keeps it).
 * Tensors' buffers are freed by the collector, and every 64 MB of them a training step allocates starts a
 * mark-compact. Incremental marking runs it alongside the step, on threads that compete with the kernels'
 * threads when the pool uses every core, and keeps the buffers allocated meanwhile alive until the next
 * cycle; one atomic mark-compact of the small JS heap costs less. On 2 cores and 2 threads, the bench's
 * transformer step went from about 65 to 56 ms; on 1 thread (a core free for the marking threads) the two
 * were within the noise (78-82 ms against 80-88). The price is a longer pause per collection for programs
 * with a big JS heap.
 */
function tuneGarbageCollector(): void {
  if (!process.execArgv.some((arg) => arg.endsWith('incremental-marking'))) setFlagsFromString('--no-incremental-marking');
}
