/** Running model code and reading its inlay hints as the editor places them (for the hint tests). */
import * as assert from "node:assert/strict";
import { placeHints, type HintPlace } from "../../../extension/inlayHints/places";
import { TextMap } from "../../../extension/inlayHints/textMap";
import type { RunResult } from "../../../extension/runProtocol/types";
import * as path from "node:path";
import { MODELS, runInSandbox, runSource } from "./fixtures";

export const HEADER = `import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;
`;

/** Runs `body` (after the imports) and places its hints in the text the run saw. */
export async function placed(body: string): Promise<{ r: RunResult; places: HintPlace[] }> {
  const source = HEADER + body;
  const r = await runSource(source);
  return { r, places: placeHints(r, () => true, new TextMap(source, source)) };
}

/** Runs a Python model file's `source` and shows its hints as `shownIn` does. */
export async function placedPython(
  name: string,
  source: string,
): Promise<{ r: RunResult; shown: string[] }> {
  const r = await runInSandbox({ file: path.join(MODELS, name), source });
  assert.equal(r.ok, true, r.error?.message);
  return { r, shown: shownIn(source, placeHints(r, () => true, new TextMap(source, source))) };
}

/** Each hint as `<the line up to the hint> ⇒ <label>`, in the order of the text. */
export function shownIn(source: string, places: HintPlace[]): string[] {
  return places
    .slice()
    .sort((a, b) => a.offset - b.offset)
    .map((p) => {
      const lineStart = source.lastIndexOf("\n", p.offset - 1) + 1;
      return `${source.slice(lineStart, p.offset).trim()} ⇒ ${p.label}`;
    });
}

export const shown = (body: string, places: HintPlace[]): string[] => shownIn(HEADER + body, places);

/** The tooltip of the hint whose line ends with `end` (before the hint). */
export function tooltipAfter(body: string, places: HintPlace[], end: string): string {
  const source = HEADER + body;
  const found = places.filter((p) => source.slice(0, p.offset).endsWith(end));
  assert.equal(found.length, 1, `one hint after ${end}`);
  return found[0].tooltip;
}
