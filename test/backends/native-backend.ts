// test/backends/native-backend.ts — the native backend built directly (whatever KINDLING_BACKEND says), for
// the tests that check its kernels against the JS reference.
import assert from 'node:assert/strict';
import { loadAddon } from '../../src/backends/native/addon.js';
import { makeNativeBackend } from '../../src/backends/native/index.js';

const addon = loadAddon();
const native = addon instanceof Error ? null : makeNativeBackend(addon);

/** Why the native tests are skipped, or false when the addon loaded. */
export const skip = addon instanceof Error ? `native addon not built: ${addon.message.split('\n')[0]}` : false;

/** The native backend, for the tests that `skip` lets run only when it loaded. */
export function loaded(): NonNullable<typeof native> {
  assert.ok(native !== null, 'native addon not built');
  return native;
}
