/**
 * The worker that runs one model file (extension/runner/runModel.ts starts it). The memory guard
 * goes in before the engine loads, so that every tensor's storage is checked against the limit;
 * then it loads the engine and TypeScript, says "ready", and runs the request it is sent.
 */
import { parentPort, workerData } from "worker_threads";
import type * as Engine from "../../engine/index";
import type * as Execute from "./execute";
import type * as Transpile from "./transpile";
import type { FromWorker, ToWorker, WorkerOptions } from "./messages";
import { installMemoryGuard } from "./memoryGuard";

installMemoryGuard((workerData as WorkerOptions | undefined)?.memoryLimitMb ?? 512);
// Loaded after the guard on purpose (see above).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engine = require("../../engine/index") as typeof Engine;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { executeRun } = require("./execute") as typeof Execute;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { transpile } = require("./transpile") as typeof Transpile;

// A first transpile is slow (TypeScript's code is cold): do it before saying "ready".
transpile("warm-up.ts", "import * as torch from 'gradlens';\nconst y = torch.ones(2).mul(2);\n");

const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);

port.on("message", (message: ToWorker) => {
  if (message.type !== "run") return;
  executeRun(message.request, engine, {
    log: (line) => post({ type: "log", line }),
    shapeHint: (hint) => post({ type: "shapeHint", hint }),
    layerHint: (hint) => post({ type: "layerHint", hint }),
  }).then(
    (result) => post({ type: "result", result }),
    (error: unknown) =>
      post({
        type: "crash",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
post({ type: "ready" });
