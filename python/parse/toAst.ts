/**
 * Lezer's Python tree → the interpreter's AST (ast.ts). The grammar is @lezer/python's: this
 * file only reads its nodes (statements here, expressions in toExpr.ts). What the grammar
 * parses but Gradlens does not run (generators, async, decorators other than
 * @staticmethod/@property/@classmethod) is a `PySyntaxError` on its line naming what is not
 * supported.
 */
import { parser } from "@lezer/python";
import type { SyntaxNode } from "@lezer/common";
import type { Expr, Handler, Stmt } from "./ast";
import { ExprConverter, UNSUPPORTED } from "./toExpr";

export { PySyntaxError } from "./nodeReader";

export function parsePython(source: string): Stmt[] {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return new Converter(source, lineStarts).module(parser.parse(source).topNode);
}

class Converter extends ExprConverter {
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
}
