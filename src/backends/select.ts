// src/backends/select.ts — picks the backend once at load time.
import type { Backend } from './backend.js';
import { jsBackend } from './js/index.js';

let current: Backend = jsBackend;

/** The backend every op runs on. */
export function backend(): Backend {
  return current;
}

/** Replaces the backend (tests run the suite on each one). */
export function setBackend(be: Backend): void {
  current = be;
}
