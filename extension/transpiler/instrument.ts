/**
 * A TypeScript transformer applied while transpiling the user's files: it finds, with the AST,
 * where values get their names and where objects are constructed, and passes them through two
 * identity helpers so that the run knows them:
 *
 *   const y = x.sub(2)          →  const y = __gradlens.bind(x.sub(2), "y", 3, 7)
 *   this.fc1 = new nn.Linear()  →  this.fc1 = __gradlens.bind(__gradlens.made(new nn.Linear(), 5, 16), "fc1", 5, 10)
 *
 * `bind` labels tensors and modules with their variable (or attribute) name; `made` gives layer
 * constructions their place in the source, for the size-formula hints. Each loop's body starts
 * with `__gradlens.loop(line)`, so that a run stopped at its time limit can say which loop. The user's expressions
 * keep their source positions, so stack frames still map to the right line and column.
 */
import * as ts from "typescript";
import { ALIAS, ATTRIBUTE, BindingNames, HELPER } from "../runProtocol/instrumentHelpers";

/**
 * Whether an initializer can produce a tensor or module worth naming: "computed" (a call, `new`,
 * `await`, `a ? b : c`) names its value; an "alias" (`const w = net.fc1.weight`, `let h = x`)
 * only names a value nothing named before; functions and literals are left alone.
 */
function nameable(expr: ts.Expression): "computed" | "alias" | undefined {
  let e = expr;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  if (
    ts.isCallExpression(e) ||
    ts.isNewExpression(e) ||
    ts.isConditionalExpression(e) ||
    ts.isAwaitExpression(e)
  )
    return "computed";
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return "alias";
  if (ts.isIdentifier(e) && e.text !== "undefined") return "alias";
  return undefined;
}

/** The names a declaration's left side binds, or undefined when it is too complex. */
function namesOf(name: ts.BindingName | ts.Expression | ts.PropertyName): BindingNames | undefined {
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text.replace(/^#/, "");
  if (ts.isPropertyAccessExpression(name)) return name.name.text.replace(/^#/, "");
  if (ts.isArrayBindingPattern(name)) {
    return name.elements.map((el) =>
      ts.isBindingElement(el) && ts.isIdentifier(el.name) && !el.dotDotDotToken
        ? el.name.text
        : null,
    );
  }
  if (ts.isObjectBindingPattern(name)) {
    const byKey: Record<string, string> = {};
    for (const el of name.elements) {
      if (el.dotDotDotToken || !ts.isIdentifier(el.name)) continue;
      const key = el.propertyName
        ? ts.isIdentifier(el.propertyName)
          ? el.propertyName.text
          : undefined
        : el.name.text;
      if (key !== undefined) byKey[key] = el.name.text;
    }
    return byKey;
  }
  return undefined;
}

function literalOf(names: BindingNames): ts.Expression {
  const f = ts.factory;
  if (typeof names === "string") return f.createStringLiteral(names);
  if (Array.isArray(names))
    return f.createArrayLiteralExpression(
      names.map((n) => (n === null ? f.createNull() : f.createStringLiteral(n))),
    );
  return f.createObjectLiteralExpression(
    Object.entries(names).map(([k, v]) =>
      f.createPropertyAssignment(f.createStringLiteral(k), f.createStringLiteral(v)),
    ),
  );
}

/** The transformer factory to pass as `transformers.before`. */
export function instrument(
  context: ts.TransformationContext,
): (sf: ts.SourceFile) => ts.SourceFile {
  const f = ts.factory;
  const helper = (fn: "bind" | "made" | "loop", args: ts.Expression[]): ts.Expression =>
    f.createCallExpression(
      f.createPropertyAccessExpression(f.createIdentifier(HELPER), fn),
      undefined,
      args,
    );

  return (sf) => {
    const position = (node: ts.Node): [ts.Expression, ts.Expression] => {
      const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      return [f.createNumericLiteral(line + 1), f.createNumericLiteral(character + 1)];
    };
    const bound = (
      init: ts.Expression,
      visited: ts.Expression,
      nameNode: ts.BindingName | ts.Expression | ts.PropertyName,
      attribute: boolean,
    ): ts.Expression => {
      const names = namesOf(nameNode);
      const kind = nameable(init);
      if (names === undefined || !kind) return visited;
      const flags = (kind === "alias" ? ALIAS : 0) | (attribute ? ATTRIBUTE : 0);
      const args = [visited, literalOf(names), ...position(nameNode)];
      return helper("bind", flags ? [...args, f.createNumericLiteral(flags)] : args);
    };

    /** A loop's body, with the tick first. */
    const ticking = (loop: ts.IterationStatement, body: ts.Statement): ts.Statement => {
      const [line] = position(loop);
      return f.createBlock([f.createExpressionStatement(helper("loop", [line])), body], true);
    };

    const visit = (node: ts.Node): ts.Node => {
      if (ts.isIterationStatement(node, false)) {
        const n = ts.visitEachChild(node, visit, context);
        const body = ticking(node, n.statement);
        if (ts.isWhileStatement(n)) return f.updateWhileStatement(n, n.expression, body);
        if (ts.isDoStatement(n)) return f.updateDoStatement(n, body, n.expression);
        if (ts.isForStatement(n)) return f.updateForStatement(n, n.initializer, n.condition, n.incrementor, body);
        if (ts.isForInStatement(n)) return f.updateForInStatement(n, n.initializer, n.expression, body);
        if (ts.isForOfStatement(n)) return f.updateForOfStatement(n, n.awaitModifier, n.initializer, n.expression, body);
        return n;
      }
      if (ts.isNewExpression(node)) {
        const pos = position(node);
        return helper("made", [ts.visitEachChild(node, visit, context), ...pos]);
      }
      if (ts.isVariableDeclaration(node) && node.initializer) {
        const init = ts.visitNode(node.initializer, visit) as ts.Expression;
        return f.updateVariableDeclaration(
          node,
          node.name,
          node.exclamationToken,
          node.type,
          bound(node.initializer, init, node.name, false),
        );
      }
      if (
        ts.isPropertyDeclaration(node) &&
        node.initializer &&
        !ts.isComputedPropertyName(node.name)
      ) {
        const init = ts.visitNode(node.initializer, visit) as ts.Expression;
        return f.updatePropertyDeclaration(
          node,
          node.modifiers,
          node.name,
          node.questionToken ?? node.exclamationToken,
          node.type,
          bound(node.initializer, init, node.name, true),
        );
      }
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        (ts.isIdentifier(node.left) || ts.isPropertyAccessExpression(node.left))
      ) {
        const right = ts.visitNode(node.right, visit) as ts.Expression;
        const left = ts.visitNode(node.left, visit) as ts.Expression;
        return f.updateBinaryExpression(
          node,
          left,
          node.operatorToken,
          bound(node.right, right, node.left, ts.isPropertyAccessExpression(node.left)),
        );
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(sf, visit) as ts.SourceFile;
  };
}
