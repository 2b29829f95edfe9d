/** Model files of test/fixtures/models, as run requests, and small lookups into results. */
import * as fs from "fs";
import * as path from "path";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import type { GraphDto, GraphNodeDto } from "../../../webview/protocol";
import type { RunRequest, RunResult } from "../../../extension/runner/types";
import { executeRun } from "../../../extension/runner/execute";
import { transpile } from "../../../extension/runner/transpile";

/** The seed example's graph (`kind:label`), as PyTorch has it: y = x − 2, z = 3y², a = mean(z). */
export const SEED_NODES = [
  "leaf:x",
  "op:AccumulateGrad",
  "op:SubBackward0",
  "op:MulBackward0",
  "op:MulBackward0",
  "op:MeanBackward0",
  "tensor:y",
  "tensor:z",
  "tensor:a",
];
export const SEED_LABELS = SEED_NODES.map((n) => n.slice(n.indexOf(":") + 1));

/** test/fixtures/models, from out/test/unit/runner or test/unit/runner alike. */
export const MODELS = path.resolve(__dirname, "../../../../test/fixtures/models");

export function model(name: string, extra: Partial<RunRequest> = {}): RunRequest {
  const file = path.join(MODELS, `${name}.ts`);
  return { file, source: fs.readFileSync(file, "utf8"), ...extra };
}

/** Runs a model file in this process (no worker, no limits). */
export function runHere(name: string, extra: Partial<RunRequest> = {}): Promise<RunResult> {
  return executeRun(model(name, extra), torch, transpile);
}

/** Runs source text as if it were the file `name`.ts in the models folder. */
export function runSource(source: string, extra: Partial<RunRequest> = {}): Promise<RunResult> {
  return executeRun({ file: path.join(MODELS, "inline.ts"), source, ...extra }, torch, transpile);
}

export function nodeLabelled(g: GraphDto, label: string): GraphNodeDto {
  const found = g.nodes.filter((n) => n.label === label);
  assert.equal(
    found.length,
    1,
    `one node labelled ${label}, got ${found.length}: ${g.nodes.map((n) => n.label).join(", ")}`,
  );
  return found[0];
}

/** `line:column` of a location, for compact assertions. */
export const at = (loc: { line: number; column: number } | undefined): string =>
  loc ? `${loc.line}:${loc.column}` : "none";
