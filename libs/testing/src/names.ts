import { randomBytes } from 'node:crypto';

/** A topic, group or database name no other test (or earlier run) uses. */
export function uniqueName(prefix: string): string {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return `${safePrefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}
