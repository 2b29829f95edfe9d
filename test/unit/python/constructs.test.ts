/**
 * The interpreter, one group of constructs per fixture (test/fixtures/python/constructs/):
 * functions, classes and exceptions, containers and formatting, tensors and indexing, modules
 * and optimizers. Each prints what CPython with PyTorch 1.13 prints (python_outputs.json).
 */
import { test } from "node:test";
import { assertRunsLikePyTorch, loadPythonReference } from "./printed";

const reference = loadPythonReference();

for (const name of Object.keys(reference.files).filter((n) => n.startsWith("constructs/"))) {
  test(`python constructs ${name.slice("constructs/".length)}: prints what CPython and PyTorch print`, () => assertRunsLikePyTorch(name, reference));
}
