// src/ops/einsum.ts — torch.einsum: repeated subscripts become diagonals, subscripts used once are summed
// first, then operands contract left to right, each pair as one batched matrix product (as PyTorch's
// sumproduct_pair does).
import { RuntimeError } from '../core/errors.js';
import { numelOf } from '../core/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { expandTo } from './define.js';
import { diagonal } from './diagonal.js';
import { bmm } from './linalg.js';
import { sum } from './reduce.js';
import { permute, reshape } from './views.js';

/** A tensor with one label per dim: a letter, or '.k' for the k-th dim counted from the ellipsis' end. */
interface Term {
  t: Tensor;
  labels: string[];
}

/** The letters of a subscript string (ASCII only: parseTerm has checked). */
const chars = (s: string): string[] => Array.from(s);

const fail = (message: string): never => {
  throw new RuntimeError(`einsum(): ${message}`);
};

/** The labels of one subscript string for an operand of `ndim` dims. */
function parseTerm(term: string, ndim: number | null, operand: number, at: number): { labels: string[]; ellipsis: boolean } {
  const parts = term.split('...');
  if (parts.length > 2) fail(`found more than one '...' in subscript ${term}`);
  parts.forEach((p, k) => {
    for (let i = 0; i < p.length; i++) {
      if (!/[a-zA-Z]/.test(p[i])) {
        const index = at + (k === 0 ? i : parts[0].length + 3 + i);
        fail(`invalid subscript given at index ${index} in the equation string, subscripts must be in [a-zA-Z]`);
      }
    }
  });
  const letters = parts.join('').length, ellipsis = parts.length === 2;
  if (ndim === null) return { labels: chars(parts.join('')), ellipsis };
  if (!ellipsis && letters !== ndim) {
    fail(`the number of subscripts in the equation (${letters}) does not match the number of dimensions (${ndim}) for operand ${operand} and no ellipsis was given`);
  }
  if (ellipsis && letters > ndim) {
    fail(`the number of subscripts in the equation (${letters}) is more than the number of dimensions (${ndim}) for operand ${operand}`);
  }
  const count = ndim - letters, dots = Array.from({ length: count }, (_, k) => `.${count - 1 - k}`);
  return { labels: ellipsis ? [...chars(parts[0]), ...dots, ...chars(parts[1])] : chars(parts[0]), ellipsis };
}

/** Takes the diagonal of every label repeated within one operand. */
function distinct({ t, labels }: Term): Term {
  for (let i = 0; i < labels.length; i++) {
    const j = labels.indexOf(labels[i], i + 1);
    if (j >= 0) return distinct({ t: diagonal(t, 0, i, j), labels: [...labels.filter((_, k) => k !== i && k !== j), labels[i]] });
  }
  return { t, labels };
}

/** Sums away the labels of `term` not in `keep`. */
function sumAway(term: Term, keep: ReadonlySet<string>): Term {
  const axes = term.labels.flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (axes.length === 0) return term;
  return { t: sum(term.t, axes), labels: term.labels.filter((l) => keep.has(l)) };
}

/** `term` permuted to `order` (labels it lacks become size-1 dims) and expanded to `sizes`. */
function arrange(term: Term, order: readonly string[], sizes: ReadonlyMap<string, number>): Tensor {
  const present = order.filter((l) => term.labels.includes(l));
  const p = permute(term.t, present.map((l) => term.labels.indexOf(l)));
  const shape = order.map((l) => (term.labels.includes(l) ? term.t.dims[term.labels.indexOf(l)] : 1));
  return expandTo(reshape(p, shape), order.map((l) => sizes.get(l) ?? 1));
}

/** a·b summed over the labels neither keeps, as [B, M, K] @ [B, K, N]. */
function contract(a: Term, b: Term, keep: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): Term {
  const batch = a.labels.filter((l) => b.labels.includes(l) && keep.has(l));
  const summed = a.labels.filter((l) => b.labels.includes(l) && !keep.has(l));
  const left = a.labels.filter((l) => !b.labels.includes(l)), right = b.labels.filter((l) => !a.labels.includes(l));
  const size = (ls: string[]) => numelOf(ls.map((l) => sizes.get(l) ?? 1));
  const x = reshape(arrange(a, [...batch, ...left, ...summed], sizes), [size(batch), size(left), size(summed)]);
  const y = reshape(arrange(b, [...batch, ...summed, ...right], sizes), [size(batch), size(summed), size(right)]);
  const labels = [...batch, ...left, ...right];
  return { t: reshape(bmm(x, y), labels.map((l) => sizes.get(l) ?? 1)), labels };
}

/**
 * Sums products of the operands' elements over the subscripts that the output omits (torch.einsum), with
 * '...' for broadcast dims and the output implied (subscripts used once, in alphabetical order) without '->'.
 * @example torch.einsum('ij,jk->ik', a, b) // a.matmul(b)
 */
export function einsum(equation: string, ...args: Tensor[] | [readonly Tensor[]]): Tensor {
  const operands: readonly Tensor[] = args.length === 1 && !(args[0] instanceof Tensor) ? args[0] : (args as Tensor[]);
  const eq = equation.replace(/ /g, '');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, null];
  const inputs = lhs.split(',');
  if (inputs.length > operands.length) fail('fewer operands were provided than specified in the equation');
  if (inputs.length < operands.length) fail('more operands were provided than specified in the equation');
  let at = 0, rank = 0;
  const terms = inputs.map((s, i) => {
    const { labels } = parseTerm(s, operands[i].dims.length, i, at);
    at += s.length + 1;
    rank = Math.max(rank, labels.filter((l) => l.startsWith('.')).length);
    return distinct({ t: operands[i], labels });
  });
  const sizes = new Map<string, number>();
  terms.forEach(({ t, labels }, i) => { labels.forEach((l, d) => {
    const n = t.dims[d], seen = sizes.get(l);
    if (seen !== undefined && seen !== n && seen !== 1 && n !== 1) {
      fail(`subscript ${l.startsWith('.') ? '...' : l} has size ${n} for operand ${i} which does not broadcast with previously seen size ${seen}`);
    }
    if (seen === undefined || seen === 1) sizes.set(l, n);
  }); });
  const output = outputLabels(rhs, lhs, terms, rank);
  const result = terms.slice(1).reduce((acc, term, i) => {
    const later = new Set([...output, ...terms.slice(i + 2).flatMap((u) => u.labels)]);
    return contract(sumAway(acc, new Set([...later, ...term.labels])), sumAway(term, new Set([...later, ...acc.labels])), later, sizes);
  }, sumAway(terms[0], new Set([...output, ...terms.slice(1).flatMap((u) => u.labels)])));
  return arrange(sumAway(result, new Set(output)), output, sizes);
}

/** The output's labels: given after '->', or the ellipsis' dims then the letters used once, sorted. */
function outputLabels(rhs: string | null, lhs: string, terms: readonly Term[], rank: number): string[] {
  const dots = Array.from({ length: rank }, (_, k) => `.${rank - 1 - k}`);
  const all = terms.flatMap((u) => u.labels);
  if (rhs === null) {
    // Counted in the equation itself: a subscript repeated within one operand (a diagonal) is summed too.
    const letters = chars(lhs.replace(/[^a-zA-Z]/g, ''));
    return [...dots, ...[...new Set(letters)].filter((l) => letters.indexOf(l) === letters.lastIndexOf(l)).sort()];
  }
  const { labels } = parseTerm(rhs, null, 0, 0);
  const parts = rhs.split('...');
  const out = parts.length === 2 ? [...chars(parts[0]), ...dots, ...chars(parts[1])] : labels;
  out.forEach((l, i) => {
    if (out.indexOf(l) !== i) fail(`output subscript ${l} appears more than once in the output`);
    if (!l.startsWith('.') && !all.includes(l)) fail(`output subscript ${l} does not appear in the equation for any input operand`);
  });
  return out;
}
