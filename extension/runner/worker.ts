/**
 * The worker that runs one model file (extension/runner/runModel.ts starts it). The memory guard
 * goes in before the engine loads, so that every tensor's storage is checked against the limit;
 * then it loads the engine, warms it up, says "ready", and runs the request it is sent. It does
 * not load TypeScript: files are transpiled by the long-lived transpiler worker, so a fresh run
 * worker starts in a fraction of the time.
 */
import { parentPort, workerData } from "worker_threads";
import type * as Engine from "../../engine/index";
import type * as Execute from "./execute";
import type { FromWorker, ToWorker, WorkerOptions } from "./messages";
import type { RunRequest } from "./types";
import { installMemoryGuard } from "./memoryGuard";
import { transpilerClient } from "./transpileClient";
import { WARM_UP, WARM_UP_RUNS } from "./warmUp";
import { packValues } from "./valuePacking";

/** The first transpile may wait for the transpiler worker to load TypeScript on a busy machine. */
const TRANSPILE_LIMIT_MS = 60_000;

const options = workerData as WorkerOptions;
installMemoryGuard(options.memoryLimitMb);
// Loaded after the guard on purpose (see above).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engine = require("../../engine/index") as typeof Engine;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { executeRun } = require("./execute") as typeof Execute;
const transpile = transpilerClient(options.transpiler, TRANSPILE_LIMIT_MS);

async function warmUp(): Promise<void> {
  for (let i = 0; i < WARM_UP_RUNS; i++) {
    await executeRun(
      { file: "/gradlens-warm-up.ts", source: WARM_UP, backward: {} },
      engine,
      transpile,
    );
  }
}

const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);

// The host may send the run before the warm-up is over (it took this worker at once): the run
// waits for it, since two runs must never interleave (they share the trace listener), and the
// host's time limit only starts at "ready".
const warmed = warmUp()
  .catch(() => undefined) // a failed warm-up only costs speed
  .then(() => post({ type: "ready" }));

port.on("message", (message: ToWorker) => {
  if (message.type !== "run") return;
  void warmed.then(() => run(message.request));
});

/** Global names after the warm-up: a run that adds one leaves state behind for the next. */
let baseline: Set<string> | null = null;
void warmed.then(() => (baseline = new Set(Object.getOwnPropertyNames(globalThis))));

/** Whether the run left nothing that a next run in this worker could see. */
function leftNothing(): boolean {
  const timers = process.getActiveResourcesInfo().some((r) => r === "Timeout" || r === "Immediate");
  const globals = Object.getOwnPropertyNames(globalThis).some((k) => !baseline?.has(k));
  return !timers && !globals;
}

function run(request: RunRequest): void {
  // A reused worker starts each run as a fresh one would.
  engine.trace.resetGlobalState();
  executeRun(request, engine, transpile, {
    log: (line) => post({ type: "log", line }),
    shapeHint: (hint) => post({ type: "shapeHint", hint }),
    layerHint: (hint) => post({ type: "layerHint", hint }),
  }).then(
    (result) => {
      const reusable = result.ok && leftNothing();
      post({ type: "result", result, values: packValues(result.graph), reusable });
    },
    (error: unknown) =>
      post({
        type: "crash",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
}
