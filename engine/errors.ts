/**
 * Errors thrown by the engine. Each carries PyTorch's message for the same mistake, word for
 * word, so that searching the message finds the answer; the class names mirror Python's
 * exception types (`RuntimeError`, `IndexError`, `ValueError`). Beside the message each carries
 * its `reason` as data (engine/failureReasons.ts), for tools that must not parse the text.
 */
import type { FailureReason } from "./failureReasons";

const UNCLASSIFIED: FailureReason = Object.freeze({ kind: "unclassified" });

/** What every engine error has: PyTorch's message and the reason as data. */
export class EngineError extends Error {
  /** Why it failed, with the numbers (`{ kind: "matmulShapes", a: [1, 1000], b: [600, 60] }`). */
  readonly reason: FailureReason;

  constructor(message: string, reason: FailureReason = UNCLASSIFIED) {
    super(message);
    this.reason = reason;
  }
}

/** Most of PyTorch's checks fail with a `RuntimeError`. */
export class RuntimeError extends EngineError {
  override name = "RuntimeError";
}

/** A dimension or index out of range, as PyTorch's `IndexError`. */
export class IndexError extends EngineError {
  override name = "IndexError";
}

/** A bad argument value, as Python's `ValueError`. */
export class ValueError extends EngineError {
  override name = "ValueError";
}

/** A wrong argument type, as Python's `TypeError`. */
export class TorchTypeError extends EngineError {
  override name = "TypeError";
}

/** An option combination PyTorch does not implement, as Python's `NotImplementedError`. */
export class NotImplementedError extends EngineError {
  override name = "NotImplementedError";
}

/** A failed `assert` in PyTorch's Python code (e.g. a cell given a 3-D input), as Python's `AssertionError`. */
export class AssertionError extends EngineError {
  override name = "AssertionError";
}

/** A missing key, as Python's `KeyError`. */
export class KeyError extends EngineError {
  override name = "KeyError";
}

/** The same class under the name the layers branch gave it. */
export const TorchAssertionError = AssertionError;
