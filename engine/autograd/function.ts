/**
 * Users' own differentiable ops, as PyTorch's `torch.autograd.Function`: subclass, write static
 * `forward(ctx, ...inputs)` and `backward(ctx, ...gradOutputs)`, call `MyOp.apply(...)`. They go
 * through the same `apply` as built-in ops, so they appear in the graph as `MyOpBackward`.
 */
import { apply, OpContext, OpSpec } from "./apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";

/** The `ctx` of a user Function: `saveForBackward`, `savedTensors`, `needsInputGrad`. */
export type Context = OpContext;

type Grad = Tensor | null | undefined;

/** What `apply` needs of its class: the static forward (its arguments A, its result R). */
interface WithForward<A extends unknown[], R> {
  forward(ctx: Context, ...args: A): R;
}

interface UserAttrs {
  /** All forward arguments; tensors among them are the op's inputs. */
  args: unknown[];
  tensorPositions: number[];
}

/** Base class for users' differentiable ops. */
export class Function {
  /** Computes the outputs; runs with grad mode off. Override in a subclass. */
  static forward(_ctx: Context, ..._args: never[]): Tensor | Tensor[] {
    throw new RuntimeError("You must implement the forward function for custom autograd.Function.");
  }

  /** Maps output gradients to input gradients (one per forward argument). Override. */
  static backward(_ctx: Context, ..._gradOutputs: Tensor[]): Grad | Grad[] {
    throw new RuntimeError("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.");
  }

  /**
   * Runs the op and records it in the graph. It may be called unbound, as PyTorch allows
   * (`const myadd = MyAdd.apply; myadd(a, b)`): each subclass's `apply` is bound to it.
   * NOTE: unbound, TypeScript cannot see the class, so the result is typed as one tensor.
   * @example const y = MyAdd.apply(a, b);   // y.gradFn.name === "MyAddBackward"
   */
  declare static apply: <A extends unknown[], R = Tensor>(
    this: WithForward<A, R> | void,
    ...args: A
  ) => R;
}

/** Runs user Function `cls` on `args` through the one `apply` that wires graphs. */
function applyFunction(cls: typeof Function, args: unknown[]): Tensor | Tensor[] {
  const spec = specFor(cls);
  const tensorPositions: number[] = [];
  args.forEach((a, i) => a instanceof Tensor && tensorPositions.push(i));
  const inputs = tensorPositions.map((i) => args[i] as Tensor);
  const outputs = apply(spec, inputs, { args, tensorPositions });
  return outputs.length === 1 && !manyOutputs.has(cls) ? outputs[0] : outputs;
}

/** Each class's `apply`, bound to it once. */
const boundApplies = new WeakMap<typeof Function, (...args: unknown[]) => Tensor | Tensor[]>();

function bindApply(cls: typeof Function): (...args: unknown[]) => Tensor | Tensor[] {
  const bound = (...args: unknown[]) => applyFunction(cls, args);
  boundApplies.set(cls, bound);
  return bound;
}

// `MyAdd.apply` reads this getter with `this` = MyAdd, so the function it returns knows its
// class even when called unbound
Object.defineProperty(Function, "apply", {
  get(this: typeof Function) {
    return boundApplies.get(this) ?? bindApply(this);
  },
});

const specs = new WeakMap<typeof Function, OpSpec<UserAttrs>>();
/** Classes whose forward returned an array: apply returns an array for them too. */
const manyOutputs = new WeakSet<typeof Function>();

function specFor(cls: typeof Function): OpSpec<UserAttrs> {
  let spec = specs.get(cls);
  if (spec) return spec;
  const name = `${cls.name}Backward`;
  spec = {
    name,
    forwardWithoutGrad: true,
    backwardRecords: true,
    forward(ctx, inputs, { args, tensorPositions }) {
      // the context sees needsInputGrad per forward argument, as in PyTorch
      const perArg = args.map(() => false);
      tensorPositions.forEach((p, i) => (perArg[p] = ctx.needsInputGrad[i] ?? false));
      (ctx as { needsInputGrad: readonly boolean[] }).needsInputGrad = perArg;
      void inputs;
      const result = (cls.forward as (ctx: Context, ...a: unknown[]) => Tensor | Tensor[])(ctx, ...args);
      if (Array.isArray(result)) manyOutputs.add(cls);
      return result;
    },
    backward(ctx, grads, { args, tensorPositions }) {
      const raw = (cls.backward as (ctx: Context, ...g: Tensor[]) => Grad | Grad[])(ctx, ...grads);
      const perArg: Grad[] = Array.isArray(raw) ? raw : [raw];
      if (perArg.length !== args.length) {
        throw new RuntimeError(
          `function ${name} returned an incorrect number of gradients (expected ${args.length}, got ${perArg.length})`,
        );
      }
      perArg.forEach((g, i) => {
        if (g && !tensorPositions.includes(i)) {
          throw new RuntimeError(
            `function ${name} returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`,
          );
        }
      });
      return tensorPositions.map((p) => perArg[p] ?? null);
    },
  };
  specs.set(cls, spec);
  return spec;
}
