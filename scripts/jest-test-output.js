// What the running test printed, kept in memory by scripts/jest-quiet-environment.js: one entry
// per line, labelled with the time (UTC, to line up with broker and process logs) and its source.
// A chatty test keeps its first lines (the setup, a seed) and its latest ones (the failure).
const ANSI_ESCAPE = /\x1b\[[0-9;]*[A-Za-z]/g;

class TestOutput {
  constructor({ firstLines, lastLines }) {
    this.firstLines = firstLines;
    this.lastLines = lastLines;
    this.clear();
  }

  clear() {
    this.first = [];
    this.last = [];
    this.omitted = 0;
    /** Per source, the text after its last newline: a line is complete at its newline. */
    this.partial = new Map();
  }

  append(source, text) {
    const pieces = ((this.partial.get(source) ?? '') + String(text)).split('\n');
    this.partial.set(source, pieces.pop());
    for (const line of pieces) this.push(source, line);
  }

  get isEmpty() {
    return this.first.length === 0 && [...this.partial.values()].every((rest) => rest === '');
  }

  /** The lines kept, the unfinished ones included, as a block headed by `title`. */
  report(title) {
    for (const [source, rest] of this.partial) if (rest !== '') this.push(source, rest);
    this.partial.clear();
    const excess = Math.max(0, this.last.length - this.lastLines);
    const omitted = this.omitted + excess;
    const lines = [
      ...this.first,
      ...(omitted > 0 ? [`… ${omitted} lines not kept …`] : []),
      ...this.last.slice(excess),
    ];
    const total = this.first.length + this.last.length + this.omitted;
    return [
      `\n──── output of ${title} (${total} line${total === 1 ? '' : 's'}) ────`,
      ...lines,
      `──── end of the output of ${title} ────\n`,
    ].join('\n');
  }

  push(source, line) {
    const time = new Date().toISOString().slice(11, 23);
    const entry = `${time} ${source} │ ${line.replace(ANSI_ESCAPE, '').trimEnd()}`;
    if (this.first.length < this.firstLines) return void this.first.push(entry);
    this.last.push(entry);
    // Trimmed in bulk, so a chatty test does not pay for a shift per line.
    if (this.last.length >= 2 * this.lastLines) {
      const excess = this.last.length - this.lastLines;
      this.last.splice(0, excess);
      this.omitted += excess;
    }
  }
}

module.exports = { TestOutput };
