/**
 * The worker that runs model files (extension/runner/runModel.ts starts it). Each run gets a
 * fresh sandbox (sandboxHost.ts: a `vm` context with its own engine, code generation off), so
 * the worker itself never runs model code in its own realm and can serve run after run. It
 * does not load TypeScript: files are transpiled by the long-lived transpiler worker.
 *
 * Start-up: compile the sandbox bundle, run the warm-up model in throwaway sandboxes (the
 * engine's bytecode and baseline code are shared by every context made from the same script),
 * make the first run's sandbox, say "ready". After each run: clear its timers, make the next
 * sandbox, and say "idle" — only from a thread that is free again, so a run that left an
 * endless chain of promises behind never gets this worker back.
 */
import { parentPort, workerData } from "worker_threads";
import type { FromWorker, ToWorker, WorkerOptions } from "./messages";
import type { RunRequest } from "./types";
import { Sandbox } from "./sandboxHost";
import { transpilerClient } from "./transpileClient";
import { WARM_UP, WARM_UP_RUNS } from "./warmUp";

/** The first transpile may wait for the transpiler worker to load TypeScript on a busy machine. */
const TRANSPILE_LIMIT_MS = 60_000;

const options = workerData as WorkerOptions;
const transpile = transpilerClient(options.transpiler, TRANSPILE_LIMIT_MS);
const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);

// A model's promise rejected with nobody listening: it is the model's business (its run
// reports its own errors). Node's default would end the worker; the reason is not looked at.
process.on("unhandledRejection", () => undefined);

const newSandbox = (): Sandbox => new Sandbox(options.memoryLimitMb, transpile);

async function warmUp(): Promise<void> {
  for (let i = 0; i < WARM_UP_RUNS; i++) {
    const s = newSandbox();
    await s.run({ file: "/gradlens-warm-up.ts", source: WARM_UP, backward: {} }, quiet);
    s.dispose();
  }
}
const quiet = { log: () => undefined, shapeHint: () => undefined, layerHint: () => undefined };

let next: Sandbox | null = null;

// The host may send the run before the warm-up is over (it took this worker at once): the run
// waits for it, and the host's time limit only starts at "ready".
const warmed = warmUp()
  .catch(() => undefined) // a failed warm-up only costs speed
  .then(() => {
    next = newSandbox();
    post({ type: "ready" });
  });

port.on("message", (message: ToWorker) => {
  if (message.type !== "run") return;
  void warmed.then(() => run(message.request));
});

async function run(request: RunRequest): Promise<void> {
  let sandbox: Sandbox;
  try {
    sandbox = next ?? newSandbox();
  } catch (error) {
    post({ type: "crash", message: error instanceof Error ? error.message : String(error) });
    return;
  }
  next = null;
  const outcome = await sandbox.run(request, {
    log: (line) => post({ type: "log", line }),
    shapeHint: (hint) => post({ type: "shapeHint", hint }),
    layerHint: (hint) => post({ type: "layerHint", hint }),
  });
  sandbox.dispose();
  if (outcome.type === "result") post({ type: "result", result: outcome.result, values: outcome.values });
  else post({ type: "crash", message: outcome.message });
  // A macrotask later, the thread is free: get the next sandbox ready, then say so.
  setImmediate(() => {
    try {
      next = newSandbox();
    } catch {
      next = null; // made at the next run instead, where its failure is reported
    }
    post({ type: "idle" });
  });
}
