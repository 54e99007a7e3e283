// test/browser/browser.ts — what the browser tests share: Debian's Chromium driven by playwright-core (never a
// downloaded browser), why it is skipped, the demo server started in-process, and the page's console errors.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type DemoServer, serve } from '../../scripts/serve.js';

export const CHROMIUM = process.env.KINDLING_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser tests do not run here, or false. The page always runs kindling's JS backend, so the test
 * suite's second pass (KINDLING_BACKEND=js) would repeat the first: the tests run in the default pass only.
 */
export const skip: string | false = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (Debian: apt install chromium; or set KINDLING_CHROMIUM to a Chromium binary)`
  : process.env.KINDLING_BACKEND === 'js'
    ? 'KINDLING_BACKEND=js: the page always runs the JS backend, so the browser tests run only in the default pass'
    : false;

/** Why the page's WebGPU tests do not run: as `skip`, or KINDLING_WEBGPU=0, which turns WebGPU off everywhere. */
export const skipGpu: string | false = skip !== false ? skip : process.env.KINDLING_WEBGPU === '0' ? 'KINDLING_WEBGPU=0 turned WebGPU off' : false;

// Headless Chromium has no GPU: WebGPU on SwiftShader, its Vulkan on the CPU, needs these (found by trial on
// Chromium 150; data: URLs are no secure context, so the page is served from localhost).
const ARGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--no-sandbox'];

/** A browser on the served demo: the page, every console error or uncaught exception, and how to end it all. */
export interface DemoSession {
  server: DemoServer;
  browser: Browser;
  page: Page;
  errors: string[];
  close: () => Promise<void>;
}

/** Serves the demo on a free port, opens it in headless Chromium and waits until the page says it is ready. */
export async function openDemo({ width = 1000, height = 1500 } = {}): Promise<DemoSession> {
  if (!existsSync(new URL('../../../examples/web/build/app.js', import.meta.url))) throw new Error('examples/web/build/app.js is missing: run npm run build');
  const server = await serve({ port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const errors: string[] = [];
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => { errors.push(`uncaught: ${e.message}`); });
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
  return {
    server, browser, page, errors,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** The value of a JavaScript expression in the page (the page's state is on `window.demo`). */
export async function read<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}

/** Waits until a JavaScript expression is true in the page. */
export async function until(page: Page, expression: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(expression, null, { timeout, polling: 100 });
}

/**
 * Draws a 28×28 image (values in [0, 1]) on the demo's pad with the mouse: one stroke per horizontal run of
 * pixels above `threshold`, with the pen one image pixel wide (the pad is 280 canvas pixels, 10 per pixel).
 */
export async function drawImage(page: Page, image: ArrayLike<number>, threshold = 0.5): Promise<void> {
  await page.click('#clear');
  // The tests' TypeScript has no DOM types, so in-page code is passed as a string.
  await page.evaluate("{ const pen = document.getElementById('pen-width'); pen.value = '10'; pen.dispatchEvent(new Event('input')); }");
  const box = await page.locator('#pad').boundingBox();
  if (box === null) throw new Error('the pad is not visible');
  const at = (i: number, j: number): [number, number] => [box.x + ((i + 0.5) * box.width) / 28, box.y + ((j + 0.5) * box.height) / 28];
  for (let j = 0; j < 28; j++) {
    for (let i = 0; i < 28; i++) {
      if (image[j * 28 + i] <= threshold) continue;
      let end = i;
      while (end + 1 < 28 && image[j * 28 + end + 1] > threshold) end++;
      await page.mouse.move(...at(i, j));
      await page.mouse.down();
      await page.mouse.move(...at(end, j));
      await page.mouse.up();
      i = end;
    }
  }
}
