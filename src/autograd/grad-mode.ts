// src/autograd/grad-mode.ts — whether ops record the graph (torch.no_grad / enable_grad).

let enabled = true;

/** Whether autograd records ops now. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** torch.set_grad_enabled. */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}

function withMode<T>(mode: boolean, fn: () => T): T {
  const previous = enabled;
  enabled = mode;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** Runs fn without recording the graph and returns its value, like `with torch.no_grad():`. */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/** Runs fn with recording on, even inside noGrad, like `with torch.enable_grad():`. */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}
