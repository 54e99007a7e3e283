// src/backends/native/linalg.ts — batched matmul (any transposes, broadcast batch dims) and the
// indexed gather / scatterAdd on the addon.
import type { CpuBackend as Backend, CpuStorage as Storage, CpuView as View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { Addon } from './addon.js';
import { coalesce, desc, isFloat, numelOf, viewsDesc } from './views.js';

const MATMUL_MIN_FLOPS = 4096;

/** The matmul and indexing kernels of the native backend. */
export function linalgKernels(addon: Addon): Required<Pick<Backend, 'matmul' | 'gather' | 'scatterAdd'>> {
  const matmul = (a: View, b: View, out: Storage): void => {
    const x = a.storage.data, y = b.storage.data, nd = a.shape.length;
    const m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
    if (!isFloat(x) || !isFloat(y) || x.constructor !== y.constructor || m * n * k < MATMUL_MIN_FLOPS) {
      jsBackend.matmul(a, b, out);
      return;
    }
    const batch = a.shape.slice(0, nd - 2);
    const [shape, [sa, sb]] = coalesce(batch, a.strides.slice(0, nd - 2), b.strides.slice(0, nd - 2));
    const nb = shape.length;
    desc[0] = nb;
    desc[1] = m;
    desc[2] = k;
    desc[3] = n;
    desc[4] = a.offset;
    desc[5] = b.offset;
    desc.set(shape, 6);
    desc.set(sa, 6 + nb);
    desc.set(sb, 6 + 2 * nb);
    const at = 6 + 3 * nb;
    desc[at] = a.strides[nd - 2];
    desc[at + 1] = a.strides[nd - 1];
    desc[at + 2] = b.strides[nd - 2];
    desc[at + 3] = b.strides[nd - 1];
    addon.matmul(x, y, out.data, desc);
  };

  // gather / scatterAdd: float data with an int64 index (a Float64Array, Note [int64 storage]).
  const gather = (x: View, dim: number, index: View, out: Storage): void => {
    const data = x.storage.data;
    if (!isFloat(data) || index.storage.dtype !== 'int64' || out.data.length < 256) {
      jsBackend.gather(x, dim, index, out);
      return;
    }
    // Not coalesced: the indexed dim must stay a dim of its own.
    addon.gather(data, index.storage.data, out.data, dim, viewsDesc(index.shape, [x, index], [x.strides, index.strides]));
  };

  const scatterAdd = (dst: View, dim: number, index: View, src: View): void => {
    const d = dst.storage.data, s = src.storage.data;
    if (!isFloat(d) || !isFloat(s) || d.constructor !== s.constructor || index.storage.dtype !== 'int64' || numelOf(index.shape) < 256) {
      jsBackend.scatterAdd(dst, dim, index, src);
      return;
    }
    const views = [dst, index, src];
    addon.scatterAdd(d, index.storage.data, s, dim, viewsDesc(index.shape, views, views.map((v) => v.strides)));
  };

  return { matmul, gather, scatterAdd };
}
