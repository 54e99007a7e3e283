// src/nn/modules/pooling.ts — nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d: hyper-parameters kept as
// given (an int or a pair) so that they print as PyTorch's repr; the math lives in nn/functional/pool.ts.
import type { Tensor } from '../../tensor/tensor.js';
import type { IntOrTuple } from '../functional/conv.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../functional/pool.js';
import { reprTuple } from './conv.js';
import { Module } from './module.js';

export interface MaxPool2dModuleOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
}

export interface AvgPool2dModuleOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** The second argument may be the stride, as in `nn.MaxPool2d(2, 2)`, or the keyword options. */
function splitArgs<O extends { stride?: IntOrTuple | null }>(strideOrOptions: IntOrTuple | null | O | undefined, options: O): O {
  if (strideOrOptions === undefined || strideOrOptions === null) return options;
  if (typeof strideOrOptions === 'number' || Array.isArray(strideOrOptions)) return { ...options, stride: strideOrOptions as IntOrTuple };
  return strideOrOptions as O;
}

/** 2-D max pooling; stride defaults to the kernel size (torch.nn.MaxPool2d). */
export class MaxPool2d extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly ceilMode: boolean;
  constructor(kernelSize: IntOrTuple, strideOrOptions?: IntOrTuple | null | MaxPool2dModuleOptions, options: MaxPool2dModuleOptions = {}) {
    super();
    const { stride = null, padding = 0, dilation = 1, ceilMode = false } = splitArgs(strideOrOptions, options);
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    this.dilation = dilation;
    this.ceilMode = ceilMode;
  }
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, ceilMode } = this;
    return maxPool2d(x, this.kernelSize, { stride, padding, dilation, ceilMode });
  }
  override extraRepr(): string {
    return `kernel_size=${reprTuple(this.kernelSize)}, stride=${reprTuple(this.stride)}, padding=${reprTuple(this.padding)}, ` +
      `dilation=${reprTuple(this.dilation)}, ceil_mode=${this.ceilMode ? 'True' : 'False'}`;
  }
}

/** 2-D average pooling; stride defaults to the kernel size (torch.nn.AvgPool2d). */
export class AvgPool2d extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  constructor(kernelSize: IntOrTuple, strideOrOptions?: IntOrTuple | null | AvgPool2dModuleOptions, options: AvgPool2dModuleOptions = {}) {
    super();
    const { stride = null, padding = 0, ceilMode = false, countIncludePad = true, divisorOverride = null } = splitArgs(strideOrOptions, options);
    this.kernelSize = kernelSize;
    this.stride = stride ?? kernelSize;
    this.padding = padding;
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
    this.divisorOverride = divisorOverride;
  }
  forward(x: Tensor): Tensor {
    const { stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    return avgPool2d(x, this.kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride });
  }
  override extraRepr(): string {
    return `kernel_size=${reprTuple(this.kernelSize)}, stride=${reprTuple(this.stride)}, padding=${reprTuple(this.padding)}`;
  }
}

/** Average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d); null keeps that input size. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly (number | null)[]) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${reprTuple(this.outputSize)}`;
  }
}
