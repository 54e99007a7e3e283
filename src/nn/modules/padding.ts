// src/nn/modules/padding.ts — nn.ConstantPad1d/2d/3d, nn.ZeroPad2d, nn.ReflectionPad1d/2d/3d and
// nn.ReplicationPad1d/2d/3d: an int or a (left, right, top, bottom, front, back) tuple, run by F.pad.
import { ValueError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { pad, type PadMode } from '../functional/pad.js';
import { reprTuple } from './conv.js';
import { Module } from './module.js';

/** What every padding module shares: the 2·d amounts and F.pad's mode. */
abstract class PadNd extends Module {
  readonly padding: number[];
  constructor(d: number, padding: number | readonly number[], private readonly mode: PadMode, readonly value = 0) {
    super();
    this.padding = typeof padding === 'number' ? new Array<number>(2 * d).fill(padding) : [...padding];
    if (this.padding.length !== 2 * d) throw new ValueError(`${new.target.name}: padding must be an int or a tuple of ${2 * d} ints, but got ${reprTuple(this.padding)}`);
  }
  forward(x: Tensor): Tensor {
    return this.mode === 'constant' ? pad(x, this.padding, { value: this.value }) : pad(x, this.padding, { mode: this.mode });
  }
  override extraRepr(): string {
    return this.mode === 'constant' ? `padding=${reprTuple(this.padding)}, value=${String(this.value)}` : reprTuple(this.padding);
  }
}

/** Pads the last dim with a constant (torch.nn.ConstantPad1d). */
export class ConstantPad1d extends PadNd {
  constructor(padding: number | readonly number[], value: number) {
    super(1, padding, 'constant', value);
  }
}

/** Pads the last two dims with a constant (torch.nn.ConstantPad2d). */
export class ConstantPad2d extends PadNd {
  constructor(padding: number | readonly number[], value: number) {
    super(2, padding, 'constant', value);
  }
}

/** Pads the last three dims with a constant (torch.nn.ConstantPad3d). */
export class ConstantPad3d extends PadNd {
  constructor(padding: number | readonly number[], value: number) {
    super(3, padding, 'constant', value);
  }
}

/** Pads the last two dims with zeros (torch.nn.ZeroPad2d). */
export class ZeroPad2d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(2, padding, 'constant', 0);
  }
  override extraRepr(): string {
    return reprTuple(this.padding);
  }
}

/** Pads the last dim with its reflection (torch.nn.ReflectionPad1d). */
export class ReflectionPad1d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(1, padding, 'reflect');
  }
}

/** Pads the last two dims with their reflection (torch.nn.ReflectionPad2d). */
export class ReflectionPad2d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(2, padding, 'reflect');
  }
}

/** Pads the last three dims with their reflection (torch.nn.ReflectionPad3d). */
export class ReflectionPad3d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(3, padding, 'reflect');
  }
}

/** Pads the last dim by repeating its edge (torch.nn.ReplicationPad1d). */
export class ReplicationPad1d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(1, padding, 'replicate');
  }
}

/** Pads the last two dims by repeating their edges (torch.nn.ReplicationPad2d). */
export class ReplicationPad2d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(2, padding, 'replicate');
  }
}

/** Pads the last three dims by repeating their edges (torch.nn.ReplicationPad3d). */
export class ReplicationPad3d extends PadNd {
  constructor(padding: number | readonly number[]) {
    super(3, padding, 'replicate');
  }
}
