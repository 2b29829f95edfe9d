/**
 * Lezer's Python expressions → the interpreter's AST (ast.ts): literals and f-strings,
 * containers and comprehensions, members, subscripts and calls, operators (chained
 * comparisons folded into one `cmp`), parameter lists. toAst.ts reads the statements.
 */
import type { SyntaxNode } from "@lezer/common";
import type { Arg, CompClause, DictEntry, Expr, FormatPart, Param } from "./ast";
import { splitLiteral, stringValue, unescape } from "./strings";
import { NodeReader, PySyntaxError } from "./nodeReader";

/** What the grammar parses but Gradlens does not run, by node name. */
export const UNSUPPORTED: Record<string, string> = {
  YieldExpression: "generators (yield)",
  YieldStatement: "generators (yield)",
  AwaitExpression: "async code (await)",
  async: "async code",
  MatchStatement: "the match statement",
  NamedExpression: "the walrus operator (:=)",
};

export class ExprConverter extends NodeReader {
  /** `a, b` (no brackets) as a tuple; one expression as itself. */
  protected exprList(nodes: SyntaxNode[], line: number): Expr {
    const groups = this.split(nodes, ",");
    const trailing = groups.length > 1 && groups[groups.length - 1].length === 0;
    const items = groups.filter((g) => g.length > 0).map((g) => this.starredOr(g));
    return items.length === 1 && !trailing ? items[0] : { k: "tuple", line, items };
  }

  protected starredOr(g: SyntaxNode[]): Expr {
    if (g[0].name === "*") return { k: "starred", line: this.line(g[0].from), e: this.expr(g[1]) };
    return this.expr(g[0]);
  }

  protected params(list: SyntaxNode): Param[] {
    const out: Param[] = [];
    let kwOnly = false;
    for (const g of this.split(this.children(list).filter((c) => c.name !== "(" && c.name !== ")"), ",")) {
      const parts = g.filter((c) => c.name !== "TypeDef");
      if (parts.length === 0) continue;
      if (parts[0].name === "/") continue;
      if (parts[0].name === "*" && parts.length === 1) {
        kwOnly = true;
        continue;
      }
      if (parts[0].name === "*" || parts[0].name === "**") {
        out.push({ name: this.text(parts[1]), kind: parts[0].name === "*" ? "star" : "dstar", default: null });
        if (parts[0].name === "*") kwOnly = true;
        continue;
      }
      const eq = parts.findIndex((c) => c.name === "AssignOp");
      out.push({ name: this.text(parts[0]), kind: kwOnly ? "kwonly" : "normal", default: eq < 0 ? null : this.expr(parts[eq + 1]) });
    }
    return out;
  }

  expr(n: SyntaxNode): Expr {
    const line = this.line(n.from);
    switch (n.name) {
      case "VariableName":
        return { k: "name", line, id: this.text(n) };
      case "Number":
        return this.number(this.text(n), line);
      case "String":
        return { k: "str", line, value: stringValue(this.text(n)) };
      case "FormatString":
        return { k: "fstr", line, parts: this.formatParts(n) };
      case "ContinuedString":
        return this.continued(n, line);
      case "Boolean":
        return { k: "const", line, value: this.text(n) === "True" };
      case "None":
        return { k: "const", line, value: null };
      case "Ellipsis":
        return { k: "const", line, value: "..." };
      case "ParenthesizedExpression": {
        const inner = this.children(n).filter((c) => c.name !== "(" && c.name !== ")");
        return this.expr(inner[0]);
      }
      case "TupleExpression":
        return this.sequence(n, "tuple", line);
      case "ArrayExpression":
        return this.sequence(n, "list", line);
      case "SetExpression":
        return this.sequence(n, "set", line);
      case "DictionaryExpression":
        return this.dict(n, line);
      case "ArrayComprehensionExpression":
        return this.comprehension(n, "list", line);
      case "SetComprehensionExpression":
        return this.comprehension(n, "set", line);
      case "ComprehensionExpression":
        return this.comprehension(n, "gen", line);
      case "DictionaryComprehensionExpression":
        return this.comprehension(n, "dict", line);
      case "MemberExpression":
        return this.member(n, line);
      case "CallExpression": {
        const [fn, argList] = this.children(n);
        return { k: "call", line, col: this.column(this.calleeStart(fn)), fn: this.expr(fn), args: this.args(argList) };
      }
      case "BinaryExpression":
        return this.binary(n, line);
      case "UnaryExpression": {
        const [op, e] = this.children(n);
        const t = this.text(op);
        if (t === "not") return { k: "not", line, e: this.expr(e) };
        return { k: "unary", line, op: t as "-" | "+" | "~", e: this.expr(e) };
      }
      case "ConditionalExpression": {
        const cs = this.children(n);
        return { k: "cond", line, body: this.expr(cs[0]), test: this.expr(cs[2]), orelse: this.expr(cs[4]) };
      }
      case "LambdaExpression": {
        const cs = this.children(n);
        const list = cs.find((c) => c.name === "ParamList");
        return { k: "lambda", line, params: list ? this.params(list) : [], body: this.expr(cs[cs.length - 1]) };
      }
      default:
        if (UNSUPPORTED[n.name]) this.fail(n, UNSUPPORTED[n.name]);
        return this.fail(n, `this expression (${n.name})`);
    }
  }

  protected number(text: string, line: number): Expr {
    const t = text.replace(/_/g, "");
    if (/[jJ]$/.test(t)) throw new PySyntaxError("Gradlens does not run complex numbers", line);
    if (/^0[xX]/.test(t)) return { k: "num", line, value: parseInt(t.slice(2), 16), float: false };
    if (/^0[oO]/.test(t)) return { k: "num", line, value: parseInt(t.slice(2), 8), float: false };
    if (/^0[bB]/.test(t)) return { k: "num", line, value: parseInt(t.slice(2), 2), float: false };
    const float = /[.eE]/.test(t);
    return { k: "num", line, value: Number(t), float };
  }

  protected continued(n: SyntaxNode, line: number): Expr {
    const parts: FormatPart[] = [];
    for (const c of this.children(n)) {
      if (c.name === "FormatString") parts.push(...this.formatParts(c));
      else parts.push(stringValue(this.text(c)));
    }
    if (parts.every((p) => typeof p === "string")) return { k: "str", line, value: parts.join("") };
    return { k: "fstr", line, parts };
  }

  /** An f-string's literal text (the gaps between replacement fields) and its fields. */
  protected formatParts(n: SyntaxNode): FormatPart[] {
    const { prefix, quote } = splitLiteral(this.text(n));
    const raw = prefix.includes("r");
    const parts: FormatPart[] = [];
    let at = n.from + prefix.length + quote.length;
    const end = n.to - quote.length;
    const literal = (from: number, to: number) => {
      if (to <= from) return;
      const s = this.src.slice(from, to).replace(/\{\{/g, "{").replace(/\}\}/g, "}");
      parts.push(raw ? s : unescape(s));
    };
    for (const field of this.children(n)) {
      if (field.name !== "FormatReplacement") continue;
      literal(at, field.from);
      const cs = this.children(field).filter((c) => c.name !== "{" && c.name !== "}");
      const conv = cs.find((c) => c.name === "FormatConversion");
      const spec = cs.find((c) => c.name === "FormatSpec");
      const exprNode = cs[0];
      let self = "";
      const afterExpr = this.src.slice(exprNode.to, conv?.from ?? spec?.from ?? field.to - 1);
      if (afterExpr.trim() === "=") self = this.src.slice(field.from + 1, exprNode.to) + "=";
      if (self) parts.push(self);
      parts.push({
        expr: this.expr(exprNode),
        conversion: conv ? this.text(conv).slice(1) : self ? "r" : null,
        spec: spec ? this.src.slice(spec.from + 1, spec.to) : "",
      });
      at = field.to;
    }
    literal(at, end);
    return parts;
  }

  protected sequence(n: SyntaxNode, k: "tuple" | "list" | "set", line: number): Expr {
    const inner = this.children(n).filter((c) => !["(", ")", "[", "]", "{", "}"].includes(c.name));
    const items = this.split(inner, ",").filter((g) => g.length).map((g) => this.starredOr(g));
    return { k, line, items };
  }

  protected dict(n: SyntaxNode, line: number): Expr {
    const inner = this.children(n).filter((c) => c.name !== "{" && c.name !== "}");
    const entries: DictEntry[] = this.split(inner, ",")
      .filter((g) => g.length)
      .map((g) => (g[0].name === "**" ? { spread: this.expr(g[1]) } : { key: this.expr(g[0]), value: this.expr(g[2]) }));
    return { k: "dict", line, entries };
  }

  protected comprehension(n: SyntaxNode, kind: "list" | "set" | "gen" | "dict", line: number): Expr {
    const cs = this.children(n).filter((c) => !["(", ")", "[", "]", "{", "}"].includes(c.name));
    const firstFor = cs.findIndex((c) => c.name === "for");
    const head = cs.slice(0, firstFor);
    const clauses: CompClause[] = [];
    let i = firstFor;
    while (i < cs.length) {
      if (cs[i].name === "for") {
        const inAt = cs.findIndex((c, j) => j > i && c.name === "in");
        clauses.push({ target: this.exprList(cs.slice(i + 1, inAt), line), iter: this.expr(cs[inAt + 1]), ifs: [] });
        i = inAt + 2;
      } else if (cs[i].name === "if") {
        clauses[clauses.length - 1].ifs.push(this.expr(cs[i + 1]));
        i += 2;
      } else if (cs[i].name === "async") this.fail(cs[i], "async code");
      else i++;
    }
    if (kind === "dict") return { k: "comp", line, kind, elt: this.expr(head[0]), value: this.expr(head[2]), clauses };
    return { k: "comp", line, kind, elt: this.expr(head[0]), clauses };
  }

  /**
   * Where a call is placed: a method called on a call's result (`conv2(h).flatten(1)`) at its
   * method's name, as V8 places a TypeScript one, so that each call of the chain gets its own
   * hint; any other call at its start (`nn.Conv2d(...)` at `nn`).
   */
  protected calleeStart(fn: SyntaxNode): number {
    const cs = fn.name === "MemberExpression" ? this.children(fn) : [];
    const chained = cs[0]?.name === "CallExpression" && cs[1]?.name === "." && cs[2];
    return chained ? cs[2].from : fn.from;
  }

  protected member(n: SyntaxNode, line: number): Expr {
    // NOTE: the grammar reads a float literal with a trailing dot (`1.`, `[1., 2.]`) as a
    // member access with a missing name: that shape is the literal
    const first = n.firstChild!;
    const last = n.lastChild!;
    if (first.name === "Number" && first.nextSibling?.name === "." && (last.type.isError || last.name === ".")) {
      return { k: "num", line, value: Number(this.text(first).replace(/_/g, "")), float: true };
    }
    const cs = this.children(n);
    const obj = this.expr(cs[0]);
    if (cs[1].name === ".") return { k: "attr", line, obj, name: this.text(cs[2]) };
    const inner = cs.slice(2, -1);
    const groups = this.split(inner, ",");
    const trailing = groups.length > 1 && groups[groups.length - 1].length === 0;
    const items = groups.filter((g) => g.length).map((g) => this.subscriptItem(g, line));
    // after a call (`rnn(x)[0]`) the call has the object's start; the subscript takes its `[`
    const col = this.column(cs[0].name === "CallExpression" ? cs[1].from : n.from);
    return { k: "index", line, col, obj, items, tuple: items.length > 1 || trailing };
  }

  /** `i`, `i:i+h`, `::2`, `*rest`: colons split the bounds of a slice. */
  protected subscriptItem(g: SyntaxNode[], line: number): Expr {
    if (!g.some((c) => c.name === ":")) return this.starredOr(g);
    const bounds: (Expr | null)[] = [];
    let cur: Expr | null = null;
    for (const c of g) {
      if (c.name === ":") {
        bounds.push(cur);
        cur = null;
      } else cur = this.expr(c);
    }
    bounds.push(cur);
    return { k: "slice", line, lo: bounds[0] ?? null, hi: bounds[1] ?? null, step: bounds[2] ?? null };
  }

  protected args(list: SyntaxNode): Arg[] {
    const inner = this.children(list).filter((c) => c.name !== "(" && c.name !== ")");
    const cs = inner;
    // a generator expression as the only argument: f(x for x in y)
    if (cs.some((c) => c.name === "for")) {
      return [{ kind: "pos", value: this.comprehension(list, "gen", this.line(list.from)) }];
    }
    return this.split(cs, ",")
      .filter((g) => g.length)
      .map((g): Arg => {
        if (g[0].name === "*") return { kind: "star", value: this.expr(g[1]) };
        if (g[0].name === "**") return { kind: "dstar", value: this.expr(g[1]) };
        if (g.length >= 3 && g[1].name === "AssignOp") return { kind: "kw", name: this.text(g[0]), value: this.expr(g[2]) };
        return { kind: "pos", value: this.expr(g[0]) };
      });
  }

  protected binary(n: SyntaxNode, line: number): Expr {
    const cs = this.children(n);
    const l = cs[0];
    const r = cs[cs.length - 1];
    const op = cs
      .slice(1, -1)
      .map((c) => this.text(c))
      .join(" ");
    if (op === "and" || op === "or") return { k: "bool", line, op, l: this.expr(l), r: this.expr(r) };
    if (isCompare(op)) {
      // Python chains `a < b <= c`: Lezer nests it to the left
      const left = this.expr(l);
      const right = this.expr(r);
      if (l.name === "BinaryExpression" && left.k === "cmp") return { k: "cmp", line, ops: [...left.ops, op], operands: [...left.operands, right] };
      return { k: "cmp", line, ops: [op], operands: [left, right] };
    }
    return { k: "bin", line, op, l: this.expr(l), r: this.expr(r) };
  }
}

const COMPARE = new Set(["<", ">", "<=", ">=", "==", "!=", "in", "not in", "is", "is not", "<>"]);
const isCompare = (op: string): boolean => COMPARE.has(op);
