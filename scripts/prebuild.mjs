// scripts/prebuild.mjs — the prebuilt addon that the npm package carries, in node-gyp-build's layout
// (prebuilds/<platform>-<arch>/node.napi[.libc].node), so that users need no compiler.
//   copy   (prepack)  puts build/Release/kindling.node there; without a build the package ships none
//   clean  (postpack) removes prebuilds/ again, so a checkout never loads a stale copy
//   check  (install)  exits 0 when the package carries a prebuild that loads here; npm install then
//                     skips the source build. A checkout has no prebuilds/, so it always builds.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'build', 'Release', 'kindling.node');
const prebuilds = join(root, 'prebuilds');

/** The newest modification time under `path` (the addon's sources; native/src/distributed is kindling_dist's). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  const names = readdirSync(path).filter((name) => join(path, name) !== join(root, 'native', 'src', 'distributed'));
  return Math.max(stat.mtimeMs, ...names.map((name) => newest(join(path, name))));
}

function copy() {
  rmSync(prebuilds, { recursive: true, force: true });
  if (!existsSync(built)) {
    console.warn('kindling: no native build (build/Release/kindling.node); the package carries no prebuilt addon');
    return;
  }
  if (Math.max(newest(join(root, 'native', 'src')), newest(join(root, 'binding.gyp'))) > statSync(built).mtimeMs) {
    console.error('kindling: build/Release/kindling.node is older than native/src; run `npm install` to rebuild it before packing');
    process.exit(1);
  }
  // node-gyp-build refuses a glibc build on musl (Alpine) and the reverse, by this tag.
  const libc = platform() === 'linux' ? (existsSync('/etc/alpine-release') ? '.musl' : '.glibc') : '';
  const dir = join(prebuilds, `${platform()}-${arch()}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(built, join(dir, `node.napi${libc}.node`));
}

function check() {
  if (process.env.npm_config_build_from_source === 'true' || !existsSync(prebuilds)) process.exit(1);
  // Only prebuilds/ counts here: a build/ left in the folder is what `npm install` is asked to redo.
  process.env.PREBUILDS_ONLY = '1';
  try {
    const require = createRequire(import.meta.url);
    const load = /** @type {{ (dir: string): unknown; resolve(dir: string): string }} */ (require('node-gyp-build'));
    const path = load.resolve(root);
    load(root);
    console.log(`kindling: using the prebuilt native addon ${path.slice(root.length)}`);
  } catch {
    process.exit(1);
  }
  // The addon's thread pool must not keep this process alive.
  process.exit(0);
}

const command = process.argv[2];
if (command === 'copy') copy();
else if (command === 'clean') rmSync(prebuilds, { recursive: true, force: true });
else if (command === 'check') check();
else {
  console.error('usage: node scripts/prebuild.mjs copy|clean|check');
  process.exit(2);
}
