// src/distributed/work.ts — Work: the handle an asynchronous collective returns (`asyncOp: true`),
// as PyTorch's `async_op=True` returns a torch.distributed.Work.
/** A pending distributed operation; `await work.wait()` until it has finished. */
export class Work {
  private completed = false;
  private failure: unknown = null;
  private readonly done: Promise<void>;

  /** Wraps the operation's completion. */
  constructor(completion: Promise<void>) {
    this.done = completion.then(
      () => {
        this.completed = true;
      },
      (e: unknown) => {
        this.completed = true;
        this.failure = e;
        throw e;
      },
    );
    // An unobserved failure surfaces through wait(), not as an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** Resolves with true once the operation has finished; rejects with its error (Work.wait). */
  async wait(): Promise<true> {
    await this.done;
    return true;
  }

  /** Whether the operation has finished, successfully or not (Work.is_completed). */
  isCompleted(): boolean {
    return this.completed;
  }

  /** Whether it finished without an error (Work.is_success). */
  isSuccess(): boolean {
    return this.completed && this.failure === null;
  }

  /** The error it failed with, or null (Work.exception). */
  exception(): unknown {
    return this.failure;
  }

  /** A promise of the operation's end (Work.get_future). */
  getFuture(): Promise<void> {
    return this.done;
  }
}
