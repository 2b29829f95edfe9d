/** Model files of test/fixtures/models, as run requests, and small lookups into results. */
import * as fs from "fs";
import * as path from "path";
import * as assert from "node:assert/strict";
import type { GraphDto, GraphNodeDto } from "../../../webview/protocol";
import type { RunRequest, RunResult } from "../../../extension/runProtocol/types";
import { Sandbox } from "../../../extension/worker/sandboxHost";
import { transpile } from "../../../extension/transpiler/transpile";
import { unpackValues } from "../../../extension/runProtocol/valuePacking";

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

/**
 * Runs a request in a fresh sandbox in this thread, as the worker does (no worker, no time
 * limit; the memory limit is the default's).
 */
export async function runInSandbox(req: RunRequest, memoryLimitMb = 512): Promise<RunResult> {
  const sandbox = new Sandbox(memoryLimitMb, transpile);
  const ignore = (): void => undefined;
  const outcome = await sandbox.run(req, { log: ignore, shapeHint: ignore, layerHint: ignore });
  sandbox.dispose();
  if (outcome.type === "crash") throw new Error(`the sandbox crashed: ${outcome.message}`);
  unpackValues(outcome.result.graph, outcome.values);
  return outcome.result;
}

/** Runs a model file in this process (a sandbox, but no worker and no time limit). */
export function runHere(name: string, extra: Partial<RunRequest> = {}): Promise<RunResult> {
  return runInSandbox(model(name, extra));
}

/** Runs source text as if it were the file `name`.ts in the models folder. */
export function runSource(source: string, extra: Partial<RunRequest> = {}): Promise<RunResult> {
  return runInSandbox({ file: path.join(MODELS, "inline.ts"), source, ...extra });
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
