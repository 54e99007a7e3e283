// test/opinfo/samples.ts — shared sample sets: same shape, broadcast, scalar, empty, non-contiguous.
import type { InputSpec, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });

/** Samples for a pointwise op of one input drawn from `range`. */
export function unarySamples(range: [number, number] = [-2, 2]): Sample[] {
  return [
    { name: 'scalar', inputs: [f([], { range })] },
    { name: 'vector', inputs: [f([7], { range })] },
    { name: 'matrix', inputs: [f([3, 4], { range })] },
    { name: 'transposed', inputs: [f([4, 3], { range, transposed: true })] },
    { name: 'empty', inputs: [f([0, 3], { range })] },
  ];
}

/** Samples for a pointwise op of two inputs drawn from `ra` and `rb`. */
export function binarySamples(ra: [number, number] = [-2, 2], rb: [number, number] = ra): Sample[] {
  return [
    { name: 'same', inputs: [f([3, 4], { range: ra }), f([3, 4], { range: rb })] },
    { name: 'broadcast_row', inputs: [f([3, 4], { range: ra }), f([4], { range: rb })] },
    { name: 'broadcast_both', inputs: [f([3, 1], { range: ra }), f([1, 4], { range: rb })] },
    { name: 'broadcast_rank', inputs: [f([2, 1, 3], { range: ra }), f([4, 3], { range: rb })] },
    { name: 'scalar_tensor', inputs: [f([2, 3], { range: ra }), f([], { range: rb })] },
    { name: 'transposed', inputs: [f([3, 5], { range: ra, transposed: true }), f([3, 5], { range: rb })] },
    { name: 'empty', inputs: [f([0, 4], { range: ra }), f([4], { range: rb })] },
  ];
}
