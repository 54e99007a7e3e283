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
  /** An LSTM's projection of h (proj_size), or none. */
  wHr?: Tensor | null;
}

/**
 * One step in PyTorch's gate order (LSTM i, f, g, o; GRU r, z, n). `project` gives x·W_ihᵀ + b_ih +
 * h·W_hhᵀ + b_hh for RNN and LSTM (one product, see runDirection); GRU keeps h's projection apart,
 * since its n gate adds r·(h·W_hnᵀ + b_hn).
 */
function step(mode: RnnMode, x: Tensor, state: State, w: CellWeights, joint: Joint | null): State {
  if (mode === 'GRU') {
    const [xr, xz, xn] = chunk(linear(x, w.wIh, w.bIh), 3, 1), [hr, hz, hn] = chunk(linear(state.h, w.wHh, w.bHh), 3, 1);
    const r = sigmoid(add(xr, hr)), z = sigmoid(add(xz, hz));
    const n = tanh(add(xn, mul(r, hn)));
    // (1 − z)·n + z·h, written n + z·(h − n)
    return { h: add(n, mul(z, sub(state.h, n))), c: null };
  }
  const gates = joint === null
    ? add(linear(x, w.wIh, w.bIh), linear(state.h, w.wHh, w.bHh))
    : linear(cat([x, state.h], 1), joint.weight, joint.bias);
  switch (mode) {
    case 'RNN_TANH':
      return { h: tanh(gates), c: null };
    case 'RNN_RELU':
      return { h: relu(gates), c: null };
    case 'LSTM': {
      const [i, f, g, o] = chunk(gates, 4, 1);
      const c = add(mul(sigmoid(f), state.c as Tensor), mul(sigmoid(i), tanh(g)));
      const h = mul(sigmoid(o), tanh(c));
      return { h: w.wHr ? linear(h, w.wHr) : h, c };
    }
  }
}

/** W_ih and W_hh side by side, and b_ih + b_hh: one product per step for both projections. */
interface Joint {
  weight: Tensor;
  bias: Tensor | null;
}

/** A cell on one input [N, I] (PyTorch's rnn_tanh_cell, lstm_cell …). */
export function cell(mode: RnnMode, input: Tensor, state: State, w: CellWeights): State {
  return step(mode, input, state, w, null);
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

// Note [Per-step tensors in recurrent layers]
// Layers pass their sequences as one tensor per time step ([batch size of the step, features]) and
// each step projects its own input. Slicing one large projection per step instead would make every
// step's backward write a zero tensor of the whole projection's size (a slice's gradient), which is
// quadratic in the sequence length; per-step pieces are joined with cat, whose backward only views.

/**
 * Runs one layer in one direction over per-step inputs xs[t] ([batchSizes[t], I], non-increasing
 * batch sizes; rows beyond a step's batch keep their state). Returns per-step outputs and the last state.
 */
export function runDirection(mode: RnnMode, xs: readonly Tensor[], h0: State, w: CellWeights, reverse: boolean): [Tensor[], State] {
  const joint: Joint | null = mode === 'GRU' ? null : {
    weight: cat([w.wIh, w.wHh], 1),
    bias: w.bIh === null || w.bHh === null ? null : add(w.bIh, w.bHh),
  };
  const outs = new Array<Tensor>(xs.length);
  let state = h0;
  for (let k = 0; k < xs.length; k++) {
    const t = reverse ? xs.length - 1 - k : k, b = xs[t].dims[0];
    const next = step(mode, xs[t], b === state.h.dims[0] ? state : rows(state, b), w, joint);
    outs[t] = next.h;
    state = merge(next, state, b);
  }
  return [outs, state];
}
