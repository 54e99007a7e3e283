// test/opinfo/values.ts — deterministic sample values and gradient seeds shared with the fixture script.
import type { InputSpec } from './types.js';

/** A small deterministic generator (mulberry32): the same values on every machine. */
export function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values for one input, in the order they are stored (before a transposed view). */
export function inputValues(spec: InputSpec, seed: number): number[] {
  const rand = makeRandom(seed);
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const [lo, hi] = spec.range ?? (spec.kind === 'bool' ? [0, 2] : [-2, 2]);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = lo + (hi - lo) * rand();
    out.push(spec.kind === 'int64' || spec.kind === 'bool' ? Math.floor(u) : Math.fround(u));
  }
  return out;
}

/** The gradient seed for element i of an output: exact in float32, varied in sign and size. */
export function gradSeed(i: number): number {
  return (((i * 37) % 11) - 5) / 4;
}

/** A stable string hash for seeding samples by name. */
export function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}
