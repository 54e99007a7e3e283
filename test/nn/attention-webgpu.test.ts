// test/nn/attention-webgpu.test.ts — attention, Transformer and recurrent layers on the webgpu device
// give the CPU's outputs and gradients (skipped without a WebGPU adapter).
import { test } from 'node:test';
import * as torch from 'kindling';
import { F, nn } from 'kindling';
import { skip } from '../backends/webgpu-device.js';
import { assertClose } from '../helpers.js';

/** Runs `make` on each device from one seed; compares the output and the first parameter's or input's gradient. */
async function sameOnGpu(make: (device: 'cpu' | 'webgpu') => [torch.Tensor, torch.Tensor]): Promise<void> {
  const results: [number[], number[]][] = [];
  for (const device of ['cpu', 'webgpu'] as const) {
    torch.manualSeed(7);
    const [out, wrt] = make(device);
    out.square().sum().backward();
    const grad = wrt.grad;
    if (grad === null) throw new Error('no gradient');
    results.push([Array.from(await out.detach().data()), Array.from(await grad.data())]);
  }
  assertClose(results[1][0], results[0][0], { atol: 1e-5, rtol: 1e-4, what: 'output' });
  assertClose(results[1][1], results[0][1], { atol: 1e-4, rtol: 1e-3, what: 'gradient' });
}

test('sdpa with causal and bool masks runs on webgpu as on the CPU', { skip }, async () => {
  await sameOnGpu((d) => {
    const q = torch.randn(2, 4, 8).to(d).requiresGrad_();
    const mask = torch.randn(4, 4).gt(-0.5).logicalOr(torch.eye(4, { dtype: 'bool' })).to(d);
    return [F.scaledDotProductAttention(q, q, q, { isCausal: true }).add(F.scaledDotProductAttention(q, q, q, { attnMask: mask })), q];
  });
});

test('MultiheadAttention and TransformerEncoderLayer run on webgpu as on the CPU', { skip }, async () => {
  await sameOnGpu((d) => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, batchFirst: true }).to(d);
    const x = torch.randn(2, 5, 8).to(d);
    const kpm = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]]).to('bool').to(d);
    return [layer(x, { srcMask: nn.Transformer.generateSquareSubsequentMask(5, { device: d }), srcKeyPaddingMask: kpm }), layer.self_attn.out_proj.weight];
  });
});

test('LSTM and packed GRU run on webgpu as on the CPU', { skip }, async () => {
  await sameOnGpu((d) => {
    const lstm = new nn.LSTM(4, 6, { numLayers: 2, bidirectional: true }).to(d);
    return [lstm(torch.randn(5, 3, 4).to(d))[0], lstm.parameters()[0]];
  });
  await sameOnGpu((d) => {
    const gru = new nn.GRU(4, 6).to(d);
    const packed = nn.utils.rnn.packPaddedSequence(torch.randn(5, 3, 4).to(d), [5, 3, 2]);
    return [nn.utils.rnn.padPackedSequence(gru(packed)[0])[0], gru.parameters()[1]];
  });
});
