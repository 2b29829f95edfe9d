/**
 * Whether a second core can pay on this machine now (issue 22, part 2): the most a two-way
 * split of the engine's heaviest kernels could gain. The same convolution runs in one worker
 * thread, then in two at once, each with its own inputs and nothing shared or synchronised:
 * an embarrassingly parallel upper bound that no split of one conv (copies, a barrier per
 * call) can beat. Rounds alternate so that both see the same load; prints each round's
 * speed-up and the median, with the load average.
 *
 *   node out/bench/secondCore.js [--workload conv20|conv224] [--rounds 5] [--runs 60]
 */
import * as os from "os";
import { parseArgs } from "util";
import { Worker, isMainThread, parentPort, workerData } from "worker_threads";
import * as torch from "../engine";

interface Job {
  workload: string;
  runs: number;
}

/**
 * One worker's job: loads and warms up, says "ready", and on "go" runs `runs` forward+backward
 * passes of the workload's conv, then says "done".
 */
function convRuns({ workload, runs }: Job): void {
  const [input, conv] =
    workload === "conv224"
      ? [[1, 3, 224, 224], new torch.nn.Conv2d(3, 64, 7, { stride: 2, padding: 3 })]
      : [[1, 20, 64, 128], new torch.nn.Conv2d(20, 16, [3, 5])];
  const x = torch.randn(input);
  const pass = () => conv.forward(x).sum().backward();
  for (let i = 0; i < 5; i++) pass();
  parentPort!.once("message", () => {
    for (let i = 0; i < runs; i++) pass();
    parentPort!.postMessage("done");
  });
  parentPort!.postMessage("ready");
}

/** The next message of a worker (or its error). */
const next = (w: Worker) =>
  new Promise<void>((done, fail) => {
    w.once("message", () => done());
    w.once("error", fail);
  });

/** Wall-clock ms from "go" until `threads` warmed-up workers have each done the job. */
async function together(threads: number, job: Job): Promise<number> {
  const workers = Array.from(
    { length: threads },
    () => new Worker(__filename, { workerData: job }),
  );
  await Promise.all(workers.map(next));
  const t0 = performance.now();
  const finished = Promise.all(workers.map(next));
  for (const w of workers) w.postMessage("go");
  await finished;
  const ms = performance.now() - t0;
  await Promise.all(workers.map((w) => w.terminate()));
  return ms;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { workload: { type: "string" }, rounds: { type: "string" }, runs: { type: "string" } },
  });
  const job: Job = { workload: values.workload ?? "conv20", runs: Number(values.runs ?? 60) };
  const rounds = Number(values.rounds ?? 5);
  const load = () =>
    os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(" ");
  console.log(
    `second core: ${job.workload} fwd+bwd, ${job.runs} runs per thread, ${os.cpus().length} CPUs, load ${load()}`,
  );
  const speedUps: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const one = await together(1, job);
    const two = await together(2, job);
    speedUps.push((2 * one) / two);
    console.log(
      `  round ${r + 1}: one thread ${one.toFixed(0)} ms, two threads twice the work ${two.toFixed(0)} ms: ${speedUps[r].toFixed(2)}×`,
    );
  }
  speedUps.sort((a, b) => a - b);
  const median = speedUps[Math.floor(rounds / 2)];
  console.log(
    `  median throughput with two threads: ${median.toFixed(2)}× one thread (ideal 2×), load ${load()}`,
  );
}

if (isMainThread) void main();
else convRuns(workerData as Job);
