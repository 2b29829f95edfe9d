/**
 * The transpiler worker's help for an edit's run: its cache (a text transpiled ahead is found,
 * another text of the same file is not mistaken for it) and its warm-up in idle turns (a
 * request that arrives meanwhile is answered between two warm-up transpiles, not after all).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { MessageChannel } from "node:worker_threads";
import { TranspileCache } from "../../../extension/transpiler/transpileCache";
import { inIdleTurns } from "../../../extension/transpiler/idleWarmUp";
import type { Transpiled } from "../../../extension/runProtocol/transpiled";

/** A transpile that counts its calls and tags its output with the text it was given. */
function counting(): { calls: string[]; transpile: (file: string, source: string) => Transpiled } {
  const calls: string[] = [];
  return {
    calls,
    transpile: (file, source) => {
      calls.push(source);
      return { code: `/* ${file} */ ${source}`, sourceMap: "{}", problems: [] };
    },
  };
}

test("transpile cache: a text transpiled ahead is served without transpiling it again", () => {
  const { calls, transpile } = counting();
  const cache = new TranspileCache(transpile);
  const ahead = cache.get("/m.ts", "const a = 1;"); // the host's prefetch
  const asked = cache.get("/m.ts", "const a = 1;"); // the run worker's request
  assert.deepEqual(calls, ["const a = 1;"]);
  assert.equal(asked, ahead);
});

test("transpile cache: another text of the same file is transpiled, never served the old one", () => {
  const { calls, transpile } = counting();
  const cache = new TranspileCache(transpile);
  cache.get("/m.ts", "const a = 1;");
  const edited = cache.get("/m.ts", "const a = 2;");
  assert.equal(edited.code, "/* /m.ts */ const a = 2;");
  assert.equal(cache.get("/other.ts", "const a = 2;").code, "/* /other.ts */ const a = 2;");
  assert.equal(calls.length, 3);
});

test("transpile cache: past its limit the least recently used text goes first", () => {
  const { calls, transpile } = counting();
  const cache = new TranspileCache(transpile, 2);
  cache.get("/m.ts", "a");
  cache.get("/m.ts", "b");
  cache.get("/m.ts", "a"); // a is now the newest use
  cache.get("/m.ts", "c"); // b goes
  calls.length = 0;
  cache.get("/m.ts", "a");
  cache.get("/m.ts", "c");
  assert.deepEqual(calls, [], "a and c were kept");
  cache.get("/m.ts", "b");
  assert.deepEqual(calls, ["b"], "b was dropped");
});

test("idle warm-up: a message that arrives meanwhile is handled between two warm-up turns", async () => {
  const order: string[] = [];
  const { port1, port2 } = new MessageChannel();
  const answered = new Promise<void>((resolve) =>
    port1.once("message", () => {
      order.push("request");
      resolve();
    }),
  );
  const done = new Promise<void>((resolve) =>
    inIdleTurns(
      50,
      (i) => {
        order.push(`warm ${i}`);
        if (i === 1) port2.postMessage("transpile this"); // a run's request comes in
        const until = performance.now() + 2; // each turn takes a while, as a transpile does
        while (performance.now() < until);
      },
      resolve,
    ),
  );
  await Promise.all([answered, done]);
  port1.close();
  const at = order.indexOf("request");
  assert.ok(at > 0 && at < order.length - 1, `the request waited for the whole warm-up: ${order.join(", ")}`);
  assert.equal(order.filter((o) => o.startsWith("warm")).length, 50);
});

test("idle warm-up: a turn that throws ends the warm-up (it only costs speed)", async () => {
  let turns = 0;
  await new Promise<void>((resolve) =>
    inIdleTurns(
      10,
      () => {
        turns++;
        if (turns === 3) throw new Error("TypeScript failed");
      },
      resolve,
    ),
  );
  assert.equal(turns, 3);
});
