/**
 * The split tuner (engine/kernels/splitTuner.ts): probes split and whole jobs in turns, keeps
 * the faster way per multiply-add for the next jobs, and probes again after them.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { chooseSplit, timedJob } from "../../../engine/kernels/splitTuner";

/** A job that takes `ms` of wall clock. */
const busy = (ms: number) => () => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

/** Runs eligible jobs until the probe decides, split jobs taking `splitMs`, whole ones `wholeMs`. */
function probe(splitMs: number, wholeMs: number): boolean[] {
  const ways: boolean[] = [];
  for (let i = 0; i < 32; i++) {
    const split = chooseSplit();
    ways.push(split);
    timedJob(split, 1e6, busy(split ? splitMs : wholeMs));
  }
  return ways;
}

test("split tuner: probes in turns, keeps whole jobs when splitting was slower, probes again later", () => {
  const ways = probe(4, 2);
  assert.deepEqual(ways.slice(0, 4), [true, false, true, false], "split and whole in turns");
  const held = Array.from({ length: 256 }, () => chooseSplit());
  assert.ok(
    held.every((s) => !s),
    "splitting was slower: jobs stay whole",
  );
  assert.equal(chooseSplit(), true, "then a new probe starts with a split job");
});

test("split tuner: keeps splitting when it was faster", () => {
  probe(1, 4);
  const held = Array.from({ length: 256 }, () => chooseSplit());
  assert.ok(
    held.every((s) => s),
    "splitting was faster: jobs are split",
  );
});
