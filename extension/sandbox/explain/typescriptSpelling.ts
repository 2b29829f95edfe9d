/**
 * PyTorch's messages name keyword options as Python spells them (`Specify retain_graph=True`);
 * the message stays word for word (a search for it finds the answer), and this says how the
 * same option is written in a Gradlens file (`{ retainGraph: true }`). One table, here.
 */

/** Python keyword option → the option's name in Gradlens's options objects. */
export const OPTION_SPELLINGS: Readonly<Record<string, string>> = {
  retain_graph: "retainGraph",
  create_graph: "createGraph",
  allow_unused: "allowUnused",
  requires_grad: "requiresGrad",
  error_if_nonfinite: "errorIfNonfinite",
  return_indices: "returnIndices",
  batch_first: "batchFirst",
  ceil_mode: "ceilMode",
  count_include_pad: "countIncludePad",
  padding_mode: "paddingMode",
  ignore_index: "ignoreIndex",
  label_smoothing: "labelSmoothing",
};

/** Python literals as TypeScript writes them. */
const VALUES: Readonly<Record<string, string>> = { True: "true", False: "false", None: "null" };

const OPTION = /\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)=(True|False|None|-?\d+(?:\.\d+)?|'[^']*')/g;

/**
 * `retain_graph=True` is `{ retainGraph: true }` for each option of the table that `message`
 * names, or undefined when it names none.
 */
export function typescriptSpellings(message: string): string | undefined {
  const said = new Map<string, string>();
  for (const [python, name, value] of message.matchAll(OPTION)) {
    const option = OPTION_SPELLINGS[name];
    if (!option || said.has(python)) continue;
    const literal = VALUES[value] ?? value.replace(/^'(.*)'$/, '"$1"');
    said.set(python, `\`${python}\` is \`{ ${option}: ${literal} }\``);
  }
  if (said.size === 0) return undefined;
  return `In TypeScript: ${[...said.values()].join("; ")}.`;
}
