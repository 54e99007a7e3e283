// src/ops/fused-updates.ts — optimizer updates as one backend kernel per parameter where the backend
// has one (Backend.adamStep, sgdStep); the optimizers fall back to their in-place ops otherwise.
import type { AdamConstants, Backend, SGDConstants, Storage } from '../backends/backend.js';
import { sameShape } from '../core/shape.js';
import { backendOf } from '../tensor/device.js';
import { emptyTensor, type Tensor } from '../tensor/tensor.js';
import { directTarget, isRecording, mayOverlap } from './define.js';

/**
 * Each tensor's elements as a whole storage for a fused kernel (a window where a tensor is part of
 * a larger storage), or null unless nothing records and all are dense, of one shape and dtype, and
 * disjoint in memory (the kernel reads and writes each element once, tensor by tensor).
 */
function denseStorages(be: Backend, tensors: readonly Tensor[]): Storage[] | null {
  const first = tensors[0];
  if (isRecording(tensors)) return null;
  const storages: Storage[] = [];
  for (const [i, t] of tensors.entries()) {
    if (t.dtype !== first.dtype || !sameShape(t.dims, first.dims)) return null;
    for (const u of tensors.slice(0, i)) if (mayOverlap(t.kernelView(), u.kernelView())) return null;
    const s = directTarget(be, t, []);
    if (s === null) return null;
    storages.push(s);
  }
  return storages;
}

/** One Adam or AdamW step on a parameter as one kernel, updating its state in place; false when not handled. */
export function adamStep(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor | null, c: AdamConstants): boolean {
  const written = maxExpAvgSq === null ? [param, expAvg, expAvgSq] : [param, expAvg, expAvgSq, maxExpAvgSq];
  const be = backendOf('adam', [grad, ...written]);
  if (be.adamStep === undefined) return false;
  const s = denseStorages(be, [grad, ...written]);
  if (s === null || !be.adamStep(s[1], s[0], s[2], s[3], s[4] ?? null, c)) return false;
  for (const t of written) t.storage.version++;
  return true;
}

/**
 * One step of SGD with momentum on a parameter as one kernel; the momentum buffer (made on the first
 * step, when `buffer` is null) is returned, or null when not handled.
 */
export function sgdStep(param: Tensor, grad: Tensor, buffer: Tensor | null, c: Omit<SGDConstants, 'first'>): Tensor | null {
  const be = backendOf('sgd', buffer === null ? [param, grad] : [param, grad, buffer]);
  if (be.sgdStep === undefined) return null;
  const buf = buffer ?? emptyTensor(be, param.dims, param.dtype);
  const s = denseStorages(be, [grad, param, buf]);
  if (s === null || !be.sgdStep(s[1], s[0], s[2], { ...c, first: buffer === null })) return null;
  param.storage.version++;
  if (buffer !== null) buffer.storage.version++;
  return buf;
}
