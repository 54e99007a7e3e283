// examples/seed-lecture.ts — the lecture "PyTorch modules and batch processing", line by line in kindling.
import * as torch from 'kindling';
import { F, nn } from 'kindling';

const show = (code: string, value?: unknown): void => {
  console.log(`>>> ${code}`);
  if (value !== undefined) console.log(value);
};

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

// Batch processing: one x.mm(w.t()) against a loop of w.mv(x[k]), median of `nb` runs.
function timing(x: torch.Tensor, w: torch.Tensor, batch = false, nb = 101): number {
  const t = torch.zeros(nb);
  for (let u = 0; u < nb; u++) {
    const t0 = performance.now();
    if (batch) {
      x.mm(w.t());
    } else {
      const y = torch.empty(x.size(0), w.size(0));
      for (let k = 0; k < y.size(0); k++) y.set(k, w.mv(x.get(k)));
    }
    t.set(u, (performance.now() - t0) / 1000);
  }
  return t.median().item();
}

{
  const nb = Number(process.env.KINDLING_SEED_RUNS ?? 5);
  const x = torch.randn(2500, 1000);
  const w = torch.randn(1500, 1000);
  console.log(`Batch-processing speed-up on CPU ${(timing(x, w, false, nb) / timing(x, w, true, nb)).toFixed(1)}`);
  // The lecture's GPU line needs a GPU backend; kindling's (WebGPU) comes later, so it is not run here.
}
