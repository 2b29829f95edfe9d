/** Containers: `nn.Sequential` and `nn.ModuleList`, whose children are named "0", "1", … */
import { IndexError } from "../errors";
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
