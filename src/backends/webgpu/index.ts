// src/backends/webgpu/index.ts — the webgpu backend: storages in pooled GPUBuffers, kernels in WGSL that only
// encode work (Note [Dispatch batching]), and uploads and asynchronous reads as the only host traffic.
import type { DataArray, DType } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import type { Backend, DeviceRuntime } from '../backend.js';
import { requestDevice } from './device.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { fusedKernels } from './fused.js';
import { matmulKernels } from './matmul.js';
import { poolKernels } from './pool.js';
import { indexingKernels } from './indexing.js';
import { reduceKernels } from './reduce.js';
import { GpuRuntime } from './runtime.js';
import { softmaxKernels } from './softmax.js';
import { scanKernels } from './scan.js';
import { sortKernels } from './sort.js';
import { GpuStorage } from './storage.js';

const INT32_MIN = -(2 ** 31), INT32_MAX = 2 ** 31 - 1;

/** The 32-bit words a host array becomes on the device (int64 must fit in 32 bits; bools and bytes widen). */
export function toDevice(dtype: DType, data: DataArray): Float32Array | Int32Array | Uint32Array {
  switch (dtype) {
    case 'float32':
      return data instanceof Float32Array ? data : Float32Array.from(data);
    case 'int32':
      return data instanceof Int32Array ? data : Int32Array.from(data);
    case 'int64': {
      const out = new Int32Array(data.length);
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (v < INT32_MIN || v > INT32_MAX) {
          throw new RuntimeError(`to: int64 value ${v} does not fit the webgpu device's 32-bit integers (it stores int64 as int32)`);
        }
        out[i] = v;
      }
      return out;
    }
    case 'bool':
    case 'uint8':
      return Uint32Array.from(data);
    case 'float64':
      throw new RuntimeError('to: the webgpu device has no float64 (WebGPU has no 64-bit floats); use float32');
  }
}

/** A host array of `dtype` holding the device words (the inverse of toDevice). */
export function fromDevice(dtype: DType, bytes: ArrayBuffer): DataArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes);
    case 'int32':
      return new Int32Array(bytes);
    case 'int64':
      return Float64Array.from(new Int32Array(bytes));
    case 'bool':
    case 'uint8':
      return Uint8Array.from(new Uint32Array(bytes));
    case 'float64':
      throw new RuntimeError('the webgpu device has no float64');
  }
}

/**
 * The webgpu backend: kernels over GPU storages, the memory figures torch.webgpu reports, and its runtime.
 * The fused LSTM cell and layer norm are left to the composed kernels that serve every backend without them.
 */
export type WebgpuBackend = Required<Omit<Backend<GpuStorage>, 'axpy' | 'lstmCell' | 'lstmCellBackward' | 'lstmLayer' | 'lstmLayerBackward' | 'attention' | 'attentionBackward' | 'layerNorm' | 'layerNormBackward' | 'activationBackward'>> & DeviceRuntime & { readonly name: 'webgpu'; readonly device: 'webgpu'; readonly runtime: GpuRuntime };

/** The webgpu backend over an acquired device. */
export function makeWebgpuBackend(device: GPUDevice): WebgpuBackend {
  const rt = new GpuRuntime(device);
  const elementwise = elementwiseKernels(rt);
  const alloc = (dtype: DType, numel: number): GpuStorage => {
    const s = new GpuStorage(rt, dtype, numel);
    rt.clear(s.buffer, numel * 4);
    return s;
  };
  return {
    name: 'webgpu' as const,
    device: 'webgpu' as const,
    runtime: rt,
    supports: (dtype: DType): boolean => dtype !== 'float64',
    alloc,
    allocUninit: (dtype: DType, numel: number): GpuStorage => new GpuStorage(rt, dtype, numel),
    fromArray(dtype: DType, data: DataArray): GpuStorage {
      const s = new GpuStorage(rt, dtype, data.length);
      rt.write(s.buffer, toDevice(dtype, data));
      return s;
    },
    async readAsync(storage: GpuStorage): Promise<DataArray> {
      return fromDevice(storage.dtype, await rt.read(storage.buffer, 0, storage.numel * 4));
    },
    synchronize: (): Promise<void> => rt.synchronize(),
    memoryAllocated: (): number => rt.allocatedBytes,
    memoryReserved: (): number => rt.reservedBytes,
    emptyCache: (): void => { rt.emptyCache(); },
    deviceName: (): string => {
      const info = device.adapterInfo;
      return [info.vendor, info.architecture, info.device, info.description].filter((s) => s !== '').join(' / ');
    },
    openScope: (): void => { rt.openScope(); },
    closeScope: (keep): void => { rt.closeScope(keep); },
    ...elementwise,
    ...matmulKernels(rt),
    ...convKernels(rt),
    ...poolKernels(rt),
    ...fusedKernels(rt),
    ...reduceKernels(rt),
    ...sortKernels(rt),
    ...scanKernels(rt),
    ...indexingKernels(rt),
    ...softmaxKernels(rt),
  };
}

/** The webgpu backend, or why there is none. */
export async function loadWebgpuBackend(): Promise<WebgpuBackend | string> {
  const device = await requestDevice();
  return typeof device === 'string' ? device : makeWebgpuBackend(device);
}
