// src/nn/functional/rnn.ts — the recurrent cells (PyTorch's rnn_tanh_cell, rnn_relu_cell, lstm_cell,
// gru_cell) and the time loop of one layer in one direction over a packed batch, with the input
// projection of every step done as one matrix product before the loop.
import type { Storage, View } from '../../backends/backend.js';
import { defineOp } from '../../ops/define.js';
import { add, mul, relu, sigmoid, sub, tanh } from '../../ops/elementwise.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { cat, chunk, split, unbind } from '../../ops/indexing.js';
import { backendOf } from '../../tensor/device.js';
import { uninitTensor } from '../../tensor/tensor.js';
import { narrow, select } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Pointwise } from './activation.js';
import { linear } from './linear.js';
import { activations, cellGrads, lstmLayer } from './lstm-layer.js';
import { stepGates, WeightGradSink } from './rnn-graph.js';

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
 * One step in PyTorch's gate order (LSTM i, f, g, o; GRU r, z, n) from the step's projected input
 * xp = x·W_ihᵀ + b_ih. For RNN and LSTM, `fused` says xp holds b_hh too, and the gates are one addmm
 * xp + h·W_hhᵀ (W_hh's gradient summed by `sink`, see stepGates); GRU keeps h's projection apart, since its n gate adds r·(h·W_hnᵀ + b_hn).
 */
function step(mode: RnnMode, xp: Tensor, state: State, w: CellWeights, fused: boolean, sink: WeightGradSink | null = null): State {
  if (mode === 'GRU') {
    const [xr, xz, xn] = chunk(xp, 3, 1), [hr, hz, hn] = chunk(linear(state.h, w.wHh, w.bHh), 3, 1);
    const r = sigmoid(add(xr, hr)), z = sigmoid(add(xz, hz));
    const n = tanh(add(xn, mul(r, hn)));
    // (1 − z)·n + z·h, written n + z·(h − n)
    return { h: add(n, mul(z, sub(state.h, n))), c: null };
  }
  const gates = fused ? stepGates(xp, state.h, w.wHh, sink) : add(xp, linear(state.h, w.wHh, w.bHh));
  switch (mode) {
    case 'RNN_TANH':
      return { h: tanh(gates), c: null };
    case 'RNN_RELU':
      return { h: relu(gates), c: null };
    case 'LSTM': {
      // unbind's one backward node joins h's and c's gradients, where a select each would zero-fill [2, N, H] twice.
      const [h, c] = unbind(lstmCellOp([gates, state.c as Tensor], { acts: null }), 0);
      return { h: w.wHr ? linear(h, w.wHr) : h, c };
    }
  }
}

/** The blocks of lstmCellOp's output [2, N, H] (H, C), and of its activations [5, N, H] (I … TanhC, from 0). */
const enum Block { H, C, I = 0, F, G, O, TanhC }

/** Where lstmCellOp's forward leaves the activations its backward reads. */
interface CellActivations {
  acts: Tensor | null;
}

/**
 * An LSTM step's gate arithmetic in one op, from the gates [N, 4H] (i, f, g, o) and c [N, H]:
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). The output [2, N, H] holds h' and c'; the
 * activations go to a tensor of their own in `params`, which the backward reads instead of
 * recomputing them (unless it is recorded: then it recomputes them with ops, so that double backward
 * sees their dependence on the inputs). One graph node instead of a dozen, no slices of the gates in
 * the backward, and the output's gradient only [2, N, H] (PyTorch fuses this cell on CUDA under this name).
 */
const lstmCellOp = defineOp<CellActivations>({
  name: 'lstmCell',
  gradFn: 'ThnnFusedLstmCellBackward0',
  meta: ([gates, c]) => ({ shape: [2, c.dims[0], c.dims[1]], dtype: gates.dtype }),
  forward: (be, [gates, c], out, params) => {
    const [n, h] = c.shape as [number, number];
    const acts = uninitTensor(be, [5, n, h], out.dtype);
    params.acts = acts;
    if (be.lstmCell?.(gates, c, out, acts.storage) === true) return;
    const k = new Pointwise(be, [n, h], out.dtype);
    const part = (j: number): View => ({ ...gates, shape: [n, h], offset: gates.offset + j * h * gates.strides[1] });
    const [i, f, g, o] = [k.unary('sigmoid', part(0)), k.unary('sigmoid', part(1)), k.unary('tanh', part(2)), k.unary('sigmoid', part(3))];
    const c2 = k.binary('add', k.binary('mul', f, c), k.binary('mul', i, g)), tc = k.unary('tanh', c2);
    const write = (storage: Storage, j: number, x: View): void => { be.copy(x, { storage, shape: [n, h], strides: [h, 1], offset: j * n * h }); };
    write(out, Block.H, k.binary('mul', o, tc));
    write(out, Block.C, c2);
    for (const [j, x] of [[Block.I, i], [Block.F, f], [Block.G, g], [Block.O, o], [Block.TanhC, tc]] as const) write(acts.storage, j, x);
  },
  backward: (grad, [gates, c], _out, params) => {
    if (!isGradEnabled() && params.acts !== null) return cellBackwardKernels(grad, c, params.acts);
    const acts = isGradEnabled() || params.acts === null
      ? activations(gates, c)
      : [Block.I, Block.F, Block.G, Block.O, Block.TanhC].map((j) => select(params.acts as Tensor, 0, j));
    return cellGrads(select(grad, 0, Block.H), select(grad, 0, Block.C), c, acts);
  },
  saves: 'inputs',
  overwrites: true,
});

/**
 * lstmCellOp's backward straight on kernels, for a backward that is not recorded: the same formulas
 * as its recorded form without a tensor and graph check per product.
 */
function cellBackwardKernels(grad: Tensor, c: Tensor, acts: Tensor): [Tensor, Tensor] {
  const be = backendOf('lstmCell', [grad, c, acts]);
  const [n, h] = c.dims as [number, number], dtype = acts.dtype;
  const gh = select(grad, 0, Block.H).kernelView(), gc = select(grad, 0, Block.C).kernelView();
  const dGates = uninitTensor(be, [n, 4 * h], dtype), dcPrev = uninitTensor(be, [n, h], dtype);
  if (be.lstmCellBackward?.(gh, gc, c.kernelView(), acts.kernelView(), dGates.storage, dcPrev.storage) === true) return [dGates, dcPrev];
  const k = new Pointwise(be, [n, h], dtype);
  const act = (j: Block): View => ({ storage: acts.storage, shape: [n, h], strides: [h, 1], offset: acts.offset + j * n * h });
  const [i, f, g, o, tc] = [Block.I, Block.F, Block.G, Block.O, Block.TanhC].map(act);
  const sigmoidGradOf = (s: View, d: View): View => k.binary('mul', d, k.binary('sub', s, k.binary('mul', s, s)));
  const dc = k.binary('add', gc, k.binary('mul', k.binary('mul', gh, o), k.binary('sub', 1, k.binary('mul', tc, tc))));
  const blocks = [
    sigmoidGradOf(i, k.binary('mul', dc, g)),
    sigmoidGradOf(f, k.binary('mul', dc, c.kernelView())),
    k.binary('mul', k.binary('mul', dc, i), k.binary('sub', 1, k.binary('mul', g, g))),
    sigmoidGradOf(o, k.binary('mul', gh, tc)),
  ];
  blocks.forEach((x, j) => { be.copy(x, { storage: dGates.storage, shape: [n, h], strides: [4 * h, 1], offset: j * h }); });
  k.write(k.binary('mul', dc, f), dcPrev.storage);
  return [dGates, dcPrev];
}

/** A cell on one input [N, I] (PyTorch's rnn_tanh_cell, lstm_cell …). */
export function cell(mode: RnnMode, input: Tensor, state: State, w: CellWeights): State {
  return step(mode, linear(input, w.wIh, w.bIh), state, w, false);
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
// As aten's RNN.cpp, a layer projects the whole sequence through W_ih in one product before the time
// loop (so W_ih's gradient is one product too) and each step adds only h·W_hhᵀ. The steps take
// their rows of that projection through split, whose one backward node joins the steps' gradients once,
// with cat: slicing them with narrow would make every step's backward write a zero tensor of the whole
// projection's size (a slice's gradient), quadratic in the sequence length.
// An LSTM layer whose steps all take the whole batch skips the per-step graph altogether where the
// backend has layer kernels (lstm-layer.ts): one node and two kernel calls per direction, which
// saves a training step most of its allocations and graph bookkeeping.

/**
 * Runs one layer in one direction over `input` [Σ batchSizes, I], the steps' rows one after another
 * (batch sizes non-increasing; rows beyond a step's batch keep their state). Returns the steps' outputs,
 * as rows in the same order, and the last state.
 */
export function runDirection(mode: RnnMode, input: Tensor, batchSizes: readonly number[], h0: State, w: CellWeights, reverse: boolean): [Tensor, State] {
  // RNN and LSTM add b_hh with b_ih in the projection; GRU needs b_hn apart (see step).
  const fused = mode !== 'GRU';
  const bias = w.bIh === null || w.bHh === null || !fused ? w.bIh : add(w.bIh, w.bHh);
  const xp = linear(input, w.wIh, bias);
  // An LSTM whose steps all have the whole batch runs as one node on the backend's layer kernels, where it has them.
  if (mode === 'LSTM' && !w.wHr && batchSizes.every((b) => b === h0.h.dims[0])) {
    const layer = lstmLayer(xp, h0.h, h0.c as Tensor, w.wHh, reverse);
    if (layer !== null) return [layer[0], { h: layer[1], c: layer[2] }];
  }
  const xs = split(xp, batchSizes);
  const sink = fused ? WeightGradSink.for(w.wHh) : null;
  const outs = new Array<Tensor>(xs.length);
  let state = h0;
  for (let k = 0; k < xs.length; k++) {
    const t = reverse ? xs.length - 1 - k : k, b = xs[t].dims[0];
    const next = step(mode, xs[t], b === state.h.dims[0] ? state : rows(state, b), w, fused, sink);
    outs[t] = next.h;
    state = merge(next, state, b);
  }
  return [outs.length === 1 ? outs[0] : cat(outs), state];
}
