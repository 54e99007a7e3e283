// src/distributed/addon.browser.ts — the browser's twin of addon.ts: Gloo is a native library, so
// torch.distributed is unavailable there.
import type { DistAddon } from './addon.js';

export type { Completion, DistAddon, Elements, NativeGroup } from './addon.js';

/** Always the reason: the Gloo addon is a Node-API module. */
export function loadDistAddon(): DistAddon | Error {
  return new Error('torch.distributed needs Node (Gloo is a native library)');
}
