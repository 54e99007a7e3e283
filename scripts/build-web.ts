// scripts/build-web.ts — the browser demo's build (part of `npm run build`): examples/web/app/*.ts bundled by
// esbuild into examples/web/build/{app,worker}.js, importing kindling as the browser bundle at ../kindling.js
// (which scripts/serve.ts serves), and the mnist package's digits as build/digits.safetensors for the worker.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, 'examples', 'web', 'build');

/** The page and the worker share dist/browser/kindling.js (cached once) instead of each bundling the library. */
const kindlingExternal: Plugin = {
  name: 'kindling-external',
  setup(b) {
    b.onResolve({ filter: /^kindling$/ }, () => ({ path: '../kindling.js', external: true }));
  },
};

/** Bundles the page's entry points. */
async function bundleApp(): Promise<void> {
  await build({
    entryPoints: { app: join(root, 'examples/web/app/main.ts'), worker: join(root, 'examples/web/app/worker.ts') },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    plugins: [kindlingExternal],
  });
}

/** Writes the digits the worker trains on (uint8 images and int64 labels, 7.9 MB) from the examples' cache. */
async function writeDigits(): Promise<void> {
  // The probe for a GPU is of no use here; the import comes after this line for that reason.
  process.env.KINDLING_WEBGPU = '0';
  const torch = await import('kindling');
  const { loadDigits } = await import('../examples/mnist/data.js');
  const { images, labels } = loadDigits();
  torch.save({ images, labels }, join(out, 'digits.safetensors'));
}

mkdirSync(out, { recursive: true });
await bundleApp();
await writeDigits();
