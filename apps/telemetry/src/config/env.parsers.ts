import { redactDatabaseUrl } from './database-url.redaction';

/**
 * Small parsers for environment variables. Each failure names the variable, what is allowed and
 * what was found, because a misconfigured pod should say so in its first log line.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = NodeJS.ProcessEnv;

export function integerVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer in ${min}..${max} (got "${raw}")`);
  }
  return value;
}

export function numberVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number in ${min}..${max} (got "${raw}")`);
  }
  return value;
}

export function patternVar(
  env: Env,
  name: string,
  fallback: string,
  pattern: RegExp,
  allowed: string,
): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!pattern.test(raw)) throw new ConfigError(`${name} must be ${allowed} (got "${raw}")`);
  return raw;
}

export function choiceVar<T extends string>(env: Env, name: string, fallback: T, choices: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

export function postgresUrlVar(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    throw new ConfigError(
      `${name} must be a URL postgres://user[:password]@host[:port]/database (got "${redactDatabaseUrl(raw)}")`,
    );
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ConfigError(
      `${name} must start with postgres:// or postgresql:// (got "${redactDatabaseUrl(raw)}")`,
    );
  }
  return raw;
}
