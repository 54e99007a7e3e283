// examples/gpt/plot.ts — a loss-curve PNG drawn pixel by pixel with pngjs: axes, a grid with numbered ticks
// (a 3×5 bitmap font for the digits), one polyline per series and a colour legend.
import { PNG } from 'pngjs';

/** One curve: y values at x positions, drawn in an RGB colour. */
export interface Series {
  label: string;
  xs: readonly number[];
  ys: readonly number[];
  color: readonly [number, number, number];
}

// 3×5 glyphs, one row per string: digits for the ticks, the capitals that the labels use.
const GLYPHS: Record<string, readonly string[]> = {
  A: ['010', '101', '111', '101', '101'], B: ['110', '101', '110', '101', '110'], C: ['011', '100', '100', '100', '011'],
  E: ['111', '100', '110', '100', '111'], H: ['101', '101', '111', '101', '101'], I: ['111', '010', '010', '010', '111'],
  L: ['100', '100', '100', '100', '111'], M: ['101', '111', '111', '101', '101'], N: ['110', '101', '101', '101', '101'],
  O: ['010', '101', '101', '101', '010'], P: ['110', '101', '110', '100', '100'], R: ['110', '101', '110', '101', '101'],
  S: ['011', '100', '010', '001', '110'], T: ['111', '010', '010', '010', '010'], V: ['101', '101', '101', '101', '010'],
  0: ['111', '101', '101', '101', '111'], 1: ['010', '110', '010', '010', '111'], 2: ['111', '001', '111', '100', '111'],
  3: ['111', '001', '111', '001', '111'], 4: ['101', '101', '111', '001', '001'], 5: ['111', '100', '111', '001', '111'],
  6: ['111', '100', '111', '101', '111'], 7: ['111', '001', '010', '010', '010'], 8: ['111', '101', '111', '101', '111'],
  9: ['111', '101', '111', '001', '111'], '.': ['000', '000', '000', '000', '010'], '-': ['000', '000', '111', '000', '000'],
};

/** A small RGB canvas over a PNG's bytes. */
class Canvas {
  readonly png: PNG;
  constructor(readonly width: number, readonly height: number) {
    this.png = new PNG({ width, height });
    this.png.data.fill(255);
  }
  set(x: number, y: number, [r, g, b]: readonly number[]): void {
    const xi = Math.round(x), yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const i = 4 * (yi * this.width + xi);
    this.png.data[i] = r;
    this.png.data[i + 1] = g;
    this.png.data[i + 2] = b;
    this.png.data[i + 3] = 255;
  }
  /** A line from (x0, y0) to (x1, y1), `thick` pixels wide. */
  line(x0: number, y0: number, x1: number, y1: number, color: readonly number[], thick = 1): void {
    const n = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let s = 0; s <= n; s++) {
      const x = x0 + ((x1 - x0) * s) / n, y = y0 + ((y1 - y0) * s) / n;
      for (let d = 0; d < thick; d++) this.set(x, y + d - Math.floor(thick / 2), color);
    }
  }
  /** Text in the bitmap font (capitals, digits, '.', '-', space), `scale` pixels per dot, anchored at its top-left, right or centre. */
  text(s: string, x: number, y: number, color: readonly number[], align: 'left' | 'right' | 'center' = 'left', scale = 2): void {
    const w = s.length * 4 * scale - scale;
    const left = align === 'left' ? x : align === 'right' ? x - w : x - w / 2;
    Array.from(s.toUpperCase()).forEach((ch, k) => {
      (GLYPHS[ch] ?? []).forEach((row, r) => {
        Array.from(row).forEach((bit, c) => {
          if (bit !== '1') return;
          for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) this.set(left + (4 * k + c) * scale + dx, y + r * scale + dy, color);
        });
      });
    });
  }
}

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5 || 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * A PNG (as bytes) of the series as lines over a shared x axis (steps) and y axis (loss), with numbered ticks
 * and a legend (label and colour swatch) in the top-right corner, in the series' order.
 */
export function lossPlotPng(series: readonly Series[], { width = 800, height = 450 } = {}): Buffer {
  const canvas = new Canvas(width, height);
  const m = { left: 60, right: 20, top: 20, bottom: 40 };
  const xs = series.flatMap((s) => s.xs), ys = series.flatMap((s) => s.ys).filter(Number.isFinite);
  const xMin = Math.min(0, ...xs), xMax = Math.max(1, ...xs);
  const yMin = Math.max(0, Math.floor(Math.min(...ys) * 2) / 2), yMax = Math.ceil(Math.max(...ys) * 2) / 2 || 1;
  const px = (x: number): number => m.left + ((x - xMin) / (xMax - xMin)) * (width - m.left - m.right);
  const py = (y: number): number => m.top + (1 - (y - yMin) / (yMax - yMin || 1)) * (height - m.top - m.bottom);
  const axis = [0, 0, 0], grid = [225, 225, 225];
  for (const v of ticks(yMin, yMax)) {
    canvas.line(m.left, py(v), width - m.right, py(v), grid);
    canvas.text(String(v), m.left - 8, py(v) - 5, axis, 'right');
  }
  for (const v of ticks(xMin, xMax)) {
    canvas.line(px(v), m.top, px(v), height - m.bottom, grid);
    canvas.text(String(v), px(v), height - m.bottom + 8, axis, 'center');
  }
  canvas.line(m.left, height - m.bottom, width - m.right, height - m.bottom, axis);
  canvas.line(m.left, m.top, m.left, height - m.bottom, axis);
  for (const s of series) {
    for (let i = 1; i < s.xs.length; i++) canvas.line(px(s.xs[i - 1]), py(s.ys[i - 1]), px(s.xs[i]), py(s.ys[i]), s.color, 2);
    if (s.xs.length === 1) canvas.line(px(s.xs[0]) - 2, py(s.ys[0]), px(s.xs[0]) + 2, py(s.ys[0]), s.color, 4);
  }
  canvas.text('step', width - m.right, height - 14, axis, 'right');
  canvas.text('loss', m.left + 8, m.top + 4, axis);
  series.forEach((s, i) => {
    const y = m.top + 12 + 16 * i;
    canvas.line(width - m.right - 40, y, width - m.right - 10, y, s.color, 6);
    canvas.text(s.label, width - m.right - 48, y - 5, axis, 'right');
  });
  return PNG.sync.write(canvas.png);
}
