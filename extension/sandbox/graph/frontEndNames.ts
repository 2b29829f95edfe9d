/**
 * The graph of a file written with a front end ("gradlens/tf", "gradlens/mxnet") names its ops
 * as that framework does: the engine records PyTorch's grad_fn names, and where TensorFlow's
 * raw ops or MXNet's np operators are called differently the panel shows theirs. A name with
 * no counterpart here (AccumulateGrad, the leaf's gradient sink) stays PyTorch's.
 */
import type { GraphDto } from "../../../webview/protocol";

export type FrontEnd = "tf" | "mxnet";

/** TensorFlow's raw op names (what `tf.function` graphs and TensorBoard show). */
const TF: Record<string, string> = {
  AddBackward0: "AddV2",
  SubBackward0: "Sub",
  MulBackward0: "Mul",
  DivBackward0: "RealDiv",
  NegBackward0: "Neg",
  PowBackward0: "Pow",
  ExpBackward0: "Exp",
  LogBackward0: "Log",
  SqrtBackward0: "Sqrt",
  TanhBackward0: "Tanh",
  SigmoidBackward0: "Sigmoid",
  ReluBackward0: "Relu",
  SumBackward0: "Sum",
  SumBackward1: "Sum",
  MeanBackward0: "Mean",
  MeanBackward1: "Mean",
  MmBackward0: "MatMul",
  MvBackward0: "MatMul",
  DotBackward0: "MatMul",
  ViewBackward0: "Reshape",
  UnsafeViewBackward0: "Reshape",
  ReshapeAliasBackward0: "Reshape",
  TBackward0: "Transpose",
  PermuteBackward0: "Transpose",
};

/** MXNet's np operator names (`_npi_*`, `_np_*`, as its graphs show them). */
const MXNET: Record<string, string> = {
  AddBackward0: "_npi_add",
  SubBackward0: "_npi_subtract",
  MulBackward0: "_npi_multiply",
  DivBackward0: "_npi_true_divide",
  NegBackward0: "_npi_negative",
  PowBackward0: "_npi_power",
  ExpBackward0: "_npi_exp",
  LogBackward0: "_npi_log",
  SqrtBackward0: "_npi_sqrt",
  TanhBackward0: "_npi_tanh",
  SumBackward0: "_np_sum",
  SumBackward1: "_np_sum",
  MeanBackward0: "_npi_mean",
  MeanBackward1: "_npi_mean",
  MmBackward0: "_np_dot",
  MvBackward0: "_np_dot",
  DotBackward0: "_np_dot",
  NormBackward1: "_npi_norm",
  ViewBackward0: "_np_reshape",
  ReshapeAliasBackward0: "_np_reshape",
  TBackward0: "_np_transpose",
};

const NAMES: Record<FrontEnd, Record<string, string>> = { tf: TF, mxnet: MXNET };

/** The graph with its op nodes named as `frontEnd`'s framework names them (in place). */
export function nameOpsFor(graph: GraphDto, frontEnd: FrontEnd | null): GraphDto {
  if (!frontEnd) return graph;
  const names = NAMES[frontEnd];
  for (const node of graph.nodes) {
    if (node.kind === "op" && Object.hasOwn(names, node.label)) node.label = names[node.label];
  }
  return graph;
}
