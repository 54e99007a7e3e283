// test/backends/webgpu-device.ts — the webgpu backend the library registered at import (so KINDLING_WEBGPU=0
// turns these tests off too), or why there is none: the reason a skipped test reports.
import { deviceBackend, whyUnavailable } from '../../src/backends/select.js';
import type { WebgpuBackend } from '../../src/backends/webgpu/index.js';

/** The registered webgpu backend, with its runtime, or the reason there is none. */
export const found: WebgpuBackend | string = (deviceBackend('webgpu') as WebgpuBackend | null) ?? `no WebGPU device: ${whyUnavailable()}`;

/** Why the webgpu tests are skipped, or false when an adapter was found (node:test's `skip`). */
export const skip: string | false = typeof found === 'string' ? found : false;

/** The backend, inside tests that `skip` has let run. */
export function gpu(): WebgpuBackend {
  if (typeof found === 'string') throw new Error(`no WebGPU adapter: ${found}`);
  return found;
}
