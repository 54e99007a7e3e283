// src/nn/functional/rnn.ts — the recurrent cells (PyTorch's rnn_tanh_cell, rnn_relu_cell, lstm_cell,
// gru_cell) and the time loop of one layer in one direction over a packed batch, with the input
// projection of every step done as one matrix product before the loop.
import { add, mul, relu, sigmoid, sub, tanh } from '../../ops/elementwise.js';
import { cat, chunk } from '../../ops/indexing.js';
import { narrow } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import { linear } from './linear.js';

export type RnnMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** The hidden state of a step: h, and c for an LSTM. */
export interface State {
  h: Tensor;
  c: Tensor | null;
}

export interface CellWeights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

/**
 * One step from the projected input `gx` (x·W_ihᵀ + b_ih) and the previous state, in PyTorch's gate
 * order: LSTM i, f, g, o; GRU r, z, n (the n gate adds r·(h·W_hnᵀ + b_hn), so h's projection stays apart).
 */
export function cellStep(mode: RnnMode, gx: Tensor, state: State, w: CellWeights): State {
  const gh = linear(state.h, w.wHh, w.bHh);
  switch (mode) {
    case 'RNN_TANH':
      return { h: tanh(add(gx, gh)), c: null };
    case 'RNN_RELU':
      return { h: relu(add(gx, gh)), c: null };
    case 'LSTM': {
      const [i, f, g, o] = chunk(add(gx, gh), 4, 1);
      const c = add(mul(sigmoid(f), state.c as Tensor), mul(sigmoid(i), tanh(g)));
      return { h: mul(sigmoid(o), tanh(c)), c };
    }
    case 'GRU': {
      const [xr, xz, xn] = chunk(gx, 3, 1), [hr, hz, hn] = chunk(gh, 3, 1);
      const r = sigmoid(add(xr, hr)), z = sigmoid(add(xz, hz));
      const n = tanh(add(xn, mul(r, hn)));
      // (1 − z)·n + z·h, written n + z·(h − n)
      return { h: add(n, mul(z, sub(state.h, n))), c: null };
    }
  }
}

/** A cell on one input [N, I] (PyTorch's rnn_tanh_cell, lstm_cell …). */
export function cell(mode: RnnMode, input: Tensor, state: State, w: CellWeights): State {
  return cellStep(mode, linear(input, w.wIh, w.bIh), state, w);
}

/** Rows [0, n) of a state. */
function rows(s: State, n: number): State {
  return { h: narrow(s.h, 0, 0, n), c: s.c === null ? null : narrow(s.c, 0, 0, n) };
}

/** The new rows [0, n) on top of the old rows [n, N), which keep their values (finished sequences). */
function merge(fresh: State, old: State, n: number): State {
  const total = old.h.dims[0];
  if (n === total) return fresh;
  const keep = (x: Tensor, y: Tensor): Tensor => cat([x, narrow(y, 0, n, total - n)]);
  return { h: keep(fresh.h, old.h), c: fresh.c === null || old.c === null ? null : keep(fresh.c, old.c) };
}

/**
 * Runs one layer in one direction over packed data [Σ batchSizes, I]: step t reads rows
 * offset(t) … offset(t) + batchSizes[t]. Returns the outputs in the packed layout and the last state.
 */
export function runDirection(
  mode: RnnMode, data: Tensor, batchSizes: readonly number[], h0: State, w: CellWeights, reverse: boolean,
): [Tensor, State] {
  const gx = linear(data, w.wIh, w.bIh);
  const offsets: number[] = [];
  batchSizes.reduce((o, b) => (offsets.push(o), o + b), 0);
  const outs = new Array<Tensor>(batchSizes.length);
  let state = h0;
  for (let k = 0; k < batchSizes.length; k++) {
    const t = reverse ? batchSizes.length - 1 - k : k, b = batchSizes[t];
    const prev = b === state.h.dims[0] ? state : rows(state, b);
    const next = cellStep(mode, narrow(gx, 0, offsets[t], b), prev, w);
    outs[t] = next.h;
    state = merge(next, state, b);
  }
  return [outs.length === 1 ? outs[0] : cat(outs), state];
}
