// test/distributed/worker.ts — one rank of a distributed test: the test forks it with RANK,
// WORLD_SIZE, MASTER_ADDR/MASTER_PORT (or INIT_METHOD) and a scenario name, and the worker reports
// { ok, failures, … } back over the IPC channel, then exits.
import * as torch from '../../src/index.js';
import { ddpScenarios } from './ddp-scenarios.js';
import { scenarios as collectiveScenarios } from './scenarios.js';

const scenarios = { ...collectiveScenarios, ...ddpScenarios };

const dist = torch.distributed;

/** What a worker reports to the test. */
export interface Report {
  rank: number;
  failures: string[];
  error?: string;
  elapsedMs?: number;
  values?: number[];
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const scenario = scenarios[name];
  const rank = Number(process.env.RANK);
  const report: Report = { rank, failures: [] };
  const timeout = Number(process.env.DIST_TIMEOUT_MS ?? '20000');
  const started = Date.now();
  try {
    await dist.initProcessGroup({ backend: 'gloo', initMethod: process.env.INIT_METHOD ?? 'env://', timeout });
    await scenario(report);
    if (dist.isInitialized()) dist.destroyProcessGroup();
  } catch (e) {
    report.error = e instanceof Error ? e.message : String(e);
    report.elapsedMs = Date.now() - started;
  }
  process.send?.(report);
  process.disconnect();
}

void main();
