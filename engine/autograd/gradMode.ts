/** Whether ops record a graph: PyTorch's grad mode (`torch.no_grad()`, `torch.is_grad_enabled()`). */

let enabled = true;

/** True unless inside `noGrad` (PyTorch's `torch.is_grad_enabled()`). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Sets grad mode and returns the previous value; prefer `noGrad`/`enableGrad`. */
export function setGradEnabled(value: boolean): boolean {
  const previous = enabled;
  enabled = value;
  return previous;
}

/**
 * Runs `fn` with graph recording off and returns its result, like `with torch.no_grad():`.
 * @example const y = torch.noGrad(() => w.mul(x));   // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  const previous = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(previous);
  }
}

/** Runs `fn` with graph recording on (PyTorch's `torch.enable_grad()`). */
export function enableGrad<T>(fn: () => T): T {
  const previous = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(previous);
  }
}
