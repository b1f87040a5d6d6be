import type { ChildProcess } from 'node:child_process';

/** What scripts/jest-quiet-environment.js puts on the global object of every test file. */
interface TestOutputSink {
  write(source: string, text: string): void;
}

const SINK = Symbol.for('@org/testing/test-output');

/**
 * Adds `text` to the output of the running test, labelled with its source: kept in memory and
 * printed only if the test fails (see scripts/jest-quiet-environment.js). Outside that
 * environment it goes to standard error.
 */
export function testOutput(source: string, text: string): void {
  const sink = (globalThis as unknown as Record<symbol, TestOutputSink | undefined>)[SINK];
  if (sink) sink.write(source, text.endsWith('\n') ? text : `${text}\n`);
  else process.stderr.write(`${source} │ ${text}\n`);
}

/**
 * Sends what a child process writes to the output of the running test, under `name`: a failing
 * test shows it, a passing one prints nothing. `keep` leaves out lines not worth showing (e.g. a
 * progress line printed every few milliseconds).
 */
export function captureChildOutput(
  child: ChildProcess,
  name: string,
  keep: (line: string) => boolean = () => true,
): void {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      const kept = lines.filter(keep);
      if (kept.length > 0) testOutput(name, kept.join('\n'));
    });
    stream?.on('end', () => {
      if (partial !== '' && keep(partial)) testOutput(name, partial);
    });
  }
}
