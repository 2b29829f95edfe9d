/** Python string literals: prefixes, quotes and escapes, as the language reference reads them. */

/** `r`, `b`, `f`… and the quote of a literal's text (`rb'''x'''` → prefix "rb", quote "'''"). */
export function splitLiteral(text: string): { prefix: string; quote: string; body: string } {
  const m = /^([a-zA-Z]*)('''|"""|'|")/.exec(text);
  if (!m) return { prefix: "", quote: "", body: text };
  const [, prefix, quote] = m;
  const end = text.endsWith(quote) && text.length >= prefix.length + 2 * quote.length ? text.length - quote.length : text.length;
  return { prefix: prefix.toLowerCase(), quote, body: text.slice(prefix.length + quote.length, end) };
}

const SIMPLE: Record<string, string> = {
  n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v", "0": "\0",
};

/** Replaces backslash escapes (`\n`, `\x41`, `\u00e9`, a backslash before a newline). */
export function unescape(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\n|.)/g, (all, e: string) => {
    if (e === "\n") return "";
    if (e[0] === "x" || e[0] === "u" || e[0] === "U") return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return SIMPLE[e] ?? all;
  });
}

/** The value of one string literal's source text. */
export function stringValue(text: string): string {
  const { prefix, body } = splitLiteral(text);
  return prefix.includes("r") ? body : unescape(body);
}
