// test/browser/op-database-page.ts — the op database's forward cases, bundled by demo.test.ts (esbuild) into the
// demo page, where they run on the page's kindling (the browser bundle) against the PyTorch fixtures Node's
// tests read (test/fixtures/ops.json). Imports nothing from Node: it runs in the browser.
import * as torch from 'kindling';
import type { DType, Tensor } from 'kindling';
import { allOpInfos } from '../opinfo/index.js';
import type { OpInfo } from '../opinfo/types.js';

/** A fixture input, as scripts/fixtures_ops.py writes it. */
interface FixtureInput {
  shape: number[];
  kind: 'float' | 'int64' | 'bool';
  transposed: boolean;
  values: number[];
}

/** A fixture case: the inputs and PyTorch's output (non-finite values as Python's repr). */
export interface FixtureCase {
  inputs: FixtureInput[];
  error?: string;
  shape: number[];
  dtype: DType;
  values: (number | 'nan' | 'inf' | '-inf')[];
}

/** How the cases went: counts, and one line per failure. */
export interface OpDatabaseResult {
  cases: number;
  passed: number;
  /** Cases the device refused with one of the documented device errors (docs/devices.md). */
  refused: number;
  failures: string[];
}

/** What the webgpu device may answer instead of values, as test/opinfo/on-device.ts accepts. */
const DEVICE_REFUSAL = /cannot read a webgpu tensor synchronously|the result's size depends on the values of a webgpu:0|webgpu:0 does not support float64 tensors/;

const fromFixture = (v: number | 'nan' | 'inf' | '-inf'): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

/** Rebuilds a sample input exactly as scripts/fixtures_ops.py does, on `device`. */
function makeInput(spec: FixtureInput, dtype: DType, device: 'cpu' | 'webgpu'): Tensor {
  const dt: DType = spec.kind === 'float' ? dtype : spec.kind;
  const shape = spec.shape;
  const stored = spec.transposed ? [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]] : shape;
  const t = torch.tensor(Float64Array.from(spec.values), { dtype: 'float64' }).to(dt).reshape(stored).to(device);
  return spec.transposed ? t.transpose(-1, -2) : t;
}

/** The first element outside atol + rtol·|expected| (NaN equals NaN), or null. */
function mismatch(actual: ArrayLike<number>, expected: number[], atol: number, rtol: number): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return `[${i}]: got ${a}, expected ${e}`;
  }
  return null;
}

/** One case: null when it matches PyTorch, 'refused' for a documented device refusal, else what went wrong. */
async function runCase(info: OpInfo, fx: FixtureCase, dtype: DType, device: 'cpu' | 'webgpu'): Promise<string | null> {
  try {
    const out = info.call(...fx.inputs.map((s) => makeInput(s, dtype, device)));
    if (out.shape.join() !== fx.shape.join()) return `shape [${out.shape.join(', ')}], expected [${fx.shape.join(', ')}]`;
    if (out.dtype !== fx.dtype) return `dtype ${out.dtype}, expected ${fx.dtype}`;
    const tol = dtype === 'float64' ? { atol: 1e-10, rtol: 1e-9 } : { atol: info.atol ?? 1e-6, rtol: info.rtol ?? 1e-5 };
    // WGSL's transcendentals are less exact than the CPU's (test/backends/webgpu-ops.test.ts widens alike).
    if (device === 'webgpu') Object.assign(tol, { atol: Math.max(tol.atol, 1e-5), rtol: Math.max(tol.rtol, 2e-4) });
    return mismatch(await out.data(), fx.values.map(fromFixture), tol.atol, tol.rtol);
  } catch (e) {
    if (device === 'webgpu' && DEVICE_REFUSAL.test(String(e))) return 'refused';
    return `threw ${String(e)}`;
  }
}

/** Runs every forward case with a fixture (float32 only on webgpu, which has no float64) on `device`. */
export async function runOpDatabase(fixtures: Record<string, FixtureCase | undefined>, device: 'cpu' | 'webgpu'): Promise<OpDatabaseResult> {
  const result: OpDatabaseResult = { cases: 0, passed: 0, refused: 0, failures: [] };
  for (const info of allOpInfos) {
    const dtypes = info.dtypes ?? ['float32', 'float64'];
    for (const dtype of device === 'webgpu' ? dtypes.filter((d) => d === 'float32') : dtypes) {
      for (const sample of info.samples) {
        const key = `${info.name}/${sample.name}/${dtype}`;
        const fx = fixtures[key];
        if (fx === undefined) {
          result.failures.push(`${key}: no fixture`);
          continue;
        }
        if (fx.error !== undefined) continue;
        result.cases++;
        const outcome = await runCase(info, fx, dtype, device);
        if (outcome === null) result.passed++;
        else if (outcome === 'refused') result.refused++;
        else result.failures.push(`${key} on ${device}: ${outcome}`);
      }
    }
  }
  return result;
}

(globalThis as { runOpDatabase?: typeof runOpDatabase }).runOpDatabase = runOpDatabase;
