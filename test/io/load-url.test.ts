// test/io/load-url.test.ts — torch.loadFromUrl fetches and decodes safetensors bytes over HTTP, and names the
// URL in its errors.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import * as torch from 'kindling';

test('loadFromUrl: the tensors a server sends, and clear errors for a missing or corrupt file', async () => {
  const weights = { w: torch.arange(6).reshape(2, 3), b: torch.tensor([1, 2], { dtype: 'int64' }) };
  const bytes = torch.safetensors.serialize(weights);
  const server = createServer((req, res) => {
    if (req.url === '/model.safetensors') res.end(bytes);
    else if (req.url === '/corrupt.safetensors') res.end(bytes.subarray(0, 20));
    else res.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const loaded = await torch.loadFromUrl(`${base}/model.safetensors`);
    assert.deepEqual(Object.keys(loaded), ['b', 'w']);
    assert.deepEqual(loaded.w.tolist(), [[0, 1, 2], [3, 4, 5]]);
    assert.equal(loaded.b.dtype, 'int64');
    await assert.rejects(torch.loadFromUrl(`${base}/missing.safetensors`), {
      name: 'SafetensorError', message: `loadFromUrl: ${base}/missing.safetensors: HTTP 404 Not Found`,
    });
    await assert.rejects(torch.loadFromUrl(`${base}/corrupt.safetensors`), { name: 'SafetensorError', message: new RegExp(`^safetensors: ${base}/corrupt.safetensors: `) });
  } finally {
    server.close();
  }
});
