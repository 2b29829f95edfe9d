/**
 * The extension reads failures as data (RunError.failure, the engine errors' `reason`): no regular
 * expression over an error's message or a stack frame's function name is left in extension/, so
 * rewording a PyTorch message or renaming an engine helper breaks nothing.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const EXTENSION = path.resolve(__dirname, "../../../../extension");

/** A regex applied to a message or a frame's function name, over one or more lines. */
const PARSES = [
  /\.(?:exec|test|match|matchAll)\([^);]*\b(?:message|functionName)\b/g,
  /\b(?:message|functionName)\)?\s*\.(?:match|matchAll|search|replace)\(\s*\//g,
  /new RegExp\([^;]*\bmessage\b/g,
];

/**
 * Messages read on purpose, neither of them the engine's: V8's own RangeError text for a typed
 * array it could not allocate (reported as the memory limit), and the sandbox's `assert.throws`
 * testing the user's own regex against what the user's code threw, as Node's assert does.
 */
const ALLOWED = [
  "/typed array length|allocation failed|Array buffer/i.test(message)",
  "expected.test(String(e instanceof Error ? e.message : e))",
];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** `file:line: text` of each place in `root`'s .ts files that parses a message or frame name. */
export function messageParsing(root: string): string[] {
  const found: string[] = [];
  for (const file of sources(root)) {
    const text = fs.readFileSync(file, "utf8");
    for (const pattern of PARSES) {
      for (const m of text.matchAll(pattern)) {
        const lineStart = text.lastIndexOf("\n", m.index) + 1;
        const lineEnd = text.indexOf("\n", m.index + m[0].length);
        const snippet = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim();
        if (ALLOWED.some((a) => snippet.includes(a))) continue;
        const line = text.slice(0, m.index).split("\n").length;
        found.push(`${path.relative(root, file)}:${line}: ${snippet.replace(/\s+/g, " ")}`);
      }
    }
  }
  return found;
}

test("contract: no regular expression over engine messages or frame names is left in extension/", () => {
  assert.deepEqual(messageParsing(EXTENSION), []);
});

test("contract: the guard finds a message regex, one over a frame name, and one split over lines", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-guard-"));
  fs.writeFileSync(
    path.join(dir, "a.ts"),
    [
      "const mm = /mat1 and mat2 \\((\\d+)x(\\d+)\\)/.exec(",
      "  message,",
      ");",
      "const op = frames.find((f) => !CHECKER.test(lastName(f.functionName)));",
      "const ok = /does not require grad/.test(error.message);",
      "const fine = /^\\d+$/.test(call.name);",
    ].join("\n"),
  );
  try {
    assert.deepEqual(
      messageParsing(dir).map((s) => s.slice(0, s.indexOf(":", 5))),
      ["a.ts:1", "a.ts:4", "a.ts:5"],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
