// src/core/errors.ts — error classes named after the Python exceptions PyTorch raises.

/** Base class of every error kindling throws on bad input. */
export class KindlingError extends Error {
  override name = 'KindlingError';
}

/** PyTorch's RuntimeError: shape mismatches, autograd misuse, dtype mismatches. */
export class RuntimeError extends KindlingError {
  override name = 'RuntimeError';
}

/**
 * A tensor whose storage cannot be allocated (PyTorch's RuntimeError from its CPU allocator). Raised
 * where memory is allocated, which does not know the op; the op that asked for it adds its name
 * with `forOp` (see defineOp), so the message starts with the op as every other error's does.
 */
export class AllocationError extends RuntimeError {
  constructor(readonly detail: string, readonly op: string | null = null) {
    super(op === null ? detail : `${op}: ${detail}`);
  }
  /** PyTorch's DefaultCPUAllocator message for a request the system refused. */
  static outOfMemory(bytes: number): AllocationError {
    return new AllocationError(`DefaultCPUAllocator: not enough memory: you tried to allocate ${bytes} bytes.`);
  }
  /** This error with the op's name in front, unless it already names one. */
  forOp(op: string): AllocationError {
    return this.op === null ? new AllocationError(this.detail, op) : this;
  }
}

/** PyTorch's IndexError: dimension or index out of range. */
export class IndexError extends KindlingError {
  override name = 'IndexError';
}

/** PyTorch's ValueError: a bad argument value. */
export class ValueError extends KindlingError {
  override name = 'ValueError';
}

/** PyTorch's TypeError: an argument of the wrong kind. */
export class ArgumentTypeError extends KindlingError {
  override name = 'TypeError';
}

/** PyTorch's AssertionError, as raised by the nn criterions for a target requiring grad. */
export class AssertionError extends KindlingError {
  override name = 'AssertionError';
}

/** PyTorch's NotImplementedError, for a device or feature kindling does not have. */
export class NotImplementedError extends KindlingError {
  override name = 'NotImplementedError';
}

/** Throws a RuntimeError with `message` unless `cond` holds. */
export function check(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new RuntimeError(message());
}

/**
 * Whether `value` is one of `allowed`. Public options are typed as their allowed strings, but
 * untyped JavaScript callers can pass anything, so user-facing checks compare through `unknown`.
 */
export function isOneOf<T>(value: unknown, allowed: readonly T[]): value is T {
  return allowed.some((a) => a === value);
}

/**
 * The constructor name that error messages report for `x`, as `x?.constructor?.name` reads it:
 * undefined for null and undefined, and for objects without a prototype (Object.create(null)),
 * which the `object` type wrongly claims have a constructor.
 */
export function constructorName(x: unknown): string | undefined {
  return (x as { constructor?: { name: string } } | null | undefined)?.constructor?.name;
}
