/**
 * The graph page's HTML, as one pure function: the VS Code panel and the CLI's self-contained
 * HTML file both call it. No `vscode` here, so the CLI and the browser tests can use it.
 *
 * The page is locked down with a nonce CSP (`default-src 'none'`): only scripts and styles that
 * carry the nonce run. The webview bundle injects its own stylesheet with that nonce, and also
 * the tiny one Cytoscape would otherwise add without it, so no 'unsafe-inline' is needed.
 */
import type { GraphDto } from "../webview/protocol";
import { graphToJson } from "../webview/graphJson";

export interface WebviewHtmlOptions {
  /** `webview.cspSource` in VS Code; the origin serving the bundle elsewhere ("" for none). */
  cspSource: string;
  /** The bundle (dist/webview.js): by URI, or its text inlined (the CLI's standalone file). */
  script: { uri: string } | { inline: string };
  /** A fresh random nonce per page; made here when omitted. */
  nonce?: string;
  /** A graph to draw at once, before (or without) any message from a host. */
  graph?: GraphDto;
  /** The document title (e.g. the model file's name). */
  title?: string;
}

/** The complete HTML document of the graph page. */
export function webviewHtml(options: WebviewHtmlOptions): string {
  const nonce = options.nonce ?? makeNonce();
  const src = options.cspSource.trim();
  const from = src ? `${src} ` : "";
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${from}'nonce-${nonce}'`,
    `img-src ${from}data: blob:`,
    src ? `font-src ${src}` : "",
  ]
    .filter(Boolean)
    .join("; ");
  const graph = options.graph
    ? `\n  <script type="application/json" id="gradlens-graph">${jsonForHtml(graphToJson(options.graph))}</script>`
    : "";
  const script =
    "uri" in options.script
      ? `<script nonce="${nonce}" src="${escapeHtml(options.script.uri)}"></script>`
      : `<script nonce="${nonce}">${scriptForHtml(options.script.inline)}</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(options.title ?? "Gradlens graph")}</title>
</head>
<body>
  <div id="gradlens-root"></div>${graph}
  ${script}
</body>
</html>
`;
}

/** 32 random alphanumerics (Web Crypto: present in Node 20 and in browsers). */
export function makeNonce(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/** JSON text that cannot end its <script> element: `<`, `>` and `&` become \u escapes. */
export function jsonForHtml(json: string): string {
  return json
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026");
}

/** Text for HTML content and double-quoted attributes (the only kind this page uses). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

// NOTE: inside a classic <script>, only `</script` and `<!--` change how HTML parses the text.
// In JS, `<\/script` and `<\!--` mean the same in strings, regexes and comments.
function scriptForHtml(code: string): string {
  return code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}
