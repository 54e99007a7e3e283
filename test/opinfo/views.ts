// test/opinfo/views.ts — entries for view ops and copies.
import * as torch from 'kindling';
import type { OpInfo } from './types.js';

const m34 = [{ name: 'matrix', inputs: [{ shape: [3, 4] }] }, { name: 'transposed', inputs: [{ shape: [3, 4], transposed: true }] }];
const t234 = [{ name: 'cube', inputs: [{ shape: [2, 3, 4] }] }, { name: 'transposed', inputs: [{ shape: [2, 3, 4], transposed: true }] }];

export const viewInfos: OpInfo[] = [
  {
    name: 'view', call: (a) => a.contiguous().view(4, 3), py: 'a.contiguous().view(4, 3)', samples: m34,
    errors: [
      { name: 'wrong numel', run: () => torch.zeros(2, 3).view(4, 2), match: /shape '\[4, 2\]' is invalid for input of size 6/ },
      { name: 'incompatible strides', run: () => torch.zeros(2, 3).t().view(6), match: /view size is not compatible/ },
    ],
  },
  { name: 'reshape', call: (a) => a.reshape(-1, 2), py: 'a.reshape(-1, 2)', samples: m34 },
  { name: 'permute', call: (a) => a.permute(2, 0, 1), py: 'a.permute(2, 0, 1)', samples: t234 },
  { name: 'transpose', call: (a) => a.transpose(0, -1), py: 'a.transpose(0, -1)', samples: t234 },
  { name: 't', call: (a) => a.t(), py: 'a.t()', samples: m34 },
  {
    name: 'expand', call: (a) => a.expand(2, 3, 4), py: 'a.expand(2, 3, 4)',
    samples: [{ name: 'row', inputs: [{ shape: [1, 4] }] }, { name: 'col', inputs: [{ shape: [3, 1] }] }],
    errors: [{ name: 'bad size', run: () => torch.zeros(2, 3).expand(4, 3), match: /expanded size of the tensor \(4\) must match the existing size \(2\)/ }],
  },
  { name: 'unsqueeze', call: (a) => a.unsqueeze(1), py: 'a.unsqueeze(1)', samples: m34 },
  { name: 'squeeze', call: (a) => a.squeeze(), py: 'a.squeeze()', samples: [{ name: 'ones', inputs: [{ shape: [3, 1, 4, 1] }] }] },
  { name: 'squeeze.dim', call: (a) => a.squeeze(1), py: 'a.squeeze(1)', samples: [{ name: 'ones', inputs: [{ shape: [3, 1, 4, 1] }] }] },
  { name: 'flatten', call: (a) => a.flatten(1), py: 'a.flatten(1)', samples: t234 },
  {
    name: 'narrow', call: (a) => a.narrow(1, 1, 2), py: 'a.narrow(1, 1, 2)', samples: m34,
    errors: [{ name: 'too long', run: () => torch.zeros(2, 3).narrow(1, 2, 2), match: /start \(2\) \+ length \(2\) exceeds dimension size \(3\)/ }],
  },
  {
    name: 'select', call: (a) => a.select(1, -1), py: 'a.select(1, -1)', samples: m34,
    errors: [{ name: 'out of range', run: () => torch.zeros(2, 3).select(0, 2), match: /index 2 is out of bounds for dimension 0 with size 2/ }],
  },
  { name: 'get.int', call: (a) => a.get(1), py: 'a[1]', samples: t234 },
  { name: 'get.slices', call: (a) => a.get(null, [0, null, 2], -1), py: 'a[:, 0::2, -1]', samples: t234 },
  { name: 'get.ellipsis', call: (a) => a.get('...', [1, 3]), py: 'a[..., 1:3]', samples: t234 },
  { name: 'clone', call: (a) => a.clone(), py: 'a.clone()', samples: m34 },
  { name: 'contiguous', call: (a) => a.contiguous(), py: 'a.contiguous()', samples: m34 },
  { name: 'to.float64', call: (a) => a.to('float64'), py: 'a.to(torch.float64)', samples: m34 },
];
