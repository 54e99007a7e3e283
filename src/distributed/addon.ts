// src/distributed/addon.ts — loads kindling_dist, the Gloo addon that `npm install` builds only where
// Debian's libgloo-dev is installed (binding.gyp, scripts/has-gloo.mjs); without it, the reason.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Reports an operation's end: its id and null, or Gloo's error message (Note [Distributed threads]). */
export type Completion = (id: number, error: string | null) => void;

/** A contiguous run of elements the group reads or writes in place. */
export type Elements = Float32Array | Float64Array | Int32Array | Uint8Array;

/** native/src/distributed/addon.cc's Group: every operation reports through the completion callback. */
export interface NativeGroup {
  connectTcp(id: number, host: string, port: number, serve: boolean, deviceHost: string, iface: string): void;
  connectFile(id: number, directory: string, deviceHost: string, iface: string): void;
  allreduce(id: number, tag: number, data: Elements, op: number): void;
  broadcast(id: number, tag: number, data: Elements, root: number): void;
  reduce(id: number, tag: number, data: Elements, op: number, root: number): void;
  allgather(id: number, tag: number, input: Elements, output: Elements): void;
  gather(id: number, tag: number, input: Elements, output: Elements | null, root: number): void;
  scatter(id: number, tag: number, input: Elements | null, output: Elements, root: number): void;
  barrier(id: number, tag: number): void;
  /** Posts the transfer; null, or why it could not be posted. */
  send(id: number, tag: number, data: Elements, dst: number): string | null;
  recv(id: number, tag: number, data: Elements, src: number): string | null;
  ref(): void;
  unref(): void;
  close(): void;
}

/** The addon's exports. */
export interface DistAddon {
  Group: new (rank: number, worldSize: number, timeoutMs: number, onComplete: Completion) => NativeGroup;
}

let cached: DistAddon | Error | undefined;

/** The addon, or why it is not there. */
export function loadDistAddon(): DistAddon | Error {
  if (cached !== undefined) return cached;
  // The same switch that skips building it (scripts/has-gloo.mjs) turns it off at run time.
  if (process.env.KINDLING_GLOO === '0') {
    cached = new Error('KINDLING_GLOO=0 turns torch.distributed off');
    return cached;
  }
  const require = createRequire(import.meta.url);
  // dist/src/distributed/ → the package root, which holds build/.
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const reasons: string[] = [];
  for (const path of [`${root}build/Release/kindling_dist.node`, `${root}build/Debug/kindling_dist.node`]) {
    try {
      cached = require(path) as DistAddon;
      return cached;
    } catch (e) {
      reasons.push(e instanceof Error ? e.message.split('\n')[0] : String(e));
    }
  }
  cached = new Error(reasons.join('; '));
  return cached;
}
