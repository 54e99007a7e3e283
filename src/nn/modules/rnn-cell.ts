// src/nn/modules/rnn-cell.ts — nn.RNNCell, nn.LSTMCell and nn.GRUCell: one step of the recurrent
// layers, with PyTorch's parameter names (weight_ih, weight_hh, bias_ih, bias_hh), draws and checks.
import { AssertionError, RuntimeError } from '../../core/errors.js';
import { squeeze, unsqueeze } from '../../ops/views.js';
import { empty, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cell, type RnnMode, type State } from '../functional/rnn.js';
import * as init from '../init.js';
import { Parameter } from '../parameter.js';
import { Module } from './module.js';

/** What the cells share (PyTorch's RNNCellBase); H is the state's type. */
abstract class RNNCellBase<H> extends Module<[input: Tensor, hx?: H | null], H> {
  readonly weight_ih: Parameter;
  readonly weight_hh: Parameter;
  readonly bias_ih: Parameter | null;
  readonly bias_hh: Parameter | null;

  constructor(readonly inputSize: number, readonly hiddenSize: number, readonly bias: boolean, chunks: number) {
    super();
    this.weight_ih = new Parameter(empty(chunks * hiddenSize, inputSize));
    this.weight_hh = new Parameter(empty(chunks * hiddenSize, hiddenSize));
    this.bias_ih = bias ? new Parameter(empty(chunks * hiddenSize)) : null;
    this.bias_hh = bias ? new Parameter(empty(chunks * hiddenSize)) : null;
    this.resetParameters();
  }

  /** U(−1/√hidden, 1/√hidden) for every parameter in order, as PyTorch's reset_parameters. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const w of this.parameters()) init.uniform_(w, -stdv, stdv);
  }

  /**
   * One step on [N, I] (or [I]) from the states (zeros when absent), with PyTorch's checks of
   * rank, input size, hidden size and batch size. Returns batched states and whether to squeeze.
   */
  protected step(mode: RnnMode, input: Tensor, h: Tensor | null, c: Tensor | null): [State, boolean] {
    if (input.dim() !== 1 && input.dim() !== 2) {
      throw new AssertionError(`${this.constructor.name}: Expected input to be 1-D or 2-D but received ${input.dim()}-D tensor`);
    }
    const batched = input.dim() === 2;
    const x = batched ? input : unsqueeze(input, 0);
    const zero = (): Tensor => zeros([x.dims[0], this.hiddenSize], { dtype: x.dtype, device: x.device });
    const lift = (s: Tensor | null): Tensor => (s === null ? zero() : batched ? s : unsqueeze(s, 0));
    const state: State = { h: lift(h), c: mode === 'LSTM' ? lift(c) : null };
    if (x.dims[1] !== this.inputSize) throw new RuntimeError(`input has inconsistent input_size: got ${x.dims[1]} expected ${this.inputSize}`);
    [state.h, state.c].forEach((s, i) => {
      if (s === null) return;
      if (s.dims[0] !== x.dims[0]) throw new RuntimeError(`Input batch size ${x.dims[0]} doesn't match hidden${i} batch size ${s.dims[0]}`);
      if (s.dims[1] !== this.hiddenSize) {
        throw new RuntimeError(`hidden${i} has inconsistent hidden_size: got ${s.dims[1]}, expected ${this.hiddenSize}`);
      }
    });
    const w = { wIh: this.weight_ih, wHh: this.weight_hh, bIh: this.bias_ih, bHh: this.bias_hh };
    return [cell(mode, x, state, w), !batched];
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? '' : ', bias=False'}`;
  }
}

/**
 * An Elman RNN cell, h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) or with relu (torch.nn.RNNCell).
 * @example const h = new nn.RNNCell(10, 20)(torch.randn(3, 10))
 */
export class RNNCell extends RNNCellBase<Tensor> {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(inputSize: number, hiddenSize: number, { bias = true, nonlinearity = 'tanh' }: { bias?: boolean; nonlinearity?: 'tanh' | 'relu' } = {}) {
    super(inputSize, hiddenSize, bias, 1);
    this.nonlinearity = nonlinearity;
  }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const mode = ({ tanh: 'RNN_TANH', relu: 'RNN_RELU' } as Partial<Record<string, RnnMode>>)[this.nonlinearity];
    if (mode === undefined) throw new RuntimeError(`Unknown nonlinearity: ${this.nonlinearity}`);
    const [{ h }, squeezed] = this.step(mode, input, hx, null);
    return squeezed ? squeeze(h, 0) : h;
  }

  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === 'tanh' ? '' : `, nonlinearity=${this.nonlinearity}`);
  }
}

/** A long short-term memory cell (torch.nn.LSTMCell): (h, c) → (h', c'). */
export class LSTMCell extends RNNCellBase<[Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, { bias = true }: { bias?: boolean } = {}) {
    super(inputSize, hiddenSize, bias, 4);
  }

  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [{ h, c }, squeezed] = this.step('LSTM', input, hx?.[0] ?? null, hx?.[1] ?? null);
    const cc = c as Tensor;
    return squeezed ? [squeeze(h, 0), squeeze(cc, 0)] : [h, cc];
  }
}

/** A gated recurrent unit cell (torch.nn.GRUCell). */
export class GRUCell extends RNNCellBase<Tensor> {
  constructor(inputSize: number, hiddenSize: number, { bias = true }: { bias?: boolean } = {}) {
    super(inputSize, hiddenSize, bias, 3);
  }

  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [{ h }, squeezed] = this.step('GRU', input, hx, null);
    return squeezed ? squeeze(h, 0) : h;
  }
}
