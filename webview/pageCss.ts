/**
 * The page's stylesheet. Every colour comes from a VS Code theme variable, mapped once to a
 * `--gl-*` variable with a fallback (the fallbacks serve the CLI's standalone page, light or
 * dark after the OS). theme.ts reads the same `--gl-*` values for the canvas-drawn parts.
 */
export const PAGE_CSS = `
:root {
  --fb-bg: #1e1e1e; --fb-fg: #d4d4d4; --fb-muted: #9d9d9d; --fb-border: #454545;
  --fb-widget: #252526; --fb-blue: #3794ff; --fb-green: #89d185; --fb-orange: #d18616;
  --fb-purple: #b180d7; --fb-red: #f14c4c; --fb-yellow: #cca700; --fb-button: #0e639c;
  --fb-button-fg: #ffffff; --fb-button2: #3a3d41;
}
@media (prefers-color-scheme: light) {
  :root {
    --fb-bg: #ffffff; --fb-fg: #1f1f1f; --fb-muted: #717171; --fb-border: #d4d4d4;
    --fb-widget: #f3f3f3; --fb-blue: #1a85ff; --fb-green: #388a34; --fb-orange: #c27d1a;
    --fb-purple: #652d90; --fb-red: #e51400; --fb-yellow: #bf8803; --fb-button: #005fb8;
    --fb-button2: #e5e5e5;
  }
}
body {
  --gl-bg: var(--vscode-editor-background, var(--fb-bg));
  --gl-fg: var(--vscode-editor-foreground, var(--fb-fg));
  --gl-muted: var(--vscode-descriptionForeground, var(--fb-muted));
  --gl-border: var(--vscode-contrastBorder, var(--vscode-widget-border, var(--vscode-panel-border, var(--fb-border))));
  --gl-focus: var(--vscode-focusBorder, var(--fb-blue));
  --gl-error: var(--vscode-errorForeground, var(--fb-red));
  --gl-warning: var(--vscode-editorWarning-foreground, var(--fb-yellow));
  --gl-widget-bg: var(--vscode-editorWidget-background, var(--fb-widget));
  --gl-op: var(--vscode-charts-blue, var(--fb-blue));
  --gl-leaf: var(--vscode-charts-green, var(--fb-green));
  --gl-param: var(--vscode-charts-orange, var(--fb-orange));
  --gl-tensor: var(--vscode-charts-foreground, var(--fb-muted));
  --gl-constant: var(--vscode-charts-lines, var(--fb-muted));
  --gl-module: var(--vscode-charts-purple, var(--fb-purple));
  --gl-negative: var(--vscode-charts-blue, var(--fb-blue));
  --gl-positive: var(--vscode-charts-red, var(--fb-red));
  --gl-font: var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  --gl-mono: var(--vscode-editor-font-family, ui-monospace, Menlo, Consolas, monospace);
  --gl-button: var(--vscode-button-background, var(--fb-button));
  --gl-button-fg: var(--vscode-button-foreground, var(--fb-button-fg));
  --gl-button-hover: var(--vscode-button-hoverBackground, var(--fb-button));
  --gl-button2: var(--vscode-button-secondaryBackground, var(--fb-button2));
  --gl-button2-fg: var(--vscode-button-secondaryForeground, var(--fb-fg));
  --gl-button2-hover: var(--vscode-button-secondaryHoverBackground, var(--fb-border));
  --gl-input-bg: var(--vscode-dropdown-background, var(--fb-widget));
  --gl-input-border: var(--vscode-dropdown-border, var(--fb-border));
  --gl-progress: var(--vscode-progressBar-background, var(--fb-blue));
  margin: 0; padding: 0; height: 100vh; overflow: hidden;
  background: var(--gl-bg); color: var(--gl-fg);
  font-family: var(--gl-font); font-size: var(--vscode-font-size, 13px);
}
#gradlens-root { display: flex; flex-direction: column; height: 100vh; }
button {
  font: inherit; font-size: 12px; padding: 3px 9px; border-radius: 2px; cursor: pointer;
  color: var(--gl-button2-fg); background: var(--gl-button2);
  border: 1px solid var(--vscode-button-border, transparent);
}
button:hover { background: var(--gl-button2-hover); }
button:focus-visible, select:focus-visible { outline: 1px solid var(--gl-focus); outline-offset: 1px; }
button.primary { color: var(--gl-button-fg); background: var(--gl-button); }
button.primary:hover { background: var(--gl-button-hover); }
button[aria-pressed="true"] { outline: 1px solid var(--gl-focus); }
button:disabled { opacity: 0.5; cursor: default; }
.gl-toolbar {
  display: flex; align-items: center; gap: 6px; padding: 6px 10px; flex-wrap: wrap;
  border-bottom: 1px solid var(--gl-border);
}
.gl-group { display: flex; gap: 4px; align-items: center; }
.gl-sep { width: 1px; align-self: stretch; background: var(--gl-border); margin: 0 4px; }
.gl-label { color: var(--gl-muted); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
.gl-spacer { flex: 1; }
.gl-title { font-weight: 600; margin-right: 6px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 30vw; }
.gl-status { display: none; padding: 4px 10px; font-size: 12px; border-bottom: 1px solid var(--gl-border); }
.gl-status.shown { display: flex; gap: 8px; align-items: flex-start; white-space: pre-wrap; max-height: 30vh; overflow: auto; }
.gl-status.error { color: var(--gl-error); }
.gl-status.untrusted { color: var(--gl-warning); }
.gl-notice { padding: 4px 10px; font-size: 12px; color: var(--gl-warning); border-bottom: 1px solid var(--gl-border); }
.gl-notice[hidden] { display: none; }
.gl-graph.stale .gl-canvas { opacity: 0.45; filter: grayscale(0.6); }
.gl-status.running::before {
  content: ""; width: 10px; height: 10px; border-radius: 50%;
  border: 2px solid var(--gl-progress); border-right-color: transparent;
  animation: gl-spin .8s linear infinite;
}
@keyframes gl-spin { to { transform: rotate(360deg); } }
.gl-main { display: flex; flex: 1; min-height: 0; }
.gl-graph { flex: 1; position: relative; min-width: 0; }
.gl-canvas { position: absolute; inset: 0; }
.gl-empty {
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  color: var(--gl-muted); pointer-events: none;
}
.gl-empty[hidden] { display: none; }
.gl-footer {
  display: flex; gap: 14px; align-items: center; padding: 3px 10px; font-size: 11px;
  color: var(--gl-muted); border-top: 1px solid var(--gl-border);
}
.gl-legend { display: flex; gap: 10px; }
.gl-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; border: 2px solid; box-sizing: border-box; }
.gl-swatch.op { border-color: var(--gl-op); } .gl-swatch.leaf { border-color: var(--gl-leaf); }
.gl-swatch.param { border-color: var(--gl-param); } .gl-swatch.tensor { border-color: var(--gl-tensor); }
.gl-swatch.constant { border-color: var(--gl-constant); border-style: dotted; }
.gl-swatch.module { border-color: var(--gl-module); border-style: dashed; }
.gl-swatch.nograd { border-color: var(--gl-warning); border-style: dashed; }
.gl-swatch.failed { border-color: var(--gl-error); background: var(--gl-error); }
.gl-details {
  width: 340px; flex: none; overflow: auto; padding: 10px 12px; box-sizing: border-box;
  border-left: 1px solid var(--gl-border); background: var(--gl-widget-bg);
}
.gl-details[hidden] { display: none; }
/* A narrow panel (VS Code's half of the window) docks the details below the graph. */
@media (max-width: 900px) {
  .gl-main { flex-direction: column; }
  .gl-details { width: auto; height: 38%; border-left: none; border-top: 1px solid var(--gl-border); }
}
.gl-search {
  font: inherit; font-size: 12px; width: 170px; padding: 2px 6px; color: var(--gl-fg);
  background: var(--vscode-input-background, var(--gl-input-bg));
  border: 1px solid var(--vscode-input-border, var(--gl-input-border)); border-radius: 2px;
}
.gl-search:focus { outline: 1px solid var(--gl-focus); }
.gl-found { color: var(--gl-muted); font-size: 11px; min-width: 4em; }
button[hidden] { display: none; }
.gl-details h2 { font-size: 14px; margin: 0 0 4px; word-break: break-all; font-family: var(--gl-mono); }
.gl-details h3 { font-size: 11px; margin: 14px 0 6px; color: var(--gl-muted); text-transform: uppercase; letter-spacing: .04em; }
.gl-head { display: flex; align-items: flex-start; gap: 6px; }
.gl-head h2 { flex: 1; }
.gl-close { padding: 0 6px; background: transparent; }
.gl-chips { display: flex; gap: 4px; flex-wrap: wrap; margin: 4px 0 8px; }
.gl-chip { font-size: 11px; padding: 1px 6px; border-radius: 8px; border: 1px solid var(--gl-border); font-family: var(--gl-mono); }
.gl-chip.failed { color: var(--gl-error); border-color: var(--gl-error); }
.gl-chip.nograd { color: var(--gl-warning); border-color: var(--gl-warning); }
.gl-loc { display: flex; align-items: center; gap: 8px; font-family: var(--gl-mono); font-size: 12px; color: var(--gl-muted); }
.gl-actions { display: flex; gap: 6px; margin-top: 8px; }
table.gl-stats { border-collapse: collapse; width: 100%; font-family: var(--gl-mono); font-size: 12px; }
.gl-stats th, .gl-stats td { text-align: right; padding: 2px 6px; border-bottom: 1px solid var(--gl-border); }
.gl-stats th:first-child, .gl-stats td:first-child { text-align: left; color: var(--gl-muted); }
.gl-slices { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; font-size: 12px; margin-bottom: 6px; }
select { font: inherit; font-size: 12px; color: var(--gl-fg); background: var(--gl-input-bg); border: 1px solid var(--gl-input-border); }
.gl-maps { display: flex; gap: 10px; flex-wrap: wrap; }
.gl-map { display: flex; flex-direction: column; gap: 3px; font-size: 11px; color: var(--gl-muted); min-width: 120px; }
.gl-scalebar { height: 5px; border-radius: 2px; background: linear-gradient(to right, var(--gl-negative), var(--gl-bg), var(--gl-positive)); border: 1px solid var(--gl-border); }
.gl-map canvas { image-rendering: pixelated; border: 1px solid var(--gl-border); background: var(--gl-bg); }
.gl-scale { display: flex; justify-content: space-between; font-family: var(--gl-mono); }
.gl-readout { font-family: var(--gl-mono); font-size: 12px; min-height: 1.4em; margin-top: 4px; }
.gl-note { color: var(--gl-muted); font-size: 11px; margin-top: 4px; }
.gl-legends { display: flex; }
.gl-maglegend { display: flex; gap: 8px; align-items: center; white-space: nowrap; }
.gl-magbar { width: 120px; height: 10px; border: 1px solid var(--gl-border); }
.gl-magend { font-family: var(--gl-mono); }
.gl-warnings { padding: 4px 10px; border-bottom: 1px solid var(--gl-border); display: flex; flex-direction: column; gap: 3px; max-height: 20vh; overflow: auto; }
.gl-warnings[hidden], .gl-stepbar[hidden], .gl-parameters[hidden] { display: none; }
.gl-warning { display: flex; gap: 8px; align-items: baseline; font-size: 12px; }
.gl-warning-icon { color: var(--gl-warning); font-weight: bold; min-width: 1em; text-align: center; border: 1px solid var(--gl-warning); border-radius: 3px; padding: 0 3px; }
.gl-warning-nonFinite .gl-warning-icon { color: var(--gl-error); border-color: var(--gl-error); }
.gl-warning-text { flex: 1; }
.gl-warning-stale .gl-warning-text { opacity: .7; }
.gl-warning-when { color: var(--gl-muted); font-size: 11px; font-style: italic; }
.gl-warning-show { padding: 0 6px; font-size: 11px; }
.gl-stepbar { display: flex; gap: 6px; align-items: center; padding: 4px 10px; border-bottom: 1px solid var(--gl-border); background: var(--gl-widget-bg); }
.gl-step-counter { font-family: var(--gl-mono); font-size: 12px; }
.gl-parameters { width: 560px; flex: none; overflow: auto; padding: 6px 10px; box-sizing: border-box; border-left: 1px solid var(--gl-border); }
.gl-parameters h3 { font-size: 11px; margin: 4px 0 6px; color: var(--gl-muted); text-transform: uppercase; letter-spacing: .04em; }
table.gl-ptable { border-collapse: collapse; width: 100%; font-family: var(--gl-mono); font-size: 11px; }
.gl-ptable th, .gl-ptable td { text-align: right; padding: 2px 5px; border-bottom: 1px solid var(--gl-border); white-space: nowrap; }
.gl-ptable th:first-child, .gl-ptable td:first-child { text-align: left; }
.gl-ptable th button { background: transparent; padding: 0; font-weight: 600; color: var(--gl-muted); }
.gl-ptable tbody tr { cursor: pointer; }
.gl-ptable tbody tr:hover { background: var(--gl-button2-hover); }
.gl-ptable tbody tr.selected { outline: 1px solid var(--gl-focus); background: var(--gl-button2); }
.gl-pname { max-width: 150px; overflow: hidden; text-overflow: ellipsis; }
.gl-hist { width: 64px; height: 18px; vertical-align: middle; }
.gl-spark { vertical-align: middle; }
.gl-chart-line { fill: none; stroke: var(--gl-param); stroke-width: 1.5; stroke-linejoin: round; }
.gl-chart-dot { fill: var(--gl-param); }
.gl-chart-grid { stroke: var(--gl-border); stroke-width: 1; }
.gl-chart-axis { stroke: var(--gl-muted); stroke-width: 1; }
.gl-chart-tick { fill: var(--gl-muted); font-family: var(--gl-mono); font-size: 10px; }
.gl-parameters.gl-with-steps { width: 660px; }
.gl-step-detail h4 { font-size: 11px; margin: 10px 0 4px; color: var(--gl-muted); font-weight: 600; }
@media (max-width: 900px) {
  .gl-parameters, .gl-parameters.gl-with-steps { width: auto; height: 38%; border-left: none; border-top: 1px solid var(--gl-border); }
}
.gl-step h2 { font-family: var(--gl-mono); }
.gl-step h3 { text-transform: none; letter-spacing: 0; font-size: 12px; }
.gl-rule { margin: 4px 0; line-height: 1.4; }
.gl-formula { display: block; font-family: var(--gl-mono); font-size: 13px; margin: 4px 0; padding: 3px 6px; background: var(--gl-bg); border-left: 2px solid var(--gl-focus); }
.gl-tensor { display: flex; flex-direction: column; gap: 4px; margin-bottom: 6px; }
.gl-tensor-stats { font-family: var(--gl-mono); font-size: 11px; color: var(--gl-muted); }
.gl-values { font-family: var(--gl-mono); font-size: 12px; word-break: break-word; }
.gl-leaving-name { font-family: var(--gl-mono); font-weight: 600; margin-top: 4px; }
.gl-tensor canvas { image-rendering: pixelated; border: 1px solid var(--gl-border); align-self: flex-start; }
body.vscode-high-contrast button, body.vscode-high-contrast-light button { border-color: var(--gl-border); }
`;
