// scripts/fuzz.ts — makes seeded random calls across the public API and reports how each ended.
// test/robustness/fuzz.test.ts runs it in a child process, so that a crash ends only the child:
//   npm run fuzz -- <seed> <calls> <progress file> [calls to replay: i or i..j]
// It writes each call's index and arguments to the progress file (synchronously) as they are drawn, so
// a crash or a hang leaves the call that broke behind. It prints one JSON summary line (FuzzReport) at the end.
import { closeSync, openSync, writeSync } from 'node:fs';
import * as torch from 'kindling';
import { consume, FUZZ_CALLS } from '../test/robustness/fuzz-calls.js';
import { callSeed, Gen } from '../test/robustness/fuzz-gen.js';

/** What the child reports. */
export interface FuzzReport {
  backend: string;
  calls: number;
  /** Calls that returned normally. */
  ok: number;
  /** Calls that threw a kindling error whose message names the op. */
  clearErrors: number;
  /** Calls that threw anything else: a foreign error class, or a message that does not start with an op. */
  failures: string[];
  /** Resident memory in MB after each tenth of the calls. */
  rssMB: number[];
}

/** A message that starts with the op that raised it: `mm: …`, `zeros(): argument …`, `permute(sparse_coo): …`, `flatten() has …`. */
const NAMES_OP = /^[A-Za-z_][\w.]*(\([\w.]*\))?: \S|^[A-Za-z_][\w.]*\(\) \S/;
/**
 * The one message kept word for word although it names no op: the lecture that kindling ports shows
 * PyTorch's criterions raising it, and a ported lecture should print what the lecture prints.
 */
const LECTURE_MESSAGE = "nn criterions don't compute the gradient w.r.t. targets - please mark these tensors as not requiring gradients";
const MAX_FAILURES = Number(process.env.FUZZ_MAX_FAILURES ?? 50);

function runOne(seed: number, i: number): { outcome: 'ok' | 'clear' | 'failure'; text: string } {
  const s = callSeed(seed, i);
  const g = new Gen(s, (note) => { writeProgress(`  ${note}`); });
  torch.manualSeed(s);
  const kind = g.rng.pick(FUZZ_CALLS);
  const head = `call ${i} (seed ${seed}): ${kind.name}`;
  writeProgress(head);
  const text = () => `${head}(${g.notes.join(', ')})`;
  try {
    const tensors = consume(kind.make(g)());
    for (const t of tensors) {
      if (g.rng.chance(0.2)) String(t);
      t.toArray();
      if (t.requiresGrad && t.isFloatingPoint() && g.rng.chance(0.7)) t.sum().backward();
    }
    return { outcome: 'ok', text: text() };
  } catch (e) {
    if (e instanceof torch.KindlingError && (NAMES_OP.test(e.message) || e.message === LECTURE_MESSAGE)) return { outcome: 'clear', text: text() };
    const what = e instanceof Error ? `${e.name} [${e.constructor.name}]: ${e.message}\n${e.stack ?? ''}` : String(e);
    return { outcome: 'failure', text: `${text()}\n  threw ${what}` };
  }
}

let progress = -1;
function writeProgress(text: string): void {
  writeSync(progress, `${text}\n`);
}

function main(): void {
  const args = process.argv.slice(2);
  const seed = Number(args[0]), calls = Number(args[1]), replay = args.at(3);
  progress = openSync(args[2], 'w');
  const report: FuzzReport = { backend: torch.backendName(), calls: 0, ok: 0, clearErrors: 0, failures: [], rssMB: [] };
  const [first, last = first] = replay === undefined ? [0, calls - 1] : replay.split('..').map(Number);
  const indices = Array.from({ length: last - first + 1 }, (_, k) => first + k);
  for (const i of indices) {
    const { outcome, text } = runOne(seed, i);
    report.calls++;
    if (outcome === 'ok') report.ok++;
    else if (outcome === 'clear') report.clearErrors++;
    else if (report.failures.length < MAX_FAILURES) report.failures.push(text);
    if (replay !== undefined && outcome === 'failure') console.error(text);
    if ((i + 1) % Math.ceil(calls / 10) === 0) report.rssMB.push(Math.round(process.memoryUsage().rss / 2 ** 20));
  }
  closeSync(progress);
  console.log(JSON.stringify(report));
}

main();
