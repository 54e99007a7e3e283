// src/backends/native/fused.ts — the native backend's one-pass kernels: clamp, addcmul/addcdiv, fill
// and the optimizers' fused updates (the JS backend composes these from primitives instead).
import type { ActivationOp, GeluOp, CpuBackend as Backend, CpuStorage as Storage, CpuView as View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { Addon } from './addon.js';
import { coalescedDesc, ELEMENTWISE_MIN, isDense, isFloat, numelOf } from './views.js';

// Reused for every step's constants: calls are synchronous.
const constants = new Float64Array(8);
const ACTIVATION_CODES: Record<ActivationOp, number> = { leakyRelu: 0, elu: 1, silu: 2, gelu: 3, geluTanh: 4 };

/**
 * The fused kernels of the native backend. Unlike the primitives they take small tensors too: the
 * JS alternative is several passes (and a temporary), which costs more than one call into C++.
 */
export function fusedKernels(addon: Addon): Required<Pick<Backend, 'clamp' | 'activation' | 'activationBackward' | 'addcmul' | 'fill' | 'adamStep' | 'sgdStep'>> {
  const clamp = (x: View, min: number, max: number, out: Storage): boolean => {
    const data = x.storage.data;
    if (!isFloat(data)) return false;
    addon.clamp(data, out.data, min, max, coalescedDesc(x.shape, x));
    return true;
  };

  // A build from before gelu knows neither its codes nor its gradient (the JS composes them there).
  const hasGelu = addon.activationBackward !== undefined;

  const activation = (op: ActivationOp, x: View, param: number, out: Storage): boolean => {
    const data = x.storage.data;
    if (!isFloat(data) || (!hasGelu && (op === 'gelu' || op === 'geluTanh'))) return false;
    addon.activation(ACTIVATION_CODES[op], param, data, out.data, coalescedDesc(x.shape, x));
    return true;
  };

  const activationBackward = (op: GeluOp, grad: View, x: View, out: Storage): boolean => {
    const g = grad.storage.data, data = x.storage.data;
    if (addon.activationBackward === undefined || !isFloat(data) || g.constructor !== data.constructor) return false;
    addon.activationBackward(ACTIVATION_CODES[op], g as typeof data, data, out.data, coalescedDesc(x.shape, grad, x));
    return true;
  };

  const addcmul = (x: View, a: View, b: View, value: number, divide: boolean, out: Storage): boolean => {
    const d = x.storage.data, p = a.storage.data, q = b.storage.data;
    if (!isFloat(d) || d.constructor !== p.constructor || d.constructor !== q.constructor) return false;
    addon.addcmul(divide, value, d, p as typeof d, q as typeof d, out.data, coalescedDesc(x.shape, x, a, b));
    return true;
  };

  const fill = (dst: View, value: number): void => {
    const data = dst.storage.data, n = numelOf(dst.shape);
    if (!isFloat(data) || n < ELEMENTWISE_MIN || !isDense(dst)) jsBackend.fill(dst, value);
    else addon.fill(data, dst.offset, n, value);
  };

  const adamStep: NonNullable<Backend['adamStep']> = (param, grad, expAvg, expAvgSq, maxExpAvgSq, c) => {
    const p = param.data;
    if (!isFloat(p) || ![grad, expAvg, expAvgSq, maxExpAvgSq ?? expAvg].every((s) => s.data.constructor === p.constructor)) return false;
    constants.set([c.maximize ? -1 : 1, c.decay, c.weightDecay, c.beta1, c.beta2, c.stepSize, c.biasCorrection2Sqrt, c.eps]);
    const cast = (s: Storage): typeof p => s.data as typeof p;
    addon.adamStep(p, cast(grad), cast(expAvg), cast(expAvgSq), maxExpAvgSq && cast(maxExpAvgSq), constants);
    return true;
  };

  const sgdStep: NonNullable<Backend['sgdStep']> = (param, grad, momentumBuffer, c) => {
    const p = param.data, g = grad.data, b = momentumBuffer.data;
    if (!isFloat(p) || g.constructor !== p.constructor || b.constructor !== p.constructor) return false;
    constants.set([c.maximize ? -1 : 1, c.lr, c.momentum, c.dampening, c.weightDecay, Number(c.nesterov), Number(c.first)]);
    addon.sgdStep(p, g as typeof p, b as typeof p, constants);
    return true;
  };

  return { clamp, activation, activationBackward, addcmul, fill, adamStep, sgdStep };
}
