// examples/shared/preprocess.ts — a drawing of any size as an MNIST digit: MNIST's own normalisation (the ink's
// box scaled so its longer side is 20 pixels, placed so its centre of mass falls on pixel (14, 14) of a 28×28
// field). The browser demo applies it to its canvas; it is plain arithmetic, tested in Node on real digits.

/** The longer side, in pixels, of a digit's ink box in MNIST. */
export const DIGIT_BOX = 20;
/** MNIST's image side. */
export const FIELD = 28;
// MNIST places the centre of mass at pixel index 14, i.e. at 14.5 in coordinates where pixel i spans [i, i + 1).
const CENTRE = FIELD / 2 + 0.5;

/**
 * `ink` (width × height values in [0, 1], row-major, 1 = ink) as a 28×28 MNIST image (row-major, in [0, 1]),
 * or null when nothing is drawn. Pixels above `threshold` bound the ink's box; each source pixel is spread over
 * the output pixels its scaled square overlaps (a box filter), which both shrinks and enlarges exactly.
 */
export function toMnist(ink: ArrayLike<number>, width: number, height: number, threshold = 0.05): Float32Array | null {
  let x0 = width, x1 = -1, y0 = height, y1 = -1, mass = 0, mx = 0, my = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x];
      if (v <= 0) continue;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
      if (v > threshold) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  const s = DIGIT_BOX / Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const cx = mx / mass, cy = my / mass;
  const out = new Float32Array(FIELD * FIELD);
  for (let y = 0; y < height; y++) {
    const ay = (y - cy) * s + CENTRE;
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x];
      if (v > 0) splat(out, v, (x - cx) * s + CENTRE, ay, s);
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, out[i]);
  return out;
}

/** Adds `v` times the overlap of the square [ax, ax + s) × [ay, ay + s) with each output pixel. */
function splat(out: Float32Array, v: number, ax: number, ay: number, s: number): void {
  const bx = ax + s, by = ay + s;
  for (let j = Math.max(0, Math.floor(ay)); j < Math.min(FIELD, Math.ceil(by)); j++) {
    const wy = Math.min(by, j + 1) - Math.max(ay, j);
    for (let i = Math.max(0, Math.floor(ax)); i < Math.min(FIELD, Math.ceil(bx)); i++) {
      out[j * FIELD + i] += v * wy * (Math.min(bx, i + 1) - Math.max(ax, i));
    }
  }
}
