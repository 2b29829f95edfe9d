/**
 * How a view/reshape/flatten regroups its input's dims, as the hint's hover shows it:
 * `16·5·5 = 400` for [1, 16, 5, 5] → [1, 400], and a `-1` with what it was inferred to be
 * (`-1 = 400/400 = 1`).
 */

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Input and output dims cut into runs of equal product; the runs that differ, written out. */
function regroupings(input: readonly number[], output: readonly number[]): string[] {
  const out: string[] = [];
  let i = 0;
  let o = 0;
  while (i < input.length || o < output.length) {
    const from = [input[i++] ?? 1];
    const to = [output[o++] ?? 1];
    while (product(from) !== product(to)) {
      if (product(from) < product(to) && i < input.length) from.push(input[i++]);
      else if (o < output.length) to.push(output[o++]);
      else break;
    }
    // a run that is the same dims on both sides changed nothing
    if (from.length !== to.length || from.some((n, k) => n !== to[k]))
      out.push(`${from.join("·")} = ${to.join("·")}`);
  }
  return out;
}

/** The formula of a reshape of `input` into `output`; `asked`: the shape the call gave. */
export function reshapeFormula(
  input: readonly number[],
  output: readonly number[],
  asked?: readonly number[],
): string {
  const parts = regroupings(input, output);
  const inferred = asked?.indexOf(-1) ?? -1;
  if (asked && inferred >= 0 && asked.length === output.length) {
    const known = product(asked.filter((_, k) => k !== inferred));
    parts.push(`-1 = ${product(input)}/${known} = ${output[inferred]}`);
  }
  return parts.length > 0 ? parts.join("; ") : "same dims";
}
