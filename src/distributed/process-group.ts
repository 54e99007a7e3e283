// src/distributed/process-group.ts — ProcessGroupGloo: one group's native handle, the operations in
// flight, and the tag counter that makes every rank's n-th collective meet its peers' n-th
// (Note [Distributed threads] in native/src/distributed/addon.cc).
import { RuntimeError } from '../core/errors.js';
import type { Elements, NativeGroup } from './addon.js';

interface Pending {
  resolve(): void;
  reject(e: Error): void;
  // The buffers the native thread reads or writes; holding them here keeps them alive until it is done.
  keep: readonly (Elements | null)[];
}

/** A process group on Gloo: rank, size, and operations that complete on threads of their own. */
export class ProcessGroupGloo {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextTag = 0;
  private destroyed = false;
  readonly native: NativeGroup;

  constructor(
    readonly rank: number,
    readonly size: number,
    readonly timeoutMs: number,
    makeNative: (onComplete: (id: number, error: string | null) => void) => NativeGroup,
  ) {
    this.native = makeNative((id, error) => {
      this.complete(id, error);
    });
  }

  /** The backend's name (dist.get_backend). */
  get backendName(): 'gloo' {
    return 'gloo';
  }

  /** The next collective tag; every rank draws them in the same order. */
  tag(): number {
    const tag = this.nextTag;
    this.nextTag = (this.nextTag + 1) >>> 0;
    return tag;
  }

  /**
   * Starts an operation: `start(id)` hands it to the addon, `keep` lists the buffers it uses. The
   * promise settles when the addon reports its end.
   */
  run(keep: readonly (Elements | null)[], start: (id: number) => unknown): Promise<void> {
    if (this.destroyed) return Promise.reject(new RuntimeError('the process group was destroyed'));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      if (this.pending.size === 0) this.native.ref();
      this.pending.set(id, { resolve, reject, keep });
      const refused = start(id);
      if (typeof refused === 'string') this.complete(id, refused);
    });
  }

  private complete(id: number, error: string | null): void {
    const op = this.pending.get(id);
    if (op === undefined) return;
    this.pending.delete(id);
    if (this.pending.size === 0 && !this.destroyed) this.native.unref();
    if (error === null) op.resolve();
    else op.reject(new RuntimeError(error));
  }

  /** Breaks the connections: operations in flight fail at once, and the group cannot be used again. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.native.close();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const op of pending) op.reject(new RuntimeError('the process group was destroyed while this operation was in flight'));
  }
}
