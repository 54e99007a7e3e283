// examples/shared/training.ts — one LeNet-5 training step and the test accuracy, on the CPU or the GPU; shared by
// `npm start` (examples/mnist/train.ts) and the browser demo's worker, so it imports nothing but kindling.
import * as torch from 'kindling';
import type { nn, optim } from 'kindling';
import type { Item } from './digits.js';

/** Where a model trains: the CPU backend or the WebGPU device. */
export type TrainDevice = 'cpu' | 'webgpu';

/**
 * One optimisation step on the batch (x, y), moved to `device`: the batch's loss. A GPU loss is read
 * asynchronously; awaiting it also yields the turn in which the step's collected GPU tensors return their
 * memory to the pool. A CPU loss is read synchronously.
 */
export async function trainStep(
  model: nn.Module, optimizer: optim.Optimizer, criterion: nn.CrossEntropyLoss, x: torch.Tensor, y: torch.Tensor, device: TrainDevice,
): Promise<number> {
  optimizer.zeroGrad();
  const loss = criterion(model(x.to(device)), y.to(device));
  loss.backward();
  optimizer.step();
  return device === 'cpu' ? loss.item() : await loss.itemAsync();
}

/**
 * The percentage of (the first `limit` items of) `dataset` that `model` (on `device`) classifies correctly,
 * without autograd, in eval mode.
 */
export async function accuracy(model: nn.Module, dataset: torch.data.Dataset<Item>, limit = dataset.length, device: TrainDevice = 'cpu'): Promise<number> {
  model.eval();
  let correct = 0, seen = 0;
  for (const [x, y] of new torch.data.DataLoader(dataset, { batchSize: Math.min(500, limit) })) {
    const hits = torch.noGrad(() => model(x.to(device)).argmax(1).eq(y.to(device)).sum());
    // A GPU count is read asynchronously, and the await also lets the batch's GPU memory return to the pool.
    correct += device === 'cpu' ? hits.item() : await hits.itemAsync();
    seen += x.size(0);
    if (seen >= limit) break;
  }
  model.train();
  return (100 * correct) / seen;
}
