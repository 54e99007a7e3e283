// test/distributed/ddp-scenarios.ts — DistributedDataParallel on each rank: the same 10 SGD steps as one
// process with the whole batch, for an MLP and for LeNet-5; rank 0 trains that single-process reference
// itself and reports the largest parameter difference.
import * as torch from '../../src/index.js';
import { F, nn, optim, type Tensor } from '../../src/index.js';
import type { Report } from './worker.js';

const dist = torch.distributed;
const STEPS = 10, BATCH = 64;

interface Task {
  make(): nn.Module;
  data(): { x: Tensor; y: Tensor };
  loss(out: Tensor, y: Tensor): Tensor;
}

const mlp: Task = {
  make: () => new nn.Sequential(new nn.Linear(20, 32), new nn.ReLU(), new nn.Linear(32, 1)),
  data: () => ({ x: torch.randn(STEPS * BATCH, 20), y: torch.randn(STEPS * BATCH, 1) }),
  loss: (out, y) => F.mseLoss(out, y),
};

const lenet: Task = {
  make: () =>
    new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
      new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
    ),
  data: () => ({ x: torch.randn(STEPS * BATCH, 1, 28, 28), y: torch.randint(10, [STEPS * BATCH]) }),
  loss: (out, y) => F.crossEntropy(out, y),
};

function build(task: Task, seed: number): { model: nn.Module; opt: optim.SGD } {
  torch.manualSeed(seed);
  const model = task.make();
  return { model, opt: new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }) };
}

async function ddpTrain(report: Report, task: Task): Promise<void> {
  const rank = dist.getRank(), size = dist.getWorldSize(), local = BATCH / size;
  torch.manualSeed(1234);
  const { x, y } = task.data();
  // Replicas start from different weights: DDP's broadcast must make them rank 0's.
  const { model, opt } = build(task, 100 + rank);
  const ddp = new nn.parallel.DistributedDataParallel(model, { bucketCapMb: 0.01 });
  await ddp.ready;
  for (let step = 0; step < STEPS; step++) {
    const at = step * BATCH + rank * local;
    opt.zeroGrad();
    task.loss(ddp(x.narrow(0, at, local)), y.narrow(0, at, local)).backward();
    await ddp.syncGradients();
    opt.step();
  }
  if (rank === 0) {
    const reference = build(task, 100);
    for (let step = 0; step < STEPS; step++) {
      reference.opt.zeroGrad();
      task.loss(reference.model(x.narrow(0, step * BATCH, BATCH)), y.narrow(0, step * BATCH, BATCH)).backward();
      reference.opt.step();
    }
    const ours = model.parameters(), theirs = reference.model.parameters();
    const diff = Math.max(...ours.map((p, i) => p.sub(theirs[i]).abs().max().item()));
    report.values = [diff];
    if (!(diff <= 1e-5)) report.failures.push(`parameters differ from one process with batch ${BATCH} by ${diff}`);
  }
  // A backward whose gradients were never averaged must not reach the next forward.
  task.loss(ddp(x.narrow(0, 0, local)), y.narrow(0, 0, local)).backward();
  try {
    ddp(x.narrow(0, 0, local));
    report.failures.push('forward after an unsynced backward did not throw');
  } catch (e) {
    if (!String(e).includes('await ddp.syncGradients()')) report.failures.push(`unsynced forward: ${String(e)}`);
  }
  await ddp.syncGradients();
}

export const ddpScenarios: Record<string, (report: Report) => Promise<void>> = {
  ddpMlp: (report) => ddpTrain(report, mlp),
  ddpLenet: (report) => ddpTrain(report, lenet),
};
