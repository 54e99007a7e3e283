// examples/web/app/train.ts — the "train in your browser" section: the form, the live plot and numbers of the
// worker's training run, and handing the trained weights to the drawing section.
import type { WorkerClient } from './client.js';
import { byId } from './dom.js';
import { TrainingPlot } from './plot.js';
import type { TrainDevice } from './protocol.js';

/** What a run did, for the page's tests: every loss, the accuracies and the final figures. */
export interface TrainState {
  running: boolean;
  losses: number[];
  accuracies: number[];
  samplesPerSecond: number;
  finalAccuracy: number | null;
  device: string;
  error: string | null;
}

/** Wires the form to the worker; `useWeights` takes the trained weights' safetensors bytes. */
export function setupTraining(client: WorkerClient, busy: (on: boolean) => void, useWeights: (bytes: Uint8Array, from: string) => void): TrainState {
  const state: TrainState = { running: false, losses: [], accuracies: [], samplesPerSecond: 0, finalAccuracy: null, device: '', error: null };
  const form = byId('train-form', HTMLFormElement);
  const device = byId('train-device', HTMLSelectElement);
  const stop = byId('train-stop', HTMLButtonElement);
  const use = byId('train-use', HTMLButtonElement);
  const status = byId('train-status', HTMLElement);
  const plot = new TrainingPlot(byId('train-plot', HTMLCanvasElement));
  const figure = (id: string, text: string): void => { byId(id, HTMLElement).textContent = text; };
  let weights: Uint8Array | null = null;
  let batches = 0;

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const read = (id: string): number => Number(byId(id, HTMLInputElement).value);
    batches = read('train-batches');
    Object.assign(state, { running: true, losses: [], accuracies: [], samplesPerSecond: 0, finalAccuracy: null, error: null });
    plot.reset(batches);
    ['train-step', 'train-loss', 'train-accuracy', 'train-speed'].forEach((id) => { figure(id, '–'); });
    status.textContent = 'Loading the digits…';
    busy(true);
    stop.disabled = false;
    client.post({
      type: 'train', device: device.value as TrainDevice, batches, batchSize: read('train-batch-size'), lr: read('train-lr'),
      seed: read('train-seed'), evalEvery: Math.max(10, Math.round(batches / 8)), testImages: read('train-test-images'),
    });
  });
  stop.addEventListener('click', () => { client.post({ type: 'stop' }); });
  use.addEventListener('click', () => {
    if (weights !== null) useWeights(weights, `trained in this page (${state.device}, ${state.losses.length} steps)`);
  });

  client.listen((reply) => {
    switch (reply.type) {
      case 'data':
        status.textContent = `Training on ${reply.train} digits, testing on ${reply.test} (loaded in ${reply.seconds.toFixed(1)} s)…`;
        break;
      case 'step':
        state.losses.push(reply.loss);
        state.samplesPerSecond = reply.samplesPerSecond;
        plot.addLoss(reply.loss);
        figure('train-step', `${reply.step} / ${batches}`);
        figure('train-loss', reply.loss.toFixed(3));
        figure('train-speed', reply.samplesPerSecond.toFixed(0));
        break;
      case 'eval':
        state.accuracies.push(reply.accuracy);
        plot.addAccuracy(reply.step, reply.accuracy);
        figure('train-accuracy', `${reply.accuracy.toFixed(1)}% (${reply.images} digits)`);
        break;
      case 'trained':
        Object.assign(state, { running: false, finalAccuracy: reply.accuracy, samplesPerSecond: reply.samplesPerSecond, device: reply.device });
        plot.addAccuracy(reply.steps, reply.accuracy);
        figure('train-accuracy', `${reply.accuracy.toFixed(1)}% (${reply.testImages} digits)`);
        figure('train-speed', reply.samplesPerSecond.toFixed(0));
        status.textContent = `Done: ${reply.steps} steps in ${reply.seconds.toFixed(1)} s on ${reply.device}; `
          + `${reply.accuracy.toFixed(1)}% of ${reply.testImages} held-out digits right.`;
        weights = reply.weights;
        use.disabled = false;
        stop.disabled = true;
        busy(false);
        break;
      case 'error':
        if (!state.running) break;
        Object.assign(state, { running: false, error: reply.message });
        status.textContent = `Training failed: ${reply.message}`;
        stop.disabled = true;
        busy(false);
        break;
      case 'ready':
      case 'timed':
        break;
    }
  });
  return state;
}
