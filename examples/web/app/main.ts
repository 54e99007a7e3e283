// examples/web/app/main.ts — the demo page's entry: the drawing section runs on this thread (one small forward
// pass per frame), training and the timing experiment in a module worker so the page never freezes.
import { type WorkerClient, startWorker } from './client.js';
import { type DigitState, setupDigit } from './digit.js';
import { byId } from './dom.js';
import { setupTiming, type TimingState } from './timing.js';
import { setupTraining, type TrainState } from './train.js';

/** The page's state, on `window.demo` for scripts and the browser tests (test/browser/). */
export interface Demo {
  digit: DigitState;
  train: TrainState;
  timing: TimingState;
  worker: WorkerClient['info'];
}

declare global {
  interface Window { demo?: Demo }
}

/** Offers WebGPU in the device menus only where the worker found an adapter, saying why not otherwise. */
function offerDevices(info: WorkerClient['info']): void {
  const gpu = info.webgpu;
  const option = byId('train-device-webgpu', HTMLOptionElement);
  const button = byId('timing-webgpu', HTMLButtonElement);
  option.disabled = button.disabled = !gpu.available;
  if (gpu.available) {
    option.textContent = `WebGPU (${gpu.name})`;
    byId('train-device', HTMLSelectElement).value = 'webgpu';
  }
  byId('devices', HTMLElement).textContent = gpu.available
    ? `CPU: kindling's ${info.backend} backend · GPU: WebGPU on ${gpu.name}`
    : `CPU: kindling's ${info.backend} backend · no GPU: ${gpu.reason}`;
}

async function main(): Promise<void> {
  const { state: digit, useWeights } = await setupDigit();
  const client = await startWorker(new URL('worker.js', import.meta.url));
  offerDevices(client.info);
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('button[type=submit]')];
  const busy = (on: boolean): void => {
    for (const b of buttons) b.disabled = on || (b.id === 'timing-webgpu' && !client.info.webgpu.available);
  };
  busy(false);
  const train = setupTraining(client, busy, useWeights);
  const timing = setupTiming(client, busy);
  window.demo = { digit, train, timing, worker: client.info };
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  byId('devices', HTMLElement).textContent = `The demo failed to start: ${String(e)}`;
  console.error(e);
});
