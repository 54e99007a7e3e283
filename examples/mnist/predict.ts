// examples/mnist/predict.ts — `npm run predict -- FILE...`: classifies 28×28 PNG images or IDX image files with
// LeNet-5 weights saved by train.ts, printing the top-3 classes with their softmax probabilities.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import * as torch from 'kindling';
import { F, nn } from 'kindling';
import { lenet5 } from '../shared/lenet5.js';
import { IMAGE_SIZE, runMain, UsageError } from './data.js';

type Tensor = torch.Tensor;

const HELP = `Usage: npm run predict -- [options] FILE...     (node dist/examples/mnist/predict.js [options] FILE...)

Classifies images with the LeNet-5 weights that \`npm start\` trains. Each FILE is either
  - a PNG of 28×28 pixels (grayscale or color, read as luminance), in the MNIST convention:
    a white (bright) digit on a black background — use --invert for dark ink on white paper; or
  - an IDX image file (raw or .gz, as MNIST's t10k-images-idx3-ubyte): all its images are
    classified; when the matching labels file (…-labels-idx1-ubyte) lies beside it, the accuracy is shown.
Prints the top-3 classes with their probabilities (softmax) for each image.

Options:
  --weights FILE   weights saved by train.js (default out/lenet5.safetensors)
  --limit N        print at most N images of each IDX file (default 10)
  --invert         invert PNG images (dark digit on a light background)
  -h, --help       show this help`;

/** A prediction: the top classes with their probabilities, most likely first. */
export interface Prediction {
  top: { label: number; name: string; probability: number }[];
}

/** LeNet-5 with the weights in `path`, in eval mode, and the class names recorded with them. */
export function loadModel(path: string): { model: nn.Sequential; classes: readonly string[] } {
  if (!existsSync(path)) throw new UsageError(`weights not found: ${path} (train them first with \`npm start\`)`);
  const model = lenet5();
  model.loadStateDict(torch.load(path)); // a mismatch throws PyTorch's "Error(s) in loading state_dict …"
  model.eval();
  const fashion = torch.safetensors.loadMetadata(path).dataset === 'fashion';
  const classes = fashion ? torch.data.FashionMNIST.classes : torch.data.MNIST.classes.map((_, i) => String(i));
  return { model, classes };
}

/** The top-k classes of each row of `images` (N×1×28×28 float32 in [0, 1]), in batches without autograd. */
export function classify(model: nn.Module, images: Tensor, classes: readonly string[], k = 3): Prediction[] {
  const out: Prediction[] = [];
  torch.noGrad(() => {
    for (let start = 0; start < images.size(0); start += 500) {
      const batch = images.narrow(0, start, Math.min(500, images.size(0) - start));
      const probs = F.softmax(model(batch), 1).toArray();
      for (let row = 0; row < batch.size(0); row++) {
        const p = Array.from(probs.subarray(row * classes.length, (row + 1) * classes.length));
        const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]).slice(0, k);
        out.push({ top: order.map((label) => ({ label, name: classes[label], probability: p[label] })) });
      }
    }
  });
  return out;
}

/** Reads a 28×28 PNG as a 1×1×28×28 float32 image in [0, 1]: luminance, transparent as black, optionally inverted. */
export function readPng(bytes: Uint8Array, file: string, invert = false): Tensor {
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new UsageError(`${file}: not a readable PNG: ${(e as Error).message}`);
  }
  if (png.width !== IMAGE_SIZE || png.height !== IMAGE_SIZE) {
    throw new UsageError(`${file}: the image is ${png.width}×${png.height}; the model reads 28×28 images (resize it first)`);
  }
  const image = new Float32Array(IMAGE_SIZE * IMAGE_SIZE);
  for (let i = 0; i < image.length; i++) {
    const [r, g, b, a] = [png.data[4 * i], png.data[4 * i + 1], png.data[4 * i + 2], png.data[4 * i + 3]];
    const luminance = ((0.299 * r + 0.587 * g + 0.114 * b) / 255) * (a / 255);
    image[i] = invert ? 1 - luminance : luminance;
  }
  return torch.tensor(image).view(1, 1, IMAGE_SIZE, IMAGE_SIZE);
}

/** Reads an IDX image file (N×28×28 or one 28×28 uint8 image) as N×1×28×28 float32 in [0, 1]. */
export function readIdxImages(file: string): Tensor {
  const images = torch.data.readIdx(file);
  const dims = images.shape;
  const ok = images.dtype === 'uint8' && dims.at(-1) === IMAGE_SIZE && dims.at(-2) === IMAGE_SIZE && (dims.length === 2 || dims.length === 3);
  if (!ok) throw new UsageError(`${file}: expected uint8 images of 28×28, got ${images.dtype} of shape [${dims.join(', ')}]`);
  return images.to(torch.float32).div(255).view(-1, 1, IMAGE_SIZE, IMAGE_SIZE);
}

/** `t10k-images-idx3-ubyte[.gz]` → `t10k-labels-idx1-ubyte[.gz]` beside it, if that file exists. */
function labelsFileFor(file: string): string | null {
  const name = basename(file).replace('images-idx3', 'labels-idx1');
  const candidate = join(dirname(file), name);
  return name !== basename(file) && existsSync(candidate) ? candidate : null;
}

const formatPrediction = (p: Prediction): string => p.top.map((t) => `${t.name} ${(100 * t.probability).toFixed(1)}%`).join('  ');

/** Classifies one file and prints its lines. */
function predictFile(file: string, model: nn.Module, classes: readonly string[], limit: number, invert: boolean): void {
  const bytes = readFileSync(file);
  const isPng = bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (isPng) {
    console.log(`${file}: ${formatPrediction(classify(model, readPng(bytes, file, invert), classes)[0])}`);
    return;
  }
  const isIdx = bytes.length >= 4 && ((bytes[0] === 0 && bytes[1] === 0) || (bytes[0] === 0x1f && bytes[1] === 0x8b)); // or gzip
  if (!isIdx) throw new UsageError(`${file}: neither a PNG nor an IDX file`);
  const images = readIdxImages(file);
  const predictions = classify(model, images, classes);
  predictions.slice(0, limit).forEach((p, i) => { console.log(`${file}[${i}]: ${formatPrediction(p)}`); });
  if (predictions.length > limit) console.log(`${file}: … ${predictions.length - limit} more (show them with --limit)`);
  const labelsFile = labelsFileFor(file);
  if (labelsFile !== null) {
    const labels = torch.data.readIdx(labelsFile).toArray();
    if (labels.length === predictions.length) {
      const correct = predictions.filter((p, i) => p.top[0].label === labels[i]).length;
      console.log(`${file}: accuracy ${((100 * correct) / labels.length).toFixed(2)}% on ${labels.length} images (labels: ${labelsFile})`);
    }
  }
}

/** The CLI: parse, load the weights, classify each file. */
function main(): void {
  const { values, positionals } = parseArgs({
    options: {
      weights: { type: 'string', default: join('out', 'lenet5.safetensors') },
      limit: { type: 'string', default: '10' },
      invert: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  if (!/^\d+$/.test(values.limit)) throw new UsageError(`--limit must be a non-negative integer, got '${values.limit}'`);
  if (positionals.length === 0) throw new UsageError('no input files (PNG or IDX); see --help');
  const { model, classes } = loadModel(values.weights);
  for (const file of positionals) predictFile(file, model, classes, Number(values.limit), values.invert);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runMain('predict', main);
