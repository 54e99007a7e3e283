// src/nn/modules/rnn.ts — nn.RNN (tanh/relu), nn.LSTM and nn.GRU as PyTorch 1.13 builds them:
// parameters weight_ih_l0, weight_hh_l0_reverse … in PyTorch's order and draws, multi-layer,
// bidirectional, batchFirst, dropout between layers, initial states, unbatched and packed input.
import { RuntimeError, ValueError } from '../../core/errors.js';
import { cat, indexSelect, stack } from '../../ops/indexing.js';
import { squeeze, unsqueeze } from '../../ops/views.js';
import { empty, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout as dropoutFn } from '../functional/dropout.js';
import { type CellWeights, type RnnMode, runDirection, type State } from '../functional/rnn.js';
import * as init from '../init.js';
import { Parameter } from '../parameter.js';
import { PackedSequence } from '../utils/rnn.js';
import { reprFloat } from './conv.js';
import { Module } from './module.js';

export interface RNNOptions {
  numLayers?: number;
  bias?: boolean;
  /** Input and output are [N, T, *] rather than [T, N, *] (the hidden state stays [layers, N, H]). */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, while training. */
  dropout?: number;
  bidirectional?: boolean;
}

export interface LSTMOptions extends RNNOptions {
  /** Projects h to this size (weight_hr_l*), below hiddenSize; 0: no projection. */
  projSize?: number;
}

/** Python's repr of a shape tuple, for hidden-size messages. */
const tuple = (dims: readonly number[]): string => `(${dims.join(', ')})`;

/** What RNN, LSTM and GRU share (PyTorch's RNNBase); H is the hidden state's type. */
abstract class RNNBase<H> extends Module<[input: Tensor, hx?: H | null], [Tensor, H]> {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** LSTM only: h is projected to this size by weight_hr (0: no projection). */
  readonly projSize: number;
  /** Per layer and direction, the same Parameter objects as the fields (PyTorch's _flat_weights). */
  readonly #weights: CellWeights[] = [];

  constructor(readonly mode: RnnMode, readonly inputSize: number, readonly hiddenSize: number, options: LSTMOptions = {}) {
    super();
    const { numLayers = 1, bias = true, batchFirst = false, dropout = 0, bidirectional = false, projSize = 0 } = options;
    if (!(dropout >= 0 && dropout <= 1)) {
      throw new ValueError('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    if (projSize < 0) throw new ValueError('proj_size should be a positive integer or zero to disable projections');
    if (projSize >= hiddenSize) throw new ValueError('proj_size has to be smaller than hidden_size');
    this.projSize = projSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    const gates = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 }[mode] * hiddenSize;
    const directions = bidirectional ? 2 : 1;
    for (let layer = 0; layer < numLayers; layer++) {
      for (let d = 0; d < directions; d++) {
        const inSize = layer === 0 ? inputSize : this.outputSize * directions;
        const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        const p = (name: string, ...shape: number[]): Parameter => {
          const param = new Parameter(empty(shape));
          Reflect.set(this, name + suffix, param);
          return param;
        };
        const wIh = p('weight_ih', gates, inSize), wHh = p('weight_hh', gates, this.outputSize);
        const bIh = bias ? p('bias_ih', gates) : null, bHh = bias ? p('bias_hh', gates) : null;
        this.#weights.push({ wIh, wHh, bIh, bHh, wHr: projSize > 0 ? p('weight_hr', projSize, hiddenSize) : null });
      }
    }
    this.resetParameters();
  }

  /** U(−1/√hidden, 1/√hidden) for every parameter in order, as PyTorch's reset_parameters. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }

  protected get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /**
   * Checks the input (PyTorch's check_input) and returns its time steps' rows one after another
   * [Σ batch sizes, I], with each step's batch size.
   */
  protected steps(input: Tensor | PackedSequence): [Tensor, number[]] {
    const x = input instanceof PackedSequence ? input.data : input;
    const want = input instanceof PackedSequence ? 2 : 3;
    if (x.dim() !== want) throw new RuntimeError(`input must have ${want} dimensions, got ${x.dim()}`);
    if (x.dims[want - 1] !== this.inputSize) {
      throw new RuntimeError(`input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${x.dims[want - 1]}`);
    }
    if (input instanceof PackedSequence) return [x, [...input.sizes]];
    const timeMajor = this.batchFirst ? x.transpose(0, 1) : x;
    const [steps, batch] = timeMajor.dims;
    return [timeMajor.reshape([steps * batch, this.inputSize]), new Array<number>(steps).fill(batch)];
  }

  /** The size of h: the projection's with projSize, else the hidden size. */
  get outputSize(): number {
    return this.projSize > 0 ? this.projSize : this.hiddenSize;
  }

  protected zeroState(batch: number, like: Tensor, size: number): Tensor {
    return zeros([this.numLayers * this.directions, batch, size], { dtype: like.dtype, device: like.device });
  }

  protected checkHidden(hx: Tensor, batch: number, size: number, what: string): void {
    const want = [this.numLayers * this.directions, batch, size];
    if (hx.dim() !== 3 || want.some((d, i) => d !== hx.dims[i])) {
      throw new RuntimeError(`Expected ${what} size ${tuple(want)}, got [${hx.dims.join(', ')}]`);
    }
  }

  /**
   * Every layer and direction over the steps' rows (steps' batch sizes `sizes`) from the initial states
   * h0 (and c0) [L·D, N, H], with dropout between layers. Returns the last layer's outputs (the steps'
   * rows one after another) and the final states.
   */
  protected layers(input: Tensor, sizes: readonly number[], h0: Tensor, c0: Tensor | null): [Tensor, Tensor, Tensor | null] {
    const hs: Tensor[] = [], cs: Tensor[] = [];
    let rows = input;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < this.directions; d++) {
        const k = layer * this.directions + d;
        const start: State = { h: h0.select(0, k), c: c0 === null ? null : c0.select(0, k) };
        const [out, last] = runDirection(this.mode, rows, sizes, start, this.#weights[k], d === 1);
        outs.push(out);
        hs.push(last.h);
        if (last.c !== null) cs.push(last.c);
      }
      rows = outs.length === 1 ? outs[0] : cat(outs, 1);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) rows = dropoutFn(rows, this.dropout);
    }
    return [rows, stack(hs), c0 === null ? null : stack(cs)];
  }

  /** Runs the layers on a tensor or packed input; states are given and returned in batch order. */
  protected run(input: Tensor | PackedSequence, h0: Tensor | null, c0: Tensor | null, names: [string, string]): [Tensor | PackedSequence, Tensor, Tensor | null] {
    const [rows, sizes] = this.steps(input);
    if (sizes.length === 0) throw new RuntimeError('Expected sequence length to be larger than 0 in RNN');
    const sorted = input instanceof PackedSequence ? input.sortedIndices : null;
    const order = (s: Tensor, perm: Tensor | null): Tensor => (perm === null ? s : indexSelect(s, 1, perm));
    const batch = sizes.length > 0 ? sizes[0] : (input instanceof PackedSequence ? 0 : input.dims[this.batchFirst ? 0 : 1]);
    const like = input instanceof PackedSequence ? input.data : input;
    const h = h0 === null ? this.zeroState(batch, like, this.outputSize) : order(h0, sorted);
    const c = this.mode !== 'LSTM' ? null : c0 === null ? this.zeroState(batch, like, this.hiddenSize) : order(c0, sorted);
    this.checkHidden(h, batch, this.outputSize, names[0]);
    if (c !== null) this.checkHidden(c, batch, this.hiddenSize, names[1]);
    const [outs, hn, cn] = this.layers(rows, sizes, h, c);
    if (input instanceof PackedSequence) {
      const unsorted = input.unsortedIndices;
      return [new PackedSequence(outs, input.batchSizes, sorted, unsorted), order(hn, unsorted), cn === null ? null : order(cn, unsorted)];
    }
    // [T, N, H] from the rows, and batch first as PyTorch gives it: a transposed view
    const out = outs.view(sizes.length, batch, outs.dims[1]);
    return [this.batchFirst ? out.transpose(0, 1) : out, hn, cn];
  }

  /** Unbatched [T, I] input as a batch of one. */
  protected unbatch(x: Tensor): Tensor {
    return unsqueeze(x, this.batchFirst ? 0 : 1);
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ', bias=False';
    if (this.batchFirst) s += ', batch_first=True';
    if (this.dropout !== 0) s += `, dropout=${reprFloat(this.dropout)}`;
    if (this.bidirectional) s += ', bidirectional=True';
    return s;
  }
}

/** RNN's and GRU's options, refusing an LSTM's projection as PyTorch does (for untyped callers). */
function noProjection(options: RNNOptions): RNNOptions {
  if ('projSize' in options) throw new ValueError('proj_size argument is only supported for LSTM, not RNN or GRU');
  return options;
}

/** A single-state recurrent layer (RNN, GRU): hx is [L·D, N, H] or [L·D, H] unbatched. */
abstract class SingleStateRNN extends RNNBase<Tensor> {
  forward(input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  forward(input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
  forward(input: Tensor | PackedSequence, hx: Tensor | null = null): [Tensor | PackedSequence, Tensor] {
    const names: [string, string] = ['hidden', 'hidden'];
    if (input instanceof PackedSequence) {
      const [out, h] = this.run(input, hx, null, names);
      return [out, h];
    }
    const batched = input.dim() === 3;
    if (hx !== null && hx.dim() !== (batched ? 3 : 2)) {
      throw new RuntimeError(batched ? `For batched 3-D input, hx should also be 3-D but got ${hx.dim()}-D tensor`
        : `For unbatched 2-D input, hx should also be 2-D but got ${hx.dim()}-D tensor`);
    }
    if (batched) {
      const [out, h] = this.run(input, hx, null, names);
      return [out, h];
    }
    const [out, h] = this.run(this.unbatch(input), hx === null ? null : unsqueeze(hx, 1), null, names);
    return [squeeze(out as Tensor, this.batchFirst ? 0 : 1), squeeze(h, 1)];
  }
}

export interface RNNModuleOptions extends RNNOptions {
  nonlinearity?: 'tanh' | 'relu';
}

// The call signatures of RNN, GRU and LSTM add packed input to Module's (Note [Module signatures]).
/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging */
export interface RNN {
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
}
export interface GRU {
  (input: Tensor, hx?: Tensor | null): [Tensor, Tensor];
  (input: PackedSequence, hx?: Tensor | null): [PackedSequence, Tensor];
}
export interface LSTM {
  (input: Tensor, hx?: LSTMState | null): [Tensor, LSTMState];
  (input: PackedSequence, hx?: LSTMState | null): [PackedSequence, LSTMState];
}

/**
 * An Elman RNN, h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) or with relu (torch.nn.RNN).
 * @example const [output, hn] = new nn.RNN(10, 20, { numLayers: 2 })(torch.randn(5, 3, 10))
 */
export class RNN extends SingleStateRNN {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, options: RNNModuleOptions = {}) {
    const nonlinearity = options.nonlinearity ?? 'tanh';
    // Looked up by name, so that a misspelt string from untyped callers gets PyTorch's error.
    const mode = ({ tanh: 'RNN_TANH', relu: 'RNN_RELU' } as Partial<Record<string, RnnMode>>)[nonlinearity];
    if (mode === undefined) throw new ValueError(`Unknown nonlinearity '${nonlinearity}'`);
    super(mode, inputSize, hiddenSize, noProjection(options));
    this.nonlinearity = nonlinearity;
  }
}

/** A gated recurrent unit layer (torch.nn.GRU), gates r, z, n. */
export class GRU extends SingleStateRNN {
  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('GRU', inputSize, hiddenSize, noProjection(options));
  }
}

/** An LSTM's (h, c). */
export type LSTMState = [h: Tensor, c: Tensor];

/**
 * A long short-term memory layer (torch.nn.LSTM), gates i, f, g, o; the state is (h, c).
 * @example const [output, [hn, cn]] = new nn.LSTM(10, 20)(torch.randn(5, 3, 10))
 */
export class LSTM extends RNNBase<LSTMState> {
  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super('LSTM', inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx?: LSTMState | null): [Tensor, LSTMState];
  forward(input: PackedSequence, hx?: LSTMState | null): [PackedSequence, LSTMState];
  forward(input: Tensor | PackedSequence, hx: LSTMState | null = null): [Tensor | PackedSequence, LSTMState] {
    const [h0, c0]: [Tensor | null, Tensor | null] = hx ?? [null, null];
    const batched = input instanceof PackedSequence || input.dim() === 3;
    if (!(input instanceof PackedSequence) && h0 !== null && c0 !== null) {
      const want = batched ? 3 : 2;
      if (h0.dim() !== want || c0.dim() !== want) {
        throw new RuntimeError(`For ${batched ? 'batched 3-D' : 'unbatched 2-D'} input, hx and cx should also be ${want}-D but got ` +
          `(${h0.dim()}-D, ${c0.dim()}-D) tensors`);
      }
    }
    const names: [string, string] = ['hidden[0]', 'hidden[1]'];
    if (batched) {
      const [out, h, c] = this.run(input, h0, c0, names);
      return [out, [h, c as Tensor]];
    }
    const lift = (s: Tensor | null): Tensor | null => (s === null ? null : unsqueeze(s, 1));
    const [out, h, c] = this.run(this.unbatch(input), lift(h0), lift(c0), names);
    return [squeeze(out as Tensor, this.batchFirst ? 0 : 1), [squeeze(h, 1), squeeze(c as Tensor, 1)]];
  }
}
/* eslint-enable @typescript-eslint/no-unsafe-declaration-merging */
