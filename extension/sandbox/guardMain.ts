/**
 * The first script a model's sandbox runs (dist/sandboxGuard.js): the memory guard, installed
 * before the sandbox bundle so that the bundle's own references to the typed-array constructors
 * (which it binds locally, for speed: see webpack.config.js) are the guarded ones.
 *
 * Thread: the run worker, inside the model's context.
 */
import { GUARD, installMemoryGuard, setMemoryLimit, type GuardControls } from "./memoryGuard";

installMemoryGuard();
const controls: GuardControls = { setMemoryLimit };
(globalThis as unknown as Record<string, unknown>)[GUARD] = controls;
