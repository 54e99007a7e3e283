// src/data/mnist.ts — MNIST and FashionMNIST datasets read from IDX files (raw or gzipped). Node only: the browser
// bundle takes mnist.browser.ts, which refuses clearly (parseIdx, in idx.ts, works on fetched bytes anywhere).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ValueError } from '../core/errors.js';
import { backend } from '../backends/select.js';
import { hostStorage } from '../tensor/device.js';
import { Tensor } from '../tensor/tensor.js';
import { checkIndex, Dataset } from './dataset.js';
import { parseIdx } from './idx.js';

// gzip output is capped so that a corrupt or hostile .gz cannot make us allocate without bound;
// the largest standard file (train images) is 47 MB.
const MAX_GUNZIP_BYTES = 1 << 30;

/** Reads an IDX file from disk, gunzipping it when it is gzip-compressed (by content, whatever its name). */
export function readIdx(path: string): Tensor {
  let bytes: Uint8Array = readFileSync(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
    } catch (e) {
      throw new ValueError(`parseIdx: ${path}: could not gunzip: ${(e as Error).message}`);
    }
  }
  return parseIdx(bytes, path);
}

/** Options of the MNIST datasets (torchvision's train=, transform=, target_transform=). */
export interface MNISTOptions {
  train?: boolean;
  /** Applied to each 1×H×W float32 image in [0, 1]. */
  transform?: (image: Tensor) => Tensor;
  /** Applied to each label. */
  targetTransform?: (label: number) => number;
}

/**
 * The MNIST digits, read from the four standard IDX files (raw or .gz) in `root` itself or in
 * torchvision's `root/MNIST/raw/`. Items are `[image, label]`: a 1×28×28 float32 tensor in [0, 1]
 * (pixel / 255, as ToTensor) and a number, so the default collate batches labels as int64.
 * @example const [x, y] = new MNIST('data').get(0) // x.shape: torch.Size([1, 28, 28]), y: 5
 */
export class MNIST extends Dataset<[Tensor, number]> {
  /** torchvision's class names, by label. */
  static readonly classes: readonly string[] = [
    '0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine',
  ];
  /** The folder torchvision keeps the files in, under root (its class name). */
  protected static readonly folder: string = 'MNIST';

  readonly root: string;
  readonly train: boolean;
  /** The images as a uint8 N×H×W tensor (torchvision's `.data`). */
  readonly data: Tensor;
  /** The labels as an int64 N tensor (torchvision's `.targets`). */
  readonly targets: Tensor;
  readonly classes: readonly string[];
  readonly transform: ((image: Tensor) => Tensor) | undefined;
  readonly targetTransform: ((label: number) => number) | undefined;
  private readonly pixels: Uint8Array;
  private readonly labels: Float64Array;

  constructor(root: string, { train = true, transform, targetTransform }: MNISTOptions = {}) {
    super();
    const cls = new.target;
    const name = cls.name;
    const dirs = [root, join(root, cls.folder, 'raw')];
    const prefix = train ? 'train' : 't10k';
    const imagesPath = findFile(name, dirs, `${prefix}-images-idx3-ubyte`);
    const labelsPath = findFile(name, dirs, `${prefix}-labels-idx1-ubyte`);
    const images = readIdx(imagesPath);
    const labels = readIdx(labelsPath);
    if (images.dtype !== 'uint8' || images.dims.length !== 3) {
      throw new ValueError(`${name}: ${imagesPath}: expected a 3-d uint8 image array, got ${images.dims.length}-d ${images.dtype}`);
    }
    if (labels.dtype !== 'uint8' || labels.dims.length !== 1) {
      throw new ValueError(`${name}: ${labelsPath}: expected a 1-d uint8 label array, got ${labels.dims.length}-d ${labels.dtype}`);
    }
    if (images.dims[0] !== labels.dims[0]) {
      throw new ValueError(`${name}: ${imagesPath} holds ${images.dims[0]} images but ${labelsPath} holds ${labels.dims[0]} labels`);
    }
    this.root = root;
    this.train = train;
    this.classes = cls.classes;
    this.transform = transform;
    this.targetTransform = targetTransform;
    this.data = images;
    // readIdx builds CPU tensors: the datasets serve host data, which a training loop moves with .to(device).
    this.pixels = hostStorage(name, images, 'a CPU tensor').data as Uint8Array;
    this.labels = Float64Array.from(hostStorage(name, labels, 'a CPU tensor').data);
    this.targets = new Tensor(backend().fromArray('int64', this.labels), [this.labels.length]);
  }

  get length(): number {
    return this.labels.length;
  }

  get(index: number): [Tensor, number] {
    const i = checkIndex(index, this.labels.length);
    const [, h, w] = this.data.dims as [number, number, number];
    const image = new Float32Array(h * w);
    const start = i * h * w;
    // float32(p) / 255 rounded once, as ToTensor's img.float().div(255).
    for (let k = 0; k < image.length; k++) image[k] = this.pixels[start + k] / 255;
    const x = new Tensor(backend().fromArray('float32', image), [1, h, w]);
    const y = this.labels[i];
    return [this.transform ? this.transform(x) : x, this.targetTransform ? this.targetTransform(y) : y];
  }
}

/** Zalando's Fashion-MNIST: the same format and layout as MNIST (`root/FashionMNIST/raw/` for torchvision's). */
export class FashionMNIST extends MNIST {
  static override readonly classes: readonly string[] = [
    'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
  ];
  protected static override readonly folder: string = 'FashionMNIST';
}

/** The first of `dir/base` and `dir/base.gz` that exists, across `dirs`. */
function findFile(dataset: string, dirs: readonly string[], base: string): string {
  for (const dir of dirs) {
    for (const file of [base, `${base}.gz`]) {
      const path = join(dir, file);
      if (existsSync(path)) return path;
    }
  }
  throw new ValueError(`${dataset}: could not find ${base} (or ${base}.gz) in ${dirs.join(' or ')}`);
}
