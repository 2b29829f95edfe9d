/**
 * Running Python source with the front end and comparing what it prints with what PyTorch
 * printed. Object addresses (`<AddBackward0 object at 0x7f…>`) differ per run in both, so
 * they are masked; a number may differ from PyTorch's in its last printed digit (float32
 * summation order), and nothing else may differ.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as assert from "node:assert/strict";
import { runPython, type PythonRun } from "../../../python/index";

export const PY_FIXTURES = path.resolve(__dirname, "../../../../test/fixtures/python");
export const EXAMPLES = path.resolve(__dirname, "../../../../examples");

/** A reference key's file: "examples/x.py" in examples/, the rest under test/fixtures/python. */
export function sourcePath(name: string): string {
  return name.startsWith("examples/") ? path.join(EXAMPLES, name.slice("examples/".length)) : path.join(PY_FIXTURES, name);
}
const TORCH_FIXTURES = path.resolve(__dirname, "../../../../test/fixtures/torch");

/** Runs `source`; returns what it printed and the run (its error, its globals). */
export function runAndCapture(source: string): { out: string; run: PythonRun } {
  let out = "";
  const run = runPython(source, { write: (s) => (out += s) });
  return { out, run };
}

/** Runs `source` and fails the test on a Python error; returns the printed text. */
export function printed(source: string): string {
  const { out, run } = runAndCapture(source);
  if (run.error) assert.fail(`${run.error.type}: ${run.error.message} (line ${run.error.line})\nprinted:\n${out}`);
  return out;
}

export interface PythonReference {
  torch: string;
  files: Record<string, { stdout: string; error: string | null }>;
}

export function loadPythonReference(): PythonReference {
  return JSON.parse(fs.readFileSync(path.join(TORCH_FIXTURES, "python_outputs.json"), "utf8")) as PythonReference;
}

const mask = (s: string): string => s.replace(/ at 0x[0-9a-f]+>/g, " at 0x…>");
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?,?$/;

/** Printed outputs equal token by token; numbers within one unit of their last printed digit. */
export function assertSamePrint(actual: string, expected: string, what: string): void {
  const got = mask(actual).split("\n");
  const want = mask(expected).split("\n");
  const context = () => `${what}:\n--- PyTorch\n${expected}\n--- Gradlens\n${actual}`;
  assert.equal(got.length, want.length, `line count ${got.length} != ${want.length} in ${context()}`);
  got.forEach((line, i) => {
    if (line === want[i]) return;
    const a = line.split(/(\s+)/);
    const b = want[i].split(/(\s+)/);
    const close =
      a.length === b.length &&
      a.every((tok, j) => {
        if (tok === b[j]) return true;
        if (!NUMBER.test(tok) || !NUMBER.test(b[j])) return false;
        const x = parseFloat(tok);
        const y = parseFloat(b[j]);
        const digits = (b[j].split(".")[1] ?? "").replace(/\D.*$/, "").length;
        return Math.abs(x - y) <= 1.01 * 10 ** -digits + 1e-6 * Math.abs(y);
      });
    assert.ok(close, `line ${i + 1}: ${JSON.stringify(line)} != ${JSON.stringify(want[i])} in ${context()}`);
  });
}

/** Runs fixture `name` (a path under test/fixtures/python) and compares with PyTorch's run of it. */
export function assertRunsLikePyTorch(name: string, reference: PythonReference): void {
  const expected = reference.files[name];
  const source = fs.readFileSync(sourcePath(name), "utf8");
  const { out, run } = runAndCapture(source);
  const error = run.error && `${run.error.type}: ${run.error.message} (line ${run.error.line})`;
  assert.equal(error, expected.error, `error of ${name}; printed:\n${out}`);
  assertSamePrint(out, expected.stdout, name);
}
