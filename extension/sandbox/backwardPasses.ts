/**
 * The backward passes of a run, each with the line that started it and the nodes it reached:
 * when a pass fails because an earlier one freed the graph's saved tensors, this finds the
 * earlier pass (the call that needs `{ retainGraph: true }`).
 */
import type { Node } from "../../engine/autograd/node";
import type { SourceLocation } from "../../webview/protocol";

export interface BackwardPass {
  /** The user's call that started it (`loss.backward()`); none for the one Gradlens ran. */
  location: SourceLocation | undefined;
  retainGraph: boolean;
  /** The nodes the pass ran (or was about to run when it threw). */
  reached: Set<Node>;
}

/** Passes kept (a training loop makes one per step; only the latest matter). */
const KEPT = 8;

export class BackwardPasses {
  private readonly passes: BackwardPass[] = [];

  start(location: SourceLocation | undefined, retainGraph: boolean): void {
    this.passes.push({ location, retainGraph, reached: new Set() });
    if (this.passes.length > KEPT) this.passes.shift();
  }

  reached(node: Node): void {
    this.passes.at(-1)?.reached.add(node);
  }

  /** The latest pass, if any. */
  get latest(): BackwardPass | undefined {
    return this.passes.at(-1);
  }

  /** The latest pass before `pass` that freed (no retainGraph) a node `pass` reached. */
  freedBefore(pass: BackwardPass): BackwardPass | undefined {
    const at = this.passes.indexOf(pass);
    for (let i = at - 1; i >= 0; i--) {
      const earlier = this.passes[i];
      if (earlier.retainGraph) continue;
      for (const node of pass.reached) if (earlier.reached.has(node)) return earlier;
    }
    return undefined;
  }
}
