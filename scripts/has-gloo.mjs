// scripts/has-gloo.mjs — prints 1 when Gloo's headers and library are installed (Debian's libgloo-dev),
// else 0; binding.gyp builds the kindling_dist addon (torch.distributed) only then, so that
// `npm install` without Gloo still builds the main addon. KINDLING_GLOO=0 skips it.
import { existsSync } from 'node:fs';

const includeDirs = ['/usr/include', '/usr/local/include'];
const libDirs = ['/usr/lib', '/usr/local/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64'];
const headers = includeDirs.some((d) => existsSync(`${d}/gloo/allreduce.h`) && existsSync(`${d}/gloo/transport/tcp/device.h`));
const library = libDirs.some((d) => existsSync(`${d}/libgloo.so`));
console.log(process.env.KINDLING_GLOO !== '0' && process.platform === 'linux' && headers && library ? 1 : 0);
