/**
 * The `console` and `process` user code sees, made inside the sandbox: printing is captured
 * into the run's logs (capped, so that a print in an endless loop cannot flood the editor), and
 * `process` is a small stand-in without exit, stdin, the environment or anything of Node's.
 */
import { formatArgs } from "./format";

export const MAX_LOG_LINES = 1000;
export const MAX_LOG_CHARS = 200_000;

export class LogCapture {
  readonly lines: string[] = [];
  private chars = 0;
  private dropped = 0;

  /**
   * @param show how to print a value that is not a string (tensors print like PyTorch)
   * @param onLine told of each line kept, to stream logs out of a run that may be stopped
   */
  constructor(
    private readonly show: (value: unknown) => string | undefined,
    private readonly onLine?: (line: string) => void,
  ) {}

  private add(prefix: string, args: unknown[]): void {
    if (this.lines.length >= MAX_LOG_LINES || this.chars >= MAX_LOG_CHARS) {
      this.dropped++;
      return;
    }
    const line = prefix + formatArgs(args, this.show);
    this.lines.push(line);
    this.chars += line.length;
    this.onLine?.(line);
  }

  /** The last line, once the run is over, when lines were dropped. */
  finish(): void {
    if (this.dropped > 0) {
      const line = `… ${this.dropped} more lines not shown (Gradlens keeps the first ${MAX_LOG_LINES})`;
      this.lines.push(line);
      this.onLine?.(line);
    }
  }

  /** A console whose every method prints into the logs. */
  console(): Record<string, (...args: unknown[]) => void> {
    const log = (...a: unknown[]): void => this.add("", a);
    const timers = new Map<string, number>();
    return {
      log,
      info: log,
      debug: log,
      trace: log,
      dir: (v: unknown) => this.add("", [v]),
      table: (v: unknown) => this.add("", [v]),
      warn: (...a: unknown[]) => this.add("warning: ", a),
      error: (...a: unknown[]) => this.add("error: ", a),
      assert: (ok: unknown, ...a: unknown[]) =>
        ok ? undefined : this.add("Assertion failed: ", a),
      time: (label = "default") => void timers.set(String(label), performance.now()),
      timeEnd: (label = "default") => {
        const start = timers.get(String(label));
        if (start !== undefined)
          this.add("", [`${label}: ${(performance.now() - start).toFixed(3)}ms`]);
      },
      group: log,
      groupEnd: () => undefined,
    };
  }
}

/** What the `process` stand-in reports of the run. */
export interface ProcessInfo {
  file: string;
  dir: string;
  platform: string;
  version: string;
  now(): number;
  memoryUsage(): number;
}

/** A `process` with the harmless parts only, every function of it made in the sandbox. */
export function sandboxProcess(info: ProcessInfo, print: (text: string) => void): object {
  const write = (chunk: unknown): boolean => {
    print(String(chunk).replace(/\n$/, ""));
    return true;
  };
  const hrtime = (previous?: [number, number]): [number, number] => {
    const ns = Math.round(info.now() * 1e6);
    const t: [number, number] = [Math.floor(ns / 1e9), ns % 1e9];
    if (!previous) return t;
    const d = (t[0] - previous[0]) * 1e9 + (t[1] - previous[1]);
    return [Math.floor(d / 1e9), d % 1e9];
  };
  hrtime.bigint = (): bigint => BigInt(Math.round(info.now() * 1e6));
  const arrayBuffers = info.memoryUsage;
  return Object.freeze({
    env: {},
    argv: ["node", info.file],
    platform: info.platform,
    version: info.version,
    versions: Object.freeze({ node: info.version.replace(/^v/, "") }),
    nextTick: (fn: (...args: unknown[]) => void, ...args: unknown[]) =>
      void Promise.resolve().then(() => fn(...args)),
    hrtime,
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: arrayBuffers() }),
    cwd: () => info.dir,
    exit: () => {
      throw new Error("process.exit() is not available in model files");
    },
    stdout: { write },
    stderr: { write },
  });
}
