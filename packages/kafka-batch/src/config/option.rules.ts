/**
 * Checks one option's value (the other options at hand, for a check that depends on them):
 * undefined when it is valid, else what it must be, e.g. "must be an integer in 1..100".
 */
export type OptionCheck<T> = (value: unknown, options: T) => string | undefined;

/** A rule across options: the problems it finds, each a whole sentence naming the options. */
export type OptionRelation<T> = (options: T) => string | string[] | undefined;

export interface OptionRules<T> {
  /** Checks by option path ("retry.attempts" reads `options.retry.attempts`). */
  readonly values?: Readonly<Record<string, OptionCheck<T>>>;
  readonly relations?: readonly OptionRelation<T>[];
}

/** How a value appears in an error: JSON, a regular expression as written, or "a function". */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value instanceof RegExp) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** The sentence every invalid value gets: `option "<path>" must be … (got …)`. */
export function optionProblem(path: string, requirement: string, value: unknown): string {
  return `option "${path}" ${requirement} (got ${describeValue(value)})`;
}

/** Every problem the rules find in `options`; `prefix` is put before each path ("lag."). */
export function checkOptions<T extends object>(options: T, rules: OptionRules<T>, prefix = ''): string[] {
  const problems: string[] = [];
  for (const [path, check] of Object.entries(rules.values ?? {})) {
    const value = valueAt(options, path);
    const requirement = check(value, options);
    if (requirement !== undefined) problems.push(optionProblem(prefix + path, requirement, value));
  }
  for (const relation of rules.relations ?? []) {
    const found = relation(options);
    if (found !== undefined) problems.push(...(Array.isArray(found) ? found : [found]));
  }
  return problems;
}

function valueAt(options: object, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], options);
}

export const integerIn =
  (min: number, max: number): OptionCheck<unknown> =>
  (value) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max
      ? undefined
      : `must be an integer in ${min}..${max}`;

export const oneOf =
  (...allowed: string[]): OptionCheck<unknown> =>
  (value) =>
    allowed.includes(value as string)
      ? undefined
      : `must be one of ${allowed.map((choice) => `'${choice}'`).join(', ')}`;

export const trueOrFalse: OptionCheck<unknown> = (value) =>
  typeof value === 'boolean' ? undefined : 'must be true or false';

export const nonEmptyString =
  (requirement: string): OptionCheck<unknown> =>
  (value) =>
    typeof value === 'string' && value !== '' ? undefined : requirement;

export const nonEmptyStringList =
  (requirement: string): OptionCheck<unknown> =>
  (value) =>
    Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item !== '')
      ? undefined
      : requirement;

/** A function, or a class (which cannot be told apart from a function reliably). */
export const aFunction =
  (requirement: string): OptionCheck<unknown> =>
  (value) =>
    typeof value === 'function' ? undefined : requirement;

export const matching =
  (pattern: RegExp, requirement: string): OptionCheck<unknown> =>
  (value) =>
    typeof value === 'string' && pattern.test(value) ? undefined : requirement;

export const aRegExp: OptionCheck<unknown> = (value) =>
  value instanceof RegExp ? undefined : 'must be a regular expression';

/** The check, or a function in its place ("must be one of 'json', 'raw' or a function"). */
export const orFunction =
  <T>(check: OptionCheck<T>): OptionCheck<T> =>
  (value, options) => {
    if (typeof value === 'function') return undefined;
    const requirement = check(value, options);
    return requirement === undefined ? undefined : `${requirement} or a function`;
  };

/** The check, applied only when the option is set. */
export const optional =
  <T>(check: OptionCheck<T>): OptionCheck<T> =>
  (value, options) =>
    value === undefined ? undefined : check(value, options);

/** The check, applied only when `applies` holds for the options. */
export const when =
  <T>(applies: (options: T) => boolean, check: OptionCheck<T>): OptionCheck<T> =>
  (value, options) =>
    applies(options) ? check(value, options) : undefined;
