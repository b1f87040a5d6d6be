import { deadLetterStackTrace } from './dead-letter.stack-trace';

const INSTALL = '/srv/telemetry';

/** A stack as V8 writes it for a failed write, the service installed in /srv/telemetry. */
const thrown = Object.assign(new Error('bulk upsert into "reading" failed (unnest)\nsecond line'), {
  stack: [
    'BulkWriteError: bulk upsert into "reading" failed (unnest)',
    'second line',
    `    at attributeFailure (${INSTALL}/node_modules/.pnpm/@org+kafka-batch@0.1.0/node_modules/@org/kafka-batch/dist/persistence/bulk-write.error.js:70:15)`,
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    `    at async TelemetryReadingsWriter.write (${INSTALL}/dist/readings/telemetry-readings.writer.js:31:24)`,
    '    at async Promise.all (index 0)',
    '    at new Promise (<anonymous>)',
    `    at async file://${INSTALL}/dist/esm/handler.mjs:4:3`,
    '    at Object.<anonymous> (/opt/shared/lib/helper.js:1:1)',
    `    at one (${INSTALL}/dist/a.js:1:1)`,
    `    at two (${INSTALL}/dist/b.js:2:2)`,
    `    at three (${INSTALL}/dist/c.js:3:3)`,
  ].join('\n'),
});

describe('deadLetterStackTrace', () => {
  it('keeps the message and the first five application frames, paths relative to the working directory', () => {
    expect(deadLetterStackTrace(thrown, 'application', INSTALL)).toBe(
      [
        'BulkWriteError: bulk upsert into "reading" failed (unnest)',
        'second line',
        '    at async TelemetryReadingsWriter.write (dist/readings/telemetry-readings.writer.js:31:24)',
        '    at async dist/esm/handler.mjs:4:3',
        '    at Object.<anonymous> (helper.js:1:1)',
        '    at one (dist/a.js:1:1)',
        '    at two (dist/b.js:2:2)',
      ].join('\n'),
    );
  });

  it('gives the stack as thrown with full, and the message alone with none', () => {
    expect(deadLetterStackTrace(thrown, 'full', INSTALL)).toBe(thrown.stack);
    expect(deadLetterStackTrace(thrown, 'none', INSTALL)).toBe(
      'BulkWriteError: bulk upsert into "reading" failed (unnest)\nsecond line',
    );
  });

  it('leaves a stack without frames as it is, and a missing one empty', () => {
    const framesless = Object.assign(new Error('x'), { stack: 'Error: x' });
    const stackless = Object.assign(new Error('x'), { stack: undefined });

    expect(deadLetterStackTrace(framesless, 'application', INSTALL)).toBe('Error: x');
    expect(deadLetterStackTrace(stackless, 'application', INSTALL)).toBe('');
  });

  it('shows a real error thrown here without the working directory', () => {
    const header = deadLetterStackTrace(new Error('here'), 'application');

    expect(header).toMatch(
      /^Error: here\n {4}at .*\(packages\/kafka-batch\/src\/failure\/dead-letter\.stack-trace\.spec\.ts:\d+:\d+\)/,
    );
    expect(header).not.toContain(process.cwd());
    expect(header).not.toContain('node_modules');
  });
});
