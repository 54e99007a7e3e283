// src/nn/parallel/distributed.ts — DistributedDataParallel: one model replica per process, kept equal
// by broadcasting rank 0's parameters at construction and averaging gradients after each backward.
//
// Note [DDP and a synchronous backward]
// As in PyTorch, gradients are averaged in buckets (reverse parameter order, ~25 MB each), and a
// post-accumulate-grad hook starts a bucket's all-reduce as soon as its last gradient has landed, so
// the transfers of early buckets run on Gloo's thread while backward stores the rest. But kindling's
// backward is synchronous and collectives are promises: backward cannot wait for them, so
// `await ddp.syncGradients()` between `loss.backward()` and `optimizer.step()` waits (and reduces
// any bucket whose parameters got no gradient). Forgetting it is caught: the next forward refuses
// to run on gradients that were never averaged.
import { RuntimeError } from '../../core/errors.js';
import type { CpuStorage } from '../../backends/backend.js';
import type { DType } from '../../core/dtype.js';
import { empty, zerosLike } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { allReduce, broadcast } from '../../distributed/collectives.js';
import { getWorldSize, requireGroup } from '../../distributed/init.js';
import { registerPostAccumulateGradHook } from '../../autograd/hooks.js';
import { Module } from '../modules/module.js';
import type { Parameter } from '../parameter.js';

/** DistributedDataParallel's options (PyTorch's keyword arguments, camelCased). */
export interface DistributedDataParallelOptions {
  /** Bucket size in MiB (PyTorch's bucket_cap_mb, 25). */
  bucketCapMb?: number;
  /** Broadcast rank 0's buffers (running statistics) with the parameters at construction. */
  broadcastBuffers?: boolean;
}

interface Bucket {
  params: Parameter[];
  flat: Tensor;
}

/** Groups parameters into buckets of one dtype and at most `capBytes`, in reverse order. */
function makeBuckets(params: readonly Parameter[], capBytes: number): Bucket[] {
  const buckets: Bucket[] = [];
  let current: Parameter[] = [], bytes = 0, dtype: DType | null = null;
  const close = (): void => {
    if (current.length === 0 || dtype === null) return;
    const n = current.reduce((s, p) => s + p.numel(), 0);
    buckets.push({ params: current, flat: empty([n], { dtype }) });
    current = [];
    bytes = 0;
  };
  for (const p of [...params].reverse()) {
    const size = p.numel() * (p.storage as CpuStorage).data.BYTES_PER_ELEMENT;
    if (current.length > 0 && (p.dtype !== dtype || bytes + size > capBytes)) close();
    dtype = p.dtype;
    current.push(p);
    bytes += size;
  }
  close();
  return buckets;
}

/** Packs a bucket's gradients divided by the world size (PyTorch's default hook divides before the sum). */
function pack({ params, flat }: Bucket, size: number): void {
  const data = (flat.storage as CpuStorage).data;
  let at = 0;
  for (const p of params) {
    const n = p.numel();
    if (p.grad !== null) {
      const g = p.grad.contiguous();
      const src = (g.storage as CpuStorage).data;
      for (let i = 0; i < n; i++) data[at + i] = src[g.offset + i] / size;
    } else {
      data.fill(0, at, at + n);
    }
    at += n;
  }
}

/** Writes the averaged bucket back into the parameters' gradients. */
function unpack({ params, flat }: Bucket): void {
  const data = (flat.storage as CpuStorage).data;
  let at = 0;
  for (const p of params) {
    if (p.grad === null || !p.grad.isContiguous()) p.grad = zerosLike(p);
    const g = p.grad;
    (g.storage as CpuStorage).data.set(data.subarray(at, at + p.numel()), g.offset);
    g.storage.version++;
    at += p.numel();
  }
}

/**
 * Data parallelism across the processes of the default group (nn.parallel.DistributedDataParallel).
 * @example
 * const ddp = new nn.parallel.DistributedDataParallel(model);
 * await ddp.ready;
 * loss(ddp(x), y).backward(); await ddp.syncGradients(); optimizer.step();
 */
export class DistributedDataParallel<M extends Module = Module> extends Module {
  readonly module: M;
  /** Resolves once rank 0's parameters (and buffers) have reached this replica. */
  readonly ready: Promise<void>;
  private isReady = false;
  private readonly buckets: Bucket[];
  private readonly bucketOf = new Map<Parameter, Bucket>();
  // This backward's progress: which parameters' gradients have landed, which buckets are in flight.
  private readonly arrived = new Map<Bucket, Set<Parameter>>();
  private readonly inFlight = new Map<Bucket, Promise<void>>();
  private unsynced = false;

  constructor(module: M, { bucketCapMb = 25, broadcastBuffers = true }: DistributedDataParallelOptions = {}) {
    super();
    requireGroup();
    this.module = module;
    for (const p of module.parameters()) {
      if (p.storage.device !== 'cpu') throw new RuntimeError(`DistributedDataParallel: Gloo averages CPU parameters; got one on ${p.device.toString()}`);
    }
    this.buckets = makeBuckets(module.parameters().filter((p) => p.requiresGrad), bucketCapMb * 1024 * 1024);
    for (const bucket of this.buckets) {
      this.arrived.set(bucket, new Set());
      for (const p of bucket.params) {
        this.bucketOf.set(p, bucket);
        registerPostAccumulateGradHook(p, () => {
          this.gradientReady(p, bucket);
        });
      }
    }
    const state = [...module.parameters(), ...(broadcastBuffers ? module.buffers() : [])].map((t) => t.detach());
    this.ready = Promise.all(state.map((t) => broadcast(t, 0))).then(() => {
      this.isReady = true;
    });
  }

  private gradientReady(p: Parameter, bucket: Bucket): void {
    this.unsynced = true;
    const arrived = this.arrived.get(bucket);
    if (arrived === undefined || this.inFlight.has(bucket)) return;
    arrived.add(p);
    if (arrived.size === bucket.params.length) this.launch(bucket);
  }

  private launch(bucket: Bucket): void {
    pack(bucket, getWorldSize());
    const done = allReduce(bucket.flat).then(() => {
      unpack(bucket);
    });
    // Observed by syncGradients; until then a failure must not count as an unhandled rejection.
    done.catch(() => undefined);
    this.inFlight.set(bucket, done);
  }

  /** Runs the wrapped module, after checking that the replicas are in step. */
  forward(...inputs: Tensor[]): Tensor {
    if (!this.isReady) throw new RuntimeError('DistributedDataParallel: await ddp.ready before the first forward (rank 0\'s parameters are still on their way)');
    if (this.unsynced) {
      throw new RuntimeError(
        'DistributedDataParallel: the gradients of the last backward were not averaged across processes; ' +
          'call `await ddp.syncGradients()` after `loss.backward()` and before `optimizer.step()`',
      );
    }
    return this.module(...inputs);
  }

  /** Waits until every parameter's gradient is the average across processes (Note [DDP and a synchronous backward]). */
  async syncGradients(): Promise<void> {
    if (!this.isReady) await this.ready;
    // Buckets are launched in the same order on every rank: the hooks fire in backward's order,
    // which the same model and graph make identical; buckets left over go in bucket order.
    for (const bucket of this.buckets) if (!this.inFlight.has(bucket)) this.launch(bucket);
    try {
      await Promise.all(this.inFlight.values());
    } finally {
      this.inFlight.clear();
      for (const set of this.arrived.values()) set.clear();
      this.unsynced = false;
    }
  }
}
