/**
 * Walks of the backward graph (`gradFn.nextFunctions`), written iteratively: a long loop in
 * user code makes graphs thousands of nodes deep, deeper than the call stack.
 */
import type { Node } from "../../../engine/autograd/node";
import { walkPostOrder } from "../../../engine/autograd/walk";
import type { Tensor } from "../../../engine/tensor";

/** Every node reachable from `seeds` through nextFunctions, seeds included. */
export function reachable(seeds: Iterable<Node>): Set<Node> {
  const seen = new Set<Node>();
  const stack: Node[] = [];
  for (const s of seeds) {
    if (!seen.has(s)) {
      seen.add(s);
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const [next] of node.nextFunctions) {
      if (next && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/** The leaf an AccumulateGrad node feeds, or undefined for other nodes. */
export function accumulatedLeaf(node: Node): Tensor | undefined {
  return node.name === "AccumulateGrad"
    ? (node as Node & { variable?: Tensor }).variable
    : undefined;
}

/** FNV-1a over a string, continuing from `h`. */
export function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A hash of the subgraph under each node: op names, their call sites (`site`), input shapes,
 * and the identity of the leaves reached. Two iterations of a training loop hash equal (same
 * code, same parameters); the same code run on two different leaves does not.
 */
export function structureHashes(nodes: Set<Node>, site: (node: Node) => string): Map<Node, number> {
  const hashes = new Map<Node, number>();
  for (const start of nodes) {
    if (hashes.has(start)) continue;
    walkPostOrder(
      start,
      (next) => nodes.has(next) && !hashes.has(next),
      (node) => {
        if (hashes.has(node)) return;
        const leaf = accumulatedLeaf(node);
        let h = hashString(`${node.name}|${site(node)}|${leaf ? leaf.id : ""}`);
        node.nextFunctions.forEach(([next, nr], k) => {
          const shape = node.inputShapes[k] ?? [];
          h = hashString(`(${shape.join(",")})${nr}:${next ? (hashes.get(next) ?? "?") : "-"}`, h);
        });
        hashes.set(node, h);
      },
    );
  }
  return hashes;
}
