/**
 * Files as lines that keep their own line endings, and edits on those lines. The same edits make
 * the new content and the unified diff, so the dry run shows exactly what `--write` writes.
 */

/** `a\r\nb` → [`a\r\n`, `b`]: every line keeps its ending, so CRLF files stay CRLF. */
export function splitLines(text: string): string[] {
  return text === '' ? [] : text.match(/[^\n]*\n|[^\n]+$/g)!;
}

export function stripEol(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** The file's line ending, judged by its first line (`\n` for a new or one-line file). */
export function eolOf(lines: readonly string[]): string {
  return lines[0]?.endsWith('\r\n') ? '\r\n' : '\n';
}

/** Replace `remove` lines from `start` (0-based) with `insert` (lines with their endings). */
export interface LineEdit {
  start: number;
  remove: number;
  insert: string[];
}

/** By position; at the same line, a pure insertion goes before a replacement of that line. */
function sortEdits(edits: readonly LineEdit[]): LineEdit[] {
  return [...edits].sort((a, b) => a.start - b.start || a.remove - b.remove);
}

export function applyEdits(lines: readonly string[], edits: readonly LineEdit[]): string[] {
  const out: string[] = [];
  let next = 0;
  for (const edit of sortEdits(edits)) {
    out.push(...lines.slice(next, edit.start), ...edit.insert);
    next = edit.start + edit.remove;
  }
  out.push(...lines.slice(next));
  return out;
}

/** Appends lines at the end, first ending a last line that has no line ending. */
export function appendEdit(lines: readonly string[], add: readonly string[]): LineEdit {
  const eol = eolOf(lines);
  const added = add.map((line) => line + eol);
  const last = lines[lines.length - 1];
  if (last !== undefined && !last.endsWith('\n')) return { start: lines.length - 1, remove: 1, insert: [last + eol, ...added] };
  return { start: lines.length, remove: 0, insert: added };
}

const CONTEXT = 3;

/** `5,2`; a one-line range is just `5`, as git prints it. */
const range = (start: number, count: number): string => (count === 1 ? `${start}` : `${start},${count}`);

/**
 * A unified diff (`git diff` style, 3 lines of context) of `edits` on `oldLines`. `show` turns each
 * line into what may be printed (the caller redacts secrets there).
 */
export function unifiedDiff(path: string, oldLines: readonly string[], edits: readonly LineEdit[], options: { isNew: boolean; show: (line: string) => string }): string[] {
  const sorted = sortEdits(edits);
  const groups: LineEdit[][] = [];
  for (const edit of sorted) {
    const group = groups[groups.length - 1];
    const previous = group?.[group.length - 1];
    if (previous && edit.start - (previous.start + previous.remove) <= 2 * CONTEXT) group.push(edit);
    else groups.push([edit]);
  }
  const out = [options.isNew ? '--- /dev/null' : `--- a/${path}`, `+++ b/${path}`];
  let shift = 0; // new line number minus old line number, before the current hunk
  for (const group of groups) {
    const last = group[group.length - 1];
    const from = Math.max(0, group[0].start - CONTEXT);
    const to = Math.min(oldLines.length, last.start + last.remove + CONTEXT);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    const emit = (mark: string, line: string): void => {
      body.push(mark + options.show(stripEol(line)));
      if (!line.endsWith('\n')) body.push('\\ No newline at end of file');
    };
    let i = from;
    for (const edit of group) {
      for (; i < edit.start; i++, oldCount++, newCount++) emit(' ', oldLines[i]);
      for (let k = 0; k < edit.remove; k++, oldCount++) emit('-', oldLines[edit.start + k]);
      for (const line of edit.insert) {
        emit('+', line);
        newCount++;
      }
      i = edit.start + edit.remove;
    }
    for (; i < to; i++, oldCount++, newCount++) emit(' ', oldLines[i]);
    // An empty side is numbered by the line before it (`-0,0` for a new file), as git does.
    const oldStart = oldCount === 0 ? from : from + 1;
    const newStart = newCount === 0 ? from + shift : from + shift + 1;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`, ...body);
    shift += newCount - oldCount;
  }
  return out;
}
