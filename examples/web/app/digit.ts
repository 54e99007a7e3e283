// examples/web/app/digit.ts — the "draw a digit" section: LeNet-5 (the checked-in weights, or those trained in
// the page) classifies the pad's drawing, preprocessed as MNIST, at every change; ten bars show the softmax.
import * as torch from 'kindling';
import { F } from 'kindling';
import { lenet5 } from '../../shared/lenet5.js';
import { FIELD, toMnist } from '../../shared/preprocess.js';
import { byId } from './dom.js';
import { DrawingPad } from './pad.js';

/** What the section shows, for the page's tests: the last prediction and where the weights came from. */
export interface DigitState {
  predicted: number | null;
  probabilities: number[];
  weights: string;
}

/** Builds the section; returns its state (updated in place) and how to swap in other weights. */
export async function setupDigit(): Promise<{ state: DigitState; useWeights: (bytes: Uint8Array, source: string) => void }> {
  const state: DigitState = { predicted: null, probabilities: [], weights: '' };
  const model = lenet5();
  model.eval();
  const bars = makeBars();
  const preview = byId('preview', HTMLCanvasElement).getContext('2d');
  const result = byId('prediction', HTMLElement);
  const source = byId('weights-source', HTMLElement);

  const classify = (): void => {
    const { values, width, height } = pad.ink();
    const image = toMnist(values, width, height);
    drawPreview(preview, image);
    if (image === null) {
      state.predicted = null;
      state.probabilities = [];
      result.textContent = 'Draw a digit (0–9) in the box.';
      bars.forEach((b) => { b.set(0); });
      return;
    }
    const p = torch.noGrad(() => F.softmax(model(torch.tensor(image).view(1, 1, FIELD, FIELD)), 1)).toArray();
    state.probabilities = Array.from(p);
    state.predicted = state.probabilities.indexOf(Math.max(...state.probabilities));
    bars.forEach((b, i) => { b.set(state.probabilities[i]); });
    result.textContent = `It looks like a ${state.predicted} (${(100 * state.probabilities[state.predicted]).toFixed(1)}%).`;
  };
  const pad = new DrawingPad(byId('pad', HTMLCanvasElement), classify);
  byId('clear', HTMLButtonElement).addEventListener('click', () => { pad.clear(); });
  const pen = byId('pen-width', HTMLInputElement);
  const penChanged = (): void => { pad.penWidth = Number(pen.value); };
  pen.addEventListener('input', penChanged);
  penChanged();

  const useWeights = (bytes: Uint8Array, from: string): void => {
    model.loadStateDict(torch.safetensors.deserialize(bytes));
    state.weights = from;
    source.textContent = from;
    classify();
  };
  const response = await fetch(new URL('../lenet5.safetensors', import.meta.url));
  if (!response.ok) throw new Error(`lenet5.safetensors: HTTP ${response.status}`);
  const pretrained = new Uint8Array(await response.arrayBuffer());
  const usePretrained = (): void => { useWeights(pretrained, 'pretrained (npm start, 10 epochs)'); };
  byId('weights-pretrained', HTMLButtonElement).addEventListener('click', usePretrained);
  usePretrained();
  return { state, useWeights };
}

/** The ten bars: a labelled meter per class, set from 0 to 1. */
function makeBars(): { set: (p: number) => void }[] {
  const list = byId('bars', HTMLOListElement);
  return Array.from({ length: 10 }, (_, digit) => {
    const item = document.createElement('li');
    const label = document.createElement('span');
    label.className = 'bar-label';
    label.textContent = String(digit);
    const track = document.createElement('span');
    track.className = 'bar-track';
    track.setAttribute('role', 'meter');
    track.setAttribute('aria-label', `probability of ${digit}`);
    track.setAttribute('aria-valuemin', '0');
    track.setAttribute('aria-valuemax', '100');
    const fill = document.createElement('span');
    fill.className = 'bar-fill';
    const value = document.createElement('span');
    value.className = 'bar-value';
    track.append(fill);
    item.append(label, track, value);
    list.append(item);
    return {
      set: (p: number): void => {
        fill.style.width = `${(100 * p).toFixed(1)}%`;
        track.setAttribute('aria-valuenow', (100 * p).toFixed(1));
        value.textContent = `${(100 * p).toFixed(0)}%`;
        item.classList.toggle('top', p > 0.5);
      },
    };
  });
}

/** The 28×28 image the model sees, enlarged without smoothing. */
function drawPreview(ctx: CanvasRenderingContext2D | null, image: Float32Array | null): void {
  if (ctx === null) return;
  const data = ctx.createImageData(FIELD, FIELD);
  for (let i = 0; i < FIELD * FIELD; i++) {
    const v = Math.round(255 * (image?.[i] ?? 0));
    data.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(data, 0, 0);
}
