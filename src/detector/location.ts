import { SNIPPET_LEAD } from '../findings/finding.js';

/** How much of a line longer than a snippet's `max` a finding keeps. */
const LONG_LINE_WINDOW = 1000;

/** Characters a secret or a word is made of: a snippet never starts or ends in a run of them. */
const TOKEN = /[A-Za-z0-9_+/=.\-~$]/;

/** Offset → line/column, computed only when a rule reports something (never per line in the hot loop). */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(
    private readonly text: string,
    private readonly startLine: number,
  ) {}

  private lineStarts(): number[] {
    if (this.starts === undefined) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** 0-based index of the line holding `offset`. */
  private lineAt(offset: number): number {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based line and column of `offset`. */
  position(offset: number): { line: number; column: number } {
    const idx = this.lineAt(offset);
    return { line: this.startLine + idx, column: offset - this.lineStarts()[idx] + 1 };
  }

  /**
   * `lineText` for reports: where a long line is cut, the token the cut went through is left out
   * and an ellipsis (U+2026) marks the cut, so a secret cut in two (which no mask would recognise) never shows.
   * A line of up to `max` characters is kept whole. A longer line's window is `LONG_LINE_WINDOW`
   * characters from where reports start showing it, `SNIPPET_LEAD` characters before `offset`;
   * what follows is there for inline allow comments. (The marks make the text UTF-16: a finding
   * on a long line holds ~2 KB of it.)
   */
  snippet(offset: number, max = 2000): string {
    const [start, end] = this.window(offset, max, SNIPPET_LEAD, LONG_LINE_WINDOW);
    const [lineStart, lineEnd] = this.lineBounds(offset);
    let from = start;
    let to = end;
    if (from > lineStart) while (from < to && TOKEN.test(this.text[from])) from++;
    if (to < lineEnd) while (to > from && TOKEN.test(this.text[to - 1])) to--;
    return `${from > lineStart ? '…' : ''}${this.text.slice(from, to)}${to < lineEnd ? '…' : ''}`;
  }

  /** The text of the line holding `offset`, without its line ending, cut to `max` chars around it. */
  lineText(offset: number, max = 2000): string {
    const [start, end] = this.window(offset, max);
    return this.text.slice(start, end);
  }

  /** Start and end (without the line ending) of the line holding `offset`. */
  private lineBounds(offset: number): [number, number] {
    const starts = this.lineStarts();
    const idx = this.lineAt(offset);
    const start = starts[idx];
    let end = idx + 1 < starts.length ? starts[idx + 1] - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return [start, end];
  }

  /**
   * The part of the line holding `offset` that a snippet shows: all of it up to `max` characters,
   * else `size` characters from `lead` before `offset`.
   */
  private window(offset: number, max: number, lead = max / 2, size = max): [number, number] {
    let [start, end] = this.lineBounds(offset);
    if (end - start > max) {
      start = Math.max(start, offset - lead);
      end = Math.min(end, start + size);
    }
    return [start, end];
  }
}
