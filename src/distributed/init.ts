// src/distributed/init.ts — the default process group: initProcessGroup's rendezvous (tcp://, file://,
// env://), the questions about it (getRank, getWorldSize …) and destroyProcessGroup.
import { RuntimeError, ValueError } from '../core/errors.js';
import { loadDistAddon } from './addon.js';
import { deviceHost, env, makeStoreDirectory, removeStoreDirectory } from './host.js';
import { ProcessGroupGloo } from './process-group.js';

/** initProcessGroup's options, PyTorch's keyword arguments camelCased; `timeout` is in milliseconds. */
export interface InitProcessGroupOptions {
  /** Only 'gloo' (PyTorch's CPU backend); NCCL needs CUDA. */
  backend?: 'gloo';
  /** 'env://' (the default: MASTER_ADDR, MASTER_PORT), 'tcp://host:port' or 'file:///path'. */
  initMethod?: string;
  /** This process's rank; defaults to RANK (or the URL's ?rank=). */
  rank?: number;
  /** How many processes; defaults to WORLD_SIZE (or the URL's ?world_size=). */
  worldSize?: number;
  /** How long rendezvous and each operation may wait, in milliseconds (PyTorch: 30 minutes). */
  timeout?: number;
}

const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
const NOT_INITIALIZED = 'Default process group has not been initialized, please make sure to call init_process_group.';

let defaultGroup: ProcessGroupGloo | null = null;

/** Whether torch.distributed can be used here: the Gloo addon was built and loads (dist.is_available). */
export function isAvailable(): boolean {
  return !(loadDistAddon() instanceof Error);
}

/** Whether the default process group is initialized (dist.is_initialized). */
export function isInitialized(): boolean {
  return defaultGroup !== null;
}

/** The default group, or PyTorch's error when there is none. */
export function requireGroup(): ProcessGroupGloo {
  if (defaultGroup === null) throw new RuntimeError(NOT_INITIALIZED);
  return defaultGroup;
}

/** This process's rank in the default group (dist.get_rank). */
export function getRank(): number {
  return requireGroup().rank;
}

/** The number of processes in the default group (dist.get_world_size). */
export function getWorldSize(): number {
  return requireGroup().size;
}

/** The default group's backend, 'gloo' (dist.get_backend). */
export function getBackend(): 'gloo' {
  return requireGroup().backendName;
}

function envInt(name: string, method: string): number {
  const value = env(name);
  if (value === undefined) {
    throw new ValueError(`Error initializing torch.distributed using ${method} rendezvous: environment variable ${name} expected, but not set`);
  }
  const n = Number(value);
  if (!Number.isInteger(n)) throw new ValueError(`Error initializing torch.distributed using ${method} rendezvous: ${name}=${value} is not an integer`);
  return n;
}

function queryInt(url: URL, key: string): number | undefined {
  const value = url.searchParams.get(key);
  return value === null ? undefined : Number(value);
}

type Rendezvous = { kind: 'tcp'; host: string; port: number } | { kind: 'file'; path: string };

/** Parses the init method into a store and fills rank and world size from the URL or the environment. */
function parseInitMethod(initMethod: string, options: InitProcessGroupOptions): { store: Rendezvous; rank: number; worldSize: number } {
  let url: URL;
  try {
    url = new URL(initMethod);
  } catch {
    throw new ValueError(`No rendezvous handler for ${initMethod}`);
  }
  const method = `${url.protocol}//`;
  const rank = options.rank ?? queryInt(url, 'rank');
  const worldSize = options.worldSize ?? queryInt(url, 'world_size');
  if (url.protocol === 'env:') {
    const host = env('MASTER_ADDR');
    if (host === undefined) throw new ValueError(`Error initializing torch.distributed using env:// rendezvous: environment variable MASTER_ADDR expected, but not set`);
    return {
      store: { kind: 'tcp', host, port: envInt('MASTER_PORT', method) },
      rank: rank ?? envInt('RANK', method),
      worldSize: worldSize ?? envInt('WORLD_SIZE', method),
    };
  }
  // As torchrun launches them: RANK and WORLD_SIZE fill what the options and the URL leave out.
  const envRank = env('RANK'), envWorldSize = env('WORLD_SIZE');
  if (rank === undefined && envRank === undefined) throw new ValueError(`rank parameter missing`);
  if (worldSize === undefined && envWorldSize === undefined) throw new ValueError(`world size parameter missing`);
  if (url.protocol === 'tcp:') {
    if (url.port === '') throw new ValueError(`port number missing`);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { store: { kind: 'tcp', host, port: Number(url.port) }, rank: rank ?? envInt('RANK', method), worldSize: worldSize ?? envInt('WORLD_SIZE', method) };
  }
  if (url.protocol === 'file:') {
    const path = decodeURIComponent(url.pathname);
    return { store: { kind: 'file', path }, rank: rank ?? envInt('RANK', method), worldSize: worldSize ?? envInt('WORLD_SIZE', method) };
  }
  throw new ValueError(`No rendezvous handler for ${method}`);
}

/**
 * Joins the default process group (dist.init_process_group): resolves once every rank has arrived
 * and Gloo has connected each pair of ranks.
 * @example await dist.initProcessGroup({ backend: 'gloo', initMethod: 'tcp://127.0.0.1:29500', rank, worldSize: 2 });
 */
export async function initProcessGroup(options: InitProcessGroupOptions = {}): Promise<void> {
  const { backend = 'gloo', initMethod = 'env://', timeout = DEFAULT_TIMEOUT_MS } = options;
  if (defaultGroup !== null) throw new RuntimeError('trying to initialize the default process group twice!');
  if ((backend as string) !== 'gloo') throw new RuntimeError(`Distributed package doesn't have ${(backend as string).toUpperCase()} built in`);
  const addon = loadDistAddon();
  if (addon instanceof Error) {
    throw new RuntimeError(
      'initProcessGroup: torch.distributed is not available: the Gloo addon (build/Release/kindling_dist.node) was not built. ' +
        'Install Gloo with `apt-get install libgloo-dev` and rebuild kindling (`npm rebuild kindling`, or `npx node-gyp rebuild` in a checkout). ' +
        `(${addon.message})`,
    );
  }
  const { store, rank, worldSize } = parseInitMethod(initMethod, options);
  if (!Number.isInteger(worldSize) || worldSize < 1) throw new ValueError(`initProcessGroup: world_size must be a positive integer (got ${worldSize})`);
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) {
    throw new ValueError(`initProcessGroup: rank must be in [0, ${worldSize - 1}] (got rank ${rank} for world_size ${worldSize})`);
  }
  if (!(timeout > 0)) throw new ValueError(`initProcessGroup: timeout must be positive (got ${timeout} ms)`);
  const iface = env('GLOO_SOCKET_IFNAME') ?? '';
  const host = await deviceHost(store.kind === 'tcp' ? store.host : null);
  const group = new ProcessGroupGloo(rank, worldSize, timeout, (onComplete) => new addon.Group(rank, worldSize, timeout, onComplete));
  try {
    if (store.kind === 'tcp') {
      // Rank 0 serves the store on every interface, as PyTorch's TCPStore does.
      await group.run([], (id) => {
        group.native.connectTcp(id, rank === 0 ? '' : store.host, store.port, rank === 0, host, iface);
      });
    } else {
      makeStoreDirectory(store.path);
      await group.run([], (id) => {
        group.native.connectFile(id, store.path, host, iface);
      });
      // Once all have read each other's addresses the directory's keys are stale: a rerun must not see them.
      await group.run([], (id) => {
        group.native.barrier(id, group.tag());
      });
      if (rank === 0) removeStoreDirectory(store.path);
    }
  } catch (e) {
    group.destroy();
    throw e;
  }
  defaultGroup = group;
}

/** Leaves the default process group (dist.destroy_process_group); operations in flight fail. */
export function destroyProcessGroup(): void {
  const group = requireGroup();
  defaultGroup = null;
  group.destroy();
}
