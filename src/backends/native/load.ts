// src/backends/native/load.ts — the native backend, loaded on demand (select.ts asks only in Node). The browser
// bundle takes load.browser.ts instead, so the addon's Node-only modules never reach it.
import type { CpuBackend } from '../backend.js';

/** The addon's thread-pool controls (torch.setNumThreads). */
export interface Threads {
  setNumThreads(n: number): void;
  getNumThreads(): number;
}

/** The native CPU backend and its thread controls, or why the addon did not load. */
export async function loadNative(): Promise<{ backend: CpuBackend; threads: Threads } | Error> {
  const { loadAddon } = await import('./addon.js');
  const addon = loadAddon();
  if (addon instanceof Error) return addon;
  const { makeNativeBackend } = await import('./index.js');
  return { backend: makeNativeBackend(addon), threads: addon };
}
