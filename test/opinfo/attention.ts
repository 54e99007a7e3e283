// test/opinfo/attention.ts — entries for F.scaledDotProductAttention (PyTorch 2.x's; written out in
// PyTorch 1.13 as its math: softmax(q·kᵀ·scale + mask)·v) and F.multiHeadAttentionForward.
import * as torch from 'kindling';
import { F } from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const SDPA = (mask: string, scale = 'a.size(-1) ** -0.5'): string =>
  `torch.softmax((a @ b.transpose(-2, -1) * ${scale})${mask}, -1) @ c`;

const qkv: Sample[] = [
  s('3-D', f([2, 3, 4]), f([2, 5, 4]), f([2, 5, 3])),
  s('4-D', f([2, 2, 3, 4]), f([2, 2, 4, 4]), f([2, 2, 4, 4])),
  s('transposed key', f([2, 3, 4]), f([2, 5, 4], { transposed: true }), f([2, 5, 3])),
  s('broadcast batch', f([2, 1, 3, 4]), f([3, 5, 4]), f([3, 5, 2])),
];

export const attentionInfos: OpInfo[] = [
  { name: 'F.scaledDotProductAttention', call: (a, b, c) => F.scaledDotProductAttention(a, b, c), py: SDPA(''), samples: qkv,
    errors: [
      { name: 'mask with causal', run: () => F.scaledDotProductAttention(torch.ones(2, 2), torch.ones(2, 2), torch.ones(2, 2), { attnMask: torch.ones(2, 2), isCausal: true }),
        match: /Explicit attn_mask should not be set when is_causal=True/ },
      { name: '1-D', run: () => F.scaledDotProductAttention(torch.ones(2), torch.ones(2, 2), torch.ones(2, 2)), match: /at least 2-D/ },
    ] },
  { name: 'F.scaledDotProductAttention.causal', call: (a, b, c) => F.scaledDotProductAttention(a, b, c, { isCausal: true }),
    py: SDPA('.masked_fill(torch.ones(a.size(-2), b.size(-2), dtype=torch.bool).tril().logical_not(), float("-inf"))'),
    samples: [s('square', f([2, 4, 3]), f([2, 4, 3]), f([2, 4, 3])), s('wide', f([1, 2, 3, 4]), f([1, 2, 5, 4]), f([1, 2, 5, 2]))] },
  { name: 'F.scaledDotProductAttention.floatMask', call: (a, b, c, d) => F.scaledDotProductAttention(a, b, c, { attnMask: d }), py: SDPA(' + d'),
    samples: [s('broadcast', f([2, 3, 4]), f([2, 5, 4]), f([2, 5, 3]), f([3, 5])), s('full', f([2, 3, 4]), f([2, 5, 4]), f([2, 5, 3]), f([2, 3, 5]))] },
  { name: 'F.scaledDotProductAttention.boolMask', call: (a, b, c, d) => F.scaledDotProductAttention(a, b, c, { attnMask: d.logicalOr(torch.eye(3, 5, { dtype: 'bool', device: d.device })) }),
    py: SDPA('.masked_fill(d.logical_or(torch.eye(3, 5, dtype=torch.bool)).logical_not(), float("-inf"))'),
    samples: [s('2-D', f([2, 3, 4]), f([2, 5, 4]), f([2, 5, 3]), f([3, 5], { kind: 'bool' }))] },
  { name: 'F.scaledDotProductAttention.scale', call: (a, b, c) => F.scaledDotProductAttention(a, b, c, { scale: 0.3 }), py: SDPA('', '0.3'), samples: qkv.slice(0, 1) },
  { name: 'F.multiHeadAttentionForward', gradcheckMaxNumel: 200, atol: 1e-5, rtol: 1e-4,
    call: (a, b, c, d) => F.multiHeadAttentionForward(a, a, a, 4, 2, b, c, null, null, false, 0, d, null, { needWeights: false })[0],
    py: 'F.multi_head_attention_forward(a, a, a, 4, 2, b, c, None, None, False, 0., d, None, need_weights=False)[0]',
    samples: [s('self', f([3, 2, 4]), f([12, 4]), f([12]), f([4, 4]))] },
];
