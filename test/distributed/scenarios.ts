// test/distributed/scenarios.ts — what each rank of a distributed test does (worker.ts runs one by
// name). Every rank computes the values it expects from the ranks' known inputs, in typed arrays
// of the dtype's storage type (so uint8 wraps as Gloo's arithmetic does), and reports mismatches.
import * as torch from '../../src/index.js';
import type { DType, Tensor } from '../../src/index.js';
import { arrayType, type DataArray } from '../../src/core/dtype.js';
import type { CpuStorage } from '../../src/backends/backend.js';
import type { Report } from './worker.js';

const dist = torch.distributed;
type ReduceOp = torch.distributed.ReduceOp;
const DTYPES: DType[] = ['float32', 'float64', 'int32', 'int64', 'uint8'];
const SIZES = [0, 1, 1 << 20];

const inputs = new Map<string, DataArray>();

/** Rank r's input: small integers, so that sums and products are exact in every dtype (read-only, shared). */
function inputArray(rank: number, n: number, dtype: DType): DataArray {
  const key = `${rank} ${n} ${dtype}`;
  let a = inputs.get(key);
  if (a === undefined) {
    a = new (arrayType(dtype))(n);
    for (let i = 0; i < n; i++) a[i] = rank + 1 + (i % 5);
    inputs.set(key, a);
  }
  return a;
}

/** A fresh tensor holding rank r's input (written straight into its storage: 1M-element inputs are many). */
function input(rank: number, n: number, dtype: DType): Tensor {
  const t = torch.empty([n], { dtype });
  (t.storage as CpuStorage).data.set(inputArray(rank, n, dtype));
  return t;
}

type Fold = (a: number, b: number) => number;
const FOLDS: Record<'sum' | 'product' | 'min' | 'max', Fold> = {
  sum: (a, b) => a + b,
  product: (a, b) => a * b,
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
};

/** The reduction of every rank's input, element by element, in the dtype's storage type. */
function folded(size: number, n: number, dtype: DType, op: ReduceOp): DataArray {
  const out = inputArray(0, n, dtype).slice();
  const f = FOLDS[op === 'avg' ? 'sum' : op];
  for (let r = 1; r < size; r++) {
    const x = inputArray(r, n, dtype);
    for (let i = 0; i < n; i++) out[i] = f(out[i], x[i]);
  }
  if (op === 'avg') for (let i = 0; i < n; i++) out[i] /= size;
  return out;
}

function expectArray(report: Report, what: string, got: Tensor, want: DataArray): void {
  const a = got.toArray();
  if (a.length !== want.length) {
    report.failures.push(`${what}: ${a.length} elements, expected ${want.length}`);
    return;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== want[i]) {
      report.failures.push(`${what}: element ${i} is ${a[i]}, expected ${want[i]}`);
      return;
    }
  }
}

async function collectives(report: Report): Promise<void> {
  const rank = dist.getRank(), size = dist.getWorldSize();
  const backend: string = dist.getBackend();
  if (backend !== 'gloo') report.failures.push(`backend ${backend}`);
  for (const dtype of DTYPES) {
    for (const n of SIZES) {
      const ops: ReduceOp[] = ['sum', 'product', 'min', 'max'];
      if (dtype.startsWith('float')) ops.push('avg');
      for (const op of ops) {
        const t = input(rank, n, dtype);
        await dist.allReduce(t, { op });
        expectArray(report, `allReduce ${op} ${dtype} ${n}`, t, folded(size, n, dtype, op));
      }
      const root = size - 1;
      const b = input(rank, n, dtype);
      await dist.broadcast(b, root);
      expectArray(report, `broadcast ${dtype} ${n}`, b, inputArray(root, n, dtype));

      const r = input(rank, n, dtype);
      await dist.reduce(r, 0, { op: 'max' });
      if (rank === 0) expectArray(report, `reduce ${dtype} ${n}`, r, folded(size, n, dtype, 'max'));

      const list = Array.from({ length: size }, () => torch.zeros([n], { dtype }));
      await dist.allGather(list, input(rank, n, dtype));
      list.forEach((x, i) => { expectArray(report, `allGather ${dtype} ${n} [${i}]`, x, inputArray(i, n, dtype)); });

      const dst = 1 % size;
      const gathered = rank === dst ? Array.from({ length: size }, () => torch.zeros([n], { dtype })) : null;
      await dist.gather(input(rank, n, dtype), gathered, dst);
      gathered?.forEach((x, i) => { expectArray(report, `gather ${dtype} ${n} [${i}]`, x, inputArray(i, n, dtype)); });

      const out = torch.zeros([n], { dtype });
      await dist.scatter(out, rank === 0 ? Array.from({ length: size }, (_, i) => input(i, n, dtype)) : null, 0);
      expectArray(report, `scatter ${dtype} ${n}`, out, inputArray(rank, n, dtype));

      // A ring: every rank posts its receive before its send, as PyTorch's irecv/isend allow.
      const from = (rank + size - 1) % size, to = (rank + 1) % size;
      const got = torch.zeros([n], { dtype });
      const recvWork = dist.irecv(got, from);
      const sendWork = dist.isend(input(rank, n, dtype), to);
      await Promise.all([recvWork.wait(), sendWork.wait()]);
      expectArray(report, `send/recv ${dtype} ${n}`, got, inputArray(from, n, dtype));
    }
  }
  await misc(report, rank, size);
}

async function misc(report: Report, rank: number, size: number): Promise<void> {
  // asyncOp returns a Work; several in flight complete in issue order on every rank.
  const works = [1, 2, 3].map((k) => {
    const t = torch.full([3], k * (rank + 1));
    return { t, k, work: dist.allReduce(t, { asyncOp: true }) };
  });
  for (const { t, k, work } of works) {
    const waited: unknown = await work.wait();
    if (waited !== true || !work.isCompleted() || !work.isSuccess()) report.failures.push('Work.wait');
    expectArray(report, `async allReduce ${k}`, t, new Float32Array(3).fill((k * size * (size + 1)) / 2));
  }
  const flag = torch.tensor([rank === 0, true, false]);
  await dist.broadcast(flag, 0);
  expectArray(report, 'broadcast bool', flag, new Uint8Array([1, 1, 0]));
  // A view's elements, in place: the second row of a 2×3 matrix.
  const m = torch.zeros([2, 3]).add(rank + 1);
  await dist.allReduce(m.get(1));
  expectArray(report, 'allReduce of a row view', m, new Float32Array([rank + 1, rank + 1, rank + 1, ...Array<number>(3).fill((size * (size + 1)) / 2)]));
  await dist.barrier();
  if (size >= 2 && rank < 2) {
    const x = torch.tensor([rank + 10]);
    if (rank === 0) await dist.send(x, 1, { tag: 7 });
    else if ((await dist.recv(x, 0, { tag: 7 })) !== 0 || x.item() !== 10) report.failures.push('recv with a tag');
  }
  await dist.barrier();
  await dist.initProcessGroup().then(
    () => report.failures.push('initProcessGroup twice: did not reject'),
    (e: unknown) => {
      if (!String(e).includes('trying to initialize the default process group twice!')) report.failures.push(`twice: ${String(e)}`);
    },
  );
  errors(report);
}

function errors(report: Report): void {
  const expectThrow = (what: string, f: () => unknown, match: RegExp): void => {
    try {
      f();
      report.failures.push(`${what}: did not throw`);
    } catch (e) {
      if (!(e instanceof Error) || !match.test(e.message)) report.failures.push(`${what}: threw ${String(e)}`);
    }
  };
  expectThrow('bool allReduce', () => dist.allReduce(torch.tensor([true])), /Invalid scalar type/);
  expectThrow('avg on ints', () => dist.allReduce(torch.tensor([1], { dtype: 'int32' }), { op: 'avg' }), /AVG needs a floating-point tensor/);
  expectThrow('invalid root', () => dist.broadcast(torch.zeros(2), 9), /ProcessGroupGloo::broadcast: invalid root rank: 9/);
  expectThrow('non-contiguous', () => dist.allReduce(torch.zeros(2, 3).t()), /input tensor has to be contiguous/);
  expectThrow('allGather list', () => dist.allGather([torch.zeros(2)], torch.zeros(2)), /invalid output tensor list at index 0/);
  expectThrow('send to self', () => dist.isend(torch.zeros(1), dist.getRank()), /should not be the same as the rank of the current process/);
}

/**
 * Rank 1 is killed (SIGKILL) while its allReduce is in flight; the other ranks' collectives must
 * fail with an error well before the group's timeout, not hang.
 */
async function killedRank(report: Report): Promise<void> {
  const big = torch.ones(1 << 20);
  if (dist.getRank() === 1) {
    void dist.allReduce(big).catch(() => undefined);
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 20);
    await new Promise(() => undefined);
  }
  const started = Date.now();
  try {
    for (let i = 0; i < 1000; i++) await dist.allReduce(big);
    report.failures.push('allReduce kept succeeding after rank 1 was killed');
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
    report.elapsedMs = Date.now() - started;
  }
}

/** One allReduce: enough to show that a rendezvous worked. */
async function smoke(report: Report): Promise<void> {
  const t = torch.tensor([dist.getRank() + 1]);
  await dist.allReduce(t);
  report.values = [t.item(), dist.getWorldSize()];
}

/** Rank 1 never joins rank 0's allReduce: rank 0 must fail after the group's timeout. */
async function straggler(report: Report): Promise<void> {
  if (dist.getRank() === 1) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    return;
  }
  const started = Date.now();
  try {
    await dist.allReduce(torch.ones(4));
    report.failures.push('allReduce succeeded without rank 1');
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
    report.elapsedMs = Date.now() - started;
  }
}

/** destroyProcessGroup with an allReduce in flight (rank 1 never joins it): the promise rejects at once. */
async function destroyInFlight(report: Report): Promise<void> {
  if (dist.getRank() === 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    return;
  }
  const started = Date.now();
  const op = dist.allReduce(torch.ones(4));
  dist.destroyProcessGroup();
  try {
    await op;
    report.failures.push('allReduce succeeded after destroy');
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
    report.elapsedMs = Date.now() - started;
  }
}

/** Only used to check initialization against a group that never fills. */
async function idle(_report: Report): Promise<void> {
  await Promise.resolve();
}

export const scenarios: Record<string, (report: Report) => Promise<void>> = { collectives, killedRank, smoke, straggler, destroyInFlight, idle };
