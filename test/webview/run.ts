/**
 * The browser test tier: the graph page in headless Chromium (and the page's pure rules in
 * Node). Prints each test's name and result; the LAST line is `N passed, M failed`, which
 * scripts/test-all.mjs reads; exits non-zero when anything failed.
 */
import { Harness } from "./harness";
import { pureTests } from "./pureCases";
import { pageTests } from "./pageCases";
import { perfTests } from "./perfCases";
import { readableTests } from "./readableCases";
import { scopeTests } from "./scopeCases";
import { securityTests } from "./securityCases";
import { gradientPageTests, gradientPureTests } from "./gradientCases";
import { parameterTests } from "./parameterCases";
import { stepTests } from "./stepCases";
import { warningTests } from "./warningCases";
import { trainingTests } from "./trainingCases";

export interface PageTest {
  name: string;
  run(h: Harness): Promise<void>;
}

/** `GRADLENS_TEST_GREP=<part of a title>` runs only the tests whose name contains it. */
const grep = process.env.GRADLENS_TEST_GREP ?? "";
const chosen = <T extends { name: string }>(tests: T[]): T[] =>
  tests.filter((t) => t.name.includes(grep));

async function main(): Promise<number> {
  let passed = 0;
  let failed = 0;
  const report = (name: string, err?: unknown): void => {
    if (err === undefined) {
      passed++;
      console.log(`  ✓ ${name}`);
    } else {
      failed++;
      console.log(
        `  ✗ ${name}\n      ${String((err as Error)?.stack ?? err)
          .split("\n")
          .slice(0, 6)
          .join("\n      ")}`,
      );
    }
  };
  console.log("webview: page rules (Node)");
  for (const t of chosen([...pureTests, ...scopeTests, ...gradientPureTests])) {
    try {
      t.run();
      report(t.name);
    } catch (err) {
      report(t.name, err);
    }
  }
  console.log("webview: the page in headless Chromium");
  let h: Harness | undefined;
  try {
    h = await Harness.start();
    for (const t of chosen([
      ...pageTests,
      ...readableTests,
      ...securityTests,
      ...perfTests,
      ...gradientPageTests,
      ...parameterTests,
      ...stepTests,
      ...warningTests,
      ...trainingTests,
    ])) {
      try {
        await t.run(h);
        report(t.name);
      } catch (err) {
        report(t.name, err ?? new Error("failed"));
      }
    }
  } catch (err) {
    report("launch Chromium and serve the page", err);
  } finally {
    await h?.close().catch(() => undefined);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

main().then(
  (failed) => process.exit(failed ? 1 : 0),
  (err) => {
    console.error(err);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
