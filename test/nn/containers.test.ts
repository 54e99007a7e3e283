// test/nn/containers.test.ts — Sequential, ModuleList, ModuleDict, Flatten, Unflatten and Identity:
// naming, indexing, iteration, forward and printing as PyTorch does them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { nn } from 'kindling';

test('Sequential names children 0, 1, … and runs them in order', () => {
  const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
  assert.equal(seq.length, 3);
  assert.deepEqual(seq.namedParameters().map(([n]) => n), ['0.weight', '0.bias', '2.weight', '2.bias']);
  const x = torch.randn(5, 2);
  const [a, b, c] = [...seq];
  assert.deepEqual(seq(x).tolist(), c(b(a(x))).tolist());
  assert.equal(seq.get(-1), c);
  assert.equal(seq.get(0), a);
  assert.throws(() => seq.get(3), (e: unknown) => e instanceof torch.IndexError && /index 3 is out of range/.test(e.message));
  assert.throws(() => seq.get(-4), /index -4 is out of range/);
});

test('a Sequential LeNet names its parameters as PyTorch', () => {
  const lenet = new nn.Sequential(
    new nn.Linear(784, 6), new nn.ReLU(), new nn.Identity(),
    new nn.Linear(6, 16), new nn.ReLU(), new nn.Identity(), new nn.Flatten(),
    new nn.Linear(16, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
  assert.deepEqual(lenet.namedParameters().map(([n]) => n), [
    '0.weight', '0.bias', '3.weight', '3.bias', '7.weight', '7.bias', '9.weight', '9.bias', '11.weight', '11.bias',
  ]);
  assert.deepEqual(Object.keys(lenet.stateDict()).slice(0, 2), ['0.weight', '0.bias']);
  assert.deepEqual([...lenet(torch.randn(2, 784)).shape], [2, 10]);
  assert.match(String(lenet), /\n {2}\(10\): ReLU\(\)\n {2}\(11\): Linear\(in_features=84, out_features=10, bias=True\)\n\)$/);
});

test('Sequential prints as PyTorch, nested and from a Map', () => {
  assert.equal(
    String(new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU())),
    'Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)',
  );
  const named = new nn.Sequential(new Map<string, nn.Module>([
    ['fc', new nn.Linear(2, 3)], ['act', new nn.ReLU()], ['inner', new nn.Sequential(new nn.Linear(3, 1), new nn.Sigmoid())],
  ]));
  assert.equal(
    String(named),
    'Sequential(\n  (fc): Linear(in_features=2, out_features=3, bias=True)\n  (act): ReLU()\n  (inner): Sequential(\n' +
      '    (0): Linear(in_features=3, out_features=1, bias=True)\n    (1): Sigmoid()\n  )\n)',
  );
  assert.deepEqual(named.namedParameters().map(([n]) => n), ['fc.weight', 'fc.bias', 'inner.0.weight', 'inner.0.bias']);
  assert.equal(String(named.get(-1)), 'Sequential(\n  (0): Linear(in_features=3, out_features=1, bias=True)\n  (1): Sigmoid()\n)');
  assert.equal(String(new nn.Sequential()), 'Sequential()');
  assert.equal(String(new nn.Sequential(new nn.ModuleDict({ x: new nn.Linear(1, 1) }))), 'Sequential(\n  (0): ModuleDict(\n    (x): Linear(in_features=1, out_features=1, bias=True)\n  )\n)');
});

test('Sequential.append adds at the end', () => {
  const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()).append(new nn.Tanh());
  assert.equal(seq.length, 3);
  assert.equal(String(seq), 'Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n  (2): Tanh()\n)');
});

test('ModuleList holds modules without a forward', () => {
  const list = new nn.ModuleList([new nn.ReLU()]);
  list.append(new nn.Linear(1, 1)).extend([new nn.Tanh()]);
  list.insert(0, new nn.Sigmoid());
  list.insert(-1, new nn.ELU());
  assert.equal(list.length, 5);
  assert.deepEqual([...list].map((m) => m.constructor.name), ['Sigmoid', 'ReLU', 'Linear', 'ELU', 'Tanh']);
  assert.deepEqual(list.namedParameters().map(([n]) => n), ['2.weight', '2.bias']);
  assert.equal(list.get(-1).constructor.name, 'Tanh');
  list.set(0, new nn.SiLU());
  assert.equal(String(list.get(0)), 'SiLU()');
  assert.throws(() => list.get(5), /index 5 is out of range/);
  assert.throws(() => list(torch.ones(1)), (e: unknown) => e instanceof torch.NotImplementedError && /Module \[ModuleList\] is missing the required "forward" function/.test(e.message));
  assert.equal(
    String(new nn.ModuleList([new nn.ReLU(), new nn.ModuleList([new nn.Tanh()])])),
    'ModuleList(\n  (0): ReLU()\n  (1): ModuleList(\n    (0): Tanh()\n  )\n)',
  );
  assert.equal(String(new nn.ModuleList()), 'ModuleList()');
});

test('ModuleDict keeps insertion order and works like a Map', () => {
  const dict = new nn.ModuleDict({ b: new nn.ReLU(), a: new nn.Tanh() });
  assert.equal(String(dict), 'ModuleDict(\n  (b): ReLU()\n  (a): Tanh()\n)');
  dict.set('fc', new nn.Linear(2, 2));
  assert.deepEqual(dict.keys(), ['b', 'a', 'fc']);
  assert.deepEqual([...dict], ['b', 'a', 'fc']);
  assert.equal(dict.length, 3);
  assert.ok(dict.has('fc') && !dict.has('zz') && !dict.has('forward'));
  assert.equal(dict.get('zz'), undefined);
  assert.equal(String(dict.get('a')), 'Tanh()');
  assert.deepEqual(dict.entries().map(([k, m]) => `${k}=${String(m)}`), ['b=ReLU()', 'a=Tanh()', 'fc=Linear(in_features=2, out_features=2, bias=True)']);
  assert.deepEqual(dict.values().length, 3);
  assert.deepEqual(dict.namedParameters().map(([n]) => n), ['fc.weight', 'fc.bias']);
  assert.ok(dict.delete('b'));
  assert.deepEqual(dict.keys(), ['a', 'fc']);
  assert.throws(() => dict.set('a.b', new nn.ReLU()), /module name can't contain "\.", got: a\.b/);
  assert.throws(() => dict.set('forward', new nn.ReLU()), /attribute 'forward' already exists/);
  assert.deepEqual(new nn.ModuleDict(new Map([['x', new nn.ReLU()]])).keys(), ['x']);
});

test('Flatten, Unflatten and Identity reshape as PyTorch', () => {
  const x = torch.randn(2, 3, 4);
  assert.deepEqual([...new nn.Flatten()(x).shape], [2, 12]);
  assert.deepEqual([...new nn.Flatten(0, 1)(x).shape], [6, 4]);
  assert.equal(String(new nn.Flatten()), 'Flatten(start_dim=1, end_dim=-1)');
  assert.equal(String(new nn.Flatten(0, 2)), 'Flatten(start_dim=0, end_dim=2)');
  assert.deepEqual([...new nn.Unflatten(1, [2, -1])(torch.ones(3, 6)).shape], [3, 2, 3]);
  assert.deepEqual([...new nn.Unflatten(-1, [2, 2])(x).shape], [2, 3, 2, 2]);
  assert.throws(() => new nn.Unflatten(1, [2, 2])(torch.ones(3, 6)), /unflatten: Provided sizes \[2, 2\] don't multiply up to the size of dim 1 \(6\) in the input tensor/);
  assert.equal(String(new nn.Unflatten(1, [2, 3])), 'Unflatten(dim=1, unflattened_size=(2, 3))');
  assert.equal(String(new nn.Unflatten(1, [6])), 'Unflatten(dim=1, unflattened_size=(6,))');
  assert.equal(new nn.Identity(54, 'unused')(x), x);
  assert.equal(String(new nn.Identity()), 'Identity()');
});
