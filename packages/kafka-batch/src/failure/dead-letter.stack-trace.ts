import { basename, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STACK_FRAME } from '../common/errors';
import type { DeadLetterStackTrace } from '../interfaces/batch-listener-options.interface';

export const DEFAULT_DEAD_LETTER_STACK_TRACE: DeadLetterStackTrace = 'application';

/** Enough to find where the handler failed; the way there is in the service's own logs. */
const APPLICATION_FRAMES = 5;

/**
 * A frame's file: an absolute path (CommonJS) or a file URL (ES modules), before `:line:column`.
 * Frames without one are V8's or Node's own: `node:internal/…`, `<anonymous>`, `native`.
 */
const FRAME_FILE = /(?:\(|^\s+at (?:async )?)((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):\d+:\d+\)?$/;

/**
 * The `kafka_dlt-exception-stacktrace` header: the stack's first lines (the error's name and
 * message), then its frames as `depth` says. Anyone who can read the dead-letter topic reads it, and
 * a full trace gives away the install path and, through node_modules/.pnpm/<name>@<version>, the
 * version of every dependency on the way.
 *
 * 'application' keeps the first frames outside node_modules and Node's internals, with paths
 * relative to the working directory (the service's root when it is started as it should be); a file
 * outside it shows its name only, as its directory says where the host keeps things.
 */
export function deadLetterStackTrace(error: Error, depth: DeadLetterStackTrace, cwd = process.cwd()): string {
  const stack = error.stack ?? '';
  if (depth === 'full') return stack;
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => STACK_FRAME.test(line));
  if (firstFrame < 0) return stack;
  const head = lines.slice(0, firstFrame);
  if (depth === 'none') return head.join('\n');
  const frames = lines
    .slice(firstFrame)
    .map((line) => applicationFrame(line, cwd))
    .filter((line) => line !== undefined)
    .slice(0, APPLICATION_FRAMES);
  return [...head, ...frames].join('\n');
}

function applicationFrame(line: string, cwd: string): string | undefined {
  const file = FRAME_FILE.exec(line)?.[1];
  if (file === undefined) return undefined;
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  if (path.split(/[\\/]/).includes('node_modules')) return undefined;
  return line.replace(file, shownPath(path, cwd));
}

function shownPath(path: string, cwd: string): string {
  const inside = relative(cwd, path);
  return inside && !inside.startsWith(`..${sep}`) && !isAbsolute(inside) ? inside : basename(path);
}
