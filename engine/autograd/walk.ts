/** Walks of the backward graph that the engine and the tools around it share. */
import type { Node } from "./node";

/**
 * Visits the graph under `start` in post order (a node after the nodes it leads to), without
 * recursion: a long loop in user code makes graphs deeper than the call stack. `enter(next)`
 * says whether to go into a node; `exit(node)` runs when all it leads to is done. A node two
 * paths reach before it is done may be exited twice; `exit` must tolerate it.
 */
export function walkPostOrder(
  start: Node,
  enter: (next: Node) => boolean,
  exit: (node: Node) => void,
): void {
  const stack: [Node, number][] = [[start, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [node, i] = top;
    if (i < node.nextFunctions.length) {
      top[1]++;
      const next = node.nextFunctions[i][0];
      if (next && enter(next)) stack.push([next, 0]);
      continue;
    }
    stack.pop();
    exit(node);
  }
}
