// src/nn/functional/lstm-layer.ts — one direction of an LSTM layer as one graph node on the backend's fused
// layer kernels (PyTorch's mkldnn_rnn_layer on CPU), and the cell's gradient formulas in ops that its
// recorded backward and the fused cell's share.
import type { View } from '../../backends/backend.js';
import { isGradEnabled, noGrad } from '../../autograd/grad-mode.js';
import { Node } from '../../autograd/node.js';
import { edgeOf, isRecording } from '../../ops/define.js';
import { add, mul, sigmoid, sub, tanh } from '../../ops/elementwise.js';
import { cat, chunk, NO_GRAD } from '../../ops/indexing.js';
import { addmm, mm } from '../../ops/linalg.js';
import { narrow, t as transpose } from '../../ops/views.js';
import { zerosLike } from '../../tensor/creation.js';
import { backendOf } from '../../tensor/device.js';
import { type Tensor, uninitTensor } from '../../tensor/tensor.js';

/** s·(1 − s)·d: the sigmoid's gradient from its output s. */
const sigmoidGrad = (s: Tensor, d: Tensor): Tensor => mul(d, sub(s, mul(s, s)));

/**
 * An LSTM cell's gradients in ops, from those of h' (gh) and of c' (gc, or none), the c it started from
 * and its activations σ(i), σ(f), tanh(g), σ(o), tanh(c'): the gates' [N, 4H] and c's.
 */
export function cellGrads(gh: Tensor, gc: Tensor | null, c: Tensor, [i, f, g, o, tc]: readonly Tensor[]): [Tensor, Tensor] {
  // dL/dc' from both outputs: c' itself, and h' = o·tanh(c')
  const fromH = mul(mul(gh, o), sub(1, mul(tc, tc)));
  const dc = gc === null ? fromH : add(gc, fromH);
  const dGates = cat([sigmoidGrad(i, mul(dc, g)), sigmoidGrad(f, mul(dc, c)), mul(mul(dc, i), sub(1, mul(g, g))), sigmoidGrad(o, mul(gh, tc))], 1);
  return [dGates, mul(dc, f)];
}

/** The activations σ(i), σ(f), tanh(g), σ(o) and tanh(c') from the gates [N, 4H] and c [N, H], by recorded ops. */
export function activations(gates: Tensor, c: Tensor): Tensor[] {
  const [xi, xf, xg, xo] = chunk(gates, 4, 1);
  const [i, f, g, o] = [sigmoid(xi), sigmoid(xf), tanh(xg), sigmoid(xo)];
  return [i, f, g, o, tanh(add(mul(f, c), mul(i, g)))];
}

/** A dense view of `x` for a kernel (a contiguous copy when it is strided). */
const denseKernelView = (x: Tensor): View => (x.isContiguous() ? x : noGrad(() => x.contiguous())).kernelView();

/**
 * One direction of an LSTM layer over T steps of N rows, on the backend's fused kernels: from xp
 * [T·N, 4H] (the input's projection, both biases added), h0 and c0 [N, H] and W_hh [4H, H], the steps'
 * h as rows [T·N, H] and the last step's h and c. Under autograd the three share one node. Null where
 * the backend has no such kernels, or for an empty layer: the caller then runs the steps one by one.
 */
export function lstmLayer(xp: Tensor, h0: Tensor, c0: Tensor, wHh: Tensor, reverse: boolean): [Tensor, Tensor, Tensor] | null {
  const be = backendOf('lstm', [xp, h0, c0, wHh]);
  const [n, h] = h0.dims as [number, number], rows = xp.dims[0];
  if (be.lstmLayer === undefined || be.lstmLayerBackward === undefined || n === 0 || h === 0 || rows === 0 || rows % n !== 0) return null;
  const dtype = xp.dtype;
  const gates = uninitTensor(be, [rows, 4 * h], dtype), y = uninitTensor(be, [rows, h], dtype), cs = uninitTensor(be, [rows, h], dtype);
  if (!be.lstmLayer(denseKernelView(xp), denseKernelView(wHh), denseKernelView(h0), denseKernelView(c0), reverse, gates.storage, y.storage, cs.storage)) return null;
  // The last step's h and c as tensors of their own, as PyTorch's h_n and c_n are.
  const last = reverse ? 0 : rows - n;
  const [hN, cN] = noGrad(() => [narrow(y, 0, last, n).clone(), narrow(cs, 0, last, n).clone()]);
  if (!isRecording([xp, h0, c0, wHh])) return [y, hN, cN];
  const node = new LstmLayerBackward(xp, h0, c0, wHh, gates, y, cs, reverse);
  [y, hN, cN].forEach((out, k) => {
    const piece = new LayerOutputBackward(node, k);
    piece.output = out;
    out.setGradFn(piece);
  });
  return [y, hN, cN];
}

/** The node of one of lstmLayer's outputs: hands its gradient to the layer's node. */
class LayerOutputBackward extends Node {
  readonly name = 'MkldnnRnnLayerBackward0';
  constructor(private readonly layer: LstmLayerBackward, private readonly index: number) {
    super([layer]);
  }
  apply(g: Tensor): (Tensor | null)[] {
    this.layer.grads[this.index] = g;
    return [NO_GRAD];
  }
}

/**
 * lstmLayer's gradients once all of its outputs have given theirs (the engine runs it after all of its
 * consumers): xp's (the gates'), h0's, c0's and W_hh's, the last one product over the whole sequence.
 */
class LstmLayerBackward extends Node {
  readonly name = 'MkldnnRnnLayerBackward0';
  /** The gradients of y, of the last h and of the last c, as the outputs' nodes give them. */
  grads: (Tensor | null)[] = [null, null, null];
  private kept: { xp: Tensor; h0: Tensor; c0: Tensor; w: Tensor; gates: Tensor; y: Tensor; cs: Tensor } | null;

  constructor(xp: Tensor, h0: Tensor, c0: Tensor, w: Tensor, gates: Tensor, y: Tensor, cs: Tensor, private readonly reverse: boolean) {
    super([edgeOf(xp), edgeOf(h0), edgeOf(c0), edgeOf(w)]);
    this.kept = { xp, h0, c0, w, gates, y, cs };
    // version-checked, as PyTorch checks the layer's saved input, states, weight and output
    this.save(xp, h0, c0, w, y);
  }

  apply(): (Tensor | null)[] {
    const [gY, gH, gC] = this.grads;
    this.grads = [null, null, null];
    const s = this.kept;
    if (s === null) return [null, null, null, null];
    if (isGradEnabled()) return recordedBackward(s.xp, s.h0, s.c0, s.w, this.reverse, gY, gH, gC);
    const be = backendOf('lstm', [s.gates, s.w, s.c0, s.cs]);
    const [n, h] = s.h0.dims as [number, number], rows = s.gates.dims[0];
    const dGates = uninitTensor(be, [rows, 4 * h], s.gates.dtype), dh0 = uninitTensor(be, [n, h], s.gates.dtype), dc0 = uninitTensor(be, [n, h], s.gates.dtype);
    const opt = (g: Tensor | null): View | null => (g === null ? null : denseKernelView(g));
    const ok = be.lstmLayerBackward?.(s.gates.kernelView(), denseKernelView(s.w), denseKernelView(s.c0), s.cs.kernelView(), opt(gY), opt(gH), opt(gC),
      this.reverse, dGates.storage, dh0.storage, dc0.storage);
    // gradients the kernel does not take (another dtype) go through the ops
    if (ok !== true) return recordedBackward(s.xp, s.h0, s.c0, s.w, this.reverse, gY, gH, gC);
    return [dGates, dh0, dc0, this.next[3] === null ? null : weightGrad(dGates, s.y, s.h0, this.reverse)];
  }

  protected override freeInputs(): void {
    this.kept = null;
  }
}

/**
 * W_hh's gradient Σₜ dGatesₜᵀ·hₜ₋₁: the first step's h is h0, every other step's the previous step's
 * output, one product over those rows of y.
 */
function weightGrad(dGates: Tensor, y: Tensor, h0: Tensor, reverse: boolean): Tensor {
  const n = h0.dims[0], rows = y.dims[0];
  const first = reverse ? rows - n : 0;
  const fromH0 = mm(transpose(narrow(dGates, 0, first, n)), h0);
  if (rows === n) return fromH0;
  // forward: steps 1… against y's steps 0…; reverse: steps 0… against y's steps 1…
  const [dStart, yStart] = reverse ? [0, n] : [n, 0];
  return addmm(fromH0, transpose(narrow(dGates, 0, dStart, rows - n)), narrow(y, 0, yStart, rows - n));
}

/**
 * lstmLayer's backward as ops, recorded for a backward that is itself differentiated (createGraph): the
 * steps again from the saved inputs, then the cell's gradient formulas step by step.
 */
function recordedBackward(xp: Tensor, h0: Tensor, c0: Tensor, w: Tensor, reverse: boolean, gY: Tensor | null, gH: Tensor | null, gC: Tensor | null): (Tensor | null)[] {
  const n = h0.dims[0], steps = xp.dims[0] / n;
  const order = Array.from({ length: steps }, (_, s) => (reverse ? steps - 1 - s : s));
  const prev: [Tensor, Tensor][] = new Array<[Tensor, Tensor]>(steps), acts: Tensor[][] = new Array<Tensor[]>(steps);
  let h = h0, c = c0;
  for (const t of order) {
    const a = activations(addmm(narrow(xp, 0, t * n, n), h, transpose(w)), c);
    prev[t] = [h, c];
    acts[t] = a;
    c = add(mul(a[1], c), mul(a[0], a[2]));
    h = mul(a[3], a[4]);
  }
  const dGates: Tensor[] = new Array<Tensor>(steps);
  let dh = gH, dc = gC, dW: Tensor | null = null;
  for (const t of order.reverse()) {
    const gy = gY === null ? null : narrow(gY, 0, t * n, n);
    const gh = gy === null ? dh : dh === null ? gy : add(gy, dh);
    const [hp, cp] = prev[t];
    const [dG, dcPrev] = cellGrads(gh ?? zerosLike(hp), dc, cp, acts[t]);
    dGates[t] = dG;
    dc = dcPrev;
    dh = mm(dG, w);
    const part = mm(transpose(dG), hp);
    dW = dW === null ? part : add(dW, part);
  }
  return [cat(dGates), dh, dc, dW];
}
