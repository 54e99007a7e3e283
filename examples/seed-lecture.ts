// examples/seed-lecture.ts — the lecture "PyTorch modules and batch processing", line by line in kindling.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as torch from 'kindling';
import { F, nn } from 'kindling';
import { type DeviceName, parseDevice, requireDevice } from './device.js';
import { runMain, UsageError } from './mnist/data.js';
import { LECTURE_SIZES, SMALL_SIZES, speedUp, timing } from './shared/timing.js';

export { LECTURE_SIZES, SMALL_SIZES, speedUp, timing };

/** The sizes and runs of the timing experiment, and where its second line runs. */
export interface SeedOptions {
  device: DeviceName;
  /** x is samples × inFeatures, w is outFeatures × inFeatures (the lecture: 2500 × 1000 and 1500 × 1000). */
  samples: number;
  inFeatures: number;
  outFeatures: number;
  /** Timed runs of each way, the median taken. */
  runs: number;
}

const HELP = `Usage: npm run seed -- [options]     (node dist/examples/seed-lecture.js [options])

The lecture "PyTorch modules and batch processing", line by line, ending with its timing experiment:
a loop of w.mv(x[k]) against one x.mm(w.t()), the median of --runs runs of each, on the CPU and,
as the lecture's second line, on the GPU.

Options:
  --device NAME       cpu, or webgpu to also time on the GPU (synchronized, after one warm-up) (default cpu)
  --samples N         rows of x (default ${LECTURE_SIZES.samples})
  --in-features N     columns of x and of w (default ${LECTURE_SIZES.inFeatures})
  --out-features N    rows of w (default ${LECTURE_SIZES.outFeatures})
  --small             ${SMALL_SIZES.samples}, ${SMALL_SIZES.inFeatures} and ${SMALL_SIZES.outFeatures}: seconds on a software GPU such as SwiftShader
                      (explicit sizes still win)
  --runs N            timed runs of each way (default 5, or $KINDLING_SEED_RUNS)
  -h, --help          show this help`;

const show = (code: string, value?: unknown): void => {
  console.log(`>>> ${code}`);
  if (value !== undefined) console.log(value);
};

/** The lecture's REPL examples, printed as the REPL shows them. */
function lecture(): void {
  // F.relu takes a tensor of any size and applies ReLU on each value.
  const x = torch.tensor([
    [0.8008, -0.2586, 0.5019, -0.2002, -0.7416],
    [0.0557, 0.6046, 0.0864, -0.5929, 1.2606],
  ]);
  show('x', x);
  show('F.relu(x)', F.relu(x));

  // nn.Linear(in_features, out_features) maps a batch N×C to N×D.
  {
    show('f = nn.Linear(in_features = 10, out_features = 4)');
    const f = new nn.Linear(10, 4);
    show('for n, p in f.named_parameters(): print(n, p.size())');
    for (const [n, p] of f.namedParameters()) console.log(n, p.size());
    show('x = torch.randn(523, 10)');
    const x = torch.randn(523, 10);
    show('y = f(x)');
    const y = f(x);
    show('y.size()', y.size());
  }

  // nn.MSELoss: the mean of the squared differences.
  {
    show('f = nn.MSELoss()');
    const f = new nn.MSELoss();
    show('x = torch.tensor([[ 3. ]])');
    show('y = torch.tensor([[ 0. ]])');
    show('f(x, y)', f(torch.tensor([[3.0]]), torch.tensor([[0.0]])));
    show('x = torch.tensor([[ 3., 0., 0., 0. ]])');
    show('y = torch.tensor([[ 0., 0., 0., 0. ]])');
    show('f(x, y)', f(torch.tensor([[3, 0, 0, 0]]), torch.tensor([[0, 0, 0, 0]])));
  }

  // Criteria do not accept a target with requires_grad set.
  {
    show('f = nn.MSELoss()');
    const f = new nn.MSELoss();
    show('x = torch.tensor([ 3., 2. ]).requires_grad_()');
    const x = torch.tensor([3, 2]).requiresGrad_();
    show('y = torch.tensor([ 0., -2. ]).requires_grad_()');
    const y = torch.tensor([0, -2]).requiresGrad_();
    show('f(x, y)');
    try {
      f(x, y);
    } catch (e) {
      console.log('Traceback (most recent call last):');
      console.log(`${(e as Error).name}: ${(e as Error).message}`);
    }
  }
}

/** Parses the command line; `null` after printing --help. */
export function parseSeedArgs(args: readonly string[]): SeedOptions | null {
  const { values } = parseArgs({
    args: [...args],
    options: {
      device: { type: 'string' }, samples: { type: 'string' }, 'in-features': { type: 'string' }, 'out-features': { type: 'string' },
      small: { type: 'boolean' }, runs: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) {
    console.log(HELP);
    return null;
  }
  const sizes = values.small === true ? SMALL_SIZES : LECTURE_SIZES;
  const positive = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text.trim()) || Number(text) === 0) throw new UsageError(`--${name} must be a positive integer, got '${text}'`);
    return Number(text);
  };
  return {
    device: parseDevice(values.device),
    samples: positive('samples', values.samples, sizes.samples),
    inFeatures: positive('in-features', values['in-features'], sizes.inFeatures),
    outFeatures: positive('out-features', values['out-features'], sizes.outFeatures),
    runs: positive('runs', values.runs ?? process.env.KINDLING_SEED_RUNS, 5),
  };
}

/** The CLI: the lecture's examples, then its timing experiment on the CPU and, with --device webgpu, on the GPU. */
async function main(): Promise<void> {
  const o = parseSeedArgs(process.argv.slice(2));
  if (o === null) return;
  requireDevice(o.device); // before the lecture prints anything
  lecture();
  const x = torch.randn(o.samples, o.inFeatures);
  const w = torch.randn(o.outFeatures, o.inFeatures);
  console.log(`Batch-processing speed-up on CPU ${(await speedUp(x, w, o.runs)).toFixed(1)}`);
  if (o.device === 'cpu') return;
  const gx = x.to(o.device), gw = w.to(o.device);
  // The first run of each way compiles its kernels' pipelines, which belongs to neither clock.
  await timing(gx, gw, false, 1);
  await timing(gx, gw, true, 1);
  console.log(`Batch-processing speed-up on GPU ${(await speedUp(gx, gw, o.runs)).toFixed(1)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) runMain('seed', main);
