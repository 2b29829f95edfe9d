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
function probe(kind: number, splitMs: number, wholeMs: number): boolean[] {
  const ways: boolean[] = [];
  for (let i = 0; i < 32; i++) {
    const split = chooseSplit(kind);
    ways.push(split);
    timedJob(kind, split, 1e6, busy(split ? splitMs : wholeMs));
  }
  return ways;
}

test("split tuner: probes in turns, keeps whole jobs when splitting was slower, probes again later", () => {
  const ways = probe(1, 4, 2);
  assert.deepEqual(ways.slice(0, 4), [true, false, true, false], "split and whole in turns");
  const held = Array.from({ length: 256 }, () => chooseSplit(1));
  assert.ok(
    held.every((s) => !s),
    "splitting was slower: jobs stay whole",
  );
  assert.equal(chooseSplit(1), true, "then a new probe starts with a split job");
});

test("split tuner: keeps splitting when it was faster, each kind of job on its own", () => {
  probe(2, 1, 4);
  assert.equal(chooseSplit(1), true, "kind 1's new probe goes on");
  const held = Array.from({ length: 256 }, () => chooseSplit(2));
  assert.ok(
    held.every((s) => s),
    "splitting was faster: jobs are split",
  );
});
