/**
 * The names the user's source gave to tensors and modules (told by the instrumented code's
 * `bind` calls), where each tensor was bound, and the parameter labels built from them.
 */
import type { Tensor } from "../../engine/tensor";
import type { SourceLocation } from "../../webview/protocol";
import { ALIAS, ATTRIBUTE, BindingNames } from "../runProtocol/instrumentHelpers";
import type { EngineKinds } from "./engineKinds";

export class SourceNames {
  readonly names = new WeakMap<Tensor, string>();
  readonly bindings = new WeakMap<Tensor, SourceLocation>();
  /** The latest tensor bound to each name (for "run backward from `loss`"). */
  readonly byName = new Map<string, Tensor>();
  private readonly moduleNames = new Map<object, string>();
  /** Modules bound to a variable (not an attribute): their names prefix parameter labels. */
  private readonly moduleVariables = new Map<object, string>();

  constructor(private readonly kinds: EngineKinds) {}

  /** `value` (or its parts, for a destructuring) was bound to `names` at `location`. */
  bind(value: unknown, names: BindingNames, location: SourceLocation, flags: number): void {
    if (typeof names === "string") this.bindOne(value, names, location, flags);
    else if (Array.isArray(names) && Array.isArray(value))
      names.forEach((n, i) => n && this.bindOne(value[i], n, location, flags));
    else if (!Array.isArray(names) && value && typeof value === "object") {
      for (const [key, n] of Object.entries(names))
        this.bindOne((value as Record<string, unknown>)[key], n, location, flags);
    }
  }

  private bindOne(value: unknown, name: string, location: SourceLocation, flags: number): void {
    const alias = (flags & ALIAS) !== 0;
    if (this.kinds.isTensor(value)) {
      if (!alias || !this.names.has(value)) this.names.set(value, name);
      if (!this.bindings.has(value)) this.bindings.set(value, location);
      this.byName.set(name, value);
    } else if (this.kinds.isModule(value)) {
      if (!alias || !this.moduleNames.has(value)) this.moduleNames.set(value, name);
      if ((flags & ATTRIBUTE) === 0 && (!alias || !this.moduleVariables.has(value)))
        this.moduleVariables.set(value, name);
    }
  }

  /** The name the source gave `module`, when it gave one. */
  moduleName(module: object): string | undefined {
    return this.moduleNames.get(module);
  }

  /**
   * Parameters' labels: a module variable's name + its namedParameters path (`conv.weight`,
   * `net.fc1.bias`); the shortest wins when several modules hold the same parameter.
   */
  paramNames(): Map<Tensor, string> {
    const labels = new Map<Tensor, string>();
    for (const [module, name] of this.moduleVariables) {
      const named = (module as { namedParameters?: () => Iterable<[string, Tensor]> })
        .namedParameters;
      if (typeof named !== "function") continue;
      for (const [path, p] of named.call(module)) {
        const label = `${name}.${path}`;
        const had = labels.get(p);
        if (had === undefined || label.length < had.length) labels.set(p, label);
      }
    }
    return labels;
  }
}
