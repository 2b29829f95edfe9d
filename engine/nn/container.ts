/** Containers: `nn.Sequential` and `nn.ModuleList` (children named "0", "1", …) and `nn.ModuleDict` (by key). */
import { IndexError, KeyError } from "../errors";
import { Module } from "./module";

/** Modules held in a list and registered as children named by position. */
abstract class ModuleSequence extends Module implements Iterable<Module> {
  protected readonly list: Module[];

  constructor(modules: Module[]) {
    super();
    this.list = modules.slice();
  }

  protected override ownEntries(): [string, unknown][] {
    return this.list.map((m, i) => [String(i), m]);
  }

  /** The module at `index`; −1 is the last (like `seq[i]` in PyTorch). */
  at(index: number): Module {
    const i = index < 0 ? index + this.list.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.list.length)
      throw new IndexError(`index ${index} is out of range`);
    return this.list[i];
  }

  /** Adds a module at the end; returns this container. */
  append(module: Module): this {
    this.list.push(module);
    return this;
  }

  get length(): number {
    return this.list.length;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.list[Symbol.iterator]();
  }
}

/**
 * Runs its modules one after another (PyTorch's `nn.Sequential`); parameters are named
 * `0.weight`, `0.bias`, `2.weight`, …
 * @example const net = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 1));
 */
export class Sequential extends ModuleSequence {
  constructor(...modules: Module[]) {
    super(modules);
  }

  /** Feeds the input through every module in order. */
  forward<T>(input: T): T {
    let x: unknown = input;
    for (const m of this.list) x = (m.forward as (v: unknown) => unknown)(x);
    return x as T;
  }
}

/** Holds modules so that their parameters are found (PyTorch's `nn.ModuleList`); it has no forward. */
export class ModuleList extends ModuleSequence {
  constructor(modules: Module[] = []) {
    super(modules);
  }

  forward(): never {
    throw new Error("ModuleList has no forward: iterate over its modules instead");
  }
}

/**
 * Modules held by name (PyTorch's `nn.ModuleDict`); their parameters are named `key.weight`.
 * @example const heads = new nn.ModuleDict({ cls: new nn.Linear(64, 10), box: new nn.Linear(64, 4) });
 * heads.get("cls").forward(x)
 */
export class ModuleDict extends Module implements Iterable<[string, Module]> {
  private readonly map = new Map<string, Module>();

  constructor(modules: Record<string, Module> | [string, Module][] = {}) {
    super();
    for (const [k, m] of Array.isArray(modules) ? modules : Object.entries(modules)) this.set(k, m);
  }

  protected override ownEntries(): [string, unknown][] {
    return [...this.map];
  }

  /** The module under `key` (PyTorch's `d[key]`); a KeyError-like error when there is none. */
  get(key: string): Module {
    const m = this.map.get(key);
    if (!m) throw new KeyError(`'${key}'`);
    return m;
  }

  /** Puts `module` under `key` (PyTorch's `d[key] = module`); returns this container. */
  set(key: string, module: Module): this {
    this.map.set(key, module);
    return this;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  /** Removes and returns the module under `key`. */
  pop(key: string): Module {
    const m = this.get(key);
    this.map.delete(key);
    return m;
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  values(): Module[] {
    return [...this.map.values()];
  }

  items(): [string, Module][] {
    return [...this.map];
  }

  /** Adds every entry of `modules`; returns this container. */
  update(modules: Record<string, Module> | [string, Module][]): this {
    for (const [k, m] of Array.isArray(modules) ? modules : Object.entries(modules)) this.set(k, m);
    return this;
  }

  get length(): number {
    return this.map.size;
  }

  [Symbol.iterator](): Iterator<[string, Module]> {
    return this.map[Symbol.iterator]();
  }

  forward(): never {
    throw new Error("ModuleDict has no forward: call its modules instead");
  }
}
