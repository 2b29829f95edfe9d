/**
 * Where in the user's .ts files something happened: V8's structured stack (CallSites, asked for
 * only for the moment of one capture) mapped through each file's transpile source map.
 */
import { originalPositionFor, TraceMap } from "@jridgewell/trace-mapping";
import type { SourceLocation } from "../../webview/protocol";

/** The source maps of the user's files, by the file name their code runs under. */
export class SourceMaps {
  private readonly maps = new Map<string, TraceMap>();

  add(file: string, map: TraceMap): void {
    this.maps.set(file, map);
  }

  isUserFile(file: string | null | undefined): file is string {
    return !!file && this.maps.has(file);
  }

  /** The .ts position of a generated 1-based line and column. */
  original(file: string, line: number, column: number): SourceLocation {
    const map = this.maps.get(file);
    const pos = map ? originalPositionFor(map, { line, column: Math.max(0, column - 1) }) : null;
    if (!pos || pos.line === null) return { file, line, column };
    return { file, line: pos.line, column: pos.column + 1 };
  }
}

/** The CallSites of the current stack (V8's structured form), without this function's frame. */
export function callSites(
  skip: (...args: never[]) => unknown = callSites,
  limit = 100,
): NodeJS.CallSite[] {
  const previous = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_error, sites) => sites;
  Error.stackTraceLimit = limit;
  try {
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, skip);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = previousLimit;
  }
}

/**
 * The innermost frame of the current stack in a user file: where the user's code called in.
 * A short stack is captured first (it is per op, so cheap matters); a deep one only if needed.
 */
export function userCallSite(maps: SourceMaps): SourceLocation | undefined {
  for (const limit of [16, 200]) {
    const sites = callSites(userCallSite, limit);
    for (const site of sites) {
      const file = site.getFileName();
      if (maps.isUserFile(file))
        return maps.original(file, site.getLineNumber() ?? 1, site.getColumnNumber() ?? 1);
    }
    if (sites.length < limit) break;
  }
  return undefined;
}

/** One frame of a thrown error's stack, as V8 reported it (generated positions). */
export interface RawFrame {
  file: string | null;
  functionName: string | null;
  line: number;
  column: number;
}

const FRAME = /^at (?:(.+?) \()?((?:[A-Za-z]:)?[^():]+):(\d+):(\d+)\)?$/;

/**
 * The frames of a thrown error, innermost first. Its stack is structured if nothing read it yet
 * (V8 formats `.stack` lazily); a stack already formatted is parsed as text.
 */
export function errorStack(error: unknown): RawFrame[] {
  if (!(error instanceof Error)) return [];
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  let stack: unknown;
  try {
    stack = error.stack;
  } finally {
    Error.prepareStackTrace = previous;
  }
  if (Array.isArray(stack)) {
    // Leave a readable `.stack` behind for anyone printing the error later.
    Object.defineProperty(error, "stack", {
      value: `${error.name}: ${error.message}`,
      configurable: true,
      writable: true,
    });
    return (stack as NodeJS.CallSite[]).map((s) => ({
      file: s.getFileName() ?? null,
      functionName: s.getFunctionName(),
      line: s.getLineNumber() ?? 1,
      column: s.getColumnNumber() ?? 1,
    }));
  }
  if (typeof stack !== "string") return [];
  const frames: RawFrame[] = [];
  for (const line of stack.split("\n").slice(1)) {
    const m = FRAME.exec(line.trim());
    if (m)
      frames.push({
        file: m[2],
        functionName: m[1] ?? null,
        line: Number(m[3]),
        column: Number(m[4]),
      });
  }
  return frames;
}

/** The frames of `frames` in user files, mapped to .ts positions. */
export function mapUserFrames(frames: readonly RawFrame[], maps: SourceMaps): SourceLocation[] {
  return frames.flatMap((f) =>
    maps.isUserFile(f.file) ? [maps.original(f.file, f.line, f.column)] : [],
  );
}
