// src/backends/native/random.ts — the sampling kernels on the addon (native/src/kernels/random.cc),
// which advance a generator's state buffer in place (Note [Generator state] in core/generator.ts).
import type { RandomKernels } from '../backend.js';
import type { Addon } from './addon.js';

/** The native backend's torch.rand/randn/randint/bernoulli_/exponential_ draws. */
export function randomKernels(addon: Addon): RandomKernels {
  return {
    uniform: (state, out, from, to) => { addon.randomUniform(state, out, from, to); },
    normal: (state, out, mean, std, elementwise) => { addon.randomNormal(state, out, mean, std, elementwise); },
    randint: (state, out, low, high) => { addon.randomInt(state, out, low, high); },
    bernoulli: (state, out, p) => { addon.randomBernoulli(state, out, p); },
    exponential: (state, out, lambd) => { addon.randomExponential(state, out, lambd); },
  };
}
