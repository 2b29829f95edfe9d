/**
 * A name Gradlens does not have, asked for by a model file in the sandbox: the run fails on
 * that line with the name as the file wrote it and the closest names Gradlens has, never the
 * transpiler's `gradlens_1.nn.Foo is not a constructor`.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { at, runSource } from "./fixtures";

/** The run's error message and line:column for `source`. */
async function failure(source: string): Promise<[string, string]> {
  const r = await runSource(source);
  assert.ok(r.error, "the run should fail");
  return [r.error.message, at(r.error.location)];
}

test("missing names: nn.Foo after import { nn }, at its line, with the nearest names", async () => {
  const [message, where] = await failure(
    'import { nn } from "gradlens";\nconst ok = new nn.Linear(2, 2);\nconst bn = new nn.BatchNorm9d(4);\n',
  );
  assert.match(message, /^AttributeError: nn\.BatchNorm9d is not part of Gradlens/);
  assert.doesNotMatch(message, /gradlens_1|is not a constructor/);
  assert.equal(where.split(":")[0], "3");
});

test("missing names: torch.nn.Conv2D after import * as torch suggests torch.nn.Conv2d", async () => {
  const [message] = await failure(
    'import * as torch from "gradlens";\nconst c = new torch.nn.Conv2D(1, 2, 3);\n',
  );
  assert.equal(
    message,
    "AttributeError: torch.nn.Conv2D is not part of Gradlens (did you mean torch.nn.Conv2d?)",
  );
});

test("missing names: spelled as on the line (F.), snake_case finds camelCase, other namespaces are pointed at", async () => {
  const [snake] = await failure(
    'import { nn } from "gradlens";\nimport * as torch from "gradlens";\nconst F = nn.functional;\nF.cross_entropy(torch.zeros(2, 3), torch.tensor([0, 1]));\n',
  );
  assert.equal(snake, "AttributeError: F.cross_entropy is not part of Gradlens (did you mean F.crossEntropy?)"); // prettier-ignore
  const [elsewhere] = await failure('import { nn } from "gradlens";\nconst o = new nn.SGD([], { lr: 1 });\n'); // prettier-ignore
  assert.equal(
    elsewhere,
    "AttributeError: nn.SGD is not part of Gradlens (did you mean optim.SGD?)",
  );
  const [top] = await failure('import * as torch from "gradlens";\ntorch.manual_seed(0);\n');
  assert.equal(
    top,
    "AttributeError: torch.manual_seed is not part of Gradlens (did you mean torch.manualSeed?)",
  );
  const [nothing] = await failure('import { optim } from "gradlens";\noptim.Zzzzzzzz;\n');
  assert.equal(nothing, "AttributeError: optim.Zzzzzzzz is not part of Gradlens");
});

test("missing names: a default import is told how to import the package", async () => {
  const [message] = await failure('import torch from "gradlens";\ntorch.zeros(2);\n');
  assert.equal(
    message,
    'AttributeError: gradlens has no default export: write import * as torch from "gradlens"',
  );
});

test("missing names: what exists still works (classes, instanceof, spreading, async return)", async () => {
  const r = await runSource(
    [
      'import * as torch from "gradlens";',
      'import { nn, optim } from "gradlens";',
      "const fc = new nn.Linear(2, 1);",
      "if (!(fc instanceof nn.Module) || !(fc.weight instanceof torch.Tensor)) throw new Error('instanceof');",
      "const names = Object.keys(torch);",
      "if (!names.includes('nn') || !('Linear' in nn) || 'Foo' in nn) throw new Error('keys');",
      "const { relu } = nn.functional;",
      "async function load() { return torch; }",
      "export default load().then((t) => t.ones(1));",
      "const opt = new optim.SGD(fc.parameters(), { lr: 0.1 });",
      "export const loss = relu(fc.forward(torch.ones(3, 2))).sum();",
      "loss.backward(); opt.step();",
    ].join("\n"),
  );
  assert.equal(r.error, undefined, r.error?.message);
});

test("values read through the guarded namespaces, prototypes included, are no modules to the tracer", async () => {
  // a walk over everything the package holds binds class prototypes (instanceof nn.Module) to x
  const r = await runSource(
    [
      'import * as torch from "gradlens";',
      "const seen = new Set<unknown>();",
      "const walk = (v: any, depth: number): void => {",
      "  if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || depth > 3) return;",
      "  seen.add(v);",
      "  for (const k of Reflect.ownKeys(v)) { let x; const d = Object.getOwnPropertyDescriptor(v, k)!; x = 'value' in d ? d.value : d.get; walk(x, depth + 1); }",
      "};",
      "walk(torch, 0);",
    ].join("\n"),
  );
  assert.equal(r.error, undefined, r.error?.message);
});

test("missing names: a namespace given to new is named as written, not as the transpiler renamed it", async () => {
  const [named, where] = await failure(
    'import { nn } from "gradlens";\nconst ok = new nn.Linear(2, 2);\nconst f = new nn.functional(3);\n',
  );
  assert.equal(named, "TypeError: nn.functional is not a constructor");
  assert.equal(where, "3:15", "the callee, on the line that failed");
  const [star] = await failure(
    'import * as torch from "gradlens";\nconst i = new torch.nn.init(3);\n',
  );
  assert.equal(star, "TypeError: torch.nn.init is not a constructor");
  // what can be constructed still is, with its own errors: a class, a function, a bound one
  const r = await runSource(
    [
      'import { nn } from "gradlens";',
      "function Old(this: { v: number }) { this.v = 1; }",
      "const Bound = nn.Linear.bind(null, 2);",
      "const made = [new nn.Linear(2, 2), new (Old as any)(), new (Bound as any)(3), new Map<string, number>()];",
      "if (made.length !== 4) throw new Error('made');",
    ].join("\n"),
  );
  assert.equal(r.error, undefined, r.error?.message);
});
