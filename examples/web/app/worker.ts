// examples/web/app/worker.ts — the demo's module Web Worker: trains LeNet-5 on the mnist package's digits and runs
// the lecture's timing experiment off the page's thread, on the CPU (JS backend) or WebGPU, reporting as it goes.
import * as torch from 'kindling';
import { nn, optim } from 'kindling';
import { type Digits, digitDatasets, type Item } from '../../shared/digits.js';
import { lenet5 } from '../../shared/lenet5.js';
import { timingExperiment } from '../../shared/timing.js';
import { accuracy, trainStep } from '../../shared/training.js';
import type { Reply, Request, WorkerInfo } from './protocol.js';

type TrainRequest = Extract<Request, { type: 'train' }>;

const post = (reply: Reply, transfer: Transferable[] = []): void => { self.postMessage(reply, { transfer }); };

/** The held-out digits an evaluation during training reads at most (the final one reads the requested number). */
const EVAL_IMAGES = 500;

let data: Promise<{ train: torch.data.Dataset<Item>; test: torch.data.Dataset<Item> }> | null = null;
let stopRequested = false;
/** Whether 'stop' came (read through a call: the flag changes while a run awaits). */
const stopping = (): boolean => stopRequested;

/** The digits, fetched once (8 MB of uint8 pixels as safetensors, made by scripts/build-web.ts) and split as in Node. */
function digits(): Promise<{ train: torch.data.Dataset<Item>; test: torch.data.Dataset<Item> }> {
  data ??= (async () => {
    const start = performance.now();
    const state = await torch.loadFromUrl(new URL('digits.safetensors', import.meta.url).href);
    const { images, labels } = state as Partial<Digits>;
    if (images === undefined || labels === undefined) throw new Error('digits.safetensors lacks images or labels');
    const split = digitDatasets({ images, labels });
    post({ type: 'data', train: split.train.length, test: split.test.length, seconds: (performance.now() - start) / 1000 });
    return split;
  })();
  return data;
}

/** Lets queued messages ('stop') in: a CPU step never yields by itself. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => { setTimeout(resolve, 0); });

/** LeNet-5 trained as `npm start` trains it (SGD, momentum 0.9), for `r.batches` steps or until stopped. */
async function train(r: TrainRequest): Promise<void> {
  const { train: trainSet, test } = await digits();
  torch.manualSeed(r.seed);
  const model = lenet5().to(r.device);
  const optimizer = new optim.SGD(model.parameters(), { lr: r.lr, momentum: 0.9 });
  const criterion = new nn.CrossEntropyLoss();
  const generator = new torch.Generator().manualSeed(r.seed);
  let step = 0, samples = 0, trainMs = 0, lastYield = performance.now();
  stopRequested = false;
  while (step < r.batches && !stopping()) {
    for (const [x, y] of new torch.data.DataLoader(trainSet, { batchSize: r.batchSize, shuffle: true, generator })) {
      const t0 = performance.now();
      const loss = await trainStep(model, optimizer, criterion, x, y, r.device);
      trainMs += performance.now() - t0;
      step++;
      samples += x.size(0);
      post({ type: 'step', step, loss, samplesPerSecond: samples / (trainMs / 1000) });
      if (step % r.evalEvery === 0 && step < r.batches) {
        const images = Math.min(EVAL_IMAGES, r.testImages, test.length);
        post({ type: 'eval', step, accuracy: await accuracy(model, test, images, r.device), images });
      }
      if (performance.now() - lastYield > 100) {
        await yieldToEvents();
        lastYield = performance.now();
      }
      if (step >= r.batches || stopping()) break;
    }
  }
  const finalAccuracy = await accuracy(model, test, Math.min(r.testImages, test.length), r.device);
  if (r.device !== 'cpu') await model.cpuAsync();
  const weights = torch.safetensors.serialize(model.stateDict());
  post({
    type: 'trained', steps: step, testImages: Math.min(r.testImages, test.length), seconds: trainMs / 1000, samplesPerSecond: samples / (trainMs / 1000), accuracy: finalAccuracy,
    device: r.device === 'cpu' ? `CPU (${torch.backendName()} backend)` : `WebGPU (${torch.webgpu.getDeviceName()})`, weights,
  }, [weights.buffer]);
}

/** What the page needs to know before offering devices. */
function info(): WorkerInfo {
  if (torch.webgpu.isAvailable()) return { backend: torch.backendName(), webgpu: { available: true, name: torch.webgpu.getDeviceName() } };
  let reason = 'torch.webgpu.isAvailable() is false';
  try {
    torch.zeros(1, { device: 'webgpu' });
  } catch (e) {
    reason = (e as Error).message.replace(/^zeros: /, '');
  }
  return { backend: torch.backendName(), webgpu: { available: false, reason } };
}

// One job at a time: the page disables its buttons while one runs; 'stop' is the exception, read between steps.
let busy: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<Request>): void => {
  const request = event.data;
  if (request.type === 'stop') {
    stopRequested = true;
    return;
  }
  busy = busy.then(async () => {
    try {
      if (request.type === 'train') await train(request);
      else post({ type: 'timed', result: await timingExperiment(request.sizes, request.device, request.runs), sizes: request.sizes });
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  });
};
post({ type: 'ready', info: info() });
