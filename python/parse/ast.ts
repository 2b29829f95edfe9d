/**
 * The small typed AST the interpreter runs: what `toAst.ts` makes of a Lezer Python tree.
 * Every node keeps its 1-based source line, so errors, the graph and hints point at the
 * Python line.
 */

export type Expr =
  | { k: "name"; line: number; id: string }
  | { k: "num"; line: number; value: number; float: boolean }
  | { k: "str"; line: number; value: string }
  | { k: "fstr"; line: number; parts: FormatPart[] }
  | { k: "const"; line: number; value: true | false | null | "..." }
  | { k: "attr"; line: number; obj: Expr; name: string }
  /** `col`: 1-based column where a hint's scan starts: the object's, or its `[` after a call. */
  | { k: "index"; line: number; col: number; obj: Expr; items: SubscriptItem[]; tuple: boolean }
  /** `col`: 1-based column where the call starts (its callee), where editor hints anchor. */
  | { k: "call"; line: number; col: number; fn: Expr; args: Arg[] }
  | { k: "bin"; line: number; op: string; l: Expr; r: Expr }
  | { k: "cmp"; line: number; ops: string[]; operands: Expr[] }
  | { k: "bool"; line: number; op: "and" | "or"; l: Expr; r: Expr }
  | { k: "not"; line: number; e: Expr }
  | { k: "unary"; line: number; op: "-" | "+" | "~"; e: Expr }
  | { k: "cond"; line: number; test: Expr; body: Expr; orelse: Expr }
  | { k: "lambda"; line: number; params: Param[]; body: Expr }
  | { k: "list" | "tuple" | "set"; line: number; items: Expr[] }
  | { k: "dict"; line: number; entries: DictEntry[] }
  | { k: "comp"; line: number; kind: "list" | "set" | "gen" | "dict"; elt: Expr; value?: Expr; clauses: CompClause[] }
  | { k: "starred"; line: number; e: Expr }
  | { k: "slice"; line: number; lo: Expr | null; hi: Expr | null; step: Expr | null };

/** An item between `[` and `]`: an expression or a `lo:hi:step` slice. */
export type SubscriptItem = Expr;

export type FormatPart = string | { expr: Expr; conversion: string | null; spec: string };

export interface Arg {
  kind: "pos" | "star" | "kw" | "dstar";
  name?: string;
  value: Expr;
}

export interface Param {
  name: string;
  kind: "normal" | "star" | "dstar" | "kwonly";
  default: Expr | null;
}

export type DictEntry = { key: Expr; value: Expr } | { spread: Expr };

export interface CompClause {
  target: Expr;
  iter: Expr;
  ifs: Expr[];
}

export interface Handler {
  type: Expr | null;
  name: string | null;
  body: Stmt[];
  line: number;
}

export type Stmt =
  | { k: "expr"; line: number; e: Expr }
  | { k: "assign"; line: number; targets: Expr[]; value: Expr }
  | { k: "augassign"; line: number; target: Expr; op: string; value: Expr }
  | { k: "if"; line: number; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: "while"; line: number; test: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: "for"; line: number; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] }
  | { k: "break" | "continue" | "pass"; line: number }
  | { k: "return"; line: number; value: Expr | null }
  | { k: "def"; line: number; name: string; params: Param[]; body: Stmt[]; decorators: Expr[] }
  | { k: "class"; line: number; name: string; bases: Expr[]; body: Stmt[]; decorators: Expr[] }
  | { k: "try"; line: number; body: Stmt[]; handlers: Handler[]; orelse: Stmt[]; final: Stmt[] }
  | { k: "raise"; line: number; exc: Expr | null; cause: Expr | null }
  | { k: "with"; line: number; items: { ctx: Expr; target: Expr | null }[]; body: Stmt[] }
  | { k: "import"; line: number; names: { module: string; asname: string | null }[] }
  | { k: "from"; line: number; module: string; names: { name: string; asname: string | null }[] }
  | { k: "del"; line: number; targets: Expr[] }
  | { k: "assert"; line: number; test: Expr; msg: Expr | null }
  | { k: "global" | "nonlocal"; line: number; names: string[] };
