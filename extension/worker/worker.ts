/**
 * The worker that runs model files (extension/runner/runModel.ts starts it). Each run gets a
 * fresh sandbox (sandboxHost.ts: a `vm` context with its own engine, code generation off), so
 * the worker itself never runs model code in its own realm and can serve run after run. It
 * does not load TypeScript: files are transpiled by the long-lived transpiler worker.
 *
 * V8 keeps optimised code per context, so a new context runs the engine's kernels cold
 * (examples/lenet.ts: ~60 ms instead of ~20): each sandbox is made ahead of its run, warmed by
 * Gradlens's own warm-up model (trusted code, before any model code is in it) and sealed (a
 * record of every shared object: sandbox/snapshot.ts). After a run, once the thread is idle,
 * the sandbox takes the next run only if the run left every shared object as it was (its
 * engine state is then reset); otherwise a new one is made and warmed. Then the worker says
 * "idle" — only from a thread that is free again, so a run that left an endless chain of
 * promises behind never gets this worker back.
 */
import { parentPort, workerData } from "worker_threads";
import type { FromWorker, ToWorker, WorkerOptions } from "../runProtocol/messages";
import type { RunRequest } from "../runProtocol/types";
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

/** A new sandbox, warmed and sealed; a failed warm-up only costs speed. */
async function warmSandbox(): Promise<Sandbox> {
  const s = newSandbox();
  for (let i = 0; i < WARM_UP_RUNS; i++) if (!(await s.warmUp(WARM_UP))) break;
  s.seal();
  return s;
}

/** A sandbox serves at most this many runs, however clean they leave it. */
const MAX_RUNS_PER_SANDBOX = 50;

let next: Sandbox | null = null;

// The host may send the run before the warm-up is over (it took this worker at once): the run
// waits for it, and the host's time limit only starts at "ready".
const warmed = warmSandbox()
  .then((s) => (next = s))
  .catch(() => undefined)
  .then(() => post({ type: "ready" }));

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
  post({ type: "running", progress: sandbox.progress });
  const outcome = await sandbox.run(request, {
    file: (index, file) => post({ type: "file", index, file }),
    transpiling: (waiting) => post({ type: "transpiling", waiting }),
    log: (line) => post({ type: "log", line }),
    shapeHint: (hint) => post({ type: "shapeHint", hint }),
    layerHint: (hint) => post({ type: "layerHint", hint }),
  });
  if (outcome.type === "result") post({ type: "result", result: outcome.result, values: outcome.values });
  else post({ type: "crash", message: outcome.message });
  // A macrotask later the thread is free (the run's promise chains have settled): the same
  // sandbox takes the next run if the run left it as it found it, else a new one is made.
  setImmediate(() => {
    if (sandbox.runs < MAX_RUNS_PER_SANDBOX && sandbox.reuse()) {
      next = sandbox;
      post({ type: "idle" });
      return;
    }
    sandbox.dispose();
    warmSandbox()
      .then(
        (s) => (next = s),
        () => (next = null), // made at the next run instead, where its failure is reported
      )
      .finally(() => post({ type: "idle" }));
  });
}
