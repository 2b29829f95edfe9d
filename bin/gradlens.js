#!/usr/bin/env node
// `npx gradlens run FILE ...`: the CLI that webpack builds to dist/cli.js (or, in a checkout
// built only with tsc, out/extension/cli.js).
"use strict";
const fs = require("fs");
const path = require("path");

const built = [
  path.join(__dirname, "..", "dist", "cli.js"),
  path.join(__dirname, "..", "out", "extension", "cli.js"),
];
const cli = built.find((f) => fs.existsSync(f));
if (!cli) {
  console.error("gradlens: the CLI is not built yet: run `npm run compile` first");
  process.exit(2);
}
require(cli)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
