/**
 * The local rule of a backward node, as the lecture notes write it: in words, and as a formula
 * per input (`MulBackward0: ∂L/∂a = ∂L/∂out · b`). `{a}`, `{b}`, `{c}` stand for the node's
 * inputs in order and `{out}` for its output; the page puts the tensors' names in when it knows
 * them (`∂L/∂y = ∂L/∂z · 3`). Names not in the table get a generic sentence; a user's Function
 * (`MyAddBackward`) is named as the backward the user wrote. Pure: no DOM.
 */

export interface BackwardRule {
  words: string;
  /** One formula per input, in the order of the node's inputs. */
  formulas: string[];
  /** The one formula holds for every input (`{a}` standing for each in turn). */
  eachInput?: boolean;
}

/** words, then one formula per input */
const RULES: Record<string, [string, ...string[]]> = {
  AddBackward0: [
    "Addition passes the gradient through unchanged to both inputs.",
    "∂L/∂{a} = ∂L/∂{out}",
    "∂L/∂{b} = ∂L/∂{out}",
  ],
  SubBackward0: [
    "Subtraction passes the gradient to the first input and its negative to the second.",
    "∂L/∂{a} = ∂L/∂{out}",
    "∂L/∂{b} = −∂L/∂{out}",
  ],
  MulBackward0: [
    "A product sends each input the gradient times the other factor.",
    "∂L/∂{a} = ∂L/∂{out} · {b}",
    "∂L/∂{b} = ∂L/∂{out} · {a}",
  ],
  DivBackward0: [
    "A quotient: the numerator gets the gradient over the denominator.",
    "∂L/∂{a} = ∂L/∂{out} / {b}",
    "∂L/∂{b} = −∂L/∂{out} · {a} / {b}²",
  ],
  PowBackward0: [
    "A power aⁿ sends back the gradient times n·aⁿ⁻¹.",
    "∂L/∂{a} = ∂L/∂{out} · n·{a}ⁿ⁻¹",
  ],
  NegBackward0: ["Negation flips the gradient's sign.", "∂L/∂{a} = −∂L/∂{out}"],
  MeanBackward0: [
    "A mean of N elements gives each element an equal share of the gradient.",
    "∂L/∂{a} = ∂L/∂{out} / N, for every element",
  ],
  SumBackward0: [
    "A sum copies the gradient to every element it added.",
    "∂L/∂{a} = ∂L/∂{out}, for every element",
  ],
  SumBackward1: [
    "A sum over some dimensions copies the gradient along them.",
    "∂L/∂{a} = ∂L/∂{out}, broadcast back over the summed dims",
  ],
  ExpBackward0: ["exp is its own derivative.", "∂L/∂{a} = ∂L/∂{out} · exp({a})"],
  LogBackward0: ["log's derivative is 1/a.", "∂L/∂{a} = ∂L/∂{out} / {a}"],
  SqrtBackward0: ["√a's derivative is 1/(2√a).", "∂L/∂{a} = ∂L/∂{out} / (2·√{a})"],
  ReluBackward0: [
    "ReLU lets the gradient through where its input was positive and stops it elsewhere.",
    "∂L/∂{a} = ∂L/∂{out} · [{a} > 0]",
  ],
  SigmoidBackward0: [
    "Sigmoid multiplies the gradient by σ(1 − σ), at most 0.25 and near 0 where it saturates.",
    "∂L/∂{a} = ∂L/∂{out} · σ({a})·(1 − σ({a}))",
  ],
  TanhBackward0: [
    "tanh multiplies the gradient by 1 − tanh², near 0 where it saturates.",
    "∂L/∂{a} = ∂L/∂{out} · (1 − tanh²({a}))",
  ],
  MmBackward0: [
    "A matrix product sends each factor the gradient times the other, transposed.",
    "∂L/∂{a} = ∂L/∂{out} · {b}ᵀ",
    "∂L/∂{b} = {a}ᵀ · ∂L/∂{out}",
  ],
  AddmmBackward0: [
    "A linear layer (bias + x·Wᵀ): the bias gets the gradient summed over the batch.",
    "∂L/∂{a} = Σ over rows of ∂L/∂{out}",
    "∂L/∂{b} = ∂L/∂{out} · {c}ᵀ",
    "∂L/∂{c} = {b}ᵀ · ∂L/∂{out}",
  ],
  DotBackward0: [
    "A dot product sends each vector the gradient times the other.",
    "∂L/∂{a} = ∂L/∂{out} · {b}",
    "∂L/∂{b} = ∂L/∂{out} · {a}",
  ],
  TBackward0: ["A transpose transposes the gradient back.", "∂L/∂{a} = (∂L/∂{out})ᵀ"],
  ViewBackward0: [
    "A view reshapes the gradient back to the input's shape.",
    "∂L/∂{a} = reshape(∂L/∂{out}, shape of {a})",
  ],
  ConvolutionBackward0: [
    "A convolution: the input gets the gradient convolved back with the kernel (transposed " +
      "convolution), the kernel the input correlated with the gradient, the bias the gradient summed.",
    "∂L/∂{a} = conv_transpose(∂L/∂{out}, {b})",
    "∂L/∂{b} = correlate({a}, ∂L/∂{out})",
    "∂L/∂{c} = Σ over batch and positions of ∂L/∂{out}",
  ],
  MaxPool2DWithIndicesBackward0: [
    "Max pooling sends each window's gradient to the element that was the maximum.",
    "∂L/∂{a} = ∂L/∂{out} at each window's argmax, 0 elsewhere",
  ],
  AvgPool2DBackward0: [
    "Average pooling spreads each window's gradient evenly over the window.",
    "∂L/∂{a} = ∂L/∂{out} / (window size), for every element of the window",
  ],
  MseLossBackward0: [
    "Mean squared error: the gradient is the difference, doubled, over N.",
    "∂L/∂{a} = ∂L/∂{out} · 2({a} − {b}) / N",
    "∂L/∂{b} = −∂L/∂{out} · 2({a} − {b}) / N",
  ],
  AccumulateGrad: [
    "The gradient has reached a leaf: it is added into its .grad.",
    "{a}.grad += ∂L/∂{a}",
  ],
};

/** The table's rule for `name`, or a generic one (a user's Function: its own backward). */
export function backwardRule(name: string): BackwardRule {
  const known = RULES[name];
  if (known) return { words: known[0], formulas: known.slice(1) };
  if (/^[A-Za-z_$][\w$]*Backward$/.test(name)) {
    const fn = name.slice(0, -"Backward".length);
    return {
      words:
        `${name} is your Function's backward: ${fn}.backward ran with ∂L/∂{out} (one per ` +
        "output) and returned one gradient per input.",
      formulas: ["∂L/∂{a} = what " + fn + ".backward returned for {a}"],
      eachInput: true,
    };
  }
  return {
    words:
      `${name} applies the chain rule: the gradient of its output times the derivative of ` +
      "its output with respect to each input.",
    formulas: ["∂L/∂{a} = ∂L/∂{out} · ∂{out}/∂{a}"],
    eachInput: true,
  };
}

/** A formula with the inputs' and output's names put in (`{a}` → `y`). */
export function fillNames(formula: string, inputs: readonly string[], output: string): string {
  return formula.replace(/\{(out|[a-z])\}/g, (_, k: string) =>
    k === "out" ? output : (inputs[k.charCodeAt(0) - 97] ?? k),
  );
}
