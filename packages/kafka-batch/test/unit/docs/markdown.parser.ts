/** A fenced code block of a markdown document. */
export interface FencedBlock {
  /** The info string's first word: `ts`, `bash`, or empty. */
  lang: string;
  /** The lines between the fences, without the fence's indentation (a block inside a list item). */
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The path in an `<!-- example: path -->` comment on the last non-blank line before the fence. */
  example: string | undefined;
}

const OPENING_FENCE = /^( *)(`{3,})\s*([^\s`]*)/;
const EXAMPLE_MARKER = /^<!-- example: (\S+) -->$/;

export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = OPENING_FENCE.exec(lines[i]);
    if (!opening) continue;
    const [, indent, fence, lang] = opening;
    const end = lines.findIndex(
      (line, j) => j > i && /^ *`+\s*$/.test(line) && line.trim().length >= fence.length,
    );
    if (end < 0) throw new Error(`line ${i + 1}: a code block that is never closed`);
    const before = lines
      .slice(0, i)
      .reverse()
      .find((line) => line.trim() !== '');
    blocks.push({
      lang,
      text: lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()))
        .join('\n'),
      line: i + 1,
      example: before === undefined ? undefined : EXAMPLE_MARKER.exec(before.trim())?.[1],
    });
    i = end;
  }
  return blocks;
}

/**
 * The names in code spans in the first column of the first table after a heading, e.g.
 * `topics` and `topicPattern` from a row "| `topics` / `topicPattern` | … |".
 */
export function firstColumnNames(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const tableStart = lines.findIndex((line, i) => i > start && line.startsWith('|'));
  const nextHeading = lines.findIndex((line, i) => i > start && /^#{1,6} /.test(line));
  if (tableStart < 0 || (nextHeading >= 0 && nextHeading < tableStart))
    throw new Error(`no table under "${heading}"`);
  const rows: string[] = [];
  for (let i = tableStart + 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i]);
  return rows.flatMap((row) => {
    const firstCell = row.split(/(?<!\\)\|/)[1];
    return [...firstCell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
  });
}
