// src/nn/modules/pooling.ts — nn.MaxPool1d/2d/3d, nn.AvgPool1d/2d/3d, nn.AdaptiveAvgPool1d/2d/3d, nn.AdaptiveMaxPool1d/2d/3d:
// hyper-parameters kept as given (an int or a tuple) so that they print as PyTorch's repr; the math
// lives in nn/functional/pool.ts and pool-nd.ts.
import type { Tensor } from '../../tensor/tensor.js';
import type { IntOrTuple } from '../functional/conv.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../functional/pool.js';
import {
  adaptiveAvgPool1d, adaptiveAvgPool3d, adaptiveMaxPool1d, adaptiveMaxPool2d, adaptiveMaxPool3d, avgPool1d, avgPool3d, maxPool1d, maxPool3d,
} from '../functional/pool-nd.js';
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

/** What the max poolings share (PyTorch's _MaxPoolNd); stride defaults to the kernel size. */
abstract class MaxPoolNd extends Module {
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
  override extraRepr(): string {
    return `kernel_size=${reprTuple(this.kernelSize)}, stride=${reprTuple(this.stride)}, padding=${reprTuple(this.padding)}, ` +
      `dilation=${reprTuple(this.dilation)}, ceil_mode=${this.ceilMode ? 'True' : 'False'}`;
  }
}

/** 1-D max pooling over [N, C, L] (torch.nn.MaxPool1d). */
export class MaxPool1d extends MaxPoolNd {
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, ceilMode } = this;
    return maxPool1d(x, this.kernelSize, { stride, padding, dilation, ceilMode });
  }
}

/** 2-D max pooling over [N, C, H, W] (torch.nn.MaxPool2d). */
export class MaxPool2d extends MaxPoolNd {
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, ceilMode } = this;
    return maxPool2d(x, this.kernelSize, { stride, padding, dilation, ceilMode });
  }
}

/** 3-D max pooling over [N, C, D, H, W] (torch.nn.MaxPool3d). */
export class MaxPool3d extends MaxPoolNd {
  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, ceilMode } = this;
    return maxPool3d(x, this.kernelSize, { stride, padding, dilation, ceilMode });
  }
}

/** What AvgPool2d and AvgPool3d share; stride defaults to the kernel size. */
abstract class AvgPoolNd extends Module {
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
  override extraRepr(): string {
    return `kernel_size=${reprTuple(this.kernelSize)}, stride=${reprTuple(this.stride)}, padding=${reprTuple(this.padding)}`;
  }
}

/** 1-D average pooling over [N, C, L] (torch.nn.AvgPool1d, which keeps its sizes as 1-tuples). */
export class AvgPool1d extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  constructor(kernelSize: IntOrTuple, strideOrOptions?: IntOrTuple | null | Omit<AvgPool2dModuleOptions, 'divisorOverride'>, options: Omit<AvgPool2dModuleOptions, 'divisorOverride'> = {}) {
    super();
    const { stride = null, padding = 0, ceilMode = false, countIncludePad = true } = splitArgs(strideOrOptions, options);
    const one = (v: IntOrTuple): number[] => (typeof v === 'number' ? [v] : [...v]);
    this.kernelSize = one(kernelSize);
    this.stride = one(stride ?? kernelSize);
    this.padding = one(padding);
    this.ceilMode = ceilMode;
    this.countIncludePad = countIncludePad;
  }
  forward(x: Tensor): Tensor {
    const { stride, padding, ceilMode, countIncludePad } = this;
    return avgPool1d(x, this.kernelSize, { stride, padding, ceilMode, countIncludePad });
  }
  override extraRepr(): string {
    return `kernel_size=${reprTuple(this.kernelSize)}, stride=${reprTuple(this.stride)}, padding=${reprTuple(this.padding)}`;
  }
}

/** 2-D average pooling over [N, C, H, W] (torch.nn.AvgPool2d). */
export class AvgPool2d extends AvgPoolNd {
  forward(x: Tensor): Tensor {
    const { stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    return avgPool2d(x, this.kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride });
  }
}

/** 3-D average pooling over [N, C, D, H, W] (torch.nn.AvgPool3d). */
export class AvgPool3d extends AvgPoolNd {
  forward(x: Tensor): Tensor {
    const { stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    return avgPool3d(x, this.kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride });
  }
}

/** What the adaptive poolings share: the output size, printed as given. */
abstract class AdaptivePoolNd<S extends number | readonly (number | null)[]> extends Module {
  constructor(readonly outputSize: S) {
    super();
  }
  override extraRepr(): string {
    return `output_size=${reprTuple(this.outputSize)}`;
  }
}

/** Average pooling of [N, C, L] to a fixed length (torch.nn.AdaptiveAvgPool1d). */
export class AdaptiveAvgPool1d extends AdaptivePoolNd<number | readonly number[]> {
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool1d(x, this.outputSize);
  }
}

/** Average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d); null keeps that input size. */
export class AdaptiveAvgPool2d extends AdaptivePoolNd<number | readonly (number | null)[]> {
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}

/** Average pooling of [N, C, D, H, W] to a fixed output size (torch.nn.AdaptiveAvgPool3d); null keeps that input size. */
export class AdaptiveAvgPool3d extends AdaptivePoolNd<number | readonly (number | null)[]> {
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool3d(x, this.outputSize);
  }
}

/** Max pooling of [N, C, L] to a fixed length (torch.nn.AdaptiveMaxPool1d). */
export class AdaptiveMaxPool1d extends AdaptivePoolNd<number | readonly number[]> {
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool1d(x, this.outputSize);
  }
}

/** Max pooling to a fixed output size (torch.nn.AdaptiveMaxPool2d); null keeps that input size. */
export class AdaptiveMaxPool2d extends AdaptivePoolNd<number | readonly (number | null)[]> {
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }
}

/** Max pooling of [N, C, D, H, W] to a fixed output size (torch.nn.AdaptiveMaxPool3d); null keeps that input size. */
export class AdaptiveMaxPool3d extends AdaptivePoolNd<number | readonly (number | null)[]> {
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool3d(x, this.outputSize);
  }
}
