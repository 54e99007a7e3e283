// examples/mnist/data.ts — the examples' data: the `mnist` package's 10,000 digits (cached as safetensors, a fixed
// 8,000/2,000 split) or MNIST/FashionMNIST IDX files; plus the one-line error handling both CLIs share.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from 'kindling';
import { DIGIT_COUNT, digitDatasets, type Digits, IMAGE_SIZE, type Item } from '../shared/digits.js';

export { DIGIT_COUNT, digitSplit, type Digits, IMAGE_SIZE, ImageDataset, type Item, TRAIN_COUNT } from '../shared/digits.js';

type Tensor = torch.Tensor;
export type DatasetName = 'mnist' | 'fashion';

/** A train/test pair and what it holds. */
export interface TrainTest {
  train: torch.data.Dataset<Item>;
  test: torch.data.Dataset<Item>;
  classes: readonly string[];
  /** One line saying where the data came from, for the log. */
  source: string;
}

const CACHE_FILE = 'mnist-digits.safetensors';

/** A mistake in what the user asked for: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The repository root: the nearest folder above this file holding a package.json (works from dist/ and from src). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The default cache folder, `.cache/` under the repository root (gitignored). */
export const defaultCacheDir = (): string => join(repoRoot(), '.cache');

/** Reads the digits from the `mnist` package's JSON files (about a second: 21 MB of JSON). */
function readDigitsJson(): Digits {
  const pkg = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
  const pixelsPerImage = IMAGE_SIZE * IMAGE_SIZE;
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(pkg, 'src', 'digits', `${d}.json`);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data) || parsed.data.length % pixelsPerImage !== 0) {
      throw new UsageError(`${file}: expected { data: number[] } with 784 values per image`);
    }
    perDigit.push(parsed.data as number[]);
  }
  const n = perDigit.reduce((a, d) => a + d.length / pixelsPerImage, 0);
  const pixels = new Uint8Array(n * pixelsPerImage);
  const labels = new Float64Array(n);
  let at = 0;
  perDigit.forEach((values, digit) => {
    // The package stores pixel / 255 rounded to 3 decimals; rounding back gives the IDX bytes.
    for (let k = 0; k < values.length; k++) pixels[at * pixelsPerImage + k] = Math.round(values[k] * 255);
    labels.fill(digit, at, at + values.length / pixelsPerImage);
    at += values.length / pixelsPerImage;
  });
  return {
    images: torch.tensor(pixels).view(n, 1, IMAGE_SIZE, IMAGE_SIZE),
    labels: torch.tensor(labels, { dtype: torch.int64 }),
  };
}

/** Whether a cache file's tensors are the digits (a stale or foreign file is rebuilt, not trusted). */
function isDigits(state: Partial<Record<string, Tensor>>): state is Partial<Record<string, Tensor>> & Digits {
  const { images, labels } = state;
  return images !== undefined && labels !== undefined && images.dtype === 'uint8' && labels.dtype === 'int64'
    && images.shape.join() === `${DIGIT_COUNT},1,${IMAGE_SIZE},${IMAGE_SIZE}` && labels.shape.join() === `${DIGIT_COUNT}`;
}

/** The 10,000 digits of the `mnist` package, read from `cacheDir` when cached there, else parsed and cached. */
export function loadDigits(cacheDir = defaultCacheDir()): Digits {
  const path = join(cacheDir, CACHE_FILE);
  if (existsSync(path)) {
    try {
      const state = torch.load(path);
      if (isDigits(state)) return { images: state.images, labels: state.labels };
    } catch (e) {
      if (!(e instanceof torch.KindlingError)) throw e;
      // A corrupt cache (an interrupted write by an older version, a disk error) is rebuilt below.
    }
  }
  const digits = readDigitsJson();
  mkdirSync(cacheDir, { recursive: true });
  torch.save({ images: digits.images, labels: digits.labels }, path); // atomic: concurrent runs are safe
  return digits;
}

/** The digits as train and test datasets, split as `digitSplit`. */
export function digitsTrainTest(cacheDir?: string): TrainTest {
  const { train, test } = digitDatasets(loadDigits(cacheDir));
  return {
    train,
    test,
    classes: torch.data.MNIST.classes,
    source: `mnist package digits: ${train.length} train / ${test.length} test (fixed split)`,
  };
}

/** MNIST or FashionMNIST from the IDX files in `dir` (raw or .gz, as torchvision lays them out too). */
export function idxTrainTest(dir: string, dataset: DatasetName): TrainTest {
  const root = resolve(dir);
  if (!existsSync(root)) throw new UsageError(`data directory not found: ${dir}`);
  if (!statSync(root).isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  const Cls = dataset === 'fashion' ? torch.data.FashionMNIST : torch.data.MNIST;
  const train = new Cls(root, { train: true });
  const test = new Cls(root, { train: false });
  if (train.data.shape.slice(1).join() !== `${IMAGE_SIZE},${IMAGE_SIZE}` || test.data.shape.slice(1).join() !== `${IMAGE_SIZE},${IMAGE_SIZE}`) {
    throw new UsageError(`${dir}: expected 28×28 images, got ${train.data.shape.slice(1).join('×')}`);
  }
  return { train, test, classes: Cls.classes, source: `${Cls.name} from ${dir}: ${train.length} train / ${test.length} test` };
}

/** The training data: IDX files when `data` is given, else the `mnist` package's digits. */
export function loadTrainTest({ data, dataset = 'mnist', cacheDir }: { data?: string; dataset?: DatasetName; cacheDir?: string }): TrainTest {
  if (data !== undefined) return idxTrainTest(data, dataset);
  if (dataset === 'fashion') throw new UsageError('--dataset fashion needs --data DIR with the Fashion-MNIST IDX files');
  return digitsTrainTest(cacheDir);
}

/** Whether `e` is the user's mistake (bad option, bad file, bad data) rather than a bug: those print one line. */
function isUserError(e: unknown): e is Error {
  if (e instanceof UsageError || e instanceof torch.KindlingError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  // parseArgs errors carry ERR_PARSE_ARGS_*; fs errors carry a POSIX code and the syscall that failed.
  return e instanceof Error && typeof code === 'string' && (code.startsWith('ERR_PARSE_ARGS') || 'syscall' in e);
}

/** Runs a CLI's main (sync or async): a user mistake prints `<name>: error: <one line>` on stderr and exits non-zero. */
export function runMain(name: string, main: () => unknown): void {
  const fail = (e: unknown): void => {
    if (!isUserError(e)) throw e;
    const message = e.message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
    process.stderr.write(`${name}: error: ${message}\n`);
    process.exitCode = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  };
  try {
    // A bug rethrown from the rejection handler surfaces as an unhandled rejection: stack trace, exit code 1.
    const done = main();
    if (done instanceof Promise) done.catch(fail);
  } catch (e) {
    fail(e);
  }
}
