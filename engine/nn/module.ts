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
import { RuntimeError } from "../errors";
import { bracketed, sameShape } from "../shape";
import { traceModule } from "../trace/recorder";
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
    // `this.forward` is already the subclass's method here (the prototype chain is complete)
    const forward = (this as unknown as { forward: (...args: unknown[]) => unknown }).forward;
    Object.defineProperty(this, "forward", {
      value: (...args: unknown[]) => traceModule(this, () => forward.apply(this, args)),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }

  /** The computation of the module; call it as `m.forward(x)`. */
  abstract forward(...inputs: never[]): unknown;

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
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const modules: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [moduleName, m] of modules) {
      for (const [name, p] of m.ownParameters()) {
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

  /** Turns gradient recording for all parameters on or off; returns this module. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** The parameters by dotted name, detached (PyTorch's `state_dict()` for modules without buffers). */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.namedParameters().map(([name, p]) => [name, p.detach()]));
  }

  /** Copies values into the parameters by dotted name, with PyTorch's errors for missing, extra or misshapen entries. */
  loadStateDict(state: Record<string, Tensor>, strict = true): void {
    const own = new Map(this.namedParameters());
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
