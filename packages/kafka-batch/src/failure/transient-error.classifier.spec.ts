import { isTransientError } from './transient-error.classifier';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransientError', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', withCode('ECONNRESET')],
    ['a PostgreSQL connection exception (class 08)', withCode('08006')],
    ['the server shutting down', withCode('57P01', 'terminating connection due to administrator command')],
    ['a deadlock', withCode('40P01')],
    ['a dropped node-postgres connection', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect', new Error('timeout exceeded when trying to connect')],
  ])('recognizes %s', (_what, error) => {
    expect(isTransientError(error)).toBe(true);
  });

  it('looks through cause, driverError and AggregateError', () => {
    expect(isTransientError(new Error('bulk upsert failed', { cause: withCode('ECONNREFUSED') }))).toBe(true);
    expect(
      isTransientError(Object.assign(new Error('query failed'), { driverError: withCode('57P03') })),
    ).toBe(true);
    expect(isTransientError(new AggregateError([new Error('a'), withCode('ETIMEDOUT')]))).toBe(true);
  });

  it.each([
    ['a constraint violation', withCode('23514', 'new row violates check constraint')],
    ['a type error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('does not treat %s as transient', (_what, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});
