// examples/shared/digits.ts — the `mnist` package's 10,000 digits as datasets: the fixed 8,000/2,000 split and
// the uint8 → [0, 1] image dataset. Shared by the Node CLIs (which read the package's JSON, examples/mnist/data.ts)
// and the browser demo (which fetches the same digits as safetensors), so it imports nothing but kindling.
import * as torch from 'kindling';

type Tensor = torch.Tensor;

/** An image dataset item: a 1×28×28 float32 image in [0, 1] and its class. */
export type Item = [Tensor, number];

/** The mnist package's digits: uint8 N×1×28×28 images (pixel × 255, as in the IDX files) and int64 labels. */
export interface Digits {
  images: Tensor;
  labels: Tensor;
}

export const IMAGE_SIZE = 28;
export const DIGIT_COUNT = 10_000;
export const TRAIN_COUNT = 8_000;
// The split's seed is a constant, not --seed: the held-out digits must be the same in every run
// so that accuracies are comparable across seeds, optimizers, versions and the browser.
const SPLIT_SEED = 5;

/** The fixed split of the digits: a permutation from a constant-seeded generator, first 8,000 train, rest test. */
export function digitSplit(n = DIGIT_COUNT): { train: number[]; test: number[] } {
  const perm = torch.randperm(n, { generator: new torch.Generator().manualSeed(SPLIT_SEED) });
  const order = Array.from(perm.toArray());
  const trainCount = Math.round((n * TRAIN_COUNT) / DIGIT_COUNT);
  return { train: order.slice(0, trainCount), test: order.slice(trainCount) };
}

/** Uint8 N×1×H×W images and labels as a dataset of float32 images in [0, 1] (torchvision's ToTensor). */
export class ImageDataset extends torch.data.Dataset<Item> {
  private readonly pixels: Uint8Array;
  private readonly targets: Float64Array;
  private readonly imageShape: number[];

  constructor(images: Tensor, labels: Tensor) {
    super();
    this.pixels = images.toArray() as Uint8Array;
    this.targets = Float64Array.from(labels.toArray());
    this.imageShape = images.shape.slice(1);
  }

  get length(): number {
    return this.targets.length;
  }

  get(index: number): Item {
    const size = this.pixels.length / this.targets.length;
    if (!Number.isInteger(index) || index < 0 || index >= this.targets.length) {
      throw new torch.IndexError(`index ${index} is out of range for a dataset of ${this.targets.length}`);
    }
    const image = new Float32Array(size);
    for (let k = 0; k < size; k++) image[k] = this.pixels[index * size + k] / 255;
    return [torch.tensor(image).view(this.imageShape), this.targets[index]];
  }
}

/** The digits as train and test subsets, split as `digitSplit`. */
export function digitDatasets({ images, labels }: Digits): { train: torch.data.Subset<Item>; test: torch.data.Subset<Item> } {
  const all = new ImageDataset(images, labels);
  const { train, test } = digitSplit(all.length);
  return { train: new torch.data.Subset(all, train), test: new torch.data.Subset(all, test) };
}
