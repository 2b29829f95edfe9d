/**
 * The quick fixes' edits, computed from a typed failure reason and the file's text: each
 * replaces just the argument (or inserts just what was missing), in the file's own spelling.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fittingSize, quickFixes, type FixTarget } from "../../../extension/codeActions/quickFixes";
import { callArguments } from "../../../extension/codeActions/callArguments";
import { TextMap } from "../../../extension/inlayHints/textMap";
import type { RunError } from "../../../extension/runProtocol/types";

const FILE = "/w/model.ts";

/** The text as a fix target: locations are 1-based line and column in it. */
function target(text: string, file = FILE): FixTarget {
  const map = new TextMap(text, text);
  return {
    text,
    offsetOf: (loc) => (loc.file === file ? map.offsetOf(loc.line, loc.column) : undefined),
  };
}

/** Applies a fix's edits (last first, so offsets stay right). */
function apply(text: string, edits: { start: number; end: number; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const at = (line: number, column: number, file = FILE) => ({ file, line, column });

/** Where `needle` starts in `text`, as a location. */
function find(
  text: string,
  needle: string,
  file = FILE,
): { file: string; line: number; column: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const before = text.slice(0, offset).split("\n");
  return at(before.length, before[before.length - 1].length + 1, file);
}

test("call arguments: spans of each argument, nested calls, strings and comments skipped", () => {
  const text = 'y = new nn.Linear(16 * 4 * 4, f(a, b), "x,)" /* , */, { k: [1, 2] })';
  const call = callArguments(text, 4)!;
  assert.deepEqual(
    call.args.map((s) => text.slice(s.start, s.end)),
    ["16 * 4 * 4", "f(a, b)", '"x,)" /* , */', "{ k: [1, 2] }"],
  );
  assert.deepEqual(callArguments("loss.backward()", 5)!.args, []);
  assert.equal(callArguments("a + b", 0), undefined);
});

test("call arguments in Python: '#' starts a comment and '//' is floor division", () => {
  const text = "y = nn.Conv2d(c, k // 2, 3,  # out: half of k (rounded down)\n  padding=(3 - 1) // 2)";
  const call = callArguments(text, 4, "python")!;
  assert.deepEqual(
    call.args.map((s) => text.slice(s.start, s.end)),
    ["c", "k // 2", "3", "# out: half of k (rounded down)\n  padding=(3 - 1) // 2"],
  );
  assert.equal(call.close, text.length - 1);
  const member = "y = layers[i // 2](x, 2)";
  assert.deepEqual(
    callArguments(member, 4, "python")!.args.map((s) => member.slice(s.start, s.end)),
    ["x", "2"],
  );
  assert.equal(callArguments("z = y[:, :1] * 2", 4, "python"), undefined, "a subscript is no call");
});

test("quick fix: a Linear fed 2-D input gets its inFeatures set to the features it received", () => {
  const text =
    "class Net extends nn.Module {\n  fc1 = new nn.Linear(600, 60);\n}\nnet.forward(x);\n";
  const error: RunError = {
    kind: "runtime",
    message: "mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)",
    location: find(text, "forward(x)"),
    fix: { kind: "linearFeatures", expected: 600, got: 1000, inputShape: [1, 1000] },
    layer: { location: find(text, "new nn.Linear"), name: "fc1", description: "Linear(600 → 60)" },
  };
  const [fix, ...more] = quickFixes(error, target(text));
  assert.equal(more.length, 0);
  assert.equal(fix.title, "Set inFeatures of fc1 to 1000");
  assert.equal(apply(text, fix.edits), text.replace("Linear(600, 60)", "Linear(1000, 60)"));
});

test("quick fix: an unnamed Sequential member is named by index; the expression is replaced whole", () => {
  const text =
    "const net = new nn.Sequential(\n  new nn.Flatten(),\n  new nn.Linear(16 * 4 * 4, 120),\n);\n";
  const error: RunError = {
    kind: "runtime",
    message: "mat1 and mat2 shapes cannot be multiplied (4x400 and 256x120)",
    fix: { kind: "linearFeatures", expected: 256, got: 400, inputShape: [4, 400] },
    layer: {
      location: find(text, "new nn.Linear"),
      name: "net[1]",
      description: "Linear(256 → 120)",
      viaContainer: true,
    },
  };
  const [fix] = quickFixes(error, target(text));
  assert.equal(fix.title, "Set inFeatures of net[1]: Linear(256 → 120) to 400");
  assert.equal(apply(text, fix.edits), text.replace("16 * 4 * 4", "400"));
});

test("quick fix: a Linear fed 4-D input: flatten(1) on the call's argument, inFeatures if needed", () => {
  const text =
    "const fc = nn.Linear(2304, 10);\nconst y = fc.forward(conv.forward(x));\nconst z = fc.forward(a.add(b));\n";
  const base = {
    kind: "runtime" as const,
    message: "mat1 and mat2 shapes cannot be multiplied (384x12 and 2304x10)",
    fix: {
      kind: "linearFeatures" as const,
      expected: 2304,
      got: 12,
      inputShape: [2, 16, 12, 12],
    },
    layer: { location: find(text, "nn.Linear"), name: "fc", description: "Linear(2304 → 10)" },
  };
  const [flatten] = quickFixes({ ...base, location: find(text, "forward(conv") }, target(text));
  assert.equal(flatten.title, "Flatten the input of fc (flatten(1))");
  assert.equal(
    apply(text, flatten.edits),
    text.replace("forward(conv.forward(x))", "forward(conv.forward(x).flatten(1))"),
  );
  // 16 × 12 × 12 = 2304 already: only the flatten; a Linear built for 2300 gets 2304 too
  const built2300 = text.replace("Linear(2304", "Linear(2300");
  const wrong = { ...base, fix: { ...base.fix, expected: 2300 } };
  const [both] = quickFixes({ ...wrong, location: find(text, "forward(a.add") }, target(built2300));
  assert.equal(both.title, "Flatten the input of fc (flatten(1)) and set inFeatures to 2304");
  assert.equal(
    apply(built2300, both.edits),
    text.replace("forward(a.add(b))", "forward(a.add(b).flatten(1))"),
  );
  // an expression that is not a name or call is put in parentheses first
  const sum = text.replace("a.add(b)", "a + b");
  const [paren] = quickFixes({ ...base, location: find(sum, "forward(a +") }, target(sum));
  assert.equal(apply(sum, paren.edits), text.replace("a.add(b)", "(a + b).flatten(1)"));
});

test("quick fix: a Linear in a container fed 4-D input gets an nn.Flatten() on its own line before it", () => {
  const text =
    "const net = new nn.Sequential(\n  new nn.Conv2d(1, 6, 5),\n  new nn.Linear(6 * 24 * 24, 10),\n);\n";
  const error: RunError = {
    kind: "runtime",
    message: "mat1 and mat2 shapes cannot be multiplied (144x24 and 3456x10)",
    fix: { kind: "linearFeatures", expected: 3456, got: 24, inputShape: [1, 6, 24, 24] },
    layer: {
      location: find(text, "new nn.Linear"),
      name: "net[1]",
      description: "Linear(3456 → 10)",
      viaContainer: true,
    },
  };
  const [fix] = quickFixes(error, target(text));
  assert.equal(
    fix.title,
    "Flatten the input of net[1]: Linear(3456 → 10) (add nn.Flatten() before it)",
  );
  assert.equal(
    apply(text, fix.edits),
    text.replace("  new nn.Linear", "  new nn.Flatten(),\n  new nn.Linear"),
  );
});

test("quick fix: a conv gets its inChannels set to the channels it received", () => {
  const text = "const conv1 = new nn.Conv2d(3, 16, 3);\nconv1.forward(image);\n";
  const error: RunError = {
    kind: "runtime",
    message:
      "Given groups=1, weight of size [16, 3, 3, 3], expected input[1, 1, 32, 32] to have 3 channels, but got 1 channels instead",
    fix: { kind: "convChannels", expected: 3, got: 1, inputShape: [1, 1, 32, 32] },
    layer: {
      location: find(text, "new nn.Conv2d"),
      name: "conv1",
      description: "Conv2d(3→16, k=3)",
    },
  };
  const [fix] = quickFixes(error, target(text));
  assert.equal(fix.title, "Set inChannels of conv1 to 1");
  assert.equal(apply(text, fix.edits), text.replace("Conv2d(3, 16", "Conv2d(1, 16"));
});

test("quick fix: the first of two backward calls gets { retainGraph: true }", () => {
  const text = "first.backward();\nsecond.backward();\ng.backward(torch.ones(3));\n";
  const error = (first: ReturnType<typeof at>): RunError => ({
    kind: "runtime",
    message: "Trying to backward through the graph a second time",
    location: at(2, 8),
    fix: { kind: "backwardTwice", first },
  });
  const [fix] = quickFixes(error(find(text, "backward();")), target(text));
  assert.equal(fix.title, "Keep the graph for the next backward: { retainGraph: true }");
  assert.equal(
    apply(text, fix.edits),
    text.replace("first.backward()", "first.backward(undefined, { retainGraph: true })"),
  );
  const [withGradient] = quickFixes(error(find(text, "backward(torch")), target(text));
  assert.equal(
    apply(text, withGradient.edits),
    text.replace("g.backward(torch.ones(3))", "g.backward(torch.ones(3), { retainGraph: true })"),
  );
});

test("quick fix: a view's size that fits the input's elements, keeping the batch dim", () => {
  assert.deepEqual(fittingSize([-1, 256], [4, 16, 5, 5]), { index: 1, value: 400 });
  assert.deepEqual(fittingSize([4, 256], [4, 16, 5, 5]), { index: 1, value: 400 });
  assert.deepEqual(fittingSize([2, 3, 7], [2, 3, 4]), { index: 2, value: 4 });
  assert.equal(fittingSize([5, 3], [4, 4]), undefined); // 16 is no multiple of 5
  const text = "const flat = features.view(-1, 16 * 4 * 4);\n";
  const [fix] = quickFixes(
    {
      kind: "runtime",
      message: "shape '[-1, 256]' is invalid for input of size 1600",
      location: find(text, "view("),
      fix: { kind: "viewSize", shape: [-1, 256], inputShape: [4, 16, 5, 5] },
    },
    target(text),
  );
  assert.equal(fix.title, "Make the size 400 (the tensor has 1600 elements)");
  assert.equal(apply(text, fix.edits), text.replace("16 * 4 * 4", "400"));
});

test("quick fix: none without a reason, or when the place was edited away or is in another file", () => {
  const text = "const conv1 = new nn.Conv2d(3, 16, 3);\n";
  const reason = { kind: "convChannels" as const, expected: 3, got: 1, inputShape: [1, 1, 8, 8] };
  const layer = { location: find(text, "new nn"), name: "conv1", description: "Conv2d(3→16, k=3)" };
  assert.deepEqual(quickFixes({ kind: "runtime", message: "m" }, target(text)), []);
  const elsewhere = { ...layer, location: { ...layer.location, file: "/w/other.ts" } };
  assert.deepEqual(
    quickFixes({ kind: "runtime", message: "m", fix: reason, layer: elsewhere }, target(text)),
    [],
  );
  const gone: FixTarget = { text, offsetOf: () => undefined };
  assert.deepEqual(quickFixes({ kind: "runtime", message: "m", fix: reason, layer }, gone), []);
});

const PY = "/w/model.py";

type Fix = NonNullable<RunError["fix"]>;

/** A Python file's layer fix: "title: the construction after it", or "no fix". */
function pythonFix(construction: string, fix: Fix): string {
  const text = `import torch\nfrom torch import nn\nlayer = ${construction}\ny = layer(x)\n`;
  const error: RunError = {
    kind: "runtime",
    message: "RuntimeError: …",
    location: find(text, "layer(x)", PY),
    fix,
    layer: { location: find(text, "nn.", PY), name: "layer", description: "…" },
  };
  const fixes = quickFixes(error, target(text, PY));
  if (fixes.length === 0) return "no fix";
  return `${fixes[0].title}: ${apply(text, fixes[0].edits).split("\n")[2].slice("layer = ".length)}`;
}

const LINEAR: Fix = { kind: "linearFeatures", expected: 256, got: 400, inputShape: [4, 400] };
const CONV: Fix = { kind: "convChannels", expected: 3, got: 1, inputShape: [1, 1, 28, 28] };

/** A construction, its failure, and the fix's title and construction after it. */
const PYTHON_FIXES: [string, Fix, string][] = [
  ["nn.Linear(256, 120)", LINEAR, "Set in_features of layer to 400: nn.Linear(400, 120)"],
  [
    "nn.Linear(in_features=16 * 4 * 4, out_features=120)",
    LINEAR,
    "Set in_features of layer to 400: nn.Linear(in_features=400, out_features=120)",
  ],
  [
    "nn.Linear(out_features=120, in_features = 256, bias=False)",
    LINEAR,
    "Set in_features of layer to 400: nn.Linear(out_features=120, in_features = 400, bias=False)",
  ],
  // no in_features keyword and no positional first argument: nothing to replace
  ["nn.Linear(*sizes)", LINEAR, "no fix"],
  ["nn.Linear(**sizes)", LINEAR, "no fix"],
  ["nn.Linear(out_features=120, **rest)", LINEAR, "no fix"],
  ["nn.Conv2d(3, 16, 3)", CONV, "Set in_channels of layer to 1: nn.Conv2d(1, 16, 3)"],
  [
    "nn.Conv2d(kernel_size=3, in_channels=3, out_channels=16)",
    CONV,
    "Set in_channels of layer to 1: nn.Conv2d(kernel_size=3, in_channels=1, out_channels=16)",
  ],
];

test("quick fix in Python: in_features and in_channels, positional or by keyword in any order", () => {
  for (const [construction, fix, expected] of PYTHON_FIXES)
    assert.equal(pythonFix(construction, fix), expected, construction);
});
