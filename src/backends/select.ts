// src/backends/select.ts — the backends by device. The CPU entry is picked once at load time:
// native when the addon loads, else the JS reference (with a one-line notice); KINDLING_BACKEND=js
// forces the reference. A device backend (webgpu) joins through registerBackend.
import { RuntimeError } from '../core/errors.js';
import type { Backend, CpuBackend, Device, DeviceRuntime } from './backend.js';
import { jsBackend } from './js/index.js';
import { loadNative } from './native/load.js';

import type { Threads } from './native/load.js';

/** A device backend, with the memory figures torch.webgpu reports where it has them. */
export type DeviceBackend = Backend & Partial<DeviceRuntime>;

let cpu: CpuBackend = jsBackend;
/** The registered backend of each device other than the CPU. */
const devices: Record<Exclude<Device, 'cpu'>, DeviceBackend | null> = { webgpu: null };
let threads: Threads | null = null;

// Node's types promise process.versions, but a browser bundle's `process` shim may lack it.
const versions: { node?: string } | undefined = typeof process !== 'undefined' ? process.versions : undefined;
const env = versions?.node ? process.env : null;
if (env !== null && env.KINDLING_BACKEND !== 'js') {
  const native = await loadNative();
  if (native instanceof Error) {
    const reason = native.message.split('\n')[0];
    process.stderr.write(`kindling: native backend unavailable (${reason}); using the JavaScript backend\n`);
  } else {
    cpu = native.backend;
    threads = native.threads;
  }
}

// The WebGPU device is acquired here, at import, because `x.to('webgpu')` and torch.webgpu.isAvailable()
// are synchronous while acquiring a device is not. Without one the reason is kept for the error that
// refuses the device. KINDLING_WEBGPU=0 skips the probe (~40 ms in Node).
let webgpuMissing = 'KINDLING_WEBGPU=0 turned WebGPU off';
if (env?.KINDLING_WEBGPU !== '0') {
  const { loadWebgpuBackend } = await import('./webgpu/index.js');
  const found = await loadWebgpuBackend();
  if (typeof found === 'string') webgpuMissing = found;
  else devices.webgpu = found;
}

/** The CPU backend: the one host code (factories, data loading, printing) allocates and reads with. */
export function backend(): CpuBackend {
  return cpu;
}

/** Replaces the CPU backend (tests run kernels on each one). */
export function setBackend(be: CpuBackend): void {
  cpu = be;
}

/**
 * The hook through which a device backend joins: once registered, tensors can be created on and
 * moved to `be.device`, and ops on them run there. Registering again replaces the previous one.
 */
export function registerBackend(be: DeviceBackend): void {
  if (be.device === 'cpu') throw new RuntimeError('registerBackend: the CPU backend is chosen at load time (setBackend swaps it)');
  devices[be.device] = be;
}

/** The registered backend of a device other than the CPU, or null when none is. */
export function deviceBackend(device: Exclude<Device, 'cpu'>): DeviceBackend | null {
  return devices[device];
}

/** The backend that holds tensors of `device`; a device without a registered backend throws. */
export function backendFor(device: Device): Backend {
  if (device === 'cpu') return cpu;
  const be = devices[device];
  if (be !== null) return be;
  throw new RuntimeError(`device '${device}' is not available: ${whyUnavailable()}`);
}

/** Why the GPU device has no backend (the probe's finding at import), for the error that refuses it. */
export function whyUnavailable(): string {
  return `${webgpuMissing} (torch.webgpu.isAvailable() is false)`;
}

/** torch.set_num_threads: threads used by the native kernels (the JS backend has one). */
export function setNumThreads(n: number): void {
  threads?.setNumThreads(n);
}

/** torch.get_num_threads. */
export function getNumThreads(): number {
  return threads?.getNumThreads() ?? 1;
}

/** Which backend runs the CPU kernels: 'native' or 'js'. */
export function backendName(): CpuBackend['name'] {
  return cpu.name;
}
