#!/usr/bin/env node
// src/distributed/run.ts — kindling-run, the launcher (PyTorch's torchrun): starts --nproc-per-node copies
// of a script with RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR and MASTER_PORT set, so
// that initProcessGroup() with its defaults (env://) joins them into one group; with --nnodes and
// --node-rank it starts this machine's share of a group that spans several. If one process fails,
// the others are stopped and kindling-run exits with its status.
import { type ChildProcess, spawn } from 'node:child_process';

const USAGE = `usage: kindling-run [--nproc-per-node N] [--nnodes N] [--node-rank R] [--master-addr HOST] [--master-port PORT] script.js [args...]`;

interface Options {
  nprocPerNode: number;
  nnodes: number;
  nodeRank: number;
  masterAddr: string;
  masterPort: number;
  script: string;
  args: string[];
}

/** Parses torchrun's options (`--name value`, `--name=value`, dashes or underscores) up to the script. */
function parse(argv: readonly string[]): Options {
  const o = { nprocPerNode: 1, nnodes: 1, nodeRank: 0, masterAddr: '127.0.0.1', masterPort: 29500 };
  const numeric = { 'nproc-per-node': 'nprocPerNode', nnodes: 'nnodes', 'node-rank': 'nodeRank', 'master-port': 'masterPort' } as const;
  let i = 0;
  for (; i < argv.length && argv[i].startsWith('--'); i++) {
    const eq = argv[i].indexOf('=');
    const name = (eq < 0 ? argv[i].slice(2) : argv[i].slice(2, eq)).replace(/_/g, '-');
    if (eq < 0 && i + 1 >= argv.length) throw new Error(`kindling-run: --${name} needs a value\n${USAGE}`);
    const value = eq < 0 ? argv[++i] : argv[i].slice(eq + 1);
    if (name === 'master-addr') {
      o.masterAddr = value;
    } else if (name in numeric) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`kindling-run: --${name} must be a non-negative integer, got ${value}`);
      o[numeric[name as keyof typeof numeric]] = n;
    } else {
      throw new Error(`kindling-run: unknown option --${name}\n${USAGE}`);
    }
  }
  if (i >= argv.length) throw new Error(`kindling-run: no script to run\n${USAGE}`);
  if (o.nprocPerNode < 1 || o.nnodes < 1 || o.nodeRank >= o.nnodes) {
    throw new Error(`kindling-run: need --nproc-per-node ≥ 1, --nnodes ≥ 1 and --node-rank < --nnodes`);
  }
  return { ...o, script: argv[i], args: argv.slice(i + 1) };
}

function main(): void {
  let options: Options;
  try {
    options = parse(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const { nprocPerNode, nnodes, nodeRank, masterAddr, masterPort, script, args } = options;
  const worldSize = nprocPerNode * nnodes;
  const children: ChildProcess[] = [];
  let failed: number | null = null;
  let running = nprocPerNode;
  const stopAll = (signal: NodeJS.Signals): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
  };
  for (let local = 0; local < nprocPerNode; local++) {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: 'inherit',
      env: {
        ...process.env,
        RANK: String(nodeRank * nprocPerNode + local),
        LOCAL_RANK: String(local),
        GROUP_RANK: String(nodeRank),
        WORLD_SIZE: String(worldSize),
        LOCAL_WORLD_SIZE: String(nprocPerNode),
        MASTER_ADDR: masterAddr,
        MASTER_PORT: String(masterPort),
      },
    });
    child.on('exit', (code, signal) => {
      running--;
      if ((code !== 0 || signal !== null) && failed === null) {
        failed = code ?? 1;
        console.error(`kindling-run: local rank ${local} (rank ${nodeRank * nprocPerNode + local}) exited with ${signal ?? `code ${code}`}; stopping the others`);
        stopAll('SIGTERM');
      }
      if (running === 0) process.exit(failed ?? 0);
    });
    children.push(child);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopAll(signal);
    });
  }
}

main();
