// examples/lenet5.ts — run it to print LeNet-5 (the model itself lives in shared/lenet5.ts, which the page shares).
import { fileURLToPath } from 'node:url';
import * as torch from 'kindling';
import { lenet5 } from './shared/lenet5.js';

export { lenet5 };

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

// Run main only when executed directly, not when a test imports lenet5().
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
