import { inspect } from 'node:util';
import { testOutput } from './test-output';

type Level = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.stack ?? value.message;
  return inspect(value, { depth: 4, breakLength: Infinity });
}

/**
 * A Nest logger (`NestFactory.create*(module, { logger: new TestLogger() })`) that writes to the
 * output of the running test, every level included: a failing test shows what its application
 * logged, a passing one prints nothing. Structurally a Nest `LoggerService`, so the harness needs
 * no dependency on Nest.
 */
export class TestLogger {
  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest passes a logger's context as the last parameter (after the stack trace, for errors);
   * whatever else comes is printed after the message.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const last = params.at(-1);
    const context = typeof last === 'string' && !last.includes('\n') ? params.pop() : undefined;
    const details = params.filter((p) => p !== undefined).map(text);
    const line = `${level.toUpperCase()}${context ? ` [${context}]` : ''} ${text(message)}`;
    testOutput('nest', [line, ...details].join('\n'));
  }
}
