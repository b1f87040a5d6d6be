/** What was thrown, as an Error: handlers may throw anything. */
export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

export const messageOf = (error: unknown): string => asError(error).message;

/** A line of a V8 stack trace that is a frame, not the error's name and message. */
export const STACK_FRAME = /^\s+at /;
