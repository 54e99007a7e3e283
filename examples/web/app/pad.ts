// examples/web/app/pad.ts — the drawing pad: pointer events (mouse, pen, finger) draw round strokes on a canvas
// whose pixels stay 280×280 whatever size CSS gives it; the ink is read back as an alpha mask in [0, 1].
/** A canvas to draw a digit on, calling `onChange` (at most once a frame) while the ink changes. */
export class DrawingPad {
  private readonly ctx: CanvasRenderingContext2D;
  private last: { x: number; y: number } | null = null;
  private pending = false;
  /** The pen's width in canvas pixels (the canvas is 280 wide: 10 per MNIST pixel). */
  penWidth = 22;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly onChange: () => void) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) throw new Error('this browser has no 2D canvas');
    this.ctx = ctx;
    canvas.addEventListener('pointerdown', (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.stroke(this.last, this.last);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.last === null) return;
      // Coalesced events keep fast strokes smooth where the browser batches them into one frame.
      for (const c of e.getCoalescedEvents().length > 0 ? e.getCoalescedEvents() : [e]) {
        const p = this.point(c);
        this.stroke(this.last, p);
        this.last = p;
      }
    });
    const end = (): void => { this.last = null; };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  /** Erases the drawing. */
  clear(): void {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.changed();
  }

  /** The ink: width × height values in [0, 1], row-major (the canvas's alpha channel). */
  ink(): { values: Float32Array; width: number; height: number } {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const values = new Float32Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = rgba[4 * i + 3] / 255;
    return { values, width, height };
  }

  /** An event's position in canvas pixels (CSS may scale the canvas to any size). */
  private point(e: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - box.left) / box.width) * this.canvas.width, y: ((e.clientY - box.top) / box.height) * this.canvas.height };
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const ctx = this.ctx;
    ctx.strokeStyle = '#111';
    ctx.lineWidth = this.penWidth;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
    this.changed();
  }

  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.onChange();
    });
  }
}
