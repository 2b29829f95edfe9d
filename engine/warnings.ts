/** Python's `warnings.warn` for the engine: a line on the console where there is one. */
export function warn(message: string): void {
  // the engine has no console type (it also runs in workers and the sandbox)
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(message);
}
