/**
 * A limit on typed-array memory in the worker. V8's heap limit (`resourceLimits`) does not cover
 * ArrayBuffers, and tensors live in Float32Arrays: `torch.zeros(1e6, 1e4)` would otherwise take
 * the machine's memory down with it. The typed-array constructors the engine uses are replaced
 * by subclasses that check each allocation against the limit first (installed before the engine
 * loads, so every tensor goes through them), and so are Buffer's allocators (the engine takes
 * large outputs from Buffer.allocUnsafeSlow, which skips the zero fill).
 */
import * as v8 from "v8";
import * as vm from "vm";

/** Thrown instead of allocating past the limit; the runner reports it as a "memory" error. */
export class MemoryLimitError extends Error {
  override name = "MemoryLimitError";
  readonly gradlensMemoryLimit = true;
}

export function isMemoryLimitError(e: unknown): e is MemoryLimitError {
  return (
    !!e &&
    typeof e === "object" &&
    (e as { gradlensMemoryLimit?: unknown }).gradlensMemoryLimit === true
  );
}

/** Allocations below this size are only counted, not checked one by one. */
const SMALL = 1 << 20;

let limitBytes = Infinity;
let sinceCheck = 0;
let collect: (() => void) | null | undefined;

/** A full collection, so that dead tensors do not count against the limit (V8's `gc`). */
function gc(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      collect = vm.runInNewContext("gc") as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

const mb = (bytes: number): string => `${Math.ceil(bytes / (1 << 20))} MB`;

function check(bytes: number): void {
  if (!(bytes > 0) || limitBytes === Infinity) return;
  sinceCheck += bytes;
  if (bytes < SMALL && sinceCheck < 16 * SMALL) return;
  sinceCheck = 0;
  const over = (): boolean => process.memoryUsage().arrayBuffers + bytes > limitBytes;
  if (bytes > limitBytes || (over() && (gc(), over()))) {
    throw new MemoryLimitError(
      `Gradlens stopped the run: it asked for ${mb(bytes)} of tensor memory with ` +
        `${mb(process.memoryUsage().arrayBuffers)} in use, over the limit of ${mb(limitBytes)} (gradlens.memoryLimitMb)`,
    );
  }
}

/** Bytes a typed-array constructor call would allocate (none for a view on a buffer). */
function bytesOf(arg: unknown, perElement: number): number {
  if (typeof arg === "number") return arg * perElement;
  if (
    arg instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== "undefined" && arg instanceof SharedArrayBuffer)
  )
    return 0;
  const length = (arg as { length?: unknown } | null)?.length;
  return typeof length === "number" ? length * perElement : 0;
}

const GUARDED = [
  "Float32Array",
  "Float64Array",
  "Int32Array",
  "Uint32Array",
  "Int16Array",
  "Uint16Array",
  "Int8Array",
] as const;

let installed = false;

/** Puts the guard in place (once per worker) with a limit in MB. */
export function installMemoryGuard(limitMb: number): void {
  limitBytes = limitMb * (1 << 20);
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of GUARDED) {
    const Original = g[name] as { new (...args: unknown[]): object; BYTES_PER_ELEMENT: number };
    const Guarded = class extends Original {
      constructor(...args: unknown[]) {
        check(bytesOf(args[0], Original.BYTES_PER_ELEMENT));
        super(...args);
      }
    };
    Object.defineProperty(Guarded, "name", { value: name });
    g[name] = Guarded;
  }
  const buffers = Buffer as unknown as Record<string, (size: number, ...rest: unknown[]) => Buffer>;
  for (const name of ["alloc", "allocUnsafe", "allocUnsafeSlow"]) {
    const original = buffers[name];
    buffers[name] = function (this: unknown, size: number, ...rest: unknown[]) {
      check(size);
      return original.call(this, size, ...rest);
    };
  }
}
