// src/autograd/gradcheck.ts — torch.autograd.gradcheck: analytical vs central-difference Jacobians.
import { allocArray } from '../core/dtype.js';
import { KindlingError } from '../core/errors.js';
import { backend } from '../backends/select.js';
import { hostStorage } from '../tensor/device.js';
import { Tensor } from '../tensor/tensor.js';
import { runBackward } from './engine.js';
import { enableGrad, noGrad } from './grad-mode.js';

/** Raised when the analytical and numerical Jacobians differ (PyTorch's GradcheckError). */
export class GradcheckError extends KindlingError {
  override name = 'GradcheckError';
}

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Return false instead of throwing on a mismatch. */
  raiseException?: boolean;
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

const asList = (y: Tensor | readonly Tensor[]): readonly Tensor[] => (y instanceof Array ? y : [y]);

/** Flat float64 values of a tensor, in row-major order. */
function values(t: Tensor): Float64Array {
  return Float64Array.from(t.toArray());
}

/** Column j of each output's numerical Jacobian w.r.t. element `i` of `x`, by central differences. */
function numericalColumn(fn: Fn, inputs: Tensor[], x: Tensor, i: number, eps: number): Float64Array[] {
  const data = backend().read(hostStorage('gradcheck', x, 'CPU inputs'));
  // Element i of x in row-major order sits at this storage offset.
  let offset = x.offset, rest = i;
  for (let d = x.dims.length - 1; d >= 0; d--) {
    offset += (rest % x.dims[d]) * x.strides[d];
    rest = Math.floor(rest / x.dims[d]);
  }
  const orig = data[offset];
  data[offset] = orig + eps;
  const plus = noGrad(() => asList(fn(...inputs)).map(values));
  data[offset] = orig - eps;
  const minus = noGrad(() => asList(fn(...inputs)).map(values));
  data[offset] = orig;
  return plus.map((p, k) => p.map((v, j) => (v - minus[k][j]) / (2 * eps)));
}

/**
 * Checks gradients of `fn` at `inputs` (float64 tensors; those requiring grad are checked)
 * against central differences, as torch.autograd.gradcheck does. Returns true or throws.
 */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  const xs = [...inputs];
  // Central differences write single elements and read every output back: host work, CPU tensors only.
  for (const x of xs) hostStorage('gradcheck', x, 'CPU float64 inputs (gradcheck perturbs elements on the host)');
  const outputs = enableGrad(() => asList(fn(...xs)));
  const checked = xs.filter((x) => x.requiresGrad);
  for (const [xi, x] of checked.entries()) {
    if (x.dtype !== 'float64') {
      throw new GradcheckError(`gradcheck: input ${xi} requires grad but is ${x.dtype}; use float64 inputs`);
    }
  }
  for (const [k, y] of outputs.entries()) {
    if (!y.requiresGrad) continue;
    const n = y.numel();
    // analytical[xi][j][i] = d y_j / d x_i, one backward pass per output element.
    const analytical = checked.map(() => [] as Float64Array[]);
    for (let j = 0; j < n; j++) {
      const oneHot = allocArray(y.dtype, n);
      oneHot[j] = 1;
      const seed = new Tensor(backend().fromArray(y.dtype, oneHot), y.dims);
      const grads = runBackward([y], [seed], { retainGraph: true, inputs: checked });
      grads.forEach((g, xi) => analytical[xi].push(g ? values(g) : new Float64Array(checked[xi].numel())));
    }
    for (const [xi, x] of checked.entries()) {
      for (let i = 0; i < x.numel(); i++) {
        const column = numericalColumn(fn, xs, x, i, eps)[k];
        for (let j = 0; j < n; j++) {
          const a = analytical[xi][j][i], num = column[j];
          if (!(Math.abs(a - num) <= atol + rtol * Math.abs(num))) {
            if (!raiseException) return false;
            throw new GradcheckError(
              `Jacobian mismatch for output ${k} with respect to input ${xs.indexOf(x)}: at (input element ${i}, ` +
                `output element ${j}) numerical ${num} vs analytical ${a}`,
            );
          }
        }
      }
    }
  }
  return true;
}
