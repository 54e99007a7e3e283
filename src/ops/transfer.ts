// src/ops/transfer.ts — moving tensors between devices (Tensor.to, cpu, copy_ across devices): an
// upload is a synchronous fromArray; a download is asynchronous and so never happens here.
import { DTYPES, type DType } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import type { Device } from '../backends/backend.js';
import { type DeviceLike, deviceName, hostArray, hostStorage, parseDevice, placement, TorchDevice } from '../tensor/device.js';
import { Tensor } from '../tensor/tensor.js';
import { isRecording, toDtype } from './define.js';

/** What `to()` takes: a dtype, a device, or both (PyTorch's x.to(dtype), x.to(device), x.to(device, dtype)). */
export type ToTarget = DType | DeviceLike | { dtype?: DType; device?: DeviceLike };

const isDType = (x: unknown): x is DType => DTYPES.some((d) => d === x);

/**
 * `x` converted to a dtype and/or moved to a device (Tensor.to). A dtype change is the recorded op
 * ToCopyBackward0; a CPU→device move uploads the values; a device→CPU move throws in favour of
 * `await x.cpuAsync()`, since a device is read asynchronously.
 */
export function to(x: Tensor, target: ToTarget): Tensor {
  const spec = toSpec(target);
  const dtype = spec.dtype ?? x.dtype;
  const device = spec.device === undefined ? x.storage.device : parseDevice('to', spec.device);
  if (device === x.storage.device) return toDtype(x, dtype);
  if (device === 'cpu') throw downloadError('to', x);
  // The dtype changes on the host, so a dtype the device lacks (float64 on webgpu) can still be converted away.
  checkUpload('to', x, device, dtype);
  return upload('to', toDtype(x, dtype), device);
}

/** A `to()` target as its dtype and device parts. */
export function toSpec(target: ToTarget): { dtype?: DType; device?: DeviceLike } {
  return typeof target === 'object' && !(target instanceof TorchDevice) ? target : isDType(target) ? { dtype: target } : { device: target };
}

/** Tensor.cpu(): the tensor itself on the CPU; a device tensor throws, naming cpuAsync. */
export function cpu(x: Tensor): Tensor {
  if (x.storage.device !== 'cpu') throw downloadError('cpu', x);
  return x;
}

/** `src` as copy_ into `x` reads it: on x's device (a CPU source is uploaded, in x's dtype); a device source for a CPU x throws. */
export function onDeviceOf(op: string, x: Tensor, src: Tensor): Tensor {
  const device = x.storage.device;
  if (src.storage.device === device) return src;
  if (device === 'cpu') throw downloadError(op, src);
  checkUpload(op, src, device, x.dtype);
  return upload(op, toDtype(src, x.dtype), device);
}

function downloadError(op: string, x: Tensor): RuntimeError {
  return new RuntimeError(
    `${op}: cannot copy a ${deviceName(x.storage.device)} tensor to the cpu synchronously (a device is read asynchronously); use await x.cpuAsync()`,
  );
}

/** The checks of an upload, made before anything is computed: the device exists and holds the dtype, and no gradient would have to come back. */
function checkUpload(op: string, x: Tensor, device: Device, dtype: DType): void {
  placement(op, device, dtype);
  if (isRecording([x])) {
    throw new RuntimeError(
      `${op}: cannot record a copy of a tensor that requires grad from cpu to ${deviceName(device)}: its backward would ` +
        `have to read ${deviceName(device)} synchronously. Create leaves on the device ({ device: '${device}', requiresGrad: true }), ` +
        `move a model with model.to('${device}'), or copy under torch.noGrad`,
    );
  }
}

/** A copy of the CPU tensor `x` on `device`, outside autograd (checked by checkUpload). */
function upload(op: string, x: Tensor, device: Device): Tensor {
  const be = placement(op, device, x.dtype), s = hostStorage(op, x, 'a CPU tensor');
  // A device's fromArray copies, so a dense tensor's elements are handed over without a host copy.
  const values = x.isContiguous() ? s.data.subarray(x.offset, x.offset + x.numel()) : hostArray(op, x, 'a CPU tensor');
  return new Tensor(be.fromArray(x.dtype, values), x.dims);
}
