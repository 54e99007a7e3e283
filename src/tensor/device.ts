// src/tensor/device.ts — devices as tensors see them: torch.device values and device names, the
// backend an op runs on (backendOf), and the one gate through which host code reads a storage.
import type { DataArray, DType } from '../core/dtype.js';
import { NotImplementedError, RuntimeError } from '../core/errors.js';
import { contiguousStrides } from '../core/shape.js';
import type { Backend, CpuStorage, Device, Storage } from '../backends/backend.js';
import { backend, backendFor, deviceBackend, whyUnavailable } from '../backends/select.js';
import type { Tensor } from './tensor.js';

/** Device names that `to()`, `device:` options and torch.device accept. */
export type DeviceName = Device | `webgpu:${number}` | 'cuda' | `cuda:${number}`;
/** A device given by name or as a torch.device value (`x.device`). */
export type DeviceLike = DeviceName | TorchDevice;

/**
 * PyTorch's torch.device: what `x.device` returns. It prints as PyTorch's str(device) does (`cpu`,
 * `webgpu:0`), also inside template strings and with `==` against a string; `equals` compares it
 * with a name or another device, and `type` is the bare device ('cpu' or 'webgpu'). There is one
 * value per device, so `x.device === y.device` tells whether two tensors share a device.
 * @example torch.zeros(2).device.toString() // 'cpu'
 */
export class TorchDevice {
  private static readonly all = new Map<Device, TorchDevice>();

  private constructor(readonly type: Device) {}

  /** The value for `device`. */
  static of(device: Device): TorchDevice {
    let d = TorchDevice.all.get(device);
    if (d === undefined) TorchDevice.all.set(device, (d = new TorchDevice(device)));
    return d;
  }

  /** The device's index: 0 for webgpu (kindling drives one GPU), null for the CPU, as in PyTorch. */
  get index(): number | null {
    return this.type === 'cpu' ? null : 0;
  }

  /** Whether `other` names this device ('webgpu' and 'webgpu:0' both name the GPU). */
  equals(other: DeviceLike): boolean {
    return other instanceof TorchDevice ? other === this : parseDevice('equals', other) === this.type;
  }

  /** PyTorch's str(device): `cpu`, `webgpu:0`. */
  toString(): string {
    return deviceName(this.type);
  }

  /** The name, wherever JavaScript turns the value into a primitive (template strings, `==`). */
  [Symbol.toPrimitive](): string {
    return deviceName(this.type);
  }

  /** console.log prints the name, as Python's print(x.device) does. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return deviceName(this.type);
  }
}

/** How PyTorch names a device in messages and printing: `cpu`, `webgpu:0`. */
export function deviceName(device: Device): string {
  return device === 'cpu' ? 'cpu' : `${device}:0`;
}

/** The devices that exist now, for error messages. */
function availableDevices(): string {
  return deviceBackend('webgpu') === null ? 'cpu' : 'cpu, webgpu';
}

/** The device a name or torch.device stands for; names kindling lacks throw PyTorch-like errors. */
export function parseDevice(op: string, like: DeviceLike): Device {
  if (like instanceof TorchDevice) return like.type;
  const name: unknown = like;
  if (name === 'cpu') return 'cpu';
  if (name === 'webgpu' || name === 'webgpu:0') return 'webgpu';
  if (typeof name === 'string' && /^webgpu:\d+$/.test(name)) {
    throw new RuntimeError(`${op}: device '${name}' does not exist; kindling drives one WebGPU device, webgpu:0`);
  }
  if (typeof name === 'string' && /^cuda(:\d+)?$/.test(name)) {
    throw new NotImplementedError(
      `${op}: device '${name}' is not available; kindling's GPU device is 'webgpu' (devices now: ${availableDevices()})`,
    );
  }
  throw new RuntimeError(`${op}: Expected one of cpu, webgpu device type at start of device string: ${String(name)}`);
}

/**
 * The backend that would hold a new `dtype` tensor on `like`, after checking that the device is
 * registered and supports the dtype: what factories and `to()` check before they allocate.
 */
export function placement(op: string, like: DeviceLike, dtype: DType): Backend {
  const device = parseDevice(op, like);
  if (device === 'cpu') return backend();
  const be = deviceBackend(device);
  if (be === null) {
    throw new RuntimeError(
      `${op}: device '${deviceName(device)}' is not available: ${whyUnavailable()}`,
    );
  }
  checkSupports(op, be, dtype);
  return be;
}

/** Throws unless `be`'s device can hold `dtype` tensors (WebGPU has no float64). */
export function checkSupports(op: string, be: Backend, dtype: DType): void {
  if (be.supports(dtype)) return;
  const hint = dtype === 'float64' ? ' (WebGPU has no 64-bit floats: convert to float32 first)' : '';
  throw new RuntimeError(`${op}: ${deviceName(be.device)} does not support ${dtype} tensors${hint}`);
}

// Note [Same device]
// An op runs on the backend of its inputs' device, and all inputs must share it, as in PyTorch:
// except that a 0-d CPU tensor (what JS numbers become, ops/operands.ts) may join an op on another
// device; defineOp uploads it. The all-CPU case is one property load per input.

/** The backend an op on `tensors` runs on (Note [Same device]); mixed devices throw PyTorch's error. */
export function backendOf(op: string, tensors: readonly Tensor[]): Backend {
  for (let i = 0; i < tensors.length; i++) {
    if (tensors[i].storage.device !== 'cpu') return deviceBackendOf(op, tensors);
  }
  return backend();
}

// With one device besides the CPU, the only mix to refuse is a CPU tensor that has dims; a second
// device type would add a check that all non-CPU devices agree.
function deviceBackendOf(op: string, tensors: readonly Tensor[]): Backend {
  let device: Exclude<Device, 'cpu'> | null = null, cpuWithDims = false;
  for (const t of tensors) {
    const d = t.storage.device;
    if (d === 'cpu') cpuWithDims ||= t.dims.length > 0;
    else device ??= d;
  }
  if (device === null) return backend();
  if (cpuWithDims) throw sameDeviceError(op, device, 'cpu');
  return backendFor(device);
}

/** PyTorch's error for an op whose tensors are on two devices. */
export function sameDeviceError(op: string, a: Device, b: Device): RuntimeError {
  return new RuntimeError(
    `${op}: Expected all tensors to be on the same device, but found at least two devices, ${deviceName(a)} and ${deviceName(b)}!`,
  );
}

/** Whether a storage lives in host memory (and so has `data`). */
export function isCpuStorage(s: Storage): s is CpuStorage {
  return s.device === 'cpu';
}

/**
 * The tensor's storage as host code reads it. A device tensor throws, naming the op and what to
 * use instead (`instead` completes "use …"), since device memory is only readable asynchronously.
 */
export function hostStorage(op: string, t: Tensor, instead: string): CpuStorage {
  const s = t.storage;
  if (isCpuStorage(s)) return s;
  throw new RuntimeError(`${op}: cannot read a ${s.device} tensor synchronously; use ${instead}`);
}

/** The elements of a CPU tensor in row-major order, as a fresh array (see hostStorage for `instead`). */
export function hostArray(op: string, t: Tensor, instead: string): DataArray {
  const s = hostStorage(op, t, instead), n = t.numel();
  if (t.isContiguous()) return s.data.slice(t.offset, t.offset + n);
  const be = backend(), out = be.alloc(t.dtype, n);
  be.copy({ storage: s, shape: t.dims, strides: t.strides, offset: t.offset }, { storage: out, shape: t.dims, strides: contiguousStrides(t.dims), offset: 0 });
  return out.data;
}
