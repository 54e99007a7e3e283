// examples/web/app/protocol.ts — the messages between the page and its training worker (worker.ts). The worker
// imports kindling with a top-level await (the WebGPU probe), and a module worker drops messages that arrive
// before its module has run, so it speaks first ('ready') and the page posts nothing until then.
import type { TimingResult, TimingSizes } from '../../shared/timing.js';
import type { TrainDevice } from '../../shared/training.js';

export type { TimingResult, TimingSizes, TrainDevice };

/** What the page asks the worker for. */
export type Request =
  | { type: 'train'; device: TrainDevice; batches: number; batchSize: number; lr: number; seed: number; evalEvery: number; testImages: number }
  | { type: 'stop' }
  | { type: 'timing'; device: TrainDevice; sizes: TimingSizes; runs: number };

/** Where the worker's work can run, as its kindling found at import. */
export interface WorkerInfo {
  backend: string;
  /** The WebGPU adapter's name, or why there is none. */
  webgpu: { available: true; name: string } | { available: false; reason: string };
}

/** What the worker reports. */
export type Reply =
  | { type: 'ready'; info: WorkerInfo }
  | { type: 'data'; train: number; test: number; seconds: number }
  | { type: 'step'; step: number; loss: number; samplesPerSecond: number }
  | { type: 'eval'; step: number; accuracy: number; images: number }
  | { type: 'trained'; steps: number; testImages: number; seconds: number; samplesPerSecond: number; accuracy: number; device: string; weights: Uint8Array }
  | { type: 'timed'; result: TimingResult; sizes: TimingSizes }
  | { type: 'error'; message: string };
