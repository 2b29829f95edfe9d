/**
 * Module hooks, as PyTorch's `Module.__call__` runs them: forward pre-hooks (may replace the
 * inputs), forward, forward hooks (may replace the output), and full backward hooks, which see
 * the gradients of the module's inputs and outputs: as in PyTorch, the tensor inputs and
 * outputs pass through an identity op (`BackwardHookFunctionBackward`) whose backward collects
 * them, and a hook may return new input gradients.
 */
import { Tensor } from "../tensor";
import { isGradEnabled } from "../autograd/gradMode";
import { RemovableHandle } from "../autograd/handle";
import { BackwardHookFunction } from "../ops/backwardHook";
import { RuntimeError } from "../errors";

/** `hook(module, inputs)`: returns nothing, or the inputs to use (one value or an array). */
export type ForwardPreHook<M> = (module: M, inputs: unknown[]) => unknown;
/** `hook(module, inputs, output)`: returns nothing, or the output to use. */
export type ForwardHook<M> = (module: M, inputs: unknown[], output: unknown) => unknown;
/** Gradients of the module's tensor inputs (null for other arguments) and of its outputs. */
export type BackwardHook<M> = (
  module: M,
  gradInput: (Tensor | null)[],
  gradOutput: (Tensor | null)[],
) => (Tensor | null)[] | null | undefined | void;

interface ModuleHooks {
  pre: Map<number, ForwardPreHook<object>>;
  forward: Map<number, ForwardHook<object>>;
  backward: Map<number, BackwardHook<object>>;
}

// kept beside the modules rather than in their fields, so hooks never look like submodules
const registry = new WeakMap<object, ModuleHooks>();
let nextId = 0;

/** Adds `hook` to one of `module`'s hook lists; the handle removes it. */
export function addHook<K extends keyof ModuleHooks>(
  module: object,
  kind: K,
  hook: ModuleHooks[K] extends Map<number, infer H> ? H : never,
): RemovableHandle {
  let hooks = registry.get(module);
  if (!hooks)
    registry.set(module, (hooks = { pre: new Map(), forward: new Map(), backward: new Map() }));
  const list = hooks[kind] as Map<number, unknown>;
  const id = nextId++;
  list.set(id, hook);
  return new RemovableHandle(() => list.delete(id));
}

/** Calls `forward` on `args` with the module's hooks around it. */
export function callWithHooks(
  module: object,
  forward: (...args: unknown[]) => unknown,
  args: unknown[],
): unknown {
  const hooks = registry.get(module);
  if (!hooks) return forward.apply(module, args);
  let inputs = args;
  for (const pre of [...hooks.pre.values()]) {
    const r = pre(module, inputs);
    if (r !== undefined && r !== null) inputs = Array.isArray(r) ? r : [r];
  }
  const backward =
    hooks.backward.size > 0 && isGradEnabled() ? new BackwardHookRun(module, hooks) : null;
  if (backward) inputs = backward.wrapInputs(inputs);
  let output = forward.apply(module, inputs);
  for (const hook of [...hooks.forward.values()]) {
    const r = hook(module, inputs, output);
    if (r !== undefined) output = r;
  }
  return backward ? backward.wrapOutput(output) : output;
}

/** One call's full backward hooks: the output gradients wait here for the input gradients. */
class BackwardHookRun {
  private gradOutput: (Tensor | null)[] = [];
  private inputCount = 0;
  private inputPositions: number[] = [];

  constructor(
    private readonly module: object,
    private readonly hooks: ModuleHooks,
  ) {}

  wrapInputs(args: unknown[]): unknown[] {
    this.inputCount = args.length;
    this.inputPositions = gradPositions(args);
    if (this.inputPositions.length === 0) return args;
    const wrapped = BackwardHookFunction.applyMulti(
      this.inputPositions.map((i) => args[i] as Tensor),
      { onBackward: (grads) => this.runHooks(grads) },
    );
    const out = args.slice();
    this.inputPositions.forEach((p, k) => (out[p] = wrapped[k]));
    return out;
  }

  wrapOutput(output: unknown): unknown {
    const outputs = Array.isArray(output) ? output : [output];
    const positions = gradPositions(outputs);
    if (positions.length === 0) return output;
    const onBackward = (grads: Tensor[]): Tensor[] => {
      this.gradOutput = outputs.map(() => null);
      positions.forEach((p, k) => (this.gradOutput[p] = grads[k]));
      // no input needs a gradient: the hooks run now, with null input gradients
      if (this.inputPositions.length === 0) this.runHooks([]);
      return grads;
    };
    const wrapped = BackwardHookFunction.applyMulti(
      positions.map((p) => outputs[p] as Tensor),
      { onBackward },
    );
    const out = outputs.slice();
    positions.forEach((p, k) => (out[p] = wrapped[k]));
    return Array.isArray(output) ? out : out[0];
  }

  /** Calls every backward hook with the input gradients; returns those to pass on. */
  private runHooks(grads: Tensor[]): (Tensor | null)[] {
    const full: (Tensor | null)[] = new Array<Tensor | null>(this.inputCount).fill(null);
    this.inputPositions.forEach((p, k) => (full[p] = grads[k] ?? null));
    let gradInput = full;
    for (const hook of [...this.hooks.backward.values()]) {
      const r = hook(this.module, gradInput, this.gradOutput);
      if (r === undefined || r === null) continue;
      if (this.inputPositions.length === 0 && r.some((g) => g))
        throw new RuntimeError(
          "Backward hook for Modules where no input requires gradient should always return None or None for all gradients.",
        );
      if (r.length !== gradInput.length)
        throw new RuntimeError(
          `Backward hook returned an invalid number of grad_input, got ${r.length}, but expected ${gradInput.length}`,
        );
      gradInput = r;
    }
    this.gradOutput = [];
    return this.inputPositions.map((p) => gradInput[p]);
  }
}

/** Positions of the tensors that require grad. */
function gradPositions(values: unknown[]): number[] {
  const out: number[] = [];
  values.forEach((v, i) => v instanceof Tensor && v.requiresGrad && out.push(i));
  return out;
}
