/**
 * Lezer's Python tree → the interpreter's AST (ast.ts). The grammar is @lezer/python's: this
 * file only reads its nodes. What the grammar parses but Gradlens does not run (generators,
 * async, decorators other than @staticmethod/@property/@classmethod) is a `PySyntaxError` on
 * its line naming what is not supported.
 */
import { parser } from "@lezer/python";
import type { SyntaxNode } from "@lezer/common";
import type { Arg, CompClause, DictEntry, Expr, FormatPart, Handler, Param, Stmt } from "./ast";
import { splitLiteral, stringValue, unescape } from "./strings";

/** A Python file Gradlens cannot run: bad syntax, or syntax outside the subset. */
export class PySyntaxError extends Error {
  override name = "SyntaxError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const UNSUPPORTED: Record<string, string> = {
  YieldExpression: "generators (yield)",
  YieldStatement: "generators (yield)",
  AwaitExpression: "async code (await)",
  async: "async code",
  MatchStatement: "the match statement",
  NamedExpression: "the walrus operator (:=)",
};

export function parsePython(source: string): Stmt[] {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return new Converter(source, lineStarts).module(parser.parse(source).topNode);
}

class Converter {
  constructor(
    private readonly src: string,
    private readonly lineStarts: number[],
  ) {}

  private line(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 1-based column of `pos`. */
  private column(pos: number): number {
    return pos - this.lineStarts[this.line(pos) - 1] + 1;
  }

  private text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  private children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.type.isError) throw new PySyntaxError("invalid syntax", this.line(c.from));
      if (c.name !== "Comment") out.push(c);
    }
    return out;
  }

  private fail(n: SyntaxNode, what: string): never {
    throw new PySyntaxError(`Gradlens does not run ${what}`, this.line(n.from));
  }

  module(top: SyntaxNode): Stmt[] {
    return this.statements(this.children(top));
  }

  private statements(nodes: SyntaxNode[]): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) {
      if (n.name === "StatementGroup") out.push(...this.statements(this.children(n).filter((c) => c.name !== ";")));
      else if (n.name !== ";" && n.name !== ":") {
        const s = this.statement(n);
        if (s) out.push(s);
      }
    }
    return out;
  }

  private body(n: SyntaxNode | undefined): Stmt[] {
    if (!n) return [];
    return this.statements(this.children(n));
  }

  /** Splits children at `sep` tokens. */
  private split(nodes: SyntaxNode[], sep: string): SyntaxNode[][] {
    const groups: SyntaxNode[][] = [[]];
    for (const c of nodes) {
      if (c.name === sep) groups.push([]);
      else groups[groups.length - 1].push(c);
    }
    return groups;
  }

  /** `a, b` (no brackets) as a tuple; one expression as itself. */
  private exprList(nodes: SyntaxNode[], line: number): Expr {
    const groups = this.split(nodes, ",");
    const trailing = groups.length > 1 && groups[groups.length - 1].length === 0;
    const items = groups.filter((g) => g.length > 0).map((g) => this.starredOr(g));
    return items.length === 1 && !trailing ? items[0] : { k: "tuple", line, items };
  }

  private starredOr(g: SyntaxNode[]): Expr {
    if (g[0].name === "*") return { k: "starred", line: this.line(g[0].from), e: this.expr(g[1]) };
    return this.expr(g[0]);
  }

  private statement(n: SyntaxNode): Stmt | null {
    const line = this.line(n.from);
    const cs = this.children(n);
    switch (n.name) {
      case "ExpressionStatement":
        return { k: "expr", line, e: this.exprList(cs, line) };
      case "AssignStatement": {
        const parts = this.split(cs.filter((c) => c.name !== "TypeDef"), "AssignOp");
        if (parts.length === 1) return null; // `x: int` declares only
        const exprs = parts.map((p) => this.exprList(p, line));
        return { k: "assign", line, targets: exprs.slice(0, -1), value: exprs[exprs.length - 1] };
      }
      case "UpdateStatement": {
        const at = cs.findIndex((c) => c.name === "UpdateOp");
        const op = this.text(cs[at]).slice(0, -1);
        return { k: "augassign", line, target: this.exprList(cs.slice(0, at), line), op, value: this.exprList(cs.slice(at + 1), line) };
      }
      case "PassStatement":
        return { k: "pass", line };
      case "BreakStatement":
        return { k: "break", line };
      case "ContinueStatement":
        return { k: "continue", line };
      case "ReturnStatement":
        return { k: "return", line, value: cs.length > 1 ? this.exprList(cs.slice(1), line) : null };
      case "IfStatement":
        return this.ifChain(cs, 0);
      case "WhileStatement": {
        const bodies = cs.filter((c) => c.name === "Body");
        return { k: "while", line, test: this.expr(cs[1]), body: this.body(bodies[0]), orelse: this.body(bodies[1]) };
      }
      case "ForStatement": {
        const inAt = cs.findIndex((c) => c.name === "in");
        const bodyAt = cs.findIndex((c) => c.name === "Body");
        const bodies = cs.filter((c) => c.name === "Body");
        return {
          k: "for",
          line,
          target: this.exprList(cs.slice(1, inAt), line),
          iter: this.exprList(cs.slice(inAt + 1, bodyAt), line),
          body: this.body(bodies[0]),
          orelse: this.body(bodies[1]),
        };
      }
      case "FunctionDefinition":
        return this.def(n, cs, []);
      case "ClassDefinition":
        return this.classDef(cs, line, []);
      case "DecoratedStatement":
        return this.decorated(cs);
      case "TryStatement":
        return this.tryStmt(cs, line);
      case "RaiseStatement": {
        const fromAt = cs.findIndex((c) => c.name === "from");
        const end = fromAt < 0 ? cs.length : fromAt;
        return { k: "raise", line, exc: end > 1 ? this.expr(cs[1]) : null, cause: fromAt < 0 ? null : this.expr(cs[fromAt + 1]) };
      }
      case "WithStatement":
        return this.withStmt(cs, line);
      case "ImportStatement":
        return this.importStmt(cs, line);
      case "DeleteStatement":
        return { k: "del", line, targets: this.split(cs.slice(1), ",").filter((g) => g.length).map((g) => this.expr(g[0])) };
      case "AssertStatement": {
        const groups = this.split(cs.slice(1), ",");
        return { k: "assert", line, test: this.expr(groups[0][0]), msg: groups[1] ? this.expr(groups[1][0]) : null };
      }
      case "ScopeStatement": {
        const kind = this.text(cs[0]) === "global" ? "global" : "nonlocal";
        return { k: kind, line, names: cs.filter((c) => c.name === "VariableName").map((c) => this.text(c)) };
      }
      default:
        if (UNSUPPORTED[n.name]) this.fail(n, UNSUPPORTED[n.name]);
        return this.fail(n, `this statement (${n.name})`);
    }
  }

  private ifChain(cs: SyntaxNode[], from: number): Stmt {
    // children: if test Body (elif test Body)* (else Body)?
    const line = this.line(cs[from].from);
    const test = this.expr(cs[from + 1]);
    const body = this.body(cs[from + 2]);
    const next = cs[from + 3];
    let orelse: Stmt[] = [];
    if (next?.name === "elif") orelse = [this.ifChain(cs, from + 3)];
    else if (next?.name === "else") orelse = this.body(cs[from + 4]);
    return { k: "if", line, test, body, orelse };
  }

  private decorated(cs: SyntaxNode[]): Stmt {
    const decorators = cs.filter((c) => c.name === "Decorator").map((d) => this.expr(this.children(d)[1]));
    const target = cs[cs.length - 1];
    const inner = this.children(target);
    return target.name === "ClassDefinition"
      ? this.classDef(inner, this.line(target.from), decorators)
      : this.def(target, inner, decorators);
  }

  private def(n: SyntaxNode, cs: SyntaxNode[], decorators: Expr[]): Stmt {
    if (cs[0].name === "async") this.fail(n, "async code");
    const name = this.text(cs.find((c) => c.name === "VariableName")!);
    const params = this.params(cs.find((c) => c.name === "ParamList")!);
    const body = this.body(cs.find((c) => c.name === "Body"));
    return { k: "def", line: this.line(n.from), name, params, body, decorators };
  }

  private classDef(cs: SyntaxNode[], line: number, decorators: Expr[]): Stmt {
    const name = this.text(cs.find((c) => c.name === "VariableName")!);
    const argList = cs.find((c) => c.name === "ArgList");
    const bases = argList ? this.args(argList).filter((a) => a.kind === "pos").map((a) => a.value) : [];
    return { k: "class", line, name, bases, body: this.body(cs.find((c) => c.name === "Body")), decorators };
  }

  private params(list: SyntaxNode): Param[] {
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

  private tryStmt(cs: SyntaxNode[], line: number): Stmt {
    const handlers: Handler[] = [];
    let body: Stmt[] = [];
    let orelse: Stmt[] = [];
    let final: Stmt[] = [];
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c.name === "try") body = this.body(cs[++i]);
      else if (c.name === "except") {
        const h: Handler = { type: null, name: null, body: [], line: this.line(c.from) };
        let j = i + 1;
        if (cs[j].name !== "Body") h.type = this.expr(cs[j++]);
        if (cs[j].name === "as") {
          h.name = this.text(cs[j + 1]);
          j += 2;
        }
        h.body = this.body(cs[j]);
        handlers.push(h);
        i = j;
      } else if (c.name === "else") orelse = this.body(cs[++i]);
      else if (c.name === "finally") final = this.body(cs[++i]);
    }
    return { k: "try", line, body, handlers, orelse, final };
  }

  private withStmt(cs: SyntaxNode[], line: number): Stmt {
    if (cs[0].name === "async") this.fail(cs[0], "async code");
    const bodyAt = cs.findIndex((c) => c.name === "Body");
    const items = this.split(cs.slice(1, bodyAt), ",")
      .filter((g) => g.length)
      .map((g) => {
        const asAt = g.findIndex((c) => c.name === "as");
        return { ctx: this.expr(g[0]), target: asAt < 0 ? null : this.expr(g[asAt + 1]) };
      });
    return { k: "with", line, items, body: this.body(cs[bodyAt]) };
  }

  private importStmt(cs: SyntaxNode[], line: number): Stmt {
    const dotted = (g: SyntaxNode[]) => g.map((c) => this.text(c)).join("");
    if (cs[0].name === "from") {
      const importAt = cs.findIndex((c) => c.name === "import");
      const module = dotted(cs.slice(1, importAt));
      const rest = cs.slice(importAt + 1).filter((c) => c.name !== "(" && c.name !== ")");
      const names = this.split(rest, ",")
        .filter((g) => g.length)
        .map((g) => {
          const asAt = g.findIndex((c) => c.name === "as");
          return { name: this.text(g[0]), asname: asAt < 0 ? null : this.text(g[asAt + 1]) };
        });
      return { k: "from", line, module, names };
    }
    const names = this.split(cs.slice(1), ",")
      .filter((g) => g.length)
      .map((g) => {
        const asAt = g.findIndex((c) => c.name === "as");
        return { module: dotted(asAt < 0 ? g : g.slice(0, asAt)), asname: asAt < 0 ? null : this.text(g[asAt + 1]) };
      });
    return { k: "import", line, names };
  }

  // ---- expressions ------------------------------------------------------------------

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
        return { k: "call", line, col: this.column(n.from), fn: this.expr(fn), args: this.args(argList) };
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

  private number(text: string, line: number): Expr {
    const t = text.replace(/_/g, "");
    if (/[jJ]$/.test(t)) throw new PySyntaxError("Gradlens does not run complex numbers", line);
    if (/^0[xX]/.test(t)) return { k: "num", line, value: parseInt(t.slice(2), 16), float: false };
    if (/^0[oO]/.test(t)) return { k: "num", line, value: parseInt(t.slice(2), 8), float: false };
    if (/^0[bB]/.test(t)) return { k: "num", line, value: parseInt(t.slice(2), 2), float: false };
    const float = /[.eE]/.test(t);
    return { k: "num", line, value: Number(t), float };
  }

  private continued(n: SyntaxNode, line: number): Expr {
    const parts: FormatPart[] = [];
    for (const c of this.children(n)) {
      if (c.name === "FormatString") parts.push(...this.formatParts(c));
      else parts.push(stringValue(this.text(c)));
    }
    if (parts.every((p) => typeof p === "string")) return { k: "str", line, value: parts.join("") };
    return { k: "fstr", line, parts };
  }

  /** An f-string's literal text (the gaps between replacement fields) and its fields. */
  private formatParts(n: SyntaxNode): FormatPart[] {
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

  private sequence(n: SyntaxNode, k: "tuple" | "list" | "set", line: number): Expr {
    const inner = this.children(n).filter((c) => !["(", ")", "[", "]", "{", "}"].includes(c.name));
    const items = this.split(inner, ",").filter((g) => g.length).map((g) => this.starredOr(g));
    return { k, line, items };
  }

  private dict(n: SyntaxNode, line: number): Expr {
    const inner = this.children(n).filter((c) => c.name !== "{" && c.name !== "}");
    const entries: DictEntry[] = this.split(inner, ",")
      .filter((g) => g.length)
      .map((g) => (g[0].name === "**" ? { spread: this.expr(g[1]) } : { key: this.expr(g[0]), value: this.expr(g[2]) }));
    return { k: "dict", line, entries };
  }

  private comprehension(n: SyntaxNode, kind: "list" | "set" | "gen" | "dict", line: number): Expr {
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

  private member(n: SyntaxNode, line: number): Expr {
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
    return { k: "index", line, obj, items, tuple: items.length > 1 || trailing };
  }

  /** `i`, `i:i+h`, `::2`, `*rest`: colons split the bounds of a slice. */
  private subscriptItem(g: SyntaxNode[], line: number): Expr {
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

  private args(list: SyntaxNode): Arg[] {
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

  private binary(n: SyntaxNode, line: number): Expr {
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
