// The quick fixes of a failed run, as text edits: computed from the run's typed failure reason
// (never from its message) and the text the editor has now. Each edit is minimal: it replaces
// one argument, or inserts what was missing. Pure (no vscode); the provider applies them.
import type { FixReason, LayerSite, RunError } from "../runProtocol/types";
import type { SourceLocation } from "../../webview/protocol";
import { callArguments, languageOf, type Span } from "./callArguments";

/** Replace [start, end) of today's text with `newText` (an insertion when start === end). */
export interface TextEdit extends Span {
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

/** Today's text of the file the fixes go to, and where a place the run reported is in it. */
export interface FixTarget {
  text: string;
  /** The offset of a run's location in `text`; undefined when it is elsewhere or edited away. */
  offsetOf(location: SourceLocation): number | undefined;
}

/** The fixes for `error`, best first; none when it has no reason we know how to fix. */
export function quickFixes(error: RunError, target: FixTarget): QuickFix[] {
  const reason = error.fix;
  if (!reason) return [];
  const fixes = fixesFor(reason, error, target);
  return fixes.filter((f) => f.edits.length > 0);
}

function fixesFor(reason: FixReason, error: RunError, target: FixTarget): QuickFix[] {
  const layer = error.layer;
  switch (reason.kind) {
    case "linearFeatures":
      return layer ? linearFixes(reason, layer, error.location, target) : [];
    case "convChannels":
      return layer
        ? [
            fix(
              `Set ${spelled("inChannels", layer)} of ${label(layer)} to ${reason.got}`,
              setLayerSetting(target, layer, "inChannels", `${reason.got}`),
            ),
          ]
        : [];
    case "viewSize": {
      const size = fittingSize(reason.shape, reason.inputShape);
      if (!size || !error.location) return [];
      const edit = setArgument(target, error.location, size.index, `${size.value}`);
      return [
        fix(
          `Make the size ${size.value} (the tensor has ${numel(reason.inputShape)} elements)`,
          edit,
        ),
      ];
    }
    case "backwardTwice":
      return [
        fix(
          "Keep the graph for the next backward: { retainGraph: true }",
          retainGraph(target, reason.first),
        ),
      ];
  }
}

const fix = (title: string, edits: TextEdit[]): QuickFix => ({ title, edits });

/** `fc1`, or `net[7]: Linear(256 → 120)` for a member only an index names. */
export function label(layer: LayerSite): string {
  return /\]$/.test(layer.name) ? `${layer.name}: ${layer.description}` : layer.name;
}

const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * A Linear whose input has another feature count: set `inFeatures` to it; an input with more
 * than 2 dims is flattened first (`x.flatten(1)`, or an `nn.Flatten()` before it in its
 * container), and `inFeatures` set to the flattened count if that is not it already.
 */
function linearFixes(
  reason: Extract<FixReason, { kind: "linearFeatures" }>,
  layer: LayerSite,
  call: SourceLocation | undefined,
  target: FixTarget,
): QuickFix[] {
  const name = label(layer);
  if (reason.inputShape.length <= 2)
    return [
      fix(
        `Set ${spelled("inFeatures", layer)} of ${name} to ${reason.got}`,
        setLayerSetting(target, layer, "inFeatures", `${reason.got}`),
      ),
    ];
  const features = numel(reason.inputShape.slice(1));
  const flatten = layer.viaContainer
    ? insertFlattenLayer(target, layer.location)
    : call
      ? flattenArgument(target, call)
      : [];
  if (flatten.length === 0) return [];
  const alsoSet =
    features === reason.expected ? [] : setLayerSetting(target, layer, "inFeatures", `${features}`);
  const how = layer.viaContainer ? "add nn.Flatten() before it" : "flatten(1)";
  const andSet =
    alsoSet.length > 0 ? ` and set ${spelled("inFeatures", layer)} to ${features}` : "";
  return [fix(`Flatten the input of ${name} (${how})${andSet}`, [...flatten, ...alsoSet])];
}

/** A layer made in a Python file is set up with PyTorch's snake_case names (`in_features`). */
const isPython = (layer: LayerSite): boolean => languageOf(layer.location.file) === "python";

function spelled(setting: string, layer: LayerSite): string {
  return isPython(layer) ? setting.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : setting;
}

/**
 * The layer's first setting (`inFeatures`, `inChannels`) set to `value` in its construction:
 * the keyword argument when Python names it (`nn.Linear(in_features=256, …)`), else the first
 * argument when that is positional.
 */
function setLayerSetting(
  target: FixTarget,
  layer: LayerSite,
  setting: string,
  value: string,
): TextEdit[] {
  const call = callAt(target, layer.location);
  if (!call) return [];
  const keyword = new RegExp(`^${spelled(setting, layer)}\\s*=(?!=)\\s*`);
  for (const arg of call.args) {
    const named = keyword.exec(target.text.slice(arg.start, arg.end));
    if (named) return replaced(target, { start: arg.start + named[0].length, end: arg.end }, value);
  }
  const first = call.args[0];
  // `in_features=…` was not there: the first argument, unless it is another keyword or `*args`
  const positional = first && !/^(\w+\s*=(?!=)|\*)/.test(target.text.slice(first.start, first.end));
  return positional ? replaced(target, first, value) : [];
}

/** `span` replaced by `value`; no edit when it says that already. */
function replaced(target: FixTarget, span: Span, value: string): TextEdit[] {
  return target.text.slice(span.start, span.end) === value ? [] : [{ ...span, newText: value }];
}

/** Replaces argument `index` of the call at `at` with `value`. */
function setArgument(
  target: FixTarget,
  at: SourceLocation,
  index: number,
  value: string,
): TextEdit[] {
  const arg = callAt(target, at)?.args[index];
  return arg ? replaced(target, arg, value) : [];
}

/** `fc.forward(x)` → `fc.forward(x.flatten(1))` (an expression in parentheses first). */
function flattenArgument(target: FixTarget, at: SourceLocation): TextEdit[] {
  const arg = callAt(target, at)?.args[0];
  if (!arg) return [];
  const text = target.text.slice(arg.start, arg.end);
  const simple = /^[\w$.]+(\(.*\))?$/s.test(text) && !/^new\s/.test(text);
  return simple
    ? [{ start: arg.end, end: arg.end, newText: ".flatten(1)" }]
    : [
        { start: arg.start, end: arg.start, newText: "(" },
        { start: arg.end, end: arg.end, newText: ").flatten(1)" },
      ];
}

/** `new nn.Linear(…)` in a container → `new nn.Flatten(), new nn.Linear(…)`, as the file spells `nn`. */
function insertFlattenLayer(target: FixTarget, at: SourceLocation): TextEdit[] {
  const start = target.offsetOf(at);
  if (start === undefined) return [];
  const callee = /^new\s+((?:[\w$]+\.)*)[\w$]+\s*\(/.exec(target.text.slice(start, start + 200));
  if (!callee) return [];
  const lineStart = target.text.lastIndexOf("\n", start - 1) + 1;
  const before = target.text.slice(lineStart, start);
  // its own line when the layer has one; else beside it
  const separator = /^\s*$/.test(before) ? `\n${before}` : " ";
  return [{ start, end: start, newText: `new ${callee[1]}Flatten(),${separator}` }];
}

/** `loss.backward()` → `loss.backward(undefined, { retainGraph: true })`. */
function retainGraph(target: FixTarget, at: SourceLocation): TextEdit[] {
  const call = callAt(target, at);
  if (!call) return [];
  if (call.args.length === 0)
    return [{ start: call.close, end: call.close, newText: "undefined, { retainGraph: true }" }];
  if (call.args.length === 1)
    return [{ start: call.args[0].end, end: call.args[0].end, newText: ", { retainGraph: true }" }];
  return [];
}

function callAt(target: FixTarget, at: SourceLocation) {
  const offset = target.offsetOf(at);
  return offset === undefined
    ? undefined
    : callArguments(target.text, offset, languageOf(at.file));
}

/**
 * Which size of a `view`/`reshape` to change, and to what, so that the shape holds the input's
 * elements: the one after the batch dim when the first is the batch (or -1), else the last.
 */
export function fittingSize(
  shape: readonly number[],
  inputShape: readonly number[],
): { index: number; value: number } | undefined {
  const total = numel(inputShape);
  const keepsBatch = shape.length >= 2 && (shape[0] === -1 || shape[0] === inputShape[0]);
  const batch = inputShape[0] ?? 1;
  const index = keepsBatch && shape.length === 2 ? 1 : shape.length - 1;
  if (index < 0) return undefined;
  const others = shape.map((s, i) => (i === index ? 1 : s === -1 ? (i === 0 ? batch : NaN) : s));
  const rest = numel(others);
  if (!Number.isInteger(total / rest) || total / rest < 1) return undefined;
  return { index, value: total / rest };
}
