// bench/device-time.ts — timing work on a GPU, shared by bench/run.ts (--device webgpu) and bench/webgpu-gemm.ts:
// a GPU only queues kernels, so a clock stops after a synchronize, and calls are queued back to back in
// batches so that the synchronize's round trip is spread over many calls.

/**
 * Mean seconds per call of `fn` over about `budget` seconds: batches of 1, 2, 4, … calls queued back to back,
 * each followed by one `synchronize`, until the budget or `maxRuns` calls are spent (at least one batch).
 * Warm up first: the first call compiles the kernels' pipelines.
 */
export async function deviceMeanTime(fn: () => unknown, synchronize: () => Promise<void>, budget: number, maxRuns = 2000): Promise<number> {
  let runs = 0, elapsed = 0;
  for (let batch = 1; runs === 0 || (elapsed < budget * 1000 && runs < maxRuns); batch *= 2) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) fn();
    await synchronize();
    elapsed += performance.now() - start;
    runs += batch;
  }
  return elapsed / 1000 / runs;
}
