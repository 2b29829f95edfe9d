/**
 * The importable modules over the engine: `torch` (and `torch.nn`, `torch.nn.functional`,
 * `torch.optim`, `torch.autograd`), `tensorflow` and `mxnet`. Each reads the engine's
 * namespace through the name rule; only what Python spells differently is listed here:
 * context managers (`torch.no_grad()`), dtypes, and the factories whose dtype follows from
 * Python's float literals (`torch.tensor([1., 2.])`, `torch.arange(4.0)`).
 */
import * as engine from "../../engine/index";
import { PyBuiltin, PyModule, type CallArgs } from "../interpreter/objects";
import { PyFloat, PyTuple, PyDtype, type PyValue } from "../values/types";
import { CallbackContext } from "../interpreter/contexts";
import { callEngine } from "../interpreter/calls";
import { DTYPES } from "./tensorAttrs";
import { truthy } from "../values/arith";

function hasFloat(v: PyValue): boolean {
  if (v instanceof PyFloat) return true;
  if (Array.isArray(v)) return v.some(hasFloat);
  if (v instanceof PyTuple) return v.items.some(hasFloat);
  return false;
}

/** A factory whose result is float32 when a Python float is among its values (and no dtype is given). */
function floatInferring(name: string, fn: (...a: never[]) => unknown): PyBuiltin {
  return new PyBuiltin(name, (c: CallArgs) => {
    const kwargs = new Map(c.kwargs);
    if (!kwargs.has("dtype") && c.args.some(hasFloat)) kwargs.set("dtype", DTYPES.float32);
    return callEngine(fn as (...a: unknown[]) => unknown, undefined, name, { args: c.args, kwargs });
  });
}

const gradMode = (name: string, on: boolean) =>
  new PyBuiltin(name, () => new CallbackContext(name, (body) => (on ? engine.enableGrad(body) : engine.noGrad(body))));

function dtypes(prefix: string): [string, PyDtype][] {
  void prefix;
  return [
    ["float32", DTYPES.float32],
    ["float", DTYPES.float32],
    ["int64", DTYPES.int64],
    ["long", DTYPES.int64],
    ["bool", DTYPES.bool],
  ];
}

function torchModules(): Map<string, PyModule> {
  const F = new PyModule("torch.nn.functional", new Map(), engine.nn.functional as unknown as Record<string, unknown>);
  const nn = new PyModule("torch.nn", new Map<string, PyValue>([["functional", F]]), engine.nn as unknown as Record<string, unknown>);
  const optim = new PyModule("torch.optim", new Map(), engine.optim as unknown as Record<string, unknown>);
  const lrScheduler = new PyModule("torch.optim.lr_scheduler", new Map(), engine.optim.lrScheduler as unknown as Record<string, unknown>);
  optim.attrs.set("lr_scheduler", lrScheduler);
  const autograd = new PyModule("torch.autograd", new Map(), engine.autograd as unknown as Record<string, unknown>);
  const torch = new PyModule(
    "torch",
    new Map<string, PyValue>([
      ["nn", nn],
      ["optim", optim],
      ["autograd", autograd],
      ["no_grad", gradMode("no_grad", false)],
      ["enable_grad", gradMode("enable_grad", true)],
      [
        "set_grad_enabled",
        new PyBuiltin("set_grad_enabled", ({ args: [mode] }) => {
          const previous = engine.setGradEnabled(truthy(mode));
          // as a context manager it restores the mode it found; as a call it just sets it
          return new CallbackContext("set_grad_enabled", (body) => {
            try {
              return body();
            } finally {
              engine.setGradEnabled(previous);
            }
          });
        }),
      ],
      ["tensor", floatInferring("tensor", engine.tensor)],
      ["arange", floatInferring("arange", engine.arange)],
      ["full", floatInferring("full", engine.full)],
      ["is_tensor", new PyBuiltin("is_tensor", ({ args: [v] }) => v instanceof engine.Tensor)],
      ...dtypes("torch"),
    ]),
    engine as unknown as Record<string, unknown>,
  );
  return new Map([
    ["torch", torch],
    ["torch.nn", nn],
    ["torch.nn.functional", F],
    ["torch.optim", optim],
    ["torch.optim.lr_scheduler", lrScheduler],
    ["torch.autograd", autograd],
  ]);
}

function tfModule(): PyModule {
  return new PyModule("tensorflow", new Map<string, PyValue>(dtypes("tf")), engine.tf as unknown as Record<string, unknown>);
}

function mxnetModules(): Map<string, PyModule> {
  const record = new PyBuiltin("record", () => new CallbackContext("autograd.record", (body) => engine.mxnet.autograd.record(body)));
  const autograd = new PyModule("mxnet.autograd", new Map<string, PyValue>([["record", record]]), engine.mxnet.autograd as unknown as Record<string, unknown>);
  const np = new PyModule("mxnet.np", new Map(), engine.mxnet.np as unknown as Record<string, unknown>);
  const npx = new PyModule("mxnet.npx", new Map(), engine.mxnet.npx as unknown as Record<string, unknown>);
  const mxnet = new PyModule("mxnet", new Map<string, PyValue>([["autograd", autograd], ["np", np], ["npx", npx]]), engine.mxnet as unknown as Record<string, unknown>);
  return new Map([
    ["mxnet", mxnet],
    ["mxnet.autograd", autograd],
    ["mxnet.np", np],
    ["mxnet.npx", npx],
  ]);
}

/** Every engine-backed module, by its dotted import name. */
export function engineModules(): Map<string, PyModule> {
  return new Map([...torchModules(), ["tensorflow", tfModule()], ...mxnetModules()]);
}
