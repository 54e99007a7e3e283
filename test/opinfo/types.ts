// test/opinfo/types.ts — the op database's entry type: one entry per op, tests are generated.
import type { DType, Tensor } from 'kindling';

/** How one input of a sample is made (deterministic values from the sample's seed). */
export interface InputSpec {
  shape: number[];
  /** 'float' follows the entry's dtype under test; others are fixed (index tensors, masks). */
  kind?: 'float' | 'int64' | 'bool';
  /** Values are drawn uniformly from [lo, hi) (integers for int64). */
  range?: [number, number];
  /** Stored with the last two dims swapped, then viewed transposed: a non-contiguous input. */
  transposed?: boolean;
  /** Whether gradients are checked for this input (float inputs only; default true). */
  grad?: boolean;
}

export interface Sample {
  name: string;
  inputs: InputSpec[];
}

export interface ErrorCase {
  name: string;
  run: () => unknown;
  match: RegExp;
}

export interface OpInfo {
  /** Unique key, e.g. 'add' or 'sum.dim_keepdim'. */
  name: string;
  /** The kindling call on the sample's inputs. */
  call: (...inputs: Tensor[]) => Tensor;
  /** The same call in PyTorch, with inputs named a, b, c, d: e.g. 'torch.sum(a, 1, keepdim=True)'. */
  py: string;
  samples: Sample[];
  /** dtypes to run the float inputs in (default ['float32', 'float64']). */
  dtypes?: DType[];
  /** Whether gradients are checked against PyTorch and by gradcheck (default true). */
  differentiable?: boolean;
  /** Skip gradcheck for samples larger than this many input elements (default 64). */
  gradcheckMaxNumel?: number;
  /** Comparison tolerance for float32 (default 1e-5 relative, 1e-6 absolute). */
  atol?: number;
  rtol?: number;
  errors?: ErrorCase[];
}
