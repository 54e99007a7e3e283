// examples/web/app/timing.ts — the lecture's timing experiment in the page: a loop of w.mv(x[k]) against one
// x.mm(w.t()), run by the worker on the CPU or WebGPU, each result a row of the table.
import type { TimingResult } from '../../shared/timing.js';
import { LECTURE_SIZES, SMALL_SIZES } from '../../shared/timing.js';
import type { WorkerClient } from './client.js';
import { byId } from './dom.js';
import type { TrainDevice } from './protocol.js';

/** The rows so far, for the page's tests. */
export interface TimingState {
  running: boolean;
  results: TimingResult[];
  error: string | null;
}

const ms = (seconds: number): string => (1000 * seconds).toFixed(seconds < 0.01 ? 2 : 1);

/** Wires the experiment's form to the worker. */
export function setupTiming(client: WorkerClient, busy: (on: boolean) => void): TimingState {
  const state: TimingState = { running: false, results: [], error: null };
  const form = byId('timing-form', HTMLFormElement);
  const status = byId('timing-status', HTMLElement);
  const rows = byId('timing-rows', HTMLTableSectionElement);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const submitter = e.submitter;
    const device: TrainDevice = submitter instanceof HTMLButtonElement && submitter.value === 'webgpu' ? 'webgpu' : 'cpu';
    const sizes = byId('timing-sizes', HTMLSelectElement).value === 'lecture' ? LECTURE_SIZES : SMALL_SIZES;
    const runs = Number(byId('timing-runs', HTMLInputElement).value);
    state.running = true;
    state.error = null;
    status.textContent = `Timing on ${device === 'cpu' ? 'the CPU' : 'WebGPU'}…`;
    busy(true);
    client.post({ type: 'timing', device, sizes, runs });
  });
  client.listen((reply) => {
    if (reply.type === 'timed') {
      const { result: r, sizes } = reply;
      state.results.push(r);
      const row = rows.insertRow();
      for (const text of [r.device, `${sizes.samples}×${sizes.inFeatures} · ${sizes.outFeatures}×${sizes.inFeatures}`, ms(r.loopSeconds), ms(r.batchSeconds), `${r.speedUp.toFixed(1)}×`]) {
        row.insertCell().textContent = text;
      }
      status.textContent = `Batch-processing speed-up on ${r.device}: ${r.speedUp.toFixed(1)}`;
    } else if (reply.type === 'error' && state.running) {
      state.error = reply.message;
      status.textContent = `The experiment failed: ${reply.message}`;
    } else {
      return;
    }
    state.running = false;
    busy(false);
  });
  return state;
}
