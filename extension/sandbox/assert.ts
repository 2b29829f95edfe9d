/**
 * `require("assert")` inside the sandbox: the common checks of Node's assert, written here
 * because Node's own module belongs to the worker's realm (it would hand model code Node).
 */
import { inspect } from "./format";

export class AssertionError extends Error {
  override name = "AssertionError";
  readonly code = "ERR_ASSERTION";
}

const show = (v: unknown): string => inspect(v, () => undefined, 2);

function fail(message: unknown, fallback: string): never {
  if (message instanceof Error) throw message;
  throw new AssertionError(typeof message === "string" ? message : fallback);
}

function deepEqual(a: unknown, b: unknown, strict: boolean): boolean {
  if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = a as unknown as ArrayLike<unknown>;
    const y = b as unknown as ArrayLike<unknown>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!deepEqual(x[i], y[i], strict)) return false;
    return true;
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k), strict)) return false;
    return true;
  }
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) &&
      deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], strict),
  );
}

function throwsCheck(fn: () => unknown, expected?: unknown, message?: unknown): void {
  try {
    fn();
  } catch (e) {
    if (expected === undefined || typeof expected === "string") return;
    if (expected instanceof RegExp) {
      if (expected.test(String(e instanceof Error ? e.message : e))) return;
      fail(message, `The error message does not match ${String(expected)}`);
    }
    if (typeof expected === "function") {
      if (e instanceof (expected as new () => object)) return;
      fail(message, `The error is not an instance of ${(expected as { name?: string }).name}`);
    }
    return;
  }
  fail(typeof expected === "string" ? expected : message, "Missing expected exception.");
}

function makeAssert(strict: boolean): object {
  const assert = (value: unknown, message?: unknown): void => {
    if (!value) fail(message, `The expression evaluated to a falsy value:\n\n  assert(${show(value)})\n`);
  };
  const eq = (a: unknown, b: unknown, loose: boolean): boolean => (loose ? a == b : Object.is(a, b));
  return Object.assign(assert, {
    AssertionError,
    ok: assert,
    fail: (message?: unknown) => fail(message, "Failed"),
    equal: (a: unknown, b: unknown, m?: unknown) => {
      if (!eq(a, b, !strict)) fail(m, `Expected values to be ${strict ? "strictly" : "loosely"} equal:\n\n${show(a)} !== ${show(b)}\n`);
    },
    notEqual: (a: unknown, b: unknown, m?: unknown) => {
      if (eq(a, b, !strict)) fail(m, `Expected "actual" to be ${strict ? "strictly" : "loosely"} unequal to: ${show(b)}`);
    },
    strictEqual: (a: unknown, b: unknown, m?: unknown) => {
      if (!Object.is(a, b)) fail(m, `Expected values to be strictly equal:\n\n${show(a)} !== ${show(b)}\n`);
    },
    notStrictEqual: (a: unknown, b: unknown, m?: unknown) => {
      if (Object.is(a, b)) fail(m, `Expected "actual" to be strictly unequal to: ${show(b)}`);
    },
    deepEqual: (a: unknown, b: unknown, m?: unknown) => {
      if (!deepEqual(a, b, strict)) fail(m, `Expected values to be ${strict ? "strictly " : "loosely "}deep-equal:\n\n${show(a)}\n\nshould equal\n\n${show(b)}`);
    },
    deepStrictEqual: (a: unknown, b: unknown, m?: unknown) => {
      if (!deepEqual(a, b, true)) fail(m, `Expected values to be strictly deep-equal:\n\n${show(a)}\n\nshould equal\n\n${show(b)}`);
    },
    notDeepStrictEqual: (a: unknown, b: unknown, m?: unknown) => {
      if (deepEqual(a, b, true)) fail(m, `Expected "actual" not to be strictly deep-equal to: ${show(b)}`);
    },
    throws: throwsCheck,
    match: (s: string, re: RegExp, m?: unknown) => {
      if (!re.test(s)) fail(m, `The input did not match the regular expression ${String(re)}. Input:\n\n${show(s)}\n`);
    },
  });
}

export const assertModule = makeAssert(false);
export const assertStrict = makeAssert(true);
(assertModule as { strict?: object }).strict = assertStrict;
