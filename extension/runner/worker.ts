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
import { installMemoryGuard } from "./memoryGuard";
import { transpilerClient } from "./transpileClient";

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
// A worker's first run is slow (the engine and the tracer are cold JIT-wise): run a
// small model before saying "ready". No randomness in it: the user's random numbers stay theirs.
const WARM_UP = `import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;
const x = torch.ones(1, 2, 12, 12, { requiresGrad: true });
const y = F.maxPool2d(F.conv2d(x, torch.ones(8, 2, 3, 3)).relu(), 2);
export const loss = F.linear(y.flatten(1), torch.ones(4, 200)).sum();
`;

async function warmUp(): Promise<void> {
  await executeRun(
    { file: "/gradlens-warm-up.ts", source: WARM_UP, backward: {} },
    engine,
    transpile,
  );
}

const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);

port.on("message", (message: ToWorker) => {
  if (message.type !== "run") return;
  executeRun(message.request, engine, transpile, {
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
void warmUp()
  .catch(() => undefined) // a failed warm-up only costs speed
  .then(() => post({ type: "ready" }));
