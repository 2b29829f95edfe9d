/**
 * Errors thrown by the engine. Each carries PyTorch's message for the same mistake, word for
 * word, so that searching the message finds the answer; the class names mirror Python's
 * exception types (`RuntimeError`, `IndexError`, `ValueError`).
 */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/** A dimension or index out of range, as PyTorch's `IndexError`. */
export class IndexError extends Error {
  override name = "IndexError";
}

/** A bad argument value, as Python's `ValueError`. */
export class ValueError extends Error {
  override name = "ValueError";
}

/** A wrong argument type, as Python's `TypeError`. */
export class TorchTypeError extends Error {
  override name = "TypeError";
}

/** An option combination PyTorch does not implement, as Python's `NotImplementedError`. */
export class NotImplementedError extends Error {
  override name = "NotImplementedError";
}

/** A failed `assert` in PyTorch's Python code (e.g. a cell given a 3-D input), as Python's `AssertionError`. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

/** A missing key, as Python's `KeyError`. */
export class KeyError extends Error {
  override name = "KeyError";
}

/** The same class under the name the layers branch gave it. */
export const TorchAssertionError = AssertionError;
