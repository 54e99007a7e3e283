// examples/shared/timing.ts — the lecture's timing experiment (a loop of w.mv(x[k]) against one x.mm(w.t())),
// shared by `npm run seed` and the browser demo; it imports nothing but kindling.
import * as torch from 'kindling';

/** x is samples × inFeatures, w is outFeatures × inFeatures. */
export interface TimingSizes {
  samples: number;
  inFeatures: number;
  outFeatures: number;
}

/** The lecture's sizes: x is 2500 × 1000, w is 1500 × 1000. */
export const LECTURE_SIZES = { samples: 2500, inFeatures: 1000, outFeatures: 1500 } as const;
/** A tenth of each size, so a software GPU (SwiftShader) or the JS backend finishes in seconds. */
export const SMALL_SIZES = { samples: 250, inFeatures: 100, outFeatures: 150 } as const;

/**
 * The lecture's timing(x, w, batch, nb): the median seconds of `nb` runs of one x.mm(w.t()), or of a loop of
 * w.mv(x[k]). On the GPU kernels are only queued, so each clock stops after torch.webgpu.synchronize(), as
 * the lecture's stops after torch.cuda.synchronize(); on the CPU nothing is awaited.
 */
export async function timing(x: torch.Tensor, w: torch.Tensor, batch = false, nb = 101): Promise<number> {
  const onGpu = !x.device.equals('cpu');
  const t = torch.zeros(nb);
  for (let u = 0; u < nb; u++) {
    const t0 = performance.now();
    if (batch) {
      x.mm(w.t());
    } else {
      const y = torch.empty(x.size(0), w.size(0), { device: x.device });
      for (let k = 0; k < y.size(0); k++) y.set(k, w.mv(x.get(k)));
    }
    if (onGpu) await torch.webgpu.synchronize();
    t.set(u, (performance.now() - t0) / 1000);
  }
  return t.median().item();
}

/** The lecture's printed ratio: the loop's median time over the batched product's. */
export async function speedUp(x: torch.Tensor, w: torch.Tensor, nb: number): Promise<number> {
  return (await timing(x, w, false, nb)) / (await timing(x, w, true, nb));
}

/** One device's result: the median seconds of each way and their ratio. */
export interface TimingResult {
  device: string;
  loopSeconds: number;
  batchSeconds: number;
  speedUp: number;
}

/**
 * The experiment on `device` with fresh random x and w of `sizes`: `runs` timed runs of each way. On the GPU
 * one untimed run of each way goes first, since it compiles the kernels' pipelines, which belongs to neither clock.
 */
export async function timingExperiment(sizes: TimingSizes, device: 'cpu' | 'webgpu', runs: number): Promise<TimingResult> {
  const x = torch.randn(sizes.samples, sizes.inFeatures).to(device);
  const w = torch.randn(sizes.outFeatures, sizes.inFeatures).to(device);
  if (device !== 'cpu') {
    await timing(x, w, false, 1);
    await timing(x, w, true, 1);
  }
  const loopSeconds = await timing(x, w, false, runs);
  const batchSeconds = await timing(x, w, true, runs);
  return { device: String(x.device), loopSeconds, batchSeconds, speedUp: loopSeconds / batchSeconds };
}
