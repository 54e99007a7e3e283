// src/distributed/collectives.ts — the collectives and point-to-point transfers on CPU tensors of the
// default group (dist.all_reduce, broadcast, all_gather, reduce, gather, scatter, barrier, send, recv).
// Tensors are read and written in place through their storage arrays; results land before the
// promise resolves (or the Work completes).
import { isFloating, TYPE_NAMES } from '../core/dtype.js';
import { RuntimeError, ValueError } from '../core/errors.js';
import type { CpuStorage } from '../backends/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Elements } from './addon.js';
import { requireGroup } from './init.js';
import type { ProcessGroupGloo } from './process-group.js';
import { Work } from './work.js';

/** dist.ReduceOp: how allReduce and reduce combine the ranks' values. */
export const ReduceOp = { SUM: 'sum', PRODUCT: 'product', MIN: 'min', MAX: 'max', AVG: 'avg' } as const;
/** One of ReduceOp's values. */
export type ReduceOp = (typeof ReduceOp)[keyof typeof ReduceOp];

const NATIVE_OP: Record<ReduceOp, number> = { sum: 0, product: 1, min: 2, max: 3, avg: 0 };

/** `asyncOp: true` returns a Work instead of a promise (PyTorch's async_op=True). */
export interface AsyncOptions {
  asyncOp?: boolean;
}
/** Options of the reducing collectives. */
export interface ReduceOptions extends AsyncOptions {
  op?: ReduceOp;
}
/** A collective's result: a promise, or a Work when `asyncOp` is true. */
export type Result<O> = O extends { asyncOp: true } ? Work : Promise<void>;

function finish<O extends AsyncOptions>(options: O, done: Promise<void>): Result<O> {
  return (options.asyncOp === true ? new Work(done) : done) as Result<O>;
}

/** The tensor's elements, in place, after PyTorch's checks for a Gloo tensor. */
function elements(op: string, t: Tensor): Elements {
  if (t.storage.device !== 'cpu') {
    throw new RuntimeError(`${op}: Gloo works on CPU tensors; got a tensor on ${t.device.toString()} (move it with .to('cpu'))`);
  }
  if (!t.isContiguous()) throw new RuntimeError(`${op}: input tensor has to be contiguous`);
  return (t.storage as CpuStorage).data.subarray(t.offset, t.offset + t.numel());
}

function checkRoot(op: string, group: ProcessGroupGloo, root: number): void {
  if (!Number.isInteger(root) || root < 0 || root >= group.size) throw new RuntimeError(`ProcessGroupGloo::${op}: invalid root rank: ${root}`);
}

function checkReducible(op: string, t: Tensor, reduceOp: ReduceOp): void {
  if (t.dtype === 'bool') throw new RuntimeError(`${op}: Invalid scalar type (Gloo does not reduce bool tensors)`);
  if (reduceOp === 'avg' && !isFloating(t.dtype)) {
    throw new RuntimeError(`${op}: ReduceOp.AVG needs a floating-point tensor (got ${TYPE_NAMES[t.dtype]})`);
  }
}

/** Checks a list of per-rank tensors against `t`: one per rank, same dtype and size. */
function checkList(op: string, group: ProcessGroupGloo, list: readonly Tensor[], t: Tensor, what: string): void {
  if (list.length !== group.size) {
    throw new RuntimeError(`ProcessGroupGloo::${op}: invalid ${what} tensor list at index 0 (expected length ${group.size}, got ${list.length})`);
  }
  list.forEach((x, i) => {
    if (x.dtype !== t.dtype) {
      throw new RuntimeError(`ProcessGroupGloo::${op}: invalid tensor type at index ${i} (expected ${TYPE_NAMES[t.dtype]}, got ${TYPE_NAMES[x.dtype]})`);
    }
    if (x.numel() !== t.numel()) {
      throw new RuntimeError(`ProcessGroupGloo::${op}: invalid tensor size at index ${i} (expected (${t.numel()}), got (${x.numel()}))`);
    }
  });
}

function written(...tensors: Tensor[]): void {
  for (const t of tensors) t.storage.version++;
}

/** A staging array for `parts` × `n` elements of the tensor's storage type. */
function staging(data: Elements, parts: number, n: number): Elements {
  const Ctor = data.constructor as new (length: number) => Elements;
  return new Ctor(parts * n);
}

/**
 * Combines `tensor` across all ranks, in place on every rank (dist.all_reduce).
 * @example await dist.allReduce(t, { op: dist.ReduceOp.SUM });
 */
export function allReduce<O extends ReduceOptions = ReduceOptions>(tensor: Tensor, options: O = {} as O): Result<O> {
  const group = requireGroup();
  const op = options.op ?? 'sum';
  checkReducible('allReduce', tensor, op);
  const data = elements('allReduce', tensor);
  const done = group
    .run([data], (id) => {
      group.native.allreduce(id, group.tag(), data, NATIVE_OP[op]);
    })
    .then(() => {
      if (op === 'avg') for (let i = 0; i < data.length; i++) data[i] /= group.size;
      written(tensor);
    });
  return finish(options, done);
}

/** Copies `src`'s tensor into `tensor` on every other rank (dist.broadcast). */
export function broadcast<O extends AsyncOptions = AsyncOptions>(tensor: Tensor, src: number, options: O = {} as O): Result<O> {
  const group = requireGroup();
  checkRoot('broadcast', group, src);
  const data = elements('broadcast', tensor);
  const done = group
    .run([data], (id) => {
      group.native.broadcast(id, group.tag(), data, src);
    })
    .then(() => {
      if (group.rank !== src) written(tensor);
    });
  return finish(options, done);
}

/** Combines `tensor` across ranks into `dst`'s tensor (dist.reduce); other ranks' tensors are scratch. */
export function reduce<O extends ReduceOptions = ReduceOptions>(tensor: Tensor, dst: number, options: O = {} as O): Result<O> {
  const group = requireGroup();
  const op = options.op ?? 'sum';
  checkRoot('reduce', group, dst);
  checkReducible('reduce', tensor, op);
  const data = elements('reduce', tensor);
  const done = group
    .run([data], (id) => {
      group.native.reduce(id, group.tag(), data, NATIVE_OP[op], dst);
    })
    .then(() => {
      if (op === 'avg' && group.rank === dst) for (let i = 0; i < data.length; i++) data[i] /= group.size;
      written(tensor);
    });
  return finish(options, done);
}

/** Fills `tensorList[r]` with rank r's `tensor`, on every rank (dist.all_gather). */
export function allGather<O extends AsyncOptions = AsyncOptions>(tensorList: readonly Tensor[], tensor: Tensor, options: O = {} as O): Result<O> {
  const group = requireGroup();
  checkList('allgather', group, tensorList, tensor, 'output');
  const data = elements('allGather', tensor);
  const outs = tensorList.map((t) => elements('allGather', t));
  const flat = staging(data, group.size, data.length);
  const done = group
    .run([data, flat], (id) => {
      group.native.allgather(id, group.tag(), data, flat);
    })
    .then(() => {
      outs.forEach((out, r) => {
        out.set(flat.subarray(r * data.length, (r + 1) * data.length));
      });
      written(...tensorList);
    });
  return finish(options, done);
}

/** Collects every rank's `tensor` into `gatherList` on `dst` (dist.gather); other ranks pass null. */
export function gather<O extends AsyncOptions = AsyncOptions>(
  tensor: Tensor, gatherList: readonly Tensor[] | null = null, dst = 0, options: O = {} as O,
): Result<O> {
  const group = requireGroup();
  checkRoot('gather', group, dst);
  const isRoot = group.rank === dst;
  if (isRoot && gatherList === null) throw new ValueError('Argument ``gather_list`` must be specified on destination rank.');
  if (!isRoot && gatherList !== null && gatherList.length > 0) {
    throw new ValueError('Argument ``gather_list`` must NOT be specified on non-destination ranks.');
  }
  const list = isRoot && gatherList !== null ? gatherList : [];
  if (isRoot) checkList('gather', group, list, tensor, 'output');
  const data = elements('gather', tensor);
  const outs = list.map((t) => elements('gather', t));
  const flat = isRoot ? staging(data, group.size, data.length) : null;
  const done = group
    .run([data, flat], (id) => {
      group.native.gather(id, group.tag(), data, flat, dst);
    })
    .then(() => {
      if (flat === null) return;
      outs.forEach((out, r) => {
        out.set(flat.subarray(r * data.length, (r + 1) * data.length));
      });
      written(...list);
    });
  return finish(options, done);
}

/** Sends `scatterList[r]` from `src` into rank r's `tensor` (dist.scatter); other ranks pass null. */
export function scatter<O extends AsyncOptions = AsyncOptions>(
  tensor: Tensor, scatterList: readonly Tensor[] | null = null, src = 0, options: O = {} as O,
): Result<O> {
  const group = requireGroup();
  checkRoot('scatter', group, src);
  const isRoot = group.rank === src;
  if (isRoot && scatterList === null) throw new ValueError('Argument ``scatter_list`` must be specified on source rank.');
  if (!isRoot && scatterList !== null && scatterList.length > 0) {
    throw new ValueError('Argument ``scatter_list`` must NOT be specified on non-source ranks.');
  }
  const data = elements('scatter', tensor);
  let flat: Elements | null = null;
  if (isRoot && scatterList !== null) {
    checkList('scatter', group, scatterList, tensor, 'input');
    const parts = scatterList.map((t) => elements('scatter', t));
    const stage = staging(data, group.size, data.length);
    parts.forEach((part, r) => {
      stage.set(part, r * data.length);
    });
    flat = stage;
  }
  const done = group
    .run([data, flat], (id) => {
      group.native.scatter(id, group.tag(), flat, data, src);
    })
    .then(() => {
      written(tensor);
    });
  return finish(options, done);
}

/** Waits until every rank has reached its barrier (dist.barrier). */
export function barrier<O extends AsyncOptions = AsyncOptions>(options: O = {} as O): Result<O> {
  const group = requireGroup();
  return finish(
    options,
    group.run([], (id) => {
      group.native.barrier(id, group.tag());
    }),
  );
}

/** Options of send and recv: the message tag that pairs them (default 0). */
export interface P2POptions {
  tag?: number;
}

function checkPeer(op: string, group: ProcessGroupGloo, peer: number, what: 'destination' | 'source'): void {
  if (!Number.isInteger(peer) || peer < 0 || peer >= group.size) {
    throw new RuntimeError(`${op}: Invalid ${what} rank ${peer} (world size ${group.size})`);
  }
  if (peer === group.rank) throw new ValueError(`Invalid ${what} rank: should not be the same as the rank of the current process.`);
}

/** Sends `tensor` to rank `dst`, returning a Work (dist.isend). */
export function isend(tensor: Tensor, dst: number, options: P2POptions = {}): Work {
  const group = requireGroup();
  checkPeer('isend', group, dst, 'destination');
  const data = elements('isend', tensor);
  const tag = options.tag ?? 0;
  return new Work(group.run([data], (id) => group.native.send(id, tag, data, dst)));
}

/** Receives into `tensor` from rank `src`, returning a Work (dist.irecv). */
export function irecv(tensor: Tensor, src: number, options: P2POptions = {}): Work {
  const group = requireGroup();
  checkPeer('irecv', group, src, 'source');
  const data = elements('irecv', tensor);
  const tag = options.tag ?? 0;
  return new Work(
    group
      .run([data], (id) => group.native.recv(id, tag, data, src))
      .then(() => {
        written(tensor);
      }),
  );
}

/** Sends `tensor` to rank `dst`; resolves once it has been handed over (dist.send). */
export async function send(tensor: Tensor, dst: number, options: P2POptions = {}): Promise<void> {
  await isend(tensor, dst, options).wait();
}

/** Receives into `tensor` from rank `src`; resolves with the sender's rank (dist.recv). */
export async function recv(tensor: Tensor, src: number, options: P2POptions = {}): Promise<number> {
  await irecv(tensor, src, options).wait();
  return src;
}
