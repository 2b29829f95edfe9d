/**
 * The transpiler worker's results by file and text (transpileWorker.ts): re-running an unchanged
 * file (Run Backward) transpiles nothing, and a file the host asked for ahead of its run
 * (`prefetch`) is ready when the run worker asks. Keyed by the whole text, never by name alone.
 */
import type { Transpiled } from "../runProtocol/transpiled";

const ENTRIES = 64;

export class TranspileCache {
  private readonly entries = new Map<string, Transpiled>();

  constructor(
    private readonly transpile: (file: string, source: string) => Transpiled,
    private readonly limit = ENTRIES,
  ) {}

  /** The file's transpiled text, made now unless this text was transpiled before. */
  get(file: string, source: string): Transpiled {
    const key = `${file}\0${source}`;
    let result = this.entries.get(key);
    if (result)
      this.entries.delete(key); // re-inserted below: the newest use goes last
    else result = this.transpile(file, source);
    this.entries.set(key, result);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return result;
  }
}
