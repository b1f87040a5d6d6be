const SPECIAL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field of COPY's text format: backslash, tab, newline and carriage return escaped, NULL as \N. */
export function copyField(text: string | null): string {
  return text === null ? '\\N' : text.replace(SPECIAL, (char) => ESCAPES[char]);
}
