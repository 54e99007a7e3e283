// eslint.config.js — lint rules: typescript-eslint's strict type-checked rules and the layer zones of
// docs/style.md §2 (each layer imports only from the layers to its left).
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

const layers = ['core', 'backends', 'tensor', 'autograd', 'ops', 'distributed', 'nn', 'optim', 'data', 'io'];
// A layer may not import from any layer to its right (optim, data and io sit side by side).
const rightOf = {
  core: ['backends', 'tensor', 'autograd', 'ops', 'distributed', 'nn', 'optim', 'data', 'io'],
  backends: ['tensor', 'autograd', 'ops', 'distributed', 'nn', 'optim', 'data', 'io'],
  tensor: ['autograd', 'ops', 'distributed', 'nn', 'optim', 'data', 'io'],
  autograd: ['ops', 'distributed', 'nn', 'optim', 'data', 'io'],
  ops: ['distributed', 'nn', 'optim', 'data', 'io'],
  // torch.distributed sits between ops and nn: DistributedDataParallel (nn) and DistributedSampler (data) use it.
  distributed: ['nn', 'optim', 'data', 'io'],
  nn: ['optim', 'data', 'io'],
  optim: ['data', 'io'],
  data: ['optim'],
  io: ['optim', 'data', 'nn', 'distributed'],
};
const zones = layers.flatMap((layer) =>
  rightOf[layer].map((from) => ({ target: `./src/${layer}`, from: `./src/${from}`, message: `${layer}/ may not import ${from}/ (docs/style.md §2)` })),
);
// Only backends/native loads the addon; nothing outside backends/ reaches into a backend's kernels.
zones.push({ target: './src/!(backends)/**', from: './src/backends/native', message: 'only backends/select.ts loads the native backend' });
zones.push({ target: './src/!(distributed)/**', from: './src/distributed/addon.ts', message: 'only distributed/ loads the Gloo addon' });
zones.push({ target: './src/!(backends)/**', from: './src/backends/js', message: 'ops go through backend(), not the JS kernels' });

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'native/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { import: importPlugin },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Sizes, dims and indices are what PyTorch-style error messages report; numbers print unambiguously.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'import/no-restricted-paths': ['error', { zones }],
    },
  },
  {
    files: ['src/ops/function.ts'],
    // torch.autograd.Function is a base class users extend with static forward/backward (PyTorch's API), not a namespace.
    rules: { '@typescript-eslint/no-extraneous-class': ['error', { allowStaticOnly: true }] },
  },
  {
    // Tests reach into layers directly to test them; the zones are for the library. node:test's
    // test() returns a promise the runner itself awaits.
    files: ['test/**', 'bench/**', 'scripts/**', 'examples/**'],
    // max(dim).values is a tensor field that shadows Array's values() method in the type, which
    // unbound-method mistakes for a detached method.
    rules: {
      'import/no-restricted-paths': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowArray: true, allowNumber: true }],
    },
  },
);
