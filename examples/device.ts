// examples/device.ts — the `--device cpu|webgpu` option the example CLIs and the bench share: its parsing,
// and the check that the device exists, made before any work so a missing GPU is one clear line.
import * as torch from 'kindling';
import { UsageError } from './mnist/data.js';

export type DeviceName = 'cpu' | 'webgpu';
export const DEVICES: readonly DeviceName[] = ['cpu', 'webgpu'];

/** Whether `value` (a CLI string or a caller's option, unchecked) names a device the examples run on. */
export const isDeviceName = (value: unknown): value is DeviceName => DEVICES.some((d) => d === value);

/** The device a `--device` value names (default cpu); anything else is a UsageError. */
export function parseDevice(text: string | undefined, option = '--device'): DeviceName {
  if (text === undefined) return 'cpu';
  if (!isDeviceName(text)) throw new UsageError(`${option} must be ${DEVICES.join(' or ')}, got '${text}'`);
  return text;
}

/**
 * Throws a UsageError naming why `device` cannot be used here (for webgpu: the adapter probe's reason,
 * e.g. which Vulkan driver to install), so a CLI fails before loading data or building models.
 */
export function requireDevice(device: DeviceName): void {
  if (device === 'cpu' || torch.webgpu.isAvailable()) return;
  // The library's own refusal carries the probe's reason; a one-element factory call is the public way to get it.
  try {
    torch.zeros(1, { device });
  } catch (e) {
    if (!(e instanceof torch.KindlingError)) throw e;
    throw new UsageError(`--device ${device}: ${e.message.replace(/^zeros: /, '')}`);
  }
  throw new UsageError(`--device ${device} is not available (torch.webgpu.isAvailable() is false)`);
}
