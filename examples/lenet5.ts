// examples/lenet5.ts — LeNet-5 as an nn.Sequential, layer for layer as PyTorch's classic; run it to print the model.
import { fileURLToPath } from 'node:url';
import * as torch from 'kindling';
import { nn } from 'kindling';

/**
 * LeNet-5 for 1×28×28 images: the 28×28 input is padded by 2 to the paper's 32×32, so the
 * layers (and their indices in namedParameters: 0, 3, 7, 9, 11) are PyTorch's classic ones.
 */
export function lenet5(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), // 6×28×28
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 6×14×14
    new nn.Conv2d(6, 16, 5), // 16×10×10
    new nn.ReLU(),
    new nn.MaxPool2d(2), // 16×5×5
    new nn.Flatten(), // 400
    new nn.Linear(400, 120),
    new nn.ReLU(),
    new nn.Linear(120, 84),
    new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}

/** Prints the model, its parameters with shapes and the output shape for a batch of 64 images. */
function main(): void {
  torch.manualSeed(0);
  const model = lenet5();
  console.log(model);
  let total = 0;
  for (const [name, p] of model.namedParameters()) {
    console.log(name.padEnd(10), p.size());
    total += p.numel();
  }
  console.log(`parameters: ${total}`);
  const x = torch.randn(64, 1, 28, 28);
  console.log('output:', model(x).size());
}

// Run main only when executed directly, not when train.ts or a test imports lenet5().
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
