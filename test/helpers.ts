// test/helpers.ts — shared test utilities: fixture loading and numeric comparison.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/…). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Parses a committed fixture file under test/fixtures/; callers state the shape they expect. */
export function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures', name), 'utf8'));
}

/** A fixture number: finite numbers as is, non-finite ones as Python's repr. */
export type FixtureNumber = number | 'nan' | 'inf' | '-inf';

export function fromFixture(v: FixtureNumber): number {
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v;
}

/** Asserts two flat number lists agree within atol + rtol·|expected| (NaN equals NaN). */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { atol = 1e-6, rtol = 1e-5, what = 'values' }: { atol?: number; rtol?: number; what?: string } = {},
): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      assert.fail(`${what}[${i}]: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/** `value` after asserting it is there (a gradient, a grad_fn, an optional bias …), for use in expressions. */
export function present<T>(value: T | null | undefined, what = 'expected value'): T {
  assert.ok(value !== null && value !== undefined, `${what} is ${String(value)}`);
  return value;
}
