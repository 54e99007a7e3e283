// test/tensor/fake-webgpu.ts — a stand-in 'webgpu' backend for testing the device seam without a GPU:
// its storages carry device 'webgpu' and no `data` (so host code cannot read them by accident), its
// kernels run the JS reference on hidden CPU copies and refuse any storage of another device (so a CPU
// storage leaking into a device op fails loudly), and reads are asynchronous only. Test code only.
import type { DataArray, DType } from '../../src/core/dtype.js';
import type { Backend, CpuStorage, CpuView, DeviceRuntime, Storage, View } from '../../src/backends/backend.js';
import { jsBackend } from '../../src/backends/js/index.js';

const hidden = new WeakMap<Storage, CpuStorage>();

function wrap(inner: CpuStorage): Storage {
  // As WebGPU would: a float64 storage must never reach the device, whatever path asks for one.
  if (inner.dtype === 'float64') throw new Error('fake webgpu: a float64 storage reached the device');
  const s: Storage = { dtype: inner.dtype, device: 'webgpu', numel: inner.numel, version: 0 };
  hidden.set(s, inner);
  return s;
}

/** The CPU copy behind a fake device storage; anything else is a leak across the seam. */
function un(s: Storage): CpuStorage {
  const inner = s.device === 'webgpu' ? hidden.get(s) : undefined;
  if (inner === undefined) throw new Error(`fake webgpu: a ${s.device} storage reached a webgpu kernel`);
  return inner;
}

const v = (x: View): CpuView => ({ storage: un(x.storage), shape: x.shape, strides: x.strides, offset: x.offset });

/** How many kernel calls, uploads and cache releases the fake device has seen. */
export const counts = { kernels: 0, uploads: 0, emptyCache: 0 };
const k = (): void => {
  counts.kernels++;
};

export const fakeWebgpu: Backend & DeviceRuntime = {
  name: 'webgpu',
  device: 'webgpu',
  supports: (dtype: DType) => dtype !== 'float64',
  alloc: (dtype, numel) => wrap(jsBackend.alloc(dtype, numel)),
  fromArray: (dtype: DType, data: DataArray) => {
    counts.uploads++;
    return wrap(jsBackend.fromArray(dtype, data.slice())); // an upload copies, as writeBuffer does
  },
  readAsync: async (s) => {
    await Promise.resolve();
    return un(s).data.slice();
  },
  synchronize: () => Promise.resolve(),
  copy: (src, dst) => { k(); jsBackend.copy(v(src), v(dst)); },
  fill: (dst, value) => { k(); jsBackend.fill(v(dst), value); },
  unary: (op, x, out) => { k(); jsBackend.unary(op, v(x), un(out)); },
  binary: (op, a, b, out) => { k(); jsBackend.binary(op, v(a), v(b), un(out)); },
  where: (c, a, b, out) => { k(); jsBackend.where(v(c), v(a), v(b), un(out)); },
  reduce: (op, x, axes, out) => { k(); jsBackend.reduce(op, v(x), axes, un(out)); },
  argReduce: (op, x, axis, values, indices) => { k(); jsBackend.argReduce(op, v(x), axis, un(values), un(indices)); },
  matmul: (a, b, out) => { k(); jsBackend.matmul(v(a), v(b), un(out)); },
  gather: (x, dim, index, out) => { k(); jsBackend.gather(v(x), dim, v(index), un(out)); },
  scatterAdd: (dst, dim, index, src) => { k(); jsBackend.scatterAdd(v(dst), dim, v(index), v(src)); },
  scatter: (dst, dim, index, src, reduce) => { k(); jsBackend.scatter(v(dst), dim, v(index), v(src), reduce); },
  addInto: (src, dst) => { k(); jsBackend.addInto(v(src), v(dst)); },
  sort: (x, axis, descending, values, indices) => { k(); jsBackend.sort(v(x), axis, descending, un(values), un(indices)); },
  cumulative: (op, x, axis, out) => { k(); jsBackend.cumulative(op, v(x), axis, un(out)); },
  memoryAllocated: () => 4096,
  memoryReserved: () => 8192,
  emptyCache: () => {
    counts.emptyCache++;
  },
  deviceName: () => 'stand-in',
  openScope: () => {},
  closeScope: () => {},
};
