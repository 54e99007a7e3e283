// test/package.test.ts — the npm package as a user gets it: packed, installed offline into an empty
// project, type-checked without @types/node, and run there; none of the examples' packages come along.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as torch from 'kindling';
import { repoRoot } from './helpers.js';

interface Manifest { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> }
interface LockEntry { version: string; resolved?: string; dependencies?: Record<string, string>; dev?: boolean; devOptional?: boolean }

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const work = mkdtempSync(join(tmpdir(), 'kindling-package-'));
after(() => { rmSync(work, { recursive: true, force: true }); });

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });

/** Where the registry serves a package's tarball (the repository's lockfile is written without `resolved` URLs). */
function tarballUrl(name: string, version: string): string {
  const registry = (process.env.npm_config_registry ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');
  return `${registry}${name}/-/${name.replace(/^@[^/]+\//, '')}-${version}.tgz`;
}

/**
 * The consumer's lockfile: kindling from the tarball, its dependencies pinned as the repository's
 * lockfile pins them. With every tarball and integrity fixed, an offline install reads only the
 * tarballs that `npm ci` put into npm's cache; resolving a version would need the registry's
 * metadata, which that cache need not hold.
 */
function consumerLock(tarball: string): { name: string; lockfileVersion: number; requires: boolean; packages: Record<string, object> } {
  const packages: Record<string, object> = {};
  const add = (name: string): void => {
    const entry = lock.packages[`node_modules/${name}`] as LockEntry | undefined;
    assert.ok(entry, `${name} is missing from package-lock.json`);
    const { dev: _dev, devOptional: _devOptional, ...rest } = entry;
    packages[`node_modules/${name}`] = { resolved: tarballUrl(name, entry.version), ...rest };
    for (const dep of Object.keys(entry.dependencies ?? {})) add(dep);
  };
  for (const name of Object.keys(manifest.dependencies)) add(name);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(work, 'consumer', tarball))).digest('base64')}`;
  return {
    name: 'consumer',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', dependencies: { kindling: `file:${tarball}` } },
      'node_modules/kindling': { version: manifest.version, resolved: `file:${tarball}`, integrity, hasInstallScript: true, dependencies: manifest.dependencies },
      ...packages,
    },
  };
}

/** Bytes of the files under `dir` (apparent sizes, as npm reports them). */
function bytesUnder(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const path = join(dir, e.name);
    return sum + (e.isDirectory() ? bytesUnder(path) : e.isFile() ? statSync(path).size : 0);
  }, 0);
}

const CHECK_TS = `import * as torch from 'kindling';
import { nn, F, optim } from 'kindling';

const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
const x: torch.Tensor = torch.randn(3, 4).mul(2).relu();
const loss: torch.Tensor = F.crossEntropy(model(x), torch.tensor([0, 1, 1], { dtype: torch.int64 }));
loss.backward();
opt.step();
export const value: number = loss.item();
// @ts-expect-error a method's result is a Tensor, not any
export const wrong: string = x.add(x);
`;

const MAIN_MJS = `import * as torch from 'kindling';
import { nn, F } from 'kindling';
torch.manualSeed(0);
const model = new nn.Linear(4, 2);
const loss = F.mseLoss(model(torch.randn(3, 4)), torch.zeros(3, 2));
loss.backward();
console.log(JSON.stringify({ backend: torch.backendName(), loss: loss.item(), grad: model.weight.grad.size() }));
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022'],
    types: [], skipLibCheck: false, noEmit: true,
  },
  files: ['check.ts'],
};

// Packaging does not depend on the backend, so the suite's KINDLING_BACKEND=js run skips it.
const skip = process.env.KINDLING_BACKEND === 'js' ? 'backend-independent: runs once, in the default-backend run' : false;

test('the packed library installs offline into an empty project, type-checks without @types/node and trains there, without the examples\' packages', { skip, timeout: 600_000 }, (t) => {
  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', consumer], repoRoot)) as { filename: string; files: { path: string }[] }[];
  const { filename, files } = packed[0];
  assert.ok(!existsSync(join(repoRoot, 'prebuilds')), 'postpack leaves no prebuilds/ in the checkout');
  const hasNativeBuild = existsSync(join(repoRoot, 'build/Release/kindling.node'));
  assert.equal(files.some((f) => f.path.startsWith('prebuilds/')), hasNativeBuild, 'the package carries the prebuilt addon exactly when there is a build');
  assert.ok(!files.some((f) => /^(examples|test|bench|build)\//.test(f.path) || f.path.startsWith('dist/examples')), 'no examples, tests or build folder in the package');

  // npm 11 runs a dependency's install script only when allowScripts names it; running kindling's
  // shows that it takes the prebuilt addon rather than compiling.
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { kindling: `file:${filename}` }, allowScripts: { kindling: true } }));
  const lockfile = consumerLock(filename);
  writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(lockfile));
  const install = npm(['ci', '--offline', '--foreground-scripts', '--no-audit', '--no-fund'], consumer);

  const modules = join(consumer, 'node_modules');
  const installed = readdirSync(modules).filter((name) => !name.startsWith('.')).sort();
  const locked = Object.keys(lockfile.packages).filter((p) => p !== '').map((p) => p.slice('node_modules/'.length));
  assert.deepEqual(installed, locked.sort(), 'exactly kindling and its runtime dependencies');
  for (const name of Object.keys(manifest.devDependencies)) assert.ok(!existsSync(join(modules, name)), `${name} (a devDependency) was installed`);
  if (hasNativeBuild) {
    assert.match(install, /kindling: using the prebuilt native addon prebuilds\//);
    assert.ok(!existsSync(join(modules, 'kindling/build')), 'the prebuilt addon was used, not compiled again');
  }

  writeFileSync(join(consumer, 'check.ts'), CHECK_TS);
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  const tsc = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

  writeFileSync(join(consumer, 'main.mjs'), MAIN_MJS);
  const run = spawnSync(process.execPath, ['main.mjs'], { cwd: consumer, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as { backend: string; loss: number; grad: number[] };
  assert.equal(result.backend, torch.backendName(), run.stderr);
  assert.ok(Number.isFinite(result.loss) && result.loss > 0);
  assert.deepEqual(result.grad, [2, 4]);

  const tarballBytes = statSync(join(consumer, filename)).size;
  t.diagnostic(`tarball ${(tarballBytes / 1e3).toFixed(0)} kB; node_modules of the empty project ${(bytesUnder(modules) / 1e6).toFixed(2)} MB`);
});
