// test/distributed/launch.ts — starts the ranks of a distributed test as child processes of the
// test (worker.js, one per rank) on 127.0.0.1 and collects their reports.
import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { isAvailable } from '../../src/distributed/init.js';
import type { Report } from './worker.js';

/** Why the distributed tests are skipped, or false when the Gloo addon is built (node:test's `skip`). */
export const skip: string | false = isAvailable()
  ? false
  : 'torch.distributed is not built here: install libgloo-dev (apt-get install libgloo-dev) and rebuild the addon';

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** How the ranks meet: env:// through MASTER_ADDR/MASTER_PORT, tcp:// or file:// URLs. */
export type InitKind = 'env' | 'tcp' | { file: string };

/** A rank's end: its report (if it sent one) and how the process exited. */
export interface Outcome {
  report: Report | null;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs `scenario` on the given ranks of a `worldSize` group; resolves when every process has exited. */
export async function launch(
  scenario: string,
  worldSize: number,
  { init = 'env', timeoutMs = 20000, ranks }: { init?: InitKind; timeoutMs?: number; ranks?: number[] } = {},
): Promise<Outcome[]> {
  const port = await freePort();
  const worker = fileURLToPath(new URL('./worker.js', import.meta.url));
  const initMethod = init === 'env' ? 'env://' : init === 'tcp' ? `tcp://127.0.0.1:${port}` : `file://${init.file}`;
  return Promise.all(
    (ranks ?? Array.from({ length: worldSize }, (_, r) => r)).map(
      (rank) =>
        new Promise<Outcome>((resolve) => {
          const child = fork(worker, [scenario], {
            env: {
              ...process.env,
              // The workers need no GPU; skipping the WebGPU probe saves each a second.
              KINDLING_WEBGPU: '0',
              RANK: String(rank),
              WORLD_SIZE: String(worldSize),
              MASTER_ADDR: '127.0.0.1',
              MASTER_PORT: String(port),
              INIT_METHOD: initMethod,
              DIST_TIMEOUT_MS: String(timeoutMs),
            },
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          });
          let report: Report | null = null;
          child.on('message', (m) => {
            report ??= m as Report;
          });
          child.on('exit', (code, signal) => {
            resolve({ report, code, signal });
          });
        }),
    ),
  );
}
