// src/tensor/print.ts — tensor printing: a port of PyTorch 1.13's torch/_tensor_str.py rules.
import { type DataArray, type DType, getDefaultDtype, isFloating } from '../core/dtype.js';
import { deviceName } from './device.js';
import { Tensor } from './tensor.js';

/** The options of torch.set_printoptions, spelled in camelCase. */
export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sciMode: boolean | null;
}

const DEFAULTS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sciMode: null };
const PROFILES: Record<'default' | 'short' | 'full', Omit<PrintOptions, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};

let printOpts: PrintOptions = { ...DEFAULTS };

/**
 * torch.set_printoptions. As in PyTorch, sciMode is reset to null (automatic) whenever it is
 * not given, and the profile is applied before the individual options.
 */
export function setPrintoptions(opts: Partial<PrintOptions> & { profile?: 'default' | 'short' | 'full' }): void {
  const next: PrintOptions = { ...printOpts };
  if (opts.profile !== undefined) Object.assign(next, PROFILES[opts.profile]);
  if (opts.precision !== undefined) next.precision = opts.precision;
  if (opts.threshold !== undefined) next.threshold = opts.threshold;
  if (opts.edgeitems !== undefined) next.edgeitems = opts.edgeitems;
  if (opts.linewidth !== undefined) next.linewidth = opts.linewidth;
  next.sciMode = opts.sciMode ?? null;
  printOpts = next;
}

/** The current print options (a copy). */
export function getPrintoptions(): PrintOptions {
  return { ...printOpts };
}

// ---------------------------------------------------------------------------------------------
// Number formatting. Python's '{:.Nf}' and '{:.Ne}' round the exact binary value half-to-even;
// JS's toFixed/toExponential break exact ties upwards (0.03125 -> '0.0313', Python '0.0312') and
// toFixed switches to exponent form past 1e21, so the digits are computed exactly with BigInt.

const F64 = new DataView(new ArrayBuffer(8));

/** |x| as num/den with den a power of two (x finite). */
function toRational(x: number): [bigint, bigint] {
  F64.setFloat64(0, Math.abs(x));
  const hi = F64.getUint32(0);
  const lo = F64.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = -1074;
  if (expBits !== 0) {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  return e >= 0 ? [mant << BigInt(e), 1n] : [mant, 1n << BigInt(-e)];
}

/** num/den rounded half to even. */
function roundDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num - q * den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

function nonFiniteStr(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

// Python keeps the sign of negative values that round to zero and of -0.0.
function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Python's '{:.<p>f}'.format(x). */
export function formatFixed(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFiniteStr(x);
  const [num, den] = toRational(x);
  const digits = roundDiv(num * 10n ** BigInt(p), den).toString();
  if (p === 0) return signOf(x) + digits;
  const padded = digits.padStart(p + 1, '0');
  return `${signOf(x)}${padded.slice(0, -p)}.${padded.slice(-p)}`;
}

/** Python's '{:.<p>e}'.format(x): at least two exponent digits, always signed. */
export function formatExp(x: number, p: number): string {
  if (!Number.isFinite(x)) return nonFiniteStr(x);
  let digits = '0'.repeat(p + 1);
  let e = 0;
  if (x !== 0) {
    const [num, den] = toRational(x);
    const lo = 10n ** BigInt(p);
    const hi = lo * 10n;
    e = Math.floor(Math.log10(Math.abs(x)));
    for (;;) {
      const shift = p - e;
      const q = shift >= 0 ? roundDiv(num * 10n ** BigInt(shift), den) : roundDiv(num, den * 10n ** BigInt(-shift));
      if (q >= hi) e += 1;
      else if (q < lo) e -= 1;
      else {
        digits = q.toString();
        break;
      }
    }
  }
  const mantissa = p > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exp = `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return `${signOf(x)}${mantissa}e${exp}`;
}

/** Python's str() of an integer or bool element; int64 past 2^53 prints all its digits. */
function intStr(v: number, dtype: DType): string {
  if (dtype === 'bool') return v !== 0 ? 'True' : 'False';
  return Number.isSafeInteger(v) ? String(v) : BigInt(v).toString();
}

// ---------------------------------------------------------------------------------------------
// The _Formatter: one width and one notation for every element of the tensor.

interface Formatter {
  readonly dtype: DType;
  readonly floating: boolean;
  readonly intMode: boolean;
  readonly sciMode: boolean;
  readonly maxWidth: number;
  readonly precision: number;
}

/** Port of _Formatter.__init__ over the (summarized) elements. */
function makeFormatter(values: ArrayLike<number>, dtype: DType, opts: PrintOptions): Formatter {
  const base = { dtype, floating: isFloating(dtype), precision: opts.precision };
  if (!base.floating) {
    let width = 1;
    for (let i = 0; i < values.length; i++) width = Math.max(width, intStr(values[i], dtype).length);
    return { ...base, intMode: true, sciMode: false, maxWidth: width };
  }
  const vals: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && v !== 0) vals.push(v);
  }
  // PyTorch returns before applying the sci_mode option when nothing is finite and non-zero.
  if (vals.length === 0) return { ...base, intMode: true, sciMode: false, maxWidth: 1 };
  let min = Infinity;
  let max = 0;
  for (const v of vals) {
    min = Math.min(min, Math.abs(v));
    max = Math.max(max, Math.abs(v));
  }
  const intMode = vals.every((v) => v === Math.ceil(v));
  const sci = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
  let width = 1;
  for (const v of vals) {
    const s = sci ? formatExp(v, opts.precision) : intMode ? formatFixed(v, 0) + '.' : formatFixed(v, opts.precision);
    width = Math.max(width, s.length);
  }
  return { ...base, intMode, sciMode: opts.sciMode ?? sci, maxWidth: width };
}

/** Port of _Formatter.format: the element's text, right-aligned to the common width. */
function formatValue(f: Formatter, v: number): string {
  let s: string;
  if (!f.floating) s = intStr(v, f.dtype);
  else if (f.sciMode) s = formatExp(v, f.precision);
  else if (f.intMode) s = formatFixed(v, 0) + (Number.isFinite(v) ? '.' : '');
  else s = formatFixed(v, f.precision);
  return s.padStart(f.maxWidth);
}

// ---------------------------------------------------------------------------------------------
// Layout of the nested brackets over the row-major elements.

interface Layout {
  readonly flat: ArrayLike<number>;
  readonly dims: readonly number[];
  readonly strides: readonly number[];
  readonly summarize: boolean;
  readonly opts: PrintOptions;
}

/** The indices along a dim that are shown; null marks the '...' slot. */
function shownIndices(n: number, summarize: boolean, edge: number, innermost: boolean): (number | null)[] {
  const all = (from: number): number[] => Array.from({ length: n - from }, (_, i) => from + i);
  if (!summarize || n <= 2 * edge) return all(0);
  const head = all(0).slice(0, edge);
  // Python's self[-0:] is the whole dim, while range(n - 0, n) is empty.
  const tail = innermost && edge === 0 ? all(0) : all(n - edge);
  return [...head, null, ...tail];
}

/** Port of get_summarized_data: the elements the formatter sees. */
function summarizedValues(l: Layout): number[] {
  const out: number[] = [];
  const walk = (d: number, offset: number): void => {
    if (d === l.dims.length) {
      out.push(l.flat[offset]);
      return;
    }
    const innermost = d === l.dims.length - 1;
    for (const i of shownIndices(l.dims[d], true, l.opts.edgeitems, innermost)) {
      if (i !== null) walk(d + 1, offset + i * l.strides[d]);
    }
  };
  walk(0, 0);
  return out;
}

/** Port of _vector_str: one bracketed row, wrapped to the line width. */
function vectorStr(l: Layout, f: Formatter, offset: number, indent: number): string {
  const d = l.dims.length - 1;
  const elementLength = f.maxWidth + 2;
  const perLine = Math.max(1, Math.floor((l.opts.linewidth - indent) / elementLength));
  const data = shownIndices(l.dims[d], l.summarize, l.opts.edgeitems, true).map((i) =>
    i === null ? ' ...' : formatValue(f, l.flat[offset + i * l.strides[d]]),
  );
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(', '));
  return '[' + lines.join(',\n' + ' '.repeat(indent + 1)) + ']';
}

/** Port of _tensor_str_with_formatter from dim `d` down. */
function tensorStrFrom(l: Layout, f: Formatter, d: number, offset: number, indent: number): string {
  const rank = l.dims.length - d;
  if (rank === 0) return formatValue(f, l.flat[offset]);
  if (rank === 1) return vectorStr(l, f, offset, indent);
  const slices = shownIndices(l.dims[d], l.summarize, l.opts.edgeitems, false).map((i) =>
    i === null ? '...' : tensorStrFrom(l, f, d + 1, offset + i * l.strides[d], indent + 1),
  );
  return '[' + slices.join(',' + '\n'.repeat(rank - 1) + ' '.repeat(indent + 1)) + ']';
}

/** Port of _tensor_str for a non-empty tensor whose row-major elements are `flat`. */
function tensorStr(t: Tensor, flat: DataArray, indent: number, opts: PrintOptions): string {
  const dims = t.dims;
  const strides: number[] = new Array<number>(dims.length);
  let acc = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= dims[d];
  }
  const summarize = t.numel() > opts.threshold;
  const layout: Layout = { flat, dims, strides, summarize, opts };
  const f = makeFormatter(summarize ? summarizedValues(layout) : layout.flat, t.dtype, opts);
  return tensorStrFrom(layout, f, 0, 0, indent);
}

/** Port of _add_suffixes, including its count of the last line's length. */
function addSuffixes(tensorStr: string, suffixes: readonly string[], indent: number, linewidth: number): string {
  const parts = [tensorStr];
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > linewidth) {
      parts.push(',\n' + ' '.repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(', ' + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(')');
  return parts.join('');
}

function sizeTuple(dims: readonly number[]): string {
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/**
 * What PyTorch's repr(t) / print(t) shows, e.g. "tensor([[ 0.8008, -0.2586]], requires_grad=True)".
 * `prefix` replaces "tensor(" (the indent follows its length); `suffixes` go after PyTorch's own.
 * `values` are the elements in row-major order, read on the CPU when not given; a device tensor
 * without them prints as a placeholder (printing never throws: see devicePlaceholder).
 */
export function formatTensor(t: Tensor, opts: { prefix?: string; suffixes?: string[]; values?: DataArray } = {}): string {
  const po = printOpts;
  const prefix = opts.prefix ?? 'tensor(';
  const indent = prefix.length;
  const device = t.storage.device;
  if (device !== 'cpu' && opts.values === undefined) return devicePlaceholder(t, prefix, opts.suffixes ?? []);
  // Where PyTorch puts device='cuda:0': first, right after the values.
  const suffixes: string[] = device === 'cpu' ? [] : [`device='${deviceName(device)}'`];
  const dtype = t.dtype;
  let body: string;
  if (t.numel() === 0) {
    // Empty tensors show their shape unless it is (0,), and any dtype but the default float.
    if (t.dims.length !== 1) suffixes.push('size=' + sizeTuple(t.dims));
    if (dtype !== getDefaultDtype()) suffixes.push(`dtype=torch.${dtype}`);
    body = '[]';
  } else {
    if (dtype !== getDefaultDtype() && dtype !== 'int64' && dtype !== 'bool') suffixes.push(`dtype=torch.${dtype}`);
    body = tensorStr(t, opts.values ?? t.toArray(), indent, po);
  }
  suffixes.push(...autogradSuffixes(t), ...(opts.suffixes ?? []));
  return addSuffixes(prefix + body, suffixes, indent, po.linewidth);
}

function autogradSuffixes(t: Tensor): string[] {
  if (t.gradFn !== null) return [`grad_fn=<${t.gradFn.name}>`];
  return t.requiresGrad ? ['requires_grad=True'] : [];
}

/**
 * A device tensor printed without reading it, as PyTorch prints a meta tensor (`...`, then device,
 * size and dtype), followed by how to get the values: device memory is read asynchronously only.
 */
function devicePlaceholder(t: Tensor, prefix: string, extra: readonly string[]): string {
  const suffixes = [`device='${deviceName(t.storage.device)}'`, `size=${sizeTuple(t.dims)}`, `dtype=torch.${t.dtype}`];
  suffixes.push(...autogradSuffixes(t), ...extra);
  return `${addSuffixes(prefix + '...', suffixes, prefix.length, printOpts.linewidth)} // values: await x.toStringAsync()`;
}

declare module './tensor.js' {
  interface Tensor {
    /** The PyTorch repr of the tensor (after installPrinting()); a device tensor's values are not shown. */
    toString(): string;
    /** The PyTorch repr with the values, on every device: `, device='webgpu:0'` follows a device tensor's values. */
    toStringAsync(): Promise<string>;
  }
}

/** Makes String(t) and console.log(t) show PyTorch's repr; called once by the composition root. */
export function installPrinting(): void {
  Tensor.prototype.toString = function toString(this: Tensor): string {
    return formatTensor(this);
  };
  Tensor.prototype.toStringAsync = async function toStringAsync(this: Tensor): Promise<string> {
    return formatTensor(this, { values: await this.data() });
  };
  // The symbol Node's util.inspect looks up; Symbol.for keeps this free of a node:util import.
  const proto = Tensor.prototype as unknown as Record<symbol, unknown>;
  proto[Symbol.for('nodejs.util.inspect.custom')] = function inspect(this: Tensor): string {
    return formatTensor(this);
  };
}
