// src/nn/modules/conv.ts — nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d: weights initialised as PyTorch's
// _ConvNd.reset_parameters, printed as its extra_repr; the math lives in nn/functional/conv.ts.
import { isOneOf, ValueError } from '../../core/errors.js';
import { empty } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { conv1d, conv2d, convTranspose2d, type IntOrTuple, ntuple } from '../functional/conv.js';
import * as init from '../init.js';
import { Parameter } from '../parameter.js';
import { Module } from './module.js';

/** Python's repr of an int or a tuple of ints: `2`, `(5, 5)`, `(5,)`; null is `None`. */
export function reprTuple(v: number | null | readonly (number | null)[]): string {
  const one = (x: number | null): string => (x === null ? 'None' : String(x));
  if (v === null || typeof v === 'number') return one(v);
  return v.length === 1 ? `(${one(v[0])},)` : `(${v.map(one).join(', ')})`;
}

/** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16 (`1e-05`, `0.1`, `1.0`). */
export function reprFloat(x: number | null): string {
  if (x === null) return 'None';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const [mantissa, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

export interface ConvModuleOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple | 'same' | 'valid';
  dilation?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  paddingMode?: 'zeros';
}

export interface ConvTransposeModuleOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  dilation?: IntOrTuple;
  paddingMode?: 'zeros';
}

/** What Conv1d, Conv2d and ConvTranspose2d share (PyTorch's _ConvNd). */
abstract class ConvNd extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode = 'zeros';

  constructor(
    name: string, d: number, readonly inChannels: number, readonly outChannels: number, kernelSize: IntOrTuple,
    options: ConvModuleOptions & { outputPadding?: IntOrTuple }, readonly transposed: boolean,
  ) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, outputPadding = 0, paddingMode = 'zeros' } = options;
    if (groups <= 0) throw new ValueError(`${name}: groups must be a positive integer`);
    if (inChannels % groups !== 0) throw new ValueError(`${name}: in_channels must be divisible by groups`);
    if (outChannels % groups !== 0) throw new ValueError(`${name}: out_channels must be divisible by groups`);
    if (!isOneOf(paddingMode, ['zeros'])) throw new ValueError(`${name}: padding_mode must be one of ['zeros'] in kindling, but got padding_mode='${String(paddingMode)}'`);
    this.kernelSize = ntuple(name, 'kernel_size', kernelSize, d);
    this.stride = ntuple(name, 'stride', stride, d);
    this.dilation = ntuple(name, 'dilation', dilation, d);
    this.outputPadding = ntuple(name, 'output_padding', outputPadding, d);
    this.groups = groups;
    if (typeof padding === 'string') {
      if (!isOneOf(padding, ['same', 'valid'])) throw new ValueError(`${name}: Invalid padding string '${String(padding)}', should be one of ['valid', 'same']`);
      if (padding === 'same' && this.stride.some((s) => s !== 1)) throw new ValueError(`${name}: padding='same' is not supported for strided convolutions`);
      this.padding = padding;
    } else this.padding = ntuple(name, 'padding', padding, d);
    const shape = transposed ? [inChannels, outChannels / groups] : [outChannels, inChannels / groups];
    this.weight = new Parameter(empty([...shape, ...this.kernelSize]));
    this.bias = bias ? new Parameter(empty(outChannels)) : null;
    this.resetParameters();
  }

  /** Same draws, in the same order, as torch.nn._ConvNd.reset_parameters. */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) init.uniform_(this.bias, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));
    }
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${reprTuple(this.kernelSize)}, stride=${reprTuple(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${reprTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${reprTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${reprTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

/** 1-D convolution over [N, C, L], initialised as torch.nn.Conv1d. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvModuleOptions = {}) {
    super('conv1d', 1, inChannels, outChannels, kernelSize, options, false);
  }
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups } = this;
    return conv1d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }
}

/** 2-D convolution over [N, C, H, W], initialised as torch.nn.Conv2d. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvModuleOptions = {}) {
    super('conv2d', 2, inChannels, outChannels, kernelSize, options, false);
  }
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, groups } = this;
    return conv2d(x, this.weight, this.bias, { stride, padding, dilation, groups });
  }
}

/** 2-D transposed convolution, initialised as torch.nn.ConvTranspose2d. */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvTransposeModuleOptions = {}) {
    super('conv_transpose2d', 2, inChannels, outChannels, kernelSize, options, true);
  }
  forward(x: Tensor): Tensor {
    const { stride, dilation, groups, outputPadding } = this;
    const padding = this.padding as number[];
    return convTranspose2d(x, this.weight, this.bias, { stride, padding, outputPadding, groups, dilation });
  }
}
