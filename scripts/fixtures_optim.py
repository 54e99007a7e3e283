# scripts/fixtures_optim.py — records PyTorch 1.13 optimizer steps, lr schedules and gradient clipping
# into test/fixtures/optim.json.
#
# Run with the interpreter that has torch: /usr/bin/python3 scripts/fixtures_optim.py
# Options are written in kindling's camelCase and translated to PyTorch keywords here, so the tests
# pass each case's options to kindling unchanged. Parameters and gradients are explicit float32 lists.
import json
import math
import os
import re

import torch
import torch.optim as optim
from torch.optim import lr_scheduler

SPECIAL = {'tMax': 'T_max'}


def snake(name):
    return SPECIAL.get(name, re.sub(r'[A-Z]', lambda m: '_' + m.group(0).lower(), name))


def kwargs(options):
    return {snake(k): (tuple(v) if k == 'betas' else v) for k, v in options.items()}


def f32(values):
    return torch.tensor(values, dtype=torch.float32).tolist()


# Three parameters (a matrix, a vector, a scalar-like vector) with fixed starting values.
PARAMS = [
    ([2, 3], f32([0.5, -1.25, 2.0, 0.75, -0.3, 1.5])),
    ([3], f32([-0.8, 0.45, 1.1])),
    ([1], f32([3.0])),
]


def gradient(step, index, numel):
    # A fixed, sign-changing sequence with different magnitudes per step; written out in the fixture.
    return f32([math.sin(1.7 * (step + 1) + 0.9 * j + index) * (0.5 + 0.3 * step) for j in range(numel)])


def flat(t):
    return t.detach().reshape(-1).tolist()


def run_optimizer(name, cls, options, groups=None, missing=()):
    params = [torch.tensor(v, dtype=torch.float32).reshape(shape).requires_grad_() for shape, v in PARAMS]
    if groups is None:
        opt = getattr(optim, cls)(params, **kwargs(options))
    else:
        opt = getattr(optim, cls)([dict(params=[params[i] for i in g['params']], **kwargs(g['options'])) for g in groups],
                                  **kwargs(options))
    grads, history = [], []
    for step in range(5):
        step_grads = []
        for i, p in enumerate(params):
            if (step, i) in missing:
                p.grad = None
                step_grads.append(None)
            else:
                g = gradient(step, i, p.numel())
                p.grad = torch.tensor(g, dtype=torch.float32).reshape(p.shape)
                step_grads.append(g)
        grads.append(step_grads)
        opt.step()
        history.append([flat(p) for p in params])
    packed = opt.state_dict()
    state = {}
    for k, v in packed['state'].items():
        state[str(k)] = {key: (float(val) if key == 'step' else None if val is None else flat(val)) for key, val in v.items()}
    return {'name': name, 'optimizer': cls, 'options': options, 'groups': groups,
            'params': [{'shape': shape, 'values': v} for shape, v in PARAMS],
            'grads': grads, 'history': history, 'state': state}


def optimizer_cases():
    groups = [{'params': [0], 'options': {'lr': 0.2}}, {'params': [1, 2], 'options': {'momentum': 0.5}}]
    adam_groups = [{'params': [0, 2], 'options': {'lr': 0.05, 'amsgrad': True}}, {'params': [1], 'options': {'weightDecay': 0.1}}]
    return [
        run_optimizer('sgd plain', 'SGD', {'lr': 0.1}),
        run_optimizer('sgd momentum', 'SGD', {'lr': 0.1, 'momentum': 0.9}),
        run_optimizer('sgd momentum dampening weight decay', 'SGD', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.1, 'weightDecay': 0.01}),
        run_optimizer('sgd nesterov', 'SGD', {'lr': 0.1, 'momentum': 0.9, 'nesterov': True, 'weightDecay': 0.001}),
        run_optimizer('sgd maximize', 'SGD', {'lr': 0.1, 'momentum': 0.5, 'maximize': True}),
        run_optimizer('sgd param groups, a missing gradient', 'SGD', {'lr': 0.01, 'momentum': 0.9}, groups, missing={(1, 1), (2, 2)}),
        run_optimizer('adam default', 'Adam', {'lr': 0.01}),
        run_optimizer('adam betas weight decay', 'Adam', {'lr': 0.02, 'betas': [0.8, 0.99], 'weightDecay': 0.1}),
        run_optimizer('adam amsgrad', 'Adam', {'lr': 0.01, 'amsgrad': True}),
        run_optimizer('adam maximize eps', 'Adam', {'lr': 0.01, 'maximize': True, 'eps': 1e-6}),
        run_optimizer('adam param groups', 'Adam', {'lr': 0.01}, adam_groups, missing={(0, 2)}),
        run_optimizer('adamw default', 'AdamW', {'lr': 0.01}),
        run_optimizer('adamw amsgrad weight decay', 'AdamW', {'lr': 0.05, 'weightDecay': 0.1, 'amsgrad': True}),
        run_optimizer('rmsprop default', 'RMSprop', {'lr': 0.01}),
        run_optimizer('rmsprop momentum', 'RMSprop', {'lr': 0.01, 'momentum': 0.9}),
        run_optimizer('rmsprop centered weight decay', 'RMSprop', {'lr': 0.01, 'centered': True, 'weightDecay': 0.01}),
        run_optimizer('rmsprop centered momentum alpha', 'RMSprop', {'lr': 0.02, 'centered': True, 'momentum': 0.5, 'alpha': 0.9, 'eps': 1e-6}),
        run_optimizer('adagrad default', 'Adagrad', {'lr': 0.1}),
        run_optimizer('adagrad lr decay weight decay accumulator', 'Adagrad',
                      {'lr': 0.1, 'lrDecay': 0.01, 'weightDecay': 0.01, 'initialAccumulatorValue': 0.1, 'eps': 1e-8}),
        run_optimizer('adagrad maximize', 'Adagrad', {'lr': 0.05, 'maximize': True}),
    ]


def run_scheduler(name, cls, options, optimizer='SGD', optimizer_options=None, lrs=(0.1,), steps=30, metrics=None):
    optimizer_options = optimizer_options or {'lr': 0.1, 'momentum': 0.9}
    groups = [{'params': [torch.zeros(1, requires_grad=True)], 'lr': lr} for lr in lrs]
    opt = getattr(optim, optimizer)(groups, **kwargs(optimizer_options))
    sched = getattr(lr_scheduler, cls)(opt, **kwargs(options))

    def momenta():
        return [g['betas'][0] if 'betas' in g else g['momentum'] for g in opt.param_groups]

    first = [g['lr'] for g in opt.param_groups]
    out_lrs, out_momenta = [first], [momenta()]
    for step in range(steps):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[step])
        out_lrs.append([g['lr'] for g in opt.param_groups])
        out_momenta.append(momenta())
    return {'name': name, 'scheduler': cls, 'options': options, 'optimizer': optimizer,
            'optimizerOptions': optimizer_options, 'groupLrs': list(lrs), 'metrics': metrics,
            'lrs': out_lrs, 'momenta': out_momenta}


def scheduler_cases():
    plateau = [1.0, 0.9, 0.95, 0.9, 0.91, 0.92, 0.5, 0.5, 0.5, 0.5, 0.49999, 0.5, 0.6, 0.4, 0.4,
               0.4, 0.4, 0.4, 0.4, 0.4, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]
    rising = [0.1, 0.2, 0.25, 0.3, 0.5, 0.55, 0.58, 0.7, 0.7, 0.7, 0.9, 0.95, 0.96, 0.97, 0.98,
              1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]
    return [
        run_scheduler('step', 'StepLR', {'stepSize': 5, 'gamma': 0.5}, lrs=(0.1, 0.05)),
        run_scheduler('multi step', 'MultiStepLR', {'milestones': [3, 8, 8, 15], 'gamma': 0.3}, lrs=(0.1, 0.02)),
        run_scheduler('exponential', 'ExponentialLR', {'gamma': 0.9}),
        run_scheduler('cosine annealing', 'CosineAnnealingLR', {'tMax': 10, 'etaMin': 0.001}, lrs=(0.1, 0.05)),
        run_scheduler('cosine annealing, zero eta', 'CosineAnnealingLR', {'tMax': 7}),
        run_scheduler('one cycle cos', 'OneCycleLR', {'maxLr': 0.1, 'totalSteps': 30}),
        run_scheduler('one cycle linear three phase', 'OneCycleLR',
                      {'maxLr': [0.1, 0.2], 'totalSteps': 30, 'annealStrategy': 'linear', 'threePhase': True,
                       'pctStart': 0.25, 'divFactor': 10.0, 'finalDivFactor': 100.0}, lrs=(0.1, 0.05)),
        run_scheduler('one cycle adam betas', 'OneCycleLR',
                      {'maxLr': 0.01, 'epochs': 5, 'stepsPerEpoch': 6, 'baseMomentum': 0.8, 'maxMomentum': 0.9},
                      optimizer='Adam', optimizer_options={'lr': 0.001}),
        run_scheduler('one cycle no momentum', 'OneCycleLR', {'maxLr': 0.05, 'totalSteps': 30, 'cycleMomentum': False}),
        run_scheduler('plateau min rel', 'ReduceLROnPlateau', {'patience': 2, 'factor': 0.5}, lrs=(0.1, 0.01),
                      metrics=plateau),
        run_scheduler('plateau max abs cooldown min lr', 'ReduceLROnPlateau',
                      {'mode': 'max', 'thresholdMode': 'abs', 'threshold': 0.1, 'cooldown': 2, 'minLr': 0.01,
                       'patience': 1, 'factor': 0.3}, metrics=rising),
        run_scheduler('plateau eps', 'ReduceLROnPlateau', {'patience': 0, 'factor': 0.5, 'eps': 0.02, 'minLr': [0.0]},
                      metrics=plateau),
    ]


def clip_cases():
    cases = []
    grads = [f32([0.3, -1.2, 2.5, 0.01]), f32([[-0.7, 0.2], [1.9, -3.1]]), f32([0.05])]
    for max_norm, norm_type in [(1.0, 2.0), (10.0, 2.0), (0.5, 1.0), (2.0, math.inf), (1.5, 3.0), (0.1, 0.5)]:
        params = [torch.zeros(torch.tensor(g).shape, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g, dtype=torch.float32)
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        cases.append({'maxNorm': max_norm, 'normType': 'inf' if norm_type == math.inf else norm_type,
                      'grads': [{'shape': list(torch.tensor(g).shape), 'values': flat(torch.tensor(g))} for g in grads],
                      'total': float(total), 'clipped': [flat(p.grad) for p in params]})
    return cases


def main():
    out = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'optim.json')
    data = {'torch': torch.__version__, 'optimizers': optimizer_cases(), 'schedulers': scheduler_cases(),
            'clipGradNorm': clip_cases()}
    with open(out, 'w') as f:
        json.dump(data, f, allow_nan=False)
        f.write('\n')


if __name__ == '__main__':
    main()
