// src/tensor/draw.ts — random fills of whole typed arrays: the backend's sampling kernels where it has
// them, else the reference in core/random.ts. Both draw the same values and leave the generator in the
// same state (Note [Generator state]).
import {
  bernoulli_, checkIntRange, exponential_, type Generator, normal_, randint_, uniform_,
} from '../core/random.js';
import { backend } from '../backends/select.js';

type FloatArray = Float32Array | Float64Array;

const dtypeOf = (out: FloatArray): 'float32' | 'float64' => (out instanceof Float32Array ? 'float32' : 'float64');

/** Uniform samples in [from, to), as Tensor.uniform_ draws them. */
export function uniformInto(gen: Generator, out: FloatArray, from: number, to: number): void {
  const fast = backend().random;
  if (fast) fast.uniform(gen.state, out, from, to);
  else uniform_(gen, out, from, to, dtypeOf(out));
}

/** Normal samples, as Tensor.normal_ draws them; `elementwise` for a non-contiguous tensor's elements in memory order. */
export function normalInto(gen: Generator, out: FloatArray, mean: number, std: number, elementwise = false): void {
  const fast = backend().random;
  if (fast) fast.normal(gen.state, out, mean, std, elementwise);
  else normal_(gen, out, mean, std, dtypeOf(out), elementwise);
}

/** Integers in [low, high), as Tensor.random_(low, high) draws them. */
export function randintInto(gen: Generator, out: FloatArray | Int32Array | Uint8Array, low: number, high: number): void {
  const fast = backend().random;
  if (fast) {
    checkIntRange(low, high);
    fast.randint(gen.state, out, low, high);
  } else {
    randint_(gen, out, low, high);
  }
}

/** 0/1 draws with one probability p in [0, 1] (checked by the caller), as Tensor.bernoulli_(p) draws them. */
export function bernoulliInto(gen: Generator, out: FloatArray | Uint8Array, p: number): void {
  const fast = backend().random;
  if (fast) fast.bernoulli(gen.state, out, p);
  else bernoulli_(gen, out, p);
}

/** Exp(lambd) samples, as Tensor.exponential_ draws them. */
export function exponentialInto(gen: Generator, out: FloatArray, lambd: number): void {
  const fast = backend().random;
  if (fast) fast.exponential(gen.state, out, lambd);
  else exponential_(gen, out, lambd, dtypeOf(out));
}
