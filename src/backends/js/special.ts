// src/backends/js/special.ts — special functions PyTorch's CPU kernels compute (erfinv, lgamma, digamma and
// trigamma), in double precision, after the algorithms PyTorch 1.13 uses (ATen/native/Math.h, and glibc's
// lgamma, which is fdlibm's e_lgamma_r.c).
import { erf } from './math.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The inverse error function, as PyTorch's calc_erfinv: a rational first guess (Gary L. Pavlis's erfinv,
 * central range |y| ≤ 0.7) refined by two Newton steps on erf.
 */
export function erfinv(y: number): number {
  const ay = Math.abs(y);
  if (ay > 1 || Number.isNaN(y)) return NaN;
  if (ay === 1) return y * Infinity;
  let x: number;
  if (ay <= 0.7) {
    const z = y * y;
    const num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899;
    const dem = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1;
    x = (y * num) / dem;
  } else {
    const z = Math.sqrt(-Math.log((1 - ay) / 2));
    const num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    const dem = (1.6370678 * z + 3.5438892) * z + 1;
    x = (y < 0 ? -Math.abs(num) : Math.abs(num)) / dem;
  }
  x -= (erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
  x -= (erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
  return x;
}

// fdlibm's lgamma: polynomial and rational fits on [0.9, 2] around the minimum at TC, a rational fit on [2, 8)
// with a product for the integer part, and Stirling's series beyond; negative x by reflection.
const TC = 1.46163214496836224576, TF = -1.21486290535849611461e-1, TT = -3.63867699703950536541e-18;
const A = [
  7.72156649015328655494e-2, 3.22467033424113591611e-1, 6.73523010531292681824e-2, 2.05808084325167332806e-2,
  7.38555086081402883957e-3, 2.89051383673415629091e-3, 1.19270763183362067845e-3, 5.10069792153511336608e-4,
  2.20862790713908385557e-4, 1.08011567247583939954e-4, 2.52144565451257326939e-5, 4.48640949618915160150e-5,
];
const T = [
  4.83836122723810047042e-1, -1.47587722994593911752e-1, 6.46249402391333854778e-2, -3.27885410759859649565e-2,
  1.79706750811820387126e-2, -1.03142241298341437450e-2, 6.10053870246291332635e-3, -3.68452016781138256760e-3,
  2.25964780900612472250e-3, -1.40346469989232843813e-3, 8.81081882437654011382e-4, -5.38595305356740546715e-4,
  3.15632070903625950361e-4, -3.12754168375120860518e-4, 3.35529192635519073543e-4,
];
const U = [-7.72156649015328655494e-2, 6.32827064025093366517e-1, 1.45492250137234768737, 9.77717527963372745603e-1, 2.28963728064692451092e-1, 1.33810918536787660377e-2];
const V = [1, 2.45597793713041134822, 2.12848976379893395361, 7.69285150456672783825e-1, 1.04222645593369134254e-1, 3.21709242282423911810e-3];
const S = [-7.72156649015328655494e-2, 2.14982415960608852501e-1, 3.25778796408930981787e-1, 1.46350472652464452805e-1, 2.66422703033638609560e-2, 1.84028451407337715652e-3, 3.19475326584100867617e-5];
const R = [1, 1.39200533467621045958, 7.21935547567138069525e-1, 1.71933865632803078993e-1, 1.86459191715652901344e-2, 7.77942496381893596434e-4, 7.32668430744625636189e-6];
const W = [4.18938533204672725052e-1, 8.33333333333329678849e-2, -2.77777777728775536470e-3, 7.93650558643019558500e-4, -5.95187557450339963135e-4, 8.36339918996282139126e-4, -1.63092934096575273989e-3];

/** c[0] + c[1]·x + c[2]·x² … by Horner's rule. */
function poly(c: readonly number[], x: number, from = 0, step = 1): number {
  let r = 0;
  const last = from + Math.floor((c.length - 1 - from) / step) * step;
  for (let i = last; i >= from; i -= step) r = r * x + c[i];
  return r;
}

/** sin(πx) for x ≥ 0 with the argument reduced first, so that integers give exactly 0. */
function sinPi(x: number): number {
  const r = x - 2 * Math.floor(x / 2); // [0, 2)
  if (r === Math.floor(r)) return 0;
  return Math.sin(Math.PI * (r > 1 ? r - 2 : r));
}

/** log|Γ(x)| (std::lgamma): +inf at 0 and the negative integers. */
export function lgamma(x: number): number {
  if (!Number.isFinite(x)) return x * x;
  const ax = Math.abs(x);
  if (ax < 2 ** -70) return -Math.log(ax);
  if (x < 0) {
    const t = Math.abs(sinPi(ax));
    if (t === 0) return Infinity;
    return Math.log(Math.PI / (t * ax)) - lgammaPositive(ax);
  }
  return lgammaPositive(x);
}

function lgammaPositive(x: number): number {
  if (x === 1 || x === 2) return 0;
  if (x < 2) {
    let r = 0, y: number, kind: number;
    // fdlibm's branch points compare the high 32 bits of x: these are the doubles they stand for.
    if (x < 0.9000000953674316) {
      r = -Math.log(x);
      [y, kind] = x >= 0.7315998077392578 ? [1 - x, 0] : x >= 0.23163998126983643 ? [x - (TC - 1), 1] : [x, 2];
    } else {
      [y, kind] = x >= 1.7316312789916992 ? [2 - x, 0] : x >= 1.2316322326660156 ? [x - TC, 1] : [x - 1, 2];
    }
    if (kind === 0) {
      const z = y * y;
      return r + (y * poly(A, z, 0, 2) + z * poly(A, z, 1, 2) - 0.5 * y);
    }
    if (kind === 1) {
      const z = y * y, w = z * y;
      const p = z * poly(T, w, 0, 3) - (TT - w * (poly(T, w, 1, 3) + y * poly(T, w, 2, 3)));
      return r + (TF + p);
    }
    return r + (-0.5 * y + (y * poly(U, y)) / poly(V, y));
  }
  if (x < 8) {
    const i = Math.trunc(x), y = x - i;
    let r = 0.5 * y + (y * poly(S, y)) / poly(R, y), z = 1;
    for (let k = i - 1; k >= 2; k--) z *= y + k;
    if (i >= 3) r += Math.log(z);
    return r;
  }
  if (x < 2 ** 58) {
    const t = Math.log(x), z = 1 / x, y = z * z;
    return (x - 0.5) * (t - 1) + (W[0] + z * poly(W.slice(1), y));
  }
  return x * (Math.log(x) - 1);
}

const PSI_10 = 2.25175258906672110764;
const DIGAMMA_A = [8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3, -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3, 8.33333333333333333333e-2];

/** ψ(x) = Γ'(x)/Γ(x), as PyTorch's calc_digamma (Cephes): ∓inf at ±0, NaN at negative integers. */
export function digamma(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * r);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + PSI_10;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    let p = 0;
    for (const a of DIGAMMA_A) p = p * z + a;
    y = z * p;
  }
  return result + Math.log(x) - 0.5 / x - y;
}

/** ψ'(x), as PyTorch's trigamma (digamma's derivative). */
export function trigamma(x: number): number {
  let sign = 1, result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = Math.sin(Math.PI * x);
    result -= (Math.PI * Math.PI) / (s * s);
    x = 1 - x;
  }
  for (let i = 0; i < 6; i++) {
    result += 1 / (x * x);
    x += 1;
  }
  const ixx = 1 / (x * x);
  result += (1 + 1 / (2 * x) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / x;
  return sign * result;
}
