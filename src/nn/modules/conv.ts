// src/nn/modules/conv.ts — nn.Conv1d/2d/3d, nn.ConvTranspose1d/2d/3d: weights initialised as PyTorch's
// _ConvNd.reset_parameters, printed as its extra_repr, with its padding modes; the math lives in
// nn/functional/conv.ts (and nn/functional/pad.ts for non-zero padding modes).
import { isOneOf, ValueError } from '../../core/errors.js';
import { empty } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  conv1d, conv2d, conv3d, type ConvOptions, convTranspose1d, convTranspose2d, convTranspose3d, type ConvTransposeOptions, type IntOrTuple, ntuple,
} from '../functional/conv.js';
import { pad } from '../functional/pad.js';
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
  /** How the input is padded: zeros (in the convolution), or by F.pad's reflect, replicate or circular modes. */
  paddingMode?: PaddingMode;
}

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface ConvTransposeModuleOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  bias?: boolean;
  dilation?: IntOrTuple;
  paddingMode?: 'zeros';
}

/** What the convolutions and transposed convolutions share (PyTorch's _ConvNd). */
abstract class ConvNd extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** F.pad's amounts for a non-zero padding mode, last dim first (PyTorch's _reversed_padding_repeated_twice). */
  private readonly reversedPadding: number[];

  constructor(
    name: string, d: number, readonly inChannels: number, readonly outChannels: number, kernelSize: IntOrTuple,
    options: ConvModuleOptions & { outputPadding?: IntOrTuple }, readonly transposed: boolean,
  ) {
    super();
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, outputPadding = 0, paddingMode = 'zeros' } = options;
    if (groups <= 0) throw new ValueError(`${name}: groups must be a positive integer`);
    if (inChannels % groups !== 0) throw new ValueError(`${name}: in_channels must be divisible by groups`);
    if (outChannels % groups !== 0) throw new ValueError(`${name}: out_channels must be divisible by groups`);
    if (!isOneOf(paddingMode, ['zeros', 'reflect', 'replicate', 'circular'])) {
      throw new ValueError(`${name}: padding_mode must be one of {'replicate', 'zeros', 'circular', 'reflect'}, but got padding_mode='${String(paddingMode)}'`);
    }
    if (transposed && paddingMode !== 'zeros') throw new ValueError(`${name}: Only "zeros" padding mode is supported for ${new.target.name}`);
    this.paddingMode = paddingMode;
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
    const pads = this.padding === 'same' ? this.kernelSize.map((k, i) => this.dilation[i] * (k - 1)) : null;
    this.reversedPadding = this.kernelSize.flatMap((_, j) => {
      const i = d - 1 - j;
      if (pads !== null) return [Math.floor(pads[i] / 2), pads[i] - Math.floor(pads[i] / 2)];
      const p = this.padding === 'valid' ? 0 : (this.padding as number[])[i];
      return [p, p];
    });
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
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }

  /** The forward convolution's input and options: padded here by F.pad for a non-zero padding mode. */
  protected convArgs(x: Tensor): [Tensor, ConvOptions] {
    const { stride, dilation, groups } = this;
    if (this.paddingMode === 'zeros') return [x, { stride, padding: this.padding, dilation, groups }];
    return [pad(x, this.reversedPadding, { mode: this.paddingMode }), { stride, padding: 0, dilation, groups }];
  }

  /** The transposed convolution's options. */
  protected transposeArgs(): ConvTransposeOptions {
    const { stride, dilation, groups, outputPadding } = this;
    return { stride, padding: this.padding as number[], outputPadding, groups, dilation };
  }
}

/** 1-D convolution over [N, C, L], initialised as torch.nn.Conv1d. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvModuleOptions = {}) {
    super('conv1d', 1, inChannels, outChannels, kernelSize, options, false);
  }
  forward(x: Tensor): Tensor {
    const [input, options] = this.convArgs(x);
    return conv1d(input, this.weight, this.bias, options);
  }
}

/** 2-D convolution over [N, C, H, W], initialised as torch.nn.Conv2d. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvModuleOptions = {}) {
    super('conv2d', 2, inChannels, outChannels, kernelSize, options, false);
  }
  forward(x: Tensor): Tensor {
    const [input, options] = this.convArgs(x);
    return conv2d(input, this.weight, this.bias, options);
  }
}

/** 3-D convolution over [N, C, D, H, W], initialised as torch.nn.Conv3d. */
export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvModuleOptions = {}) {
    super('conv3d', 3, inChannels, outChannels, kernelSize, options, false);
  }
  forward(x: Tensor): Tensor {
    const [input, options] = this.convArgs(x);
    return conv3d(input, this.weight, this.bias, options);
  }
}

/** 1-D transposed convolution, initialised as torch.nn.ConvTranspose1d. */
export class ConvTranspose1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvTransposeModuleOptions = {}) {
    super('conv_transpose1d', 1, inChannels, outChannels, kernelSize, options, true);
  }
  forward(x: Tensor): Tensor {
    return convTranspose1d(x, this.weight, this.bias, this.transposeArgs());
  }
}

/** 2-D transposed convolution, initialised as torch.nn.ConvTranspose2d. */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvTransposeModuleOptions = {}) {
    super('conv_transpose2d', 2, inChannels, outChannels, kernelSize, options, true);
  }
  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, this.transposeArgs());
  }
}

/** 3-D transposed convolution, initialised as torch.nn.ConvTranspose3d. */
export class ConvTranspose3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, options: ConvTransposeModuleOptions = {}) {
    super('conv_transpose3d', 3, inChannels, outChannels, kernelSize, options, true);
  }
  forward(x: Tensor): Tensor {
    return convTranspose3d(x, this.weight, this.bias, this.transposeArgs());
  }
}
