// scripts/serve.ts — `npm run demo`: serves the browser demo (examples/web/) and the browser bundle on localhost,
// with no dependency beyond Node's http module. Also started in-process by the browser tests (test/browser/).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The repository root, from dist/scripts/. */
const root = fileURLToPath(new URL('../..', import.meta.url));
const site = join(root, 'examples', 'web');
/** URL paths served from elsewhere than examples/web/: the bundle the page imports as ../kindling.js. */
const BUNDLE = join(root, 'dist', 'browser', 'kindling.js');
const MOUNTS = new Map([['/kindling.js', BUNDLE]]);

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.map': 'application/json; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.safetensors': 'application/octet-stream', '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

/** A running server: its base URL and how to stop it. */
export interface DemoServer {
  url: string;
  close: () => Promise<void>;
}

/** The file a URL path names, or null outside the site (no `..` escapes) or when absent. */
function fileFor(urlPath: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const mounted = MOUNTS.get(path);
  if (mounted !== undefined) return existsSync(mounted) ? mounted : null;
  const file = normalize(join(site, path.endsWith('/') ? `${path}index.html` : path));
  if (file !== site && !file.startsWith(site + sep)) return null;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/** Starts serving on `port` (0: a free one) of `host`; resolves once listening. */
export function serve({ port = 8080, host = '127.0.0.1' }: { port?: number; host?: string } = {}): Promise<DemoServer> {
  const server = createServer((req, res) => {
    const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = fileFor(urlPath);
    if (file === null) {
      const hint = urlPath.startsWith('/build/') || urlPath === '/kindling.js' ? ' (run npm run build first)' : '';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${urlPath}${hint}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      // A rebuilt bundle or retrained weights show on the next reload.
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      const close = (): Promise<void> => new Promise((done) => {
        server.closeAllConnections();
        server.close(() => { done(); });
      });
      resolve({ url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${bound}/`, close });
    });
  });
}

/** The CLI: `npm run demo -- [--port N] [--host H]`. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help === true) {
    console.log('Usage: npm run demo -- [--port N] [--host ADDRESS]\n\nServes the browser demo (examples/web/) on http://localhost:8080/ by default.');
    return;
  }
  if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) throw new Error(`--port must be a port number (0-65535), got '${values.port}'`);
  for (const needed of [BUNDLE, join(site, 'build', 'app.js')]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run npm run build first`);
  }
  const { url } = await serve({ port: Number(values.port), host: values.host });
  console.log(`kindling demo: ${url}  (Ctrl-C stops it)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`demo: error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
