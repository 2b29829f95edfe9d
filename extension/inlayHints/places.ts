// Which hints a run gives a file, where each goes in today's text and what it says. Pure (no
// vscode), so that unit tests check positions and labels on real runs; the provider only turns
// offsets into positions and markdown into a MarkdownString.
//
// A size hint follows the call that applied the layer (`conv.forward(x)`, `F.conv2d(...)`),
// except for an `nn.Sequential` member, which has no call of its own: its size follows its
// construction (`new nn.Conv1d(2, 8, 3)`), and the Sequential's call shows the Sequential's own
// output. A place holds one hint: a call run several times lists each distinct size once, and a
// construction with sizes shows them, with its formula in the tooltip.
import { formatShape } from "../../webview/format";
import type { LayerHint, RunResult, ShapeHint } from "../runProtocol/types";
import type { SourceLocation } from "../../webview/protocol";
import { callEnd } from "./callEnd";
import { languageOf } from "../codeActions/callArguments";
import type { TextMap } from "./textMap";

export interface HintPlace {
  /** Offset in today's text: just past the call or construction the hint follows. */
  offset: number;
  label: string;
  /** Markdown. */
  tooltip: string;
}

/** The hints of `result` in the file `text` is of (`inFile` tells its locations apart). */
export function placeHints(
  result: Pick<RunResult, "shapeHints" | "layerHints">,
  inFile: (file: string) => boolean,
  text: TextMap,
): HintPlace[] {
  const groups = new Map<number, { layers: LayerHint[]; shapes: ShapeHint[] }>();
  const add = (loc: SourceLocation, h: { layer: LayerHint } | { shape: ShapeHint }): void => {
    const offset = inFile(loc.file) ? afterCall(text, loc) : undefined;
    if (offset === undefined) return;
    const group = groups.get(offset) ?? { layers: [], shapes: [] };
    if ("layer" in h) group.layers.push(h.layer);
    else group.shapes.push(h.shape);
    groups.set(offset, group);
  };
  for (const layer of result.layerHints) add(layer.location, { layer });
  for (const shape of result.shapeHints) {
    const member = shape.viaContainer && shape.layerLocation;
    add(member && inFile(member.file) ? member : shape.location, { shape });
  }
  return [...groups].map(([offset, { layers, shapes }]) => ({
    offset,
    label:
      shapes.length > 0
        ? `→ ${distinct(shapes.map((s) => formatShape(s.outputShape))).join(", ")}`
        : distinct(layers.map((l) => l.formula)).join("; "),
    tooltip: layers.map(layerTooltip).join("") + shapeTooltip(shapes),
  }));
}

/** Just past the `)` of the call that starts at `loc` (else its line's end), in today's text. */
function afterCall(text: TextMap, loc: SourceLocation): number | undefined {
  const start = text.offsetOf(loc.line, loc.column);
  if (start === undefined) return undefined;
  const newline = text.before.indexOf("\n", start);
  const lineEnd =
    newline < 0 ? text.before.length : newline - (text.before[newline - 1] === "\r" ? 1 : 0);
  return text.map(callEnd(text.before, start, languageOf(loc.file)) ?? lineEnd);
}

const distinct = (items: string[]): string[] => [...new Set(items)];

/** What MarkdownString.appendCodeblock adds. */
const codeblock = (code: string): string => `\n\`\`\`text\n${code}\n\`\`\`\n`;

function shapeTooltip(shapes: ShapeHint[]): string {
  let md = "";
  const seen = new Set<string>();
  for (const s of shapes) {
    const input = s.inputShape.length > 0 ? `\`${formatShape(s.inputShape)}\` → ` : "→ ";
    const line = `**${s.op}** ${input}\`${formatShape(s.outputShape)}\`\n\n`;
    const key = `${line}|${s.formula}`;
    if (seen.has(key)) continue;
    seen.add(key);
    md += line + codeblock(s.formula);
  }
  for (const d of distinct(shapes.map((s) => s.documentation))) if (d) md += `\n\n${d}`;
  return md;
}

function layerTooltip(h: LayerHint): string {
  return `**${h.description}**\n\n${codeblock(h.formula)}`;
}
