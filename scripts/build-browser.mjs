// scripts/build-browser.mjs — the browser bundle, dist/browser/kindling.js: one minified ES module from
// src/index.ts, in which every module with a `*.browser.ts` twin beside it (files, IDX readers, the native
// addon's loader) is replaced by the twin, so nothing Node-only is left. Fails if any `node:` import remains.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Resolves `./x.js` to `./x.browser.ts` where that twin exists (esbuild finds `./x.ts` by itself otherwise). */
const browserTwins = {
  name: 'browser-twins',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, ({ path, resolveDir }) => {
      const twin = join(resolveDir, path.replace(/\.js$/, '.browser.ts'));
      return existsSync(twin) ? { path: twin } : undefined;
    });
  },
};

const result = await build({
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(root, 'dist/browser/kindling.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // Module reprs and errors print class names (Sequential(...), 'for Linear'), as PyTorch does.
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  plugins: [browserTwins],
});
const nodeImports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.path.startsWith('node:')).map((i) => i.path));
if (nodeImports.length > 0) throw new Error(`the browser bundle still imports ${[...new Set(nodeImports)].join(', ')}`);
