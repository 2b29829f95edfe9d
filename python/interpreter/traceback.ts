/**
 * The traceback of an error: each statement that lets an error through stamps it with its
 * frame's depth, line and function, once per frame (the innermost line of each).
 */

/** Where an error passed: [frame depth, line, function] triples, innermost first. */
type Stamped = { pyTrace?: [number, number, string][] };

/** Control flow is not an exception; engine errors, Python exceptions and RangeErrors (deep recursion) are. */
export function isCatchable(e: unknown): boolean {
  return e instanceof Error && !(e as { uncatchable?: boolean }).uncatchable;
}

export function stamp(e: unknown, depth: number, line: number, where: string): void {
  if (typeof e !== "object" || e === null) return;
  const s = e as Stamped;
  s.pyTrace ??= [];
  const last = s.pyTrace[s.pyTrace.length - 1];
  if (!last || last[0] !== depth) s.pyTrace.push([depth, line, where]);
}

/** The lines an error passed through, innermost first. */
export function tracebackLines(e: unknown): number[] {
  return ((e as Stamped)?.pyTrace ?? []).map(([, line]) => line);
}

/** The frames an error passed through, innermost first: the line and the function (`<module>` at the top). */
export function tracebackFrames(e: unknown): { line: number; name: string }[] {
  return ((e as Stamped)?.pyTrace ?? []).map(([, line, name]) => ({ line, name }));
}
