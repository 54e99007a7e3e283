// test/tensor/fake-device-ops.test.ts — the op database on the stand-in 'webgpu' device (fake-webgpu.ts):
// every float32 sample's values and gradients must equal the CPU's, with every kernel on the device,
// or the op must refuse with one of the documented device errors (docs/devices.md).
import { registerBackend } from '../../src/backends/select.js';
import { opDatabaseOnDevice } from '../opinfo/on-device.js';
import { fakeWebgpu } from './fake-webgpu.js';

registerBackend(fakeWebgpu);
opDatabaseOnDevice('the stand-in device');
