// src/distributed/index.ts — torch.distributed on Gloo: the default process group, collectives,
// point-to-point transfers and Work. docs/distributed.md shows a whole program.
export {
  initProcessGroup, destroyProcessGroup, isAvailable, isInitialized, getRank, getWorldSize, getBackend,
  type InitProcessGroupOptions,
} from './init.js';
export {
  ReduceOp, allReduce, broadcast, reduce, allGather, gather, scatter, barrier, send, recv, isend, irecv,
  type AsyncOptions, type ReduceOptions, type P2POptions, type Result,
} from './collectives.js';
export { Work } from './work.js';

/** Whether the Gloo backend is built here (dist.is_gloo_available). */
export { isAvailable as isGlooAvailable } from './init.js';

/** NCCL needs CUDA, which kindling does not have (dist.is_nccl_available). */
export function isNcclAvailable(): boolean {
  return false;
}
