/** `gradlens run`: summary, exit codes, the graph as JSON and as a self-contained HTML page. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../extension/cli";
import { model, SEED_LABELS } from "./fixtures";
import { graphFromJson } from "../../../webview/graphJson";

async function cli(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, lines };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-cli-"));

test("cli: run --backward --json prints a summary and writes the GraphDto", async () => {
  const json = path.join(tmp, "seed.json");
  const { code, lines } = await cli(["run", model("seed").file, "--backward", "--json", json]);
  assert.equal(code, 0);
  assert.equal(lines[0], "4.5", "the file's own printing comes first");
  assert.match(lines[1], /^seed\.ts: 9 nodes, 9 edges, with gradients, ran in \d+ ms/);
  assert.equal(lines[2], "  outputs: a");
  const graph = JSON.parse(fs.readFileSync(json, "utf8"));
  assert.equal(graph.file, model("seed").file);
  assert.deepEqual(
    graph.nodes.map((n: { label: string }) => n.label),
    SEED_LABELS,
  );
  assert.equal(graph.hasGradients, true);
});

test("cli: the gradient warnings are printed with their lines, and written into the JSON", async () => {
  const json = path.join(tmp, "exploding.json");
  const { code, lines } = await cli(["run", model("gradExploding").file, "--backward", "--json", json]);
  assert.equal(code, 0);
  const said = /^ {2}line 8: gradient warning: fc1's gradient is 10[⁰-⁹]+× larger than fc6's$/;
  assert.ok(lines.some((l) => said.test(l)), lines.join("\n"));
  const graph = graphFromJson(fs.readFileSync(json, "utf8"));
  assert.deepEqual(graph.warnings?.map((w) => w.kind), ["exploding"]);
});

test("cli: a failing model exits 1 with the error at its file:line:column and the explanation", async () => {
  const { code, lines } = await cli(["run", model("linearMismatch").file]);
  assert.equal(code, 1);
  const rel = path.relative(process.cwd(), model("linearMismatch").file);
  assert.ok(
    lines.includes(
      `${rel}:10:24: runtime error: mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)`,
    ),
    lines.join("\n"),
  );
  assert.ok(
    lines.includes("  Linear(600 → 60) in `fc1` expects 600 input features; x has shape [1, 1000]"),
  );
});

test("cli: --html embeds the graph for the page (when the webview bundle is built)", async () => {
  const html = path.join(tmp, "lenet.html");
  const bundle = path.resolve(__dirname, "../../../../dist/webview.js");
  const { code, lines } = await cli(["run", model("lenet").file, "--html", html]);
  if (!fs.existsSync(bundle)) {
    assert.equal(code, 2);
    assert.ok(lines.some((l) => l.includes("dist/webview.js is missing")));
    return;
  }
  assert.equal(code, 0);
  const text = fs.readFileSync(html, "utf8");
  const embedded = /<script type="application\/json" id="gradlens-graph">(.*?)<\/script>/s.exec(
    text,
  );
  assert.ok(embedded, "the graph travels inside the page");
  const graph = JSON.parse(embedded[1]);
  assert.equal(graph.nodes.filter((n: { kind: string }) => n.kind === "module").length, 8);
  assert.ok(text.includes("Content-Security-Policy"));
});

test("cli: wrong usage and a missing file exit 2", async () => {
  assert.equal((await cli([])).code, 2);
  assert.equal((await cli(["run"])).code, 2);
  assert.equal((await cli(["run", path.join(tmp, "nope.ts")])).code, 2);
  assert.equal((await cli(["--help"])).code, 0);
});

test("cli: --json keeps NaN, Infinity and -Infinity apart, and they read back as numbers", async () => {
  const file = path.join(tmp, "nonFinite.ts");
  fs.writeFileSync(
    file,
    'import * as torch from "gradlens";\n' +
      "const x = torch.tensor([0, 1, -1], { requiresGrad: true });\n" +
      "const y = x.log();\n" + // [-Infinity, 0, NaN]
      "const NaN_label = y.div(0);\n" + // [NaN, NaN, NaN]... and ±Infinity from 1/0
      "export const loss = y.sum();\n",
  );
  const json = path.join(tmp, "nonFinite.json");
  const { code } = await cli(["run", file, "--json", json]);
  assert.equal(code, 0);
  const text = fs.readFileSync(json, "utf8");
  assert.doesNotMatch(text, /"min": null|"max": null/, "a non-finite statistic was written as null");
  const graph = graphFromJson(text);
  const y = graph.nodes.find((n) => n.label === "y")!;
  assert.equal(y.value!.min, -Infinity);
  assert.ok(Number.isNaN(y.value!.values![2]));
  assert.equal(y.value!.values![0], -Infinity);
  assert.ok(graph.nodes.some((n) => n.label === "NaN_label"), "a label is not a number");
});

test("cli: control characters a model prints reach the terminal escaped", async () => {
  const file = path.join(tmp, "escapes.ts");
  fs.writeFileSync(file, 'console.log("\\u001b[2Jcleared\\u0007 \\u202eevil\\ttab");\nthrow new Error("bad\\u001b]0;title\\u0007");\n');
  const { code, lines } = await cli(["run", file]);
  assert.equal(code, 1);
  assert.equal(lines[0], "\\u001b[2Jcleared\\u0007 \\u202eevil\ttab");
  const error = lines.find((l) => l.includes("bad"))!;
  assert.match(error, /bad\\u001b\]0;title\\u0007/);
  // eslint-disable-next-line no-control-regex
  for (const l of lines) assert.doesNotMatch(l, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
});

test("cli: a Python model file runs on the Python front end (gradlens run lenet.py --backward)", async () => {
  const file = path.resolve(__dirname, "../../../../examples/lenet.py");
  const json = path.join(tmp, "lenet-py.json");
  const { code, lines } = await cli(["run", file, "--backward", "--json", json]);
  assert.equal(code, 0, lines.join("\n"));
  assert.equal(lines[0], "Sequential(", "the file's own printing comes first");
  assert.ok(lines.some((l) => /^lenet\.py: \d+ nodes, \d+ edges, with gradients, ran in \d+ ms/.test(l)), lines.join("\n"));
  const graph = JSON.parse(fs.readFileSync(json, "utf8"));
  assert.ok(graph.nodes.some((n: { label: string }) => n.label === "net.0 (Conv2d)"));
});

test("cli: a failing Python file exits 1 with Python's error at its line", async () => {
  const file = path.join(tmp, "mismatch.py");
  fs.writeFileSync(file, "import torch\nfrom torch import nn\nfc = nn.Linear(600, 60)\ny = fc(torch.randn(1, 1000))\n");
  const { code, lines } = await cli(["run", file]);
  assert.equal(code, 1);
  const rel = path.relative(process.cwd(), file);
  assert.ok(lines.includes(`${rel}:4:5: runtime error: RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)`), lines.join("\n"));
});
