// examples/mnist/train-ddp.ts — `npm run start:ddp`: LeNet-5 on MNIST digits, data-parallel on 2 processes
// (kindling-run starts them; each trains on its DistributedSampler share with batch --batch-size, and
// DistributedDataParallel averages the gradients, so one step sees nproc × batch-size images). Rank 0
// prints each epoch's mean loss, test accuracy and throughput. Run alone it is a group of one.
import { parseArgs } from 'node:util';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';
import { lenet5 } from '../lenet5.js';
import { loadTrainTest, runMain, UsageError } from './data.js';
import { accuracy } from './train.js';

const dist = torch.distributed;

const HELP = `Usage: npm run start:ddp -- [options]     (npx kindling-run --nproc-per-node 2 dist/examples/mnist/train-ddp.js [options])

Options:
  --epochs N        passes over the training set (default 3)
  --batch-size N    images per step on each process (default 32)
  --lr X            SGD learning rate, momentum 0.9 (default 0.05)
  --seed N          seeds the weights and the sampler (default 0)
  --max-batches N   end each epoch after N steps (quick trials)
  -h, --help        show this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '3' }, 'batch-size': { type: 'string', default: '32' }, lr: { type: 'string', default: '0.05' },
      seed: { type: 'string', default: '0' }, 'max-batches': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(HELP);
    return;
  }
  const [epochs, batchSize, lr, seed] = [values.epochs, values['batch-size'], values.lr, values.seed].map(Number);
  const maxBatches = values['max-batches'] === undefined ? Infinity : Number(values['max-batches']);
  if (![epochs, batchSize, lr, seed, maxBatches].every((v) => v >= 0)) throw new UsageError('options must be non-negative numbers');
  if (!dist.isAvailable()) throw new UsageError('torch.distributed is not built: apt-get install libgloo-dev, then rebuild kindling');
  // Run without kindling-run: a group of one on a free port.
  if (process.env.WORLD_SIZE === undefined) Object.assign(process.env, { RANK: '0', WORLD_SIZE: '1', MASTER_ADDR: '127.0.0.1', MASTER_PORT: '0' });
  await dist.initProcessGroup({ backend: 'gloo' });
  const rank = dist.getRank(), worldSize = dist.getWorldSize();
  torch.setNumThreads(Math.max(1, Math.floor(torch.getNumThreads() / Number(process.env.LOCAL_WORLD_SIZE ?? 1))));
  const data = loadTrainTest({});
  torch.manualSeed(seed + rank); // different starting weights: DDP broadcasts rank 0's
  const model = lenet5();
  const ddp = new nn.parallel.DistributedDataParallel(model);
  await ddp.ready;
  const optimizer = new optim.SGD(model.parameters(), { lr, momentum: 0.9 });
  const sampler = new torch.data.DistributedSampler(data.train, { seed });
  const loader = new torch.data.DataLoader(data.train, { batchSize, sampler });
  if (rank === 0) console.log(`${data.source}; ${worldSize} process(es) × batch ${batchSize}`);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    sampler.setEpoch(epoch);
    const start = performance.now();
    let steps = 0, lossSum = 0, samples = 0;
    for (const [x, y] of loader) {
      optimizer.zeroGrad();
      const loss = F.crossEntropy(ddp(x), y);
      loss.backward();
      await ddp.syncGradients();
      optimizer.step();
      lossSum += loss.item();
      samples += x.size(0);
      if (++steps >= maxBatches) break;
    }
    // Every rank's mean loss, averaged: the loss of the whole data-parallel step.
    const mean = torch.tensor([lossSum / Math.max(steps, 1)]);
    await dist.allReduce(mean, { op: dist.ReduceOp.AVG });
    const seconds = (performance.now() - start) / 1000;
    if (rank === 0) {
      const acc = await accuracy(model, data.test);
      console.log(`epoch ${epoch}: loss ${mean.item().toFixed(4)}, test accuracy ${acc.toFixed(2)}%, ${((samples * worldSize) / seconds).toFixed(0)} images/s`);
    }
  }
  dist.destroyProcessGroup();
}

runMain('train-ddp', main);
