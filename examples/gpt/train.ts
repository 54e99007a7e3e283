// examples/gpt/train.ts — `npm run example:gpt`: trains a character-level GPT (nanoGPT's model and training
// loop) on Moby-Dick or any text file, with a progress bar and periodic train/val loss estimates, then saves
// the weights, a loss-curve PNG and samples text from the model.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import * as torch from 'kindling';
import { nn, type Tensor } from 'kindling';
import { type DeviceName, isDeviceName, parseDevice, requireDevice } from '../device.js';
import { runMain, UsageError } from '../mnist/data.js';
import { type CharTokenizer, getBatch, loadText, MOBY_DICK_PACKAGE, splitText } from './data.js';
import { GPT, type GPTConfig } from './model.js';
import { lossPlotPng } from './plot.js';

/** What `train` does; every field has the CLI's default. */
export interface TrainOptions {
  steps: number;
  batchSize: number;
  blockSize: number;
  nLayer: number;
  nHead: number;
  nEmbd: number;
  dropout: number;
  /** Peak learning rate, reached after `warmup` steps and cosine-decayed to lr/10 at the last step. */
  lr: number;
  /** Steps of linear warmup; by default a tenth of the steps, at most 100. */
  warmup?: number;
  weightDecay: number;
  /** Seeds the weights, dropout, the batches and the sampling: the same seed gives the same run. */
  seed: number;
  /** A text file to learn; without it Moby-Dick from the npm package. */
  text?: string;
  out: string;
  device: DeviceName;
  threads?: number;
  /** Estimate train and val loss every this many steps (and at the end), on evalIters batches each. */
  evalInterval: number;
  evalIters: number;
  /** Characters to sample after training (0: none). */
  sampleTokens: number;
  temperature: number;
  topK: number | null;
  /** A live progress bar (the default when stdout is a terminal) or a line per evaluation. */
  progress?: boolean;
  log?: (line: string) => void;
}

/** A loss estimate: the mean loss over evalIters batches of each split. */
export interface Evaluation {
  step: number;
  train: number;
  val: number;
}

export interface TrainResult {
  /** The trained model, on the CPU, in eval mode. */
  model: GPT;
  tokenizer: CharTokenizer;
  /** Every step's training-batch loss, in order. */
  losses: number[];
  evaluations: Evaluation[];
  /** Training steps per second (timing the steps alone, not the evaluations). */
  stepsPerSecond: number;
  /** The sampled text, starting with the newline it was prompted with ('' when sampleTokens is 0). */
  sample: string;
  weightsPath: string;
  plotPath: string;
}

// A 0.2M-parameter model for 300 steps: a few minutes at most on two cores (see README), to a validation loss
// near 2.4, where words and punctuation start to appear; longer runs and wider models do better.
export const DEFAULTS = {
  steps: 300, batchSize: 16, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 64, dropout: 0.0, lr: 3e-3, weightDecay: 0.1,
  seed: 1337, out: 'out', device: 'cpu', evalInterval: 100, evalIters: 10, sampleTokens: 300, temperature: 0.8, topK: 200,
} as const;
// nanoGPT's shakespeare_char settings: Adam's beta2 0.99 for a small model, gradients clipped to norm 1.
const BETAS: [number, number] = [0.9, 0.99];
const GRAD_CLIP = 1.0;

const HELP = `Usage: npm run example:gpt -- [options]     (node dist/examples/gpt/train.js [options])

Trains a character-level GPT (Karpathy's nanoGPT, ported line by line) on a text and samples from it.
The default text is Herman Melville's Moby-Dick (public domain), from the npm package ${MOBY_DICK_PACKAGE}
(a devDependency: \`npm install\` brings it); --text FILE learns any other UTF-8 text instead.

Options:
  --steps N            training steps (default ${DEFAULTS.steps})
  --batch-size N       sequences per step (default ${DEFAULTS.batchSize})
  --block-size N       context length in characters (default ${DEFAULTS.blockSize})
  --n-layer N          transformer blocks (default ${DEFAULTS.nLayer})
  --n-head N           attention heads per block (default ${DEFAULTS.nHead})
  --n-embd N           embedding width, a multiple of --n-head (default ${DEFAULTS.nEmbd})
  --dropout X          dropout probability while training (default ${DEFAULTS.dropout})
  --lr X               peak learning rate of AdamW, after warmup, cosine-decayed to lr/10 (default ${DEFAULTS.lr})
  --warmup N           linear warmup steps (default: steps/10, at most 100)
  --weight-decay X     AdamW weight decay of the weight matrices (default ${DEFAULTS.weightDecay})
  --seed N             seeds weights, dropout, batches and sampling (default ${DEFAULTS.seed})
  --text FILE          learn this UTF-8 text file instead of Moby-Dick
  --out DIR            where gpt.safetensors and loss.png go (default ${DEFAULTS.out}/)
  --device NAME        cpu or webgpu (the GPU, through WebGPU) (default ${DEFAULTS.device})
  --threads N          threads of the native backend (default: ${torch.getNumThreads()})
  --eval-interval N    estimate train/val loss every N steps (default ${DEFAULTS.evalInterval})
  --eval-iters N       batches per loss estimate (default ${DEFAULTS.evalIters})
  --sample-tokens N    characters to generate after training, 0 for none (default ${DEFAULTS.sampleTokens})
  --temperature X      sampling temperature (default ${DEFAULTS.temperature})
  --top-k N            sample among the N likeliest characters, 0 for all (default ${DEFAULTS.topK})
  -h, --help           show this help

Sample more from the saved weights later with \`npm run example:gpt:sample -- --start 'Call me'\`.`;

const line = (text: string): void => { console.log(text); };

/** Checks the options a caller (CLI or code) gave, before any work. */
function validate(o: TrainOptions): void {
  const positiveInt = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new UsageError(`${name} must be a positive integer, got ${v}`);
  };
  const nonNegativeInt = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) throw new UsageError(`${name} must be a non-negative integer, got ${v}`);
  };
  const positive = (name: string, v: number): void => {
    if (!(Number.isFinite(v) && v > 0)) throw new UsageError(`${name} must be a positive number, got ${v}`);
  };
  for (const [name, v] of [['--steps', o.steps], ['--batch-size', o.batchSize], ['--block-size', o.blockSize], ['--n-layer', o.nLayer],
    ['--n-head', o.nHead], ['--n-embd', o.nEmbd], ['--threads', o.threads], ['--eval-interval', o.evalInterval], ['--eval-iters', o.evalIters]] as const) {
    positiveInt(name, v);
  }
  nonNegativeInt('--warmup', o.warmup);
  nonNegativeInt('--sample-tokens', o.sampleTokens);
  nonNegativeInt('--seed', o.seed);
  if (o.topK !== null) positiveInt('--top-k', o.topK);
  positive('--lr', o.lr);
  positive('--temperature', o.temperature);
  if (!(o.dropout >= 0 && o.dropout < 1)) throw new UsageError(`--dropout must be in [0, 1), got ${o.dropout}`);
  if (!(o.weightDecay >= 0)) throw new UsageError(`--weight-decay must be a non-negative number, got ${o.weightDecay}`);
  if (o.nEmbd % o.nHead !== 0) throw new UsageError(`--n-embd (${o.nEmbd}) must be a multiple of --n-head (${o.nHead})`);
  if (!isDeviceName(o.device)) throw new UsageError(`--device must be cpu or webgpu, got ${String(o.device)}`);
}

/** nanoGPT's learning-rate schedule: linear warmup, then cosine decay to lr/10 at the last step. */
export function learningRate(it: number, o: Pick<TrainOptions, 'lr' | 'steps'> & { warmup: number }): number {
  const minLr = o.lr / 10;
  if (it < o.warmup) return (o.lr * (it + 1)) / (o.warmup + 1);
  if (it > o.steps) return minLr;
  const decayRatio = (it - o.warmup) / (o.steps - o.warmup);
  return minLr + 0.5 * (1.0 + Math.cos(Math.PI * decayRatio)) * (o.lr - minLr);
}

/** The loss of `model(x, y)`, which is there whenever targets are given. */
function lossOf([, loss]: [Tensor, Tensor | null]): Tensor {
  if (loss === null) throw new Error('GPT gave no loss for targets');
  return loss;
}

/** A value off the device: synchronously on the CPU, asynchronously on a GPU. */
const scalar = (t: Tensor): number | Promise<number> => (t.device.type === 'cpu' ? t.item() : t.itemAsync());

/** nanoGPT's estimate_loss: the mean loss of evalIters batches of each split, in eval mode, without autograd. */
async function estimateLoss(model: GPT, data: { train: Tensor; val: Tensor }, o: TrainOptions, generator: torch.Generator): Promise<{ train: number; val: number }> {
  model.eval();
  const out = { train: 0, val: 0 };
  for (const split of ['train', 'val'] as const) {
    let sum = 0;
    for (let k = 0; k < o.evalIters; k++) {
      const [x, y] = getBatch(data[split], o.blockSize, o.batchSize, generator);
      sum += await scalar(torch.noGrad(() => lossOf(model(x.to(o.device), y.to(o.device)))));
    }
    out[split] = sum / o.evalIters;
  }
  model.train();
  return out;
}

// Node's types say isTTY is a boolean, but it is undefined when the stream is not a terminal.
const isTerminal = (stream: { isTTY?: boolean }): boolean => stream.isTTY === true;

/** A progress display: a cli-progress bar on a terminal, nothing otherwise. */
function stepBar(enabled: boolean, total: number): (done: number, stepsPerSecond: number, loss: number, val?: number) => void {
  if (!enabled) return () => {};
  const bar = new cliProgress.SingleBar({
    format: 'train {bar} {value}/{total} steps | {speed} steps/s | loss {loss} | val {val} | ETA {eta_formatted}',
    stream: process.stdout,
    clearOnComplete: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { speed: '-', loss: '-', val: '-' });
  return (done, stepsPerSecond, loss, val) => {
    bar.update(done, { speed: stepsPerSecond.toFixed(2), loss: loss.toFixed(4), ...(val === undefined ? {} : { val: val.toFixed(4) }) });
    if (done === total) bar.stop();
  };
}

/** Trains the GPT as the CLI does, then samples from it; returns the losses, the sample and the paths written. */
export async function train(options: Partial<TrainOptions> = {}): Promise<TrainResult> {
  const o: TrainOptions = { ...DEFAULTS, ...options };
  validate(o);
  requireDevice(o.device);
  const log = o.log ?? line;
  if (o.threads !== undefined) torch.setNumThreads(o.threads);
  const warmup = o.warmup ?? Math.min(100, Math.floor(o.steps / 10));
  const corpus = loadText(o.text);
  const { tokenizer, train: trainData, val: valData } = splitText(corpus.text, o.blockSize);
  mkdirSync(o.out, { recursive: true });

  const config: GPTConfig = { blockSize: o.blockSize, vocabSize: tokenizer.vocabSize, nLayer: o.nLayer, nHead: o.nHead, nEmbd: o.nEmbd, dropout: o.dropout, bias: true };
  torch.manualSeed(o.seed);
  // The weights are drawn on the CPU, so a seed gives the same initial model on every device.
  const model = new GPT(config).to(o.device);
  const optimizer = model.configureOptimizers(o.weightDecay, o.lr, BETAS);
  // The batches have a generator of their own, so evaluations and dropout do not shift them.
  const batchGenerator = new torch.Generator().manualSeed(o.seed);
  const evalGenerator = new torch.Generator().manualSeed(o.seed + 1);
  log(`data: ${corpus.source}: ${corpus.text.length} characters, vocabulary of ${tokenizer.vocabSize}`);
  log(`model: GPT, ${(model.getNumParams() / 1e6).toFixed(2)}M parameters | ${o.nLayer} layers, ${o.nHead} heads, n_embd ${o.nEmbd}, `
    + `block ${o.blockSize} | batch ${o.batchSize} | AdamW lr ${o.lr} | ${o.steps} steps | seed ${o.seed} | `
    + (o.device === 'cpu' ? `${torch.backendName()} backend, ${torch.getNumThreads()} threads` : String(torch.device(o.device))));

  const losses: number[] = [];
  const evaluations: Evaluation[] = [];
  const bar = o.progress ?? isTerminal(process.stdout);
  const show = stepBar(bar, o.steps);
  let trainSeconds = 0;
  for (let it = 0; it < o.steps; it++) {
    const start = performance.now();
    for (const group of optimizer.paramGroups) group.lr = learningRate(it, { ...o, warmup });
    const [x, y] = getBatch(trainData, o.blockSize, o.batchSize, batchGenerator);
    const loss = lossOf(model(x.to(o.device), y.to(o.device)));
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), GRAD_CLIP);
    optimizer.step();
    optimizer.zeroGrad(true);
    // A GPU loss is read asynchronously; the await also lets the step's GPU memory return to the pool.
    losses.push(await scalar(loss));
    trainSeconds += (performance.now() - start) / 1000;
    if ((it + 1) % o.evalInterval === 0 || it + 1 === o.steps) {
      const e = { step: it + 1, ...await estimateLoss(model, { train: trainData, val: valData }, o, evalGenerator) };
      evaluations.push(e);
      // Under the live bar the estimates show in it; the last one is logged once the bar is gone.
      show(it + 1, (it + 1) / trainSeconds, losses[it], e.val);
      if (!bar || it + 1 === o.steps) {
        log(`step ${e.step}/${o.steps}: train loss ${e.train.toFixed(4)}, val loss ${e.val.toFixed(4)} | ${((it + 1) / trainSeconds).toFixed(2)} steps/s`);
      }
    } else {
      show(it + 1, (it + 1) / trainSeconds, losses[it]);
    }
  }

  // torch.save refuses GPU tensors and sampling reads values every token: the model comes back to the CPU.
  if (o.device !== 'cpu') await model.cpuAsync();
  model.eval();
  const weightsPath = join(o.out, 'gpt.safetensors');
  // The metadata holds what a reader needs to rebuild the model and decode its tokens.
  torch.save(model.stateDict(), weightsPath, { config: JSON.stringify(config), vocab: tokenizer.chars.join('') });
  const plotPath = join(o.out, 'loss.png');
  writeFileSync(plotPath, lossPlotPng([
    { label: 'train batch', xs: losses.map((_, i) => i + 1), ys: losses, color: [120, 170, 220] },
    { label: 'train estimate', xs: evaluations.map((e) => e.step), ys: evaluations.map((e) => e.train), color: [31, 119, 180] },
    { label: 'val estimate', xs: evaluations.map((e) => e.step), ys: evaluations.map((e) => e.val), color: [214, 39, 40] },
  ]));
  const sample = o.sampleTokens === 0 ? '' : sampleText(model, tokenizer, o);
  return { model, tokenizer, losses, evaluations, stepsPerSecond: o.steps / trainSeconds, sample, weightsPath, plotPath };
}

/** nanoGPT's sample.py: seeded, prompted with a newline, temperature and top-k as given. */
export function sampleText(model: GPT, tokenizer: CharTokenizer, o: Pick<TrainOptions, 'seed' | 'sampleTokens' | 'temperature' | 'topK'>): string {
  torch.manualSeed(o.seed);
  const start = torch.tensor([tokenizer.encode('\n')], { dtype: torch.long });
  const ids = model.generate(start, o.sampleTokens, { temperature: o.temperature, topK: o.topK });
  return tokenizer.decode(Array.from(ids.get(0).toArray(), Number));
}

/** Parses the command line into TrainOptions; `null` after printing --help. */
export function parseTrainArgs(args: readonly string[]): Partial<TrainOptions> | null {
  const names = ['steps', 'batch-size', 'block-size', 'n-layer', 'n-head', 'n-embd', 'dropout', 'lr', 'warmup', 'weight-decay', 'seed',
    'text', 'out', 'device', 'threads', 'eval-interval', 'eval-iters', 'sample-tokens', 'temperature', 'top-k'] as const;
  const { values } = parseArgs({
    args: [...args],
    options: { ...Object.fromEntries(names.map((n) => [n, { type: 'string' }])), help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) {
    console.log(HELP);
    return null;
  }
  const given: Record<string, string | boolean | undefined> = values;
  const text = (name: (typeof names)[number]): string | undefined => {
    const v = given[name];
    return typeof v === 'string' ? v : undefined;
  };
  const num = (name: (typeof names)[number], integer: boolean): number | undefined => {
    const t = text(name);
    if (t === undefined) return undefined;
    const ok = integer ? /^[+-]?\d+$/.test(t.trim()) : t.trim() !== '' && Number.isFinite(Number(t));
    if (!ok) throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'}, got '${t}'`);
    return Number(t);
  };
  const topK = num('top-k', true);
  const device = text('device');
  const options: Partial<TrainOptions> = {
    steps: num('steps', true), batchSize: num('batch-size', true), blockSize: num('block-size', true), nLayer: num('n-layer', true),
    nHead: num('n-head', true), nEmbd: num('n-embd', true), dropout: num('dropout', false), lr: num('lr', false), warmup: num('warmup', true),
    weightDecay: num('weight-decay', false), seed: num('seed', true), threads: num('threads', true), evalInterval: num('eval-interval', true),
    evalIters: num('eval-iters', true), sampleTokens: num('sample-tokens', true), temperature: num('temperature', false),
    topK: topK === 0 ? null : topK, text: text('text'), out: text('out'), device: device === undefined ? undefined : parseDevice(device),
  };
  // Drop what was not given, so that train's defaults apply.
  const entries: [string, unknown][] = Object.entries(options);
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

/** The CLI: train, then print the final losses, the sample and the paths written. */
async function main(): Promise<void> {
  const options = parseTrainArgs(process.argv.slice(2));
  if (options === null) return;
  const start = performance.now();
  const result = await train(options);
  line(`trained ${result.losses.length} steps at ${result.stepsPerSecond.toFixed(2)} steps/s | total ${((performance.now() - start) / 1000).toFixed(1)} s`);
  line(`saved weights: ${result.weightsPath}`);
  line(`saved plot: ${result.plotPath}`);
  if (result.sample !== '') line(`\n--- sample ---${result.sample}\n---`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runMain('gpt', main);
