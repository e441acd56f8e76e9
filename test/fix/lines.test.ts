/** Line edits and unified diffs: the diff we print must be the one git prints for the same change. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendEdit, applyEdits, splitLines, unifiedDiff, type LineEdit } from '../../src/fix/lines.js';
import { tempDir } from '../helpers/index.js';

/** git's own diff of two texts, from the first hunk on (headers differ: git names the temp files). */
function gitDiff(before: string, after: string): string[] {
  const dir = tempDir();
  writeFileSync(join(dir, 'a'), before);
  writeFileSync(join(dir, 'b'), after);
  const r = spawnSync('git', ['diff', '--no-index', '--no-color', '--no-ext-diff', '-U3', '--', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
  const lines = r.stdout.replace(/\n$/, '').split('\n');
  // Without the function-context text git may add after a hunk header.
  return lines.slice(lines.findIndex((l) => l.startsWith('@@'))).map((l) => l.replace(/^(@@ [^@]+ @@).*$/, '$1'));
}

function ours(before: string, edits: LineEdit[]): { after: string; hunks: string[] } {
  const lines = splitLines(before);
  const diff = unifiedDiff('f', lines, edits, { isNew: false, show: (l) => l });
  return { after: applyEdits(lines, edits).join(''), hunks: diff.slice(2) };
}

describe('splitLines / applyEdits', () => {
  it('keeps every line ending, CRLF and a missing last newline included', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\r\nb\nc')).toEqual(['a\r\n', 'b\n', 'c']);
    expect(splitLines('\n\n')).toEqual(['\n', '\n']);
    const text = 'one\r\ntwo\r\nthree';
    expect(applyEdits(splitLines(text), []).join('')).toBe(text);
  });

  it('puts an insertion before a replacement of the same line', () => {
    const lines = splitLines('a\nb\n');
    expect(applyEdits(lines, [{ start: 0, remove: 1, insert: ['A\n'] }, { start: 0, remove: 0, insert: ['import os\n'] }]).join('')).toBe('import os\nA\nb\n');
  });

  it('appends after ending a last line that had no newline, in the file\'s line ending', () => {
    expect(applyEdits(splitLines('x=1'), [appendEdit(splitLines('x=1'), ['Y=2'])]).join('')).toBe('x=1\nY=2\n');
    expect(applyEdits(splitLines('x=1\r\n'), [appendEdit(splitLines('x=1\r\n'), ['Y=2'])]).join('')).toBe('x=1\r\nY=2\r\n');
    expect(applyEdits([], [appendEdit([], ['.env'])]).join('')).toBe('.env\n');
  });
});

describe('unifiedDiff matches git diff', () => {
  const body = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join('');
  const cases: [string, string, (lines: string[]) => LineEdit[]][] = [
    ['one replaced line', body, () => [{ start: 9, remove: 1, insert: ['changed\n'] }]],
    ['two far-apart changes (two hunks)', body, () => [{ start: 2, remove: 1, insert: ['x\n'] }, { start: 25, remove: 1, insert: ['y\n'] }]],
    ['two close changes (one hunk)', body, () => [{ start: 5, remove: 1, insert: ['x\n'] }, { start: 10, remove: 1, insert: ['y\n'] }]],
    ['an insertion at the top and a replacement below', body, () => [{ start: 0, remove: 0, insert: ['import os\n'] }, { start: 3, remove: 1, insert: ['z\n'] }]],
    ['an append', 'A=1\nB=2\n', (l) => [appendEdit(l, ['C=3'])]],
    ['an append to a file without a final newline', 'A=1\nB=2', (l) => [appendEdit(l, ['C=3'])]],
    ['a change on the first and last line', 'a\nb\nc\n', () => [{ start: 0, remove: 1, insert: ['A\n'] }, { start: 2, remove: 1, insert: ['C\n'] }]],
  ];
  it.each(cases)('%s', (_name, before, edits) => {
    const { after, hunks } = ours(before, edits(splitLines(before)));
    expect(hunks).toEqual(gitDiff(before, after));
  });

  it('names a new file /dev/null and counts from 0', () => {
    expect(unifiedDiff('.env', [], [appendEdit([], ['A=1'])], { isNew: true, show: (l) => l })).toEqual(['--- /dev/null', '+++ b/.env', '@@ -0,0 +1 @@', '+A=1']);
  });

  it('prints lines only through show()', () => {
    const diff = unifiedDiff('f', splitLines('k=SECRETVALUE\n'), [{ start: 0, remove: 1, insert: ['k=ref\n'] }], { isNew: false, show: (l) => l.replace('SECRETVALUE', '***') });
    expect(diff.join('\n')).not.toContain('SECRETVALUE');
    expect(diff).toContain('-k=***');
  });
});
