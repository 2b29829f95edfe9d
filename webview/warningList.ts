/**
 * The gradient warnings above the graph, one line each in words ("conv1's gradient is 10⁴×
 * smaller than fc3's: sigmoid saturates"); a click shows the layer it is about. A warning the
 * last backward found, kept while later runs ran forward only, is dimmed and says so. Text only.
 */
import { h } from "./dom";
import type { GradientWarning, NodeId } from "./protocol";

const ICONS: Record<GradientWarning["kind"], string> = {
  vanishing: "↓",
  exploding: "↑",
  zero: "0",
  none: "∅",
  nonFinite: "!",
};

export function showWarnings(
  box: HTMLElement,
  warnings: readonly GradientWarning[],
  show: (id: NodeId) => void,
): void {
  box.hidden = warnings.length === 0;
  box.replaceChildren(
    ...warnings.map((w) =>
      h(
        "div",
        {
          class: `gl-warning gl-warning-${w.kind}${w.stale ? " gl-warning-stale" : ""}`,
          attrs: { role: "listitem" },
        },
        h("span", {
          class: "gl-warning-icon",
          text: ICONS[w.kind],
          attrs: { "aria-hidden": "true" },
        }),
        h("span", { class: "gl-warning-text", text: w.message }),
        w.stale &&
          h("span", {
            class: "gl-warning-when",
            text: "last backward",
            title:
              "Found by the last backward; this run did not run backward. Run it again to update.",
          }),
        h("button", {
          class: "gl-warning-show",
          text: "Show",
          title: "Select it in the graph",
          on: { click: () => show(w.nodeId) },
        }),
      ),
    ),
  );
}
