// test/backends/random.test.ts — the native sampling kernels against the reference in src/core/random.ts:
// the same values bit for bit and the same generator state afterwards, for every draw, dtype and size
// class (below, at and above the 16-wide normal path, odd sizes, several stack blocks and chunks).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RandomKernels } from '../../src/backends/backend.js';
import { jsBackend } from '../../src/backends/js/index.js';
import { backend, setBackend } from '../../src/backends/select.js';
import {
  bernoulli_, exponential_, Generator, normal_, randint_, uniform_,
} from '../../src/core/random.js';
import * as torch from '../../src/index.js';
import { loaded, skip } from './native-backend.js';


function kernels(): RandomKernels {
  return loaded().random;
}

type F = 'float32' | 'float64';
type Out = Float32Array | Float64Array | Int32Array | Uint8Array;
const floatArray = (dtype: F, n: number): Float32Array | Float64Array => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));

const SEEDS = [0, 1, 42, 2 ** 40 + 7];
// Below, at and above 16; odd; more than one 4096-word stack block; more than one 65536-element chunk.
const SIZES = [1, 2, 7, 15, 16, 17, 31, 32, 33, 100, 1001, 4097, 70_001];

/** One draw, by the reference (`ref`) or by the native kernels, into `out`. */
type Draw = (ref: boolean, gen: Generator, out: Out) => void;

/** Runs `draw` on two generators seeded alike, the reference on one and native on the other, and compares. */
function same(seed: number, what: string, make: () => Out, draws: Draw[]): void {
  const a = new Generator().manualSeed(seed), b = new Generator().manualSeed(seed);
  draws.forEach((draw, k) => {
    const want = make(), got = make();
    draw(true, a, want);
    draw(false, b, got);
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(got[i], want[i])) assert.fail(`${what} seed=${seed} draw#${k}: element ${i} of ${want.length} is ${got[i]}, want ${want[i]}`);
    }
    assert.deepEqual(Array.from(b.state), Array.from(a.state), `${what} seed=${seed} draw#${k}: generator state`);
  });
}

describe('native sampling kernels draw what the reference draws', { skip }, () => {
  for (const dtype of ['float32', 'float64'] as F[]) {
    test(`uniform_ ${dtype}`, () => {
      for (const seed of SEEDS) {
        for (const n of SIZES) {
          for (const [from, to] of [[0, 1], [-2, 3.5], [1e-3, 1e3]]) {
            same(seed, `uniform(${from}, ${to}) n=${n}`, () => floatArray(dtype, n), [
              (ref, g, out) => { if (ref) uniform_(g, out as Float32Array, from, to, dtype); else kernels().uniform(g.state, out as Float32Array, from, to); },
            ]);
          }
        }
      }
    });

    test(`normal_ ${dtype}: the 16-wide path, the scalar one and its cached value`, () => {
      for (const seed of SEEDS) {
        for (const n of SIZES) {
          for (const elementwise of [false, true]) {
            if (elementwise && n > 4097) continue;
            const draw: Draw = (ref, g, out) => {
              if (ref) normal_(g, out as Float32Array, 0.5, 2, dtype, elementwise);
              else kernels().normal(g.state, out as Float32Array, 0.5, 2, elementwise);
            };
            // Twice: an odd count leaves a cached normal that the second draw starts from.
            same(seed, `normal n=${n} elementwise=${elementwise}`, () => floatArray(dtype, n), [draw, draw]);
          }
        }
      }
    });

    test(`exponential_ ${dtype}`, () => {
      for (const seed of SEEDS) {
        for (const n of SIZES) {
          same(seed, `exponential n=${n}`, () => floatArray(dtype, n), [
            (ref, g, out) => { if (ref) exponential_(g, out as Float32Array, 1.5, dtype); else kernels().exponential(g.state, out as Float32Array, 1.5); },
          ]);
        }
      }
    });
  }

  test('special parameters: empty ranges, zero std, NaN mean, lambda 0 and infinity', () => {
    for (const dtype of ['float32', 'float64'] as F[]) {
      for (const n of [5, 40]) {
        const draws: Draw[] = [
          (ref, g, out) => { if (ref) uniform_(g, out as Float32Array, 3, 3, dtype); else kernels().uniform(g.state, out as Float32Array, 3, 3); },
          (ref, g, out) => { if (ref) uniform_(g, out as Float32Array, -0, 1, dtype); else kernels().uniform(g.state, out as Float32Array, -0, 1); },
          (ref, g, out) => { if (ref) normal_(g, out as Float32Array, -0, 0, dtype); else kernels().normal(g.state, out as Float32Array, -0, 0, false); },
          (ref, g, out) => { if (ref) normal_(g, out as Float32Array, NaN, 1, dtype); else kernels().normal(g.state, out as Float32Array, NaN, 1, false); },
          (ref, g, out) => { if (ref) exponential_(g, out as Float32Array, 0, dtype); else kernels().exponential(g.state, out as Float32Array, 0); },
          (ref, g, out) => { if (ref) exponential_(g, out as Float32Array, Infinity, dtype); else kernels().exponential(g.state, out as Float32Array, Infinity); },
        ];
        same(5, `special ${dtype} n=${n}`, () => floatArray(dtype, n), draws);
      }
    }
  });

  test('bernoulli_ with a scalar p, into float32, float64 and uint8', () => {
    for (const seed of SEEDS) {
      for (const n of SIZES) {
        for (const p of [0, 0.3, 0.5, 1 - 1e-9, 1]) {
          for (const make of [() => new Float32Array(n), () => new Float64Array(n), () => new Uint8Array(n)]) {
            same(seed, `bernoulli(${p}) n=${n}`, make, [
              (ref, g, out) => { if (ref) bernoulli_(g, out as Float32Array, p); else kernels().bernoulli(g.state, out as Float32Array, p); },
            ]);
          }
        }
      }
    }
  });

  test('randint_ into every integer-holding array, narrow, wide (64-bit draws) and huge ranges', () => {
    const ranges: [number, number][] = [[0, 10], [-5, 7], [0, 1], [3, 2 ** 31], [-(2 ** 31), 2 ** 31], [0, 2 ** 32 + 5], [-7, 2 ** 40], [0, 2 ** 53], [-(2 ** 62), 2 ** 62]];
    for (const seed of SEEDS) {
      for (const n of [1, 17, 4097]) {
        for (const [low, high] of ranges) {
          const makers = [() => new Float64Array(n), () => new Float32Array(n), () => new Int32Array(n), () => new Uint8Array(n)];
          for (const make of makers) {
            same(seed, `randint(${low}, ${high}) n=${n} ${make().constructor.name}`, make, [
              (ref, g, out) => { if (ref) randint_(g, out, low, high); else kernels().randint(g.state, out, low, high); },
            ]);
          }
        }
      }
    }
  });

  test('interleaved draws of every kind continue one stream', () => {
    const kinds: Draw[] = [];
    for (const n of [1, 3, 16, 17, 40, 5000]) {
      kinds.push((ref, g) => { const o = new Float32Array(n); if (ref) normal_(g, o, 0, 1, 'float32'); else kernels().normal(g.state, o, 0, 1, false); });
      kinds.push((ref, g) => { const o = new Float64Array(n); if (ref) normal_(g, o, 1, 3, 'float64'); else kernels().normal(g.state, o, 1, 3, false); });
      kinds.push((ref, g) => { const o = new Float32Array(n); if (ref) uniform_(g, o, 0, 1, 'float32'); else kernels().uniform(g.state, o, 0, 1); });
      kinds.push((ref, g) => { const o = new Float64Array(n); if (ref) bernoulli_(g, o, 0.25); else kernels().bernoulli(g.state, o, 0.25); });
      kinds.push((ref, g) => { const o = new Float64Array(n); if (ref) randint_(g, o, 0, 1000); else kernels().randint(g.state, o, 0, 1000); });
    }
    // A fixed shuffle of the kinds, each run on both generators; `same` compares the states after each.
    const order = Array.from({ length: 120 }, (_, k) => (k * 37 + 11) % kinds.length);
    same(7, 'interleaved', () => new Float32Array(0), order.map((k) => kinds[k]));
  });

  test('tensor draws on the native backend equal those on the JS backend, non-contiguous in-place fills included', () => {
    const previous = backend();
    const run = (be: typeof previous): number[][] => {
      setBackend(be);
      try {
        const g = new torch.Generator().manualSeed(3);
        const values: number[][] = [];
        for (const dtype of ['float32', 'float64'] as const) {
          values.push(Array.from(torch.randn([1001], { dtype, generator: g }).toArray()));
          values.push(Array.from(torch.rand([33], { dtype, generator: g }).toArray()));
          const x = torch.zeros([9, 13], { dtype });
          values.push(Array.from(x.t().normal_(0, 1, { generator: g }).toArray()));
          values.push(Array.from(x.narrow(1, 2, 7).uniform_(-1, 1, { generator: g }).toArray()));
          values.push(Array.from(x.t().exponential_(2, { generator: g }).toArray()));
          values.push(Array.from(x.t().bernoulli_(torch.rand([13, 1], { generator: g }), { generator: g }).toArray()));
          values.push(Array.from(x.bernoulli_(0.3, { generator: g }).toArray()));
        }
        values.push(Array.from(torch.randint(-3, 9, [77], { generator: g }).toArray()));
        values.push([...g.state]);
        return values;
      } finally {
        setBackend(previous);
      }
    };
    const want = run(jsBackend), got = run(loaded());
    assert.deepEqual(got, want);
  });
});
