/**
 * Python's string formatting: format specs (`f"{x:.4f}"`, `format(x, "8.2e")`), `%`
 * formatting (`"%d: %.3f" % (i, loss)`) and `str.format`. A 0-dim tensor formats as its
 * value, as PyTorch's `Tensor.__format__` does.
 */
import { Tensor } from "../../engine/index";
import { float, PyDict, PyFloat, PyTuple, type PyValue } from "./types";
import { repr, str } from "./repr";
import { keyError, pyError } from "../interpreter/errors";
import { typeName } from "./typeName";

/**
 * Python's `"{:.Nf}".format(x)`: rounded from x's exact binary value (`2.675` → `2.67`), an
 * exact tie to even (`0.125` → `0.12`). JavaScript's toFixed rounds the exact value too but
 * breaks ties away from zero.
 */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60));
  const rest = exact.slice(exact.indexOf(".") + 1 + digits);
  if (!/^50*$/.test(rest)) return Object.is(x, -0) ? "-" + s : s;
  // a tie: toFixed went away from zero; step back when that made the last digit odd
  const lastDigit = Number(s[s.length - 1]);
  if (lastDigit % 2 === 0) return s;
  const down = Math.abs(x) - 0.5 * 10 ** -digits;
  return (x < 0 ? "-" : "") + down.toFixed(digits);
}

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

/** A 0-dim tensor is formatted as its Python number. */
function scalarOf(v: PyValue): PyValue {
  if (v instanceof Tensor && v.dim() === 0) return v.dtype === "float32" ? float(v.item()) : v.dtype === "bool" ? v.item() !== 0 : v.item();
  return v;
}

function exponential(x: number, digits: number, upper: boolean): string {
  const s = x.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2");
  return upper ? s.toUpperCase() : s;
}

/** Python's `g`: fixed or scientific by the exponent, trailing zeros removed. */
function general(x: number, precision: number, keepZeros: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  if (x === 0) return keepZeros ? (0).toFixed(p - 1) : "0";
  if (!Number.isFinite(x)) return special(x);
  const exp = Number(x.toExponential(p - 1).split("e")[1]);
  let s = exp >= -4 && exp < p ? fixed(x, p - 1 - exp) : exponential(x, p - 1, upper);
  if (!keepZeros) s = s.replace(/(\.\d*?)0+(e|E|$)/, "$1$2").replace(/\.(e|E|$)/, "$1");
  return s;
}

function special(x: number): string {
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

function group(intPart: string, sep: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** `format(value, spec)`. */
export function formatValue(value: PyValue, spec: string): string {
  const v = scalarOf(value);
  if (spec === "") return str(v);
  const m = SPEC.exec(spec);
  if (!m) throw pyError("ValueError", `Invalid format specifier '${spec}' for object of type '${typeName(v)}'`);
  const [, fillCh, align, sign = "-", alt, zero, widthText, grouping, precText, typeCh] = m;
  const precision = precText === undefined ? null : Number(precText);
  let body: string;
  let negative = false;
  const isNum = typeof v === "number" || typeof v === "boolean" || v instanceof PyFloat;
  if (!isNum) {
    if (typeCh && typeCh !== "s") throw pyError("ValueError", `Unknown format code '${typeCh}' for object of type '${typeName(v)}'`);
    body = str(v);
    if (precision !== null) body = body.slice(0, precision);
  } else {
    const isFloat = v instanceof PyFloat;
    let x = v instanceof PyFloat ? v.v : v === true ? 1 : v === false ? 0 : (v as number);
    negative = x < 0 || Object.is(x, -0);
    x = Math.abs(x);
    const type = typeCh ?? (isFloat ? (precision === null ? "r" : "g") : "d");
    if (!Number.isFinite(x)) body = special(x);
    else {
      switch (type) {
        case "d":
        case "n":
          if (isFloat) throw pyError("ValueError", "Unknown format code 'd' for object of type 'float'");
          body = String(x);
          break;
        case "f":
        case "F":
          body = fixed(x, precision ?? 6);
          break;
        case "e":
        case "E":
          body = exponential(x, precision ?? 6, type === "E");
          break;
        case "g":
        case "G":
          body = general(x, precision ?? 6, !!alt, type === "G");
          if (!typeCh && isFloat && !/[.e]/.test(body)) body += ".0";
          break;
        case "%":
          body = fixed(x * 100, precision ?? 6) + "%";
          break;
        case "x":
        case "X":
          body = (alt ? "0x" : "") + x.toString(16);
          if (type === "X") body = body.toUpperCase();
          break;
        case "o":
          body = (alt ? "0o" : "") + x.toString(8);
          break;
        case "b":
          body = (alt ? "0b" : "") + x.toString(2);
          break;
        case "c":
          body = String.fromCodePoint(x);
          break;
        default:
          body = repr(float(x));
      }
    }
    if (grouping) {
      const [ip, ...rest] = body.split(".");
      body = [group(ip, grouping), ...rest].join(".");
    }
  }
  const signText = isNum ? (negative ? "-" : sign === "+" ? "+" : sign === " " ? " " : "") : "";
  const width = widthText === undefined ? 0 : Number(widthText);
  const fill = fillCh ?? (zero && !align ? "0" : " ");
  const how = align ?? (zero ? "=" : isNum ? ">" : "<");
  const pad = Math.max(0, width - body.length - signText.length);
  switch (how) {
    case "<":
      return signText + body + fill.repeat(pad);
    case "^":
      return fill.repeat(pad >> 1) + signText + body + fill.repeat(pad - (pad >> 1));
    case "=":
      return signText + fill.repeat(pad) + body;
    default:
      return fill.repeat(pad) + signText + body;
  }
}

/** `fmt % args`. */
export function percentFormat(fmt: string, args: PyValue): string {
  const list = args instanceof PyTuple ? args.items : [args];
  let i = 0;
  const next = (): PyValue => {
    if (i >= list.length) throw pyError("TypeError", "not enough arguments for format string");
    return list[i++];
  };
  const out = fmt.replace(/%(\((\w+)\))?([-+ #0]*)(\*|\d+)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g, (_all, _k, key: string, flags: string, w: string, prec: string, conv: string) => {
    if (conv === "%") return "%";
    const value = key !== undefined && args instanceof PyDict ? args.get(key) : next();
    const width = w === "*" ? Number(next()) : w ? Number(w) : 0;
    const align = flags.includes("-") ? "<" : ">";
    const sign = flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
    const zero = flags.includes("0") && !flags.includes("-") ? "0" : "";
    const precPart = prec !== undefined ? "." + prec : "";
    let text: string;
    if (conv === "s") text = formatValue(str(scalarOf(value)), `${align}${width || ""}${precPart}`);
    else if (conv === "r" || conv === "a") text = formatValue(repr(value), `${align}${width || ""}`);
    else {
      const t = conv === "i" || conv === "u" ? "d" : conv;
      let v = scalarOf(value);
      if (t === "d" && v instanceof PyFloat) v = Math.trunc(v.v);
      else if ("eEfFgG".includes(t) && typeof v === "number") v = float(v);
      text = formatValue(v, `${zero ? "" : align}${sign}${zero}${width || ""}${precPart}${t}`);
    }
    return text;
  });
  if (i < list.length && !(args instanceof PyDict)) throw pyError("TypeError", "not all arguments converted during string formatting");
  return out;
}

/** `template.format(*args, **kwargs)`: `{}`, `{0}`, `{name}`, `{:.2f}`, `{!r}`. */
export function strFormat(template: string, args: PyValue[], kwargs: Map<string, PyValue>): string {
  let auto = 0;
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (all, field: string | undefined) => {
    if (all === "{{") return "{";
    if (all === "}}") return "}";
    const m = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/.exec(field ?? "")!;
    const [, name, conv, spec = ""] = m;
    let value: PyValue;
    if (name === "") value = args[auto++];
    else if (/^\d+$/.test(name)) value = args[Number(name)];
    else if (kwargs.has(name)) value = kwargs.get(name);
    else throw keyError(name);
    if (conv === "r") value = repr(value);
    else if (conv === "s") value = str(value);
    return formatValue(value, spec);
  });
}
