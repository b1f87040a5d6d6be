/**
 * Makes a function from source, as `new Function(...parameters, body)` does: the validator's
 * compiled checks and builders. A process run with `--disallow-code-generation-from-strings` throws
 * an EvalError here, and those classes keep class-validator and class-transformer. A seam, so that
 * tests can refuse too.
 */
export type FunctionFactory = (parameters: string[], body: string) => (...args: unknown[]) => unknown;

export const newFunction: FunctionFactory = (parameters, body) =>
  new Function(...parameters, body) as (...args: unknown[]) => unknown;

/** A property name in generated source: a JSON string literal, whatever characters it holds. */
export const literal = (name: string): string => JSON.stringify(name);

/** A function generated once: what it closes over, and its source. */
export interface GeneratedSource {
  /** Values the source refers to by these names. */
  inputs: Record<string, unknown>;
  /** `name = expression` over the inputs, evaluated once, before the function is made. */
  bindings: string[];
  /** The function made, from `function name(…) {` to its closing brace. */
  lines: string[];
}

/** The generated function; undefined where code cannot be generated, and the packages do the work. */
export function generateFunction<F>(
  makeFunction: FunctionFactory,
  { inputs, bindings, lines }: GeneratedSource,
): F | undefined {
  const source = [
    '"use strict";',
    ...(bindings.length > 0 ? [`const ${bindings.join(',\n  ')};`] : []),
    `return ${lines.join('\n')};`,
  ].join('\n');
  try {
    return makeFunction(Object.keys(inputs), source)(...Object.values(inputs)) as F;
  } catch {
    return undefined;
  }
}
