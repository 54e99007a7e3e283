// src/backends/select.ts — picks the backend once at load time: native when the addon loads,
// else the JS reference (with a one-line notice); KINDLING_BACKEND=js forces the reference.
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

interface Threads {
  setNumThreads(n: number): void;
  getNumThreads(): number;
}

let current: Backend = jsBackend;
let threads: Threads | null = null;

// Node's types promise process.versions, but a browser bundle's `process` shim may lack it.
const versions: { node?: string } | undefined = typeof process !== 'undefined' ? process.versions : undefined;
const env = versions?.node ? process.env : null;
if (env !== null && env.KINDLING_BACKEND !== 'js') {
  const { loadAddon } = await import('./native/addon.js');
  const addon = loadAddon();
  if (addon instanceof Error) {
    const reason = addon.message.split('\n')[0];
    process.stderr.write(`kindling: native backend unavailable (${reason}); using the JavaScript backend\n`);
  } else {
    const { makeNativeBackend } = await import('./native/index.js');
    current = makeNativeBackend(addon);
    threads = addon;
  }
}

/** The backend every op runs on. */
export function backend(): Backend {
  return current;
}

/** Replaces the backend (tests run kernels on each one). */
export function setBackend(be: Backend): void {
  current = be;
}

/** torch.set_num_threads: threads used by the native kernels (the JS backend has one). */
export function setNumThreads(n: number): void {
  threads?.setNumThreads(n);
}

/** torch.get_num_threads. */
export function getNumThreads(): number {
  return threads?.getNumThreads() ?? 1;
}

/** Which backend runs the kernels: 'native' or 'js'. */
export function backendName(): Backend['name'] {
  return current.name;
}
