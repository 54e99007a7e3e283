// test/backends/webgpu-ops.test.ts — the op database on the real webgpu device against the CPU, every kernel
// in WGSL; skipped, with the reason, where no WebGPU adapter exists.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { found } from './webgpu-device.js';
import { opDatabaseOnDevice } from '../opinfo/on-device.js';

const gpu = typeof found === 'string' ? null : found;
// WGSL's exp, log, tanh, pow and friends are accurate to a few ulp more than the CPU's libm.
opDatabaseOnDevice('webgpu', { skip: typeof found === 'string' ? found : false, widen: { atol: 1e-5, rtol: 2e-4 } });

after(() => {
  if (gpu !== null) assert.deepEqual(gpu.runtime.errors, [], 'WebGPU validation errors');
});
