// examples/gpt/sample.ts — `npm run example:gpt:sample`: nanoGPT's sample.py, generating text from the weights
// that `npm run example:gpt` saved (the config and the vocabulary travel in the file's metadata).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as torch from 'kindling';
import { runMain, UsageError } from '../mnist/data.js';
import { CharTokenizer } from './data.js';
import { GPT, type GPTConfig } from './model.js';

const HELP = `Usage: npm run example:gpt:sample -- [options]     (node dist/examples/gpt/sample.js [options])

Generates text from the GPT weights that \`npm run example:gpt\` saved.

Options:
  --weights FILE       weights saved by train.js (default out/gpt.safetensors)
  --start TEXT         the prompt (default a newline); every character must be in the model's vocabulary
  --tokens N           characters to generate (default 500)
  --num-samples N      independent samples (default 1)
  --temperature X      below 1 sharper, above 1 more random (default 0.8)
  --top-k N            sample among the N likeliest characters, 0 for all (default 200)
  --seed N             seeds the sampling (default 1337)
  -h, --help           show this help`;

/** The model in `path`, in eval mode, with the tokenizer its vocabulary gives. */
export function loadModel(path: string): { model: GPT; tokenizer: CharTokenizer } {
  if (!existsSync(path)) throw new UsageError(`weights not found: ${path} (train them first with \`npm run example:gpt\`)`);
  const meta = torch.safetensors.loadMetadata(path);
  if (typeof meta.config !== 'string' || typeof meta.vocab !== 'string') throw new UsageError(`${path}: no GPT config and vocabulary in its metadata`);
  const model = new GPT(JSON.parse(meta.config) as GPTConfig);
  model.loadStateDict(torch.load(path));
  return { model: model.eval(), tokenizer: new CharTokenizer(meta.vocab) };
}

/** Parses the options, loads the model and prints each sample, separated as sample.py does. */
function main(): void {
  const { values } = parseArgs({
    options: {
      weights: { type: 'string', default: 'out/gpt.safetensors' }, start: { type: 'string', default: '\n' }, tokens: { type: 'string', default: '500' },
      'num-samples': { type: 'string', default: '1' }, temperature: { type: 'string', default: '0.8' }, 'top-k': { type: 'string', default: '200' },
      seed: { type: 'string', default: '1337' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) {
    console.log(HELP);
    return;
  }
  const int = (name: string, text: string, min: number): number => {
    if (!/^\d+$/.test(text.trim()) || Number(text) < min) throw new UsageError(`--${name} must be an integer of at least ${min}, got '${text}'`);
    return Number(text);
  };
  const temperature = Number(values.temperature);
  if (!(Number.isFinite(temperature) && temperature > 0)) throw new UsageError(`--temperature must be a positive number, got '${values.temperature}'`);
  const topK = int('top-k', values['top-k'], 0), tokens = int('tokens', values.tokens, 1), samples = int('num-samples', values['num-samples'], 1);
  const { model, tokenizer } = loadModel(values.weights);
  torch.manualSeed(int('seed', values.seed, 0));
  const x = torch.tensor([tokenizer.encode(values.start)], { dtype: torch.long });
  for (let k = 0; k < samples; k++) {
    const y = model.generate(x, tokens, { temperature, topK: topK === 0 ? null : topK });
    console.log(tokenizer.decode(Array.from(y.get(0).toArray(), Number)));
    console.log('---------------');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runMain('sample', main);
