/**
 * PyTorch's messages name keyword options as Python spells them (`Specify retain_graph=True`);
 * the message stays word for word (a search for it finds the answer), and this says how the
 * same option is written in a Gradlens file (`{ retainGraph: true }`). One table, here: an entry
 * is the exact Python spelling a message uses, so nothing is parsed out of the message.
 */

/** Python keyword option as the engine's messages spell it → the same in TypeScript. */
export const OPTION_SPELLINGS: Readonly<Record<string, string>> = {
  "retain_graph=True": "{ retainGraph: true }",
  "create_graph=True": "{ createGraph: true }",
  "allow_unused=True": "{ allowUnused: true }",
  "requires_grad=True": "{ requiresGrad: true }",
  "requires_grad=False": "{ requiresGrad: false }",
  "error_if_nonfinite=False": "{ errorIfNonfinite: false }",
  "return_indices=True": "{ returnIndices: true }",
  "batch_first=True": "{ batchFirst: true }",
};

/**
 * `retain_graph=True` is `{ retainGraph: true }` for each option of the table that `message`
 * names, or undefined when it names none.
 */
export function typescriptSpellings(message: string): string | undefined {
  const said = Object.entries(OPTION_SPELLINGS)
    .filter(([python]) => message.includes(python))
    .map(([python, typescript]) => `\`${python}\` is \`${typescript}\``);
  return said.length > 0 ? `In TypeScript: ${said.join("; ")}.` : undefined;
}
