// examples/web/app/plot.ts — the training plot: every step's loss (left axis) and the held-out accuracy (right
// axis, 0–100 %) against the step, drawn on a canvas at the screen's pixel density.
/** A live line plot of loss and accuracy by step. */
export class TrainingPlot {
  private losses: number[] = [];
  private accuracies: { step: number; accuracy: number }[] = [];
  private total = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    new ResizeObserver(() => { this.draw(); }).observe(canvas);
  }

  /** Starts an empty plot for a run of `total` steps. */
  reset(total: number): void {
    this.losses = [];
    this.accuracies = [];
    this.total = total;
    this.draw();
  }

  addLoss(loss: number): void {
    this.losses.push(loss);
    this.draw();
  }

  addAccuracy(step: number, accuracy: number): void {
    this.accuracies.push({ step, accuracy });
    this.draw();
  }

  private draw(): void {
    const ratio = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth, height = this.canvas.clientHeight;
    if (width === 0 || height === 0) return;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const m = { left: 40, right: 40, top: 12, bottom: 26 };
    const w = width - m.left - m.right, h = height - m.top - m.bottom;
    const lossTop = Math.max(2.5, ...this.losses.slice(0, 5));
    const x = (step: number): number => m.left + ((step - 1) / Math.max(1, this.total - 1)) * w;
    const yLoss = (v: number): number => m.top + (1 - Math.min(v, lossTop) / lossTop) * h;
    const yAcc = (v: number): number => m.top + (1 - v / 100) * h;
    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeStyle = '#ccc';
    ctx.fillStyle = '#555';
    for (let k = 0; k <= 4; k++) {
      const y = m.top + (k / 4) * h;
      ctx.beginPath(); ctx.moveTo(m.left, y); ctx.lineTo(m.left + w, y); ctx.stroke();
      ctx.textAlign = 'right'; ctx.fillText((lossTop * (1 - k / 4)).toFixed(1), m.left - 4, y + 4);
      ctx.textAlign = 'left'; ctx.fillText(`${100 - 25 * k}%`, m.left + w + 4, y + 4);
    }
    ctx.textAlign = 'center';
    ctx.fillText(`step (of ${this.total})`, m.left + w / 2, height - 6);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#1f6feb';
    ctx.beginPath();
    this.losses.forEach((v, i) => { if (i === 0) ctx.moveTo(x(i + 1), yLoss(v)); else ctx.lineTo(x(i + 1), yLoss(v)); });
    ctx.stroke();
    ctx.strokeStyle = '#c2410c';
    ctx.fillStyle = '#c2410c';
    ctx.beginPath();
    this.accuracies.forEach((a, i) => { if (i === 0) ctx.moveTo(x(a.step), yAcc(a.accuracy)); else ctx.lineTo(x(a.step), yAcc(a.accuracy)); });
    ctx.stroke();
    for (const a of this.accuracies) { ctx.beginPath(); ctx.arc(x(a.step), yAcc(a.accuracy), 3, 0, 2 * Math.PI); ctx.fill(); }
  }
}
