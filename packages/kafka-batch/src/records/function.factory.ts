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
