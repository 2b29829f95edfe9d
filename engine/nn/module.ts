/**
 * `nn.Module` and `nn.Parameter`, after PyTorch's.
 *
 * A module's parameters and submodules are found by looking at its own fields: every field
 * holding a `Parameter` or a `Module`, in the order the fields were first assigned (PyTorch's
 * `__setattr__` registration, without the registration). `namedParameters()` walks the tree as
 * PyTorch does — a module's own parameters first, then each child's, depth first — and gives
 * dotted names (`conv1.weight`, `0.bias`).
 *
 * Modules are called as `m.forward(x)`. Each instance's `forward` is wrapped (once, in the
 * constructor) with `traceModule`, so that a trace listener sees which ops ran inside which
 * module.
 */
import { Tensor } from "../tensor";
import { noGrad } from "../autograd/gradMode";
import { KeyError, RuntimeError, TorchTypeError } from "../errors";
import { RemovableHandle } from "../autograd/handle";
import {
  addHook,
  callWithHooks,
  type BackwardHook,
  type ForwardHook,
  type ForwardPreHook,
} from "./hooks";
import { bracketed, sameShape } from "../shape";
import { traceListener, traceModule } from "../trace/recorder";
import { formatTensor } from "../format";

/**
 * A tensor that is a module's parameter: a leaf that requires grad (PyTorch's `nn.Parameter`).
 * It shares storage with the tensor it wraps.
 * @example this.scale = new nn.Parameter(torch.ones(3));
 */
export class Parameter extends Tensor {
  constructor(data: Tensor = Tensor._make(new Float32Array(0), [0]), requiresGrad = true) {
    super(data._values, data.shape.slice(), data.dtype, data._versionCounter);
    this.requiresGrad = requiresGrad;
  }

  /** Prints as PyTorch does: `Parameter containing:` and the tensor. */
  override toString(): string {
    return `Parameter containing:\n${formatTensor(this)}`;
  }
}

/**
 * The base class of layers and models. Subclass it, assign layers and parameters to fields in
 * the constructor, and write `forward`.
 * @example
 * class Net extends nn.Module {
 *   fc1 = new nn.Linear(600, 60);
 *   fc2 = new nn.Linear(60, 10);
 *   forward(x: torch.Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 */
export abstract class Module {
  /** Training mode (true) or evaluation mode (false); set with `train()` / `eval()`. */
  training = true;

  constructor() {
    traceListener()?.onModuleCreate?.(this); // where the user's code constructs it
    // `this.forward` is already the subclass's method here (the prototype chain is complete)
    wrapForward(this, (this as unknown as { forward: (...args: unknown[]) => unknown }).forward);
  }

  /**
   * The computation of the module; call it as `m.forward(x)`. Typed loosely, as Python's
   * `__call__`, so that a field typed `nn.Module` (or `nn.Module | null`) can be called.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  abstract forward(...inputs: any[]): any;

  /** The fields to look at for parameters and submodules, in order (Sequential overrides). */
  protected ownEntries(): [string, unknown][] {
    return Object.entries(this);
  }

  /** This module's own parameters (not its children's), with their field names. */
  private ownParameters(): [string, Parameter][] {
    return this.ownEntries().filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** Direct submodules with their field names (each module once). */
  namedChildren(): [string, Module][] {
    const seen = new Set<Module>();
    const out: [string, Module][] = [];
    for (const [name, v] of this.ownEntries()) {
      if (v instanceof Module && !seen.has(v)) {
        seen.add(v);
        out.push([name, v]);
      }
    }
    return out;
  }

  /** Direct submodules. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and all below it, depth first, with dotted names ("" for this one). */
  namedModules(prefix = "", memo: Set<Module> = new Set()): [string, Module][] {
    if (memo.has(this)) return [];
    memo.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name, memo));
    }
    return out;
  }

  /** This module and all below it. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Parameters with PyTorch's dotted names (`conv1.weight`, `0.bias`): each module's own
   * first, then its children's; a parameter shared by two modules is listed once.
   */
  namedParameters(prefix = "", recurse = true): [string, Parameter][] {
    return this.namedMembers(prefix, recurse, (m) => m.ownParameters());
  }

  /** Each module's own members (`own`) with dotted names, walking as `namedModules`; each once. */
  private namedMembers<T>(
    prefix: string,
    recurse: boolean,
    own: (m: Module) => [string, T][],
  ): [string, T][] {
    const seen = new Set<T>();
    const out: [string, T][] = [];
    const modules: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [moduleName, m] of modules) {
      for (const [name, p] of own(m)) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([moduleName ? `${moduleName}.${name}` : name, p]);
      }
    }
    return out;
  }

  /** All parameters, in `namedParameters()` order (pass them to an optimizer). */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters("", recurse).map(([, p]) => p);
  }

  /**
   * Resets every parameter's gradient to zero (PyTorch 1.13's default), or to null with
   * `setToNone`.
   */
  zeroGrad(setToNone = false): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else (p.grad.gradFn ? (p.grad = p.grad.detach()) : p.grad).zero_();
    }
  }

  /** Sets training mode on this module and all below it; returns this module. */
  train(mode = true): this {
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  /** Evaluation mode (`train(false)`); returns this module. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Calls `fn` on every submodule (children first, depth first), then on this one; returns
   * this module (PyTorch's `apply`, e.g. to initialise weights).
   * @example net.apply((m) => { if (m instanceof nn.Linear) nn.init.zeros_(m.bias!); });
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Makes `tensor` part of the module's state without being a parameter (running statistics):
   * it is the field `name`, listed by `buffers()`, and saved by `stateDict()` unless
   * `persistent` is false.
   * @example this.registerBuffer("runningMean", torch.zeros(features));
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    const buffers = bufferNames(this);
    if (name.includes(".")) throw new KeyError(`buffer name can't contain "."`);
    if (name === "") throw new KeyError(`buffer name can't be empty string ""`);
    if (name in this && !buffers.has(name))
      throw new KeyError(`attribute '${name}' already exists`);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TorchTypeError(
        `cannot assign '${typeName(tensor)}' object to buffer '${name}' (torch Tensor or None required)`,
      );
    }
    buffers.set(name, persistent);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  /** Buffers with dotted names, this module's first, then its children's (each once). */
  namedBuffers(prefix = "", recurse = true): [string, Tensor][] {
    return this.namedMembers(prefix, recurse, (m) => m.ownBuffers(false));
  }

  /** All buffers, in `namedBuffers()` order. */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers("", recurse).map(([, t]) => t);
  }

  /** This module's own buffers that are set, by field name; only persistent ones if asked. */
  private ownBuffers(persistentOnly: boolean): [string, Tensor][] {
    const fields = this as unknown as Record<string, unknown>;
    return [...bufferNames(this)]
      .filter(
        ([name, persistent]) => fields[name] instanceof Tensor && (persistent || !persistentOnly),
      )
      .map(([name]) => [name, fields[name] as Tensor]);
  }

  /** Calls `hook(module, inputs)` before each forward; it may return new inputs. */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    return addHook(this, "pre", hook as ForwardPreHook<object>);
  }

  /** Calls `hook(module, inputs, output)` after each forward; it may return a new output. */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    return addHook(this, "forward", hook as ForwardHook<object>);
  }

  /**
   * Calls `hook(module, gradInput, gradOutput)` when the gradients of the module's inputs have
   * been computed (PyTorch's `register_full_backward_hook`); it may return new `gradInput`.
   */
  registerFullBackwardHook(hook: BackwardHook<this>): RemovableHandle {
    return addHook(this, "backward", hook as BackwardHook<object>);
  }

  /** Turns gradient recording for all parameters on or off; returns this module. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, detached (sharing storage), in
   * PyTorch's order: each module's parameters, then its buffers, then its children's, a
   * module held in two fields under both names.
   */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(
      Object.entries(this.stateTensors("")).map(([name, t]) => [name, t.detach()]),
    );
  }

  /** The live tensors `stateDict()` lists. */
  private stateTensors(prefix: string, into: Record<string, Tensor> = {}): Record<string, Tensor> {
    for (const [name, t] of [...this.ownParameters(), ...this.ownBuffers(true)])
      into[prefix + name] = t;
    for (const [name, child] of this.ownEntries()) {
      if (child instanceof Module) child.stateTensors(`${prefix}${name}.`, into);
    }
    return into;
  }

  /**
   * Copies values into the parameters and buffers by dotted name, with PyTorch's errors for
   * missing, extra or misshapen entries.
   */
  loadStateDict(state: Record<string, Tensor>, strict = true): void {
    const own = new Map(Object.entries(this.stateTensors("")));
    const errors: string[] = [];
    const missing = [...own.keys()].filter((k) => !(k in state));
    const unexpected = Object.keys(state).filter((k) => !own.has(k));
    for (const [name, p] of own) {
      const v = state[name];
      if (!v) continue;
      if (!sameShape(v.shape, p.shape)) {
        errors.push(
          `size mismatch for ${name}: copying a param with shape torch.Size(${bracketed(v.shape)}) from checkpoint, the shape in current model is torch.Size(${bracketed(p.shape)}).`,
        );
      } else {
        noGrad(() => p.copy_(v));
      }
    }
    if (strict && unexpected.length)
      errors.unshift(
        `Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(", ")}. `,
      );
    if (strict && missing.length)
      errors.unshift(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(", ")}. `);
    if (errors.length) {
      throw new RuntimeError(
        `Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join("\n\t")}`,
      );
    }
  }

  /** The settings shown between the parentheses of `toString()` (PyTorch's `extra_repr`). */
  extraRepr(): string {
    return "";
  }

  /** Prints like PyTorch: `Net(\n  (fc1): Linear(in_features=600, out_features=60, bias=True)\n)`. */
  toString(): string {
    // every field holding a module, a module held twice included (PyTorch prints `_modules`)
    const children = this.ownEntries().filter((e): e is [string, Module] => e[1] instanceof Module);
    const extra = this.extraRepr();
    if (children.length === 0) return `${this.constructor.name}(${extra})`;
    const lines = extra ? extra.split("\n") : [];
    for (const [name, child] of children)
      lines.push(`(${name}): ${child.toString().replace(/\n/g, "\n  ")}`);
    return `${this.constructor.name}(\n  ${lines.join("\n  ")}\n)`;
  }
}

/**
 * Makes `m.forward` run `forward` inside the module's trace scope and hooks (done once per
 * module: by the constructor, and by `deepCopy` for a copy).
 */
export function wrapForward(m: Module, forward: (...args: unknown[]) => unknown): void {
  Object.defineProperty(m, "forward", {
    value: (...args: unknown[]) => traceModule(m, () => callWithHooks(m, forward, args), args),
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/** Gives `copy` the buffer names of `original` (for `deepCopy`). */
export function copyBufferNames(original: Module, copy: Module): void {
  bufferRegistry.set(copy, new Map(bufferNames(original)));
}

/** A module's buffer names, with whether each is persistent (kept off the module's fields). */
const bufferRegistry = new WeakMap<Module, Map<string, boolean>>();

function bufferNames(m: Module): Map<string, boolean> {
  let names = bufferRegistry.get(m);
  if (!names) bufferRegistry.set(m, (names = new Map()));
  return names;
}

/** Python's `torch.typename` for a value that is not a tensor: `int`, `float`, `str`, ... */
function typeName(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  return (v as object | undefined)?.constructor?.name ?? typeof v;
}
