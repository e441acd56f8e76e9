/** Changed files and their added lines, from real `git diff` output of real repos. */
import { execFileSync } from 'node:child_process';
import { chmodSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFiles, openDiff, readChanges, type FilePatch } from '../../src/sources/diff.js';
import { LineRanges } from '../../src/sources/line-ranges.js';
import { ScanStats } from '../../src/sources/stats.js';
import { git, tempGitRepo, writeFiles } from '../helpers/index.js';

const stagedBlob = (dir: string, path: string): Buffer => execFileSync('git', ['cat-file', 'blob', `:${path}`], { cwd: dir });

async function stagedPatches(dir: string, maxFileSize = 1 << 20): Promise<FilePatch[]> {
  const diff = await openDiff(dir, ['--cached'], [], { maxFileSize, content: true });
  const patches: FilePatch[] = [];
  for await (const patch of diff.patches()) patches.push(patch);
  await diff.close();
  return patches;
}

const summary = (files: Awaited<ReturnType<typeof changedFiles>>) =>
  files.map((f) => `${f.status} ${f.oldPath ? `${f.oldPath} -> ` : ''}${f.path} ${f.mode} ${f.added === undefined ? 'all' : [...f.added].join(',')}`);

describe('changedFiles', () => {
  it('maps each patch section to its raw entry: type changes (two sections), mode changes, renames, empty files', async () => {
    const dir = tempGitRepo({ 'link': 'was a file\n', 'tool.sh': 'echo hi\n', 'moved.txt': 'one\ntwo\n', 'edit.txt': 'a\nb\nc\n', 'gone.txt': 'x\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'init');
    unlinkSync(join(dir, 'link'));
    symlinkSync('edit.txt', join(dir, 'link'));
    chmodSync(join(dir, 'tool.sh'), 0o755);
    git(dir, 'mv', 'moved.txt', 'renamed.txt');
    git(dir, 'rm', '-q', 'gone.txt');
    writeFiles(dir, { 'edit.txt': 'a\nB\nc\nd\n', 'empty.txt': '', 'z-new.txt': 'n1\nn2\n' });
    git(dir, 'add', '-A');
    const files = await changedFiles(dir, ['--cached'], [], 1 << 20);
    expect(summary(files)).toEqual([
      'M edit.txt 100644 2,4',
      'A empty.txt 100644 ',
      'D gone.txt 000000 ',
      'T link 120000 1',
      'R moved.txt -> renamed.txt 100644 ',
      'M tool.sh 100755 ',
      'A z-new.txt 100644 1,2',
    ]);
  });

  it('reports unmerged paths as U, and a file over the size limit as "all lines" (git shows no patch)', async () => {
    const dir = tempGitRepo({ 'c.txt': 'base\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');
    git(dir, 'checkout', '-qb', 'other');
    writeFiles(dir, { 'c.txt': 'theirs\n' });
    git(dir, 'commit', '-qam', 'theirs');
    git(dir, 'checkout', '-q', 'main');
    writeFiles(dir, { 'c.txt': 'ours\n' });
    git(dir, 'commit', '-qam', 'ours');
    try {
      git(dir, 'merge', '-q', 'other');
    } catch {
      // conflict expected
    }
    writeFiles(dir, { 'big.txt': `${'line\n'.repeat(500)}` });
    git(dir, 'add', 'big.txt');
    const files = await changedFiles(dir, ['--cached'], [], 1000);
    expect(summary(files)).toEqual(['A big.txt 100644 all', 'U c.txt 000000 ']);
  });
});

describe('openDiff with content', () => {
  it("gives each file's whole staged content, byte for byte, from the patch", async () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${i}`);
    const dir = tempGitRepo({
      'edit.txt': `${lines.join('\n')}\n`,
      'crlf.txt': 'one\r\ntwo\r\nthree\r\n',
      'tail.txt': 'no newline at the end',
      'gains-tail.txt': 'last line\n',
      'emptied.txt': 'all of this goes\n',
      'blank.txt': 'a\n\n\nb\n',
      'link': 'a file that becomes a link\n',
      'was-link-target.txt': 'x\n',
    });
    symlinkSync('was-link-target.txt', join(dir, 'becomes-file'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'init');
    const edited = [...lines];
    edited[10] = 'changed near the top';
    edited[390] = 'changed near the end';
    writeFiles(dir, {
      'edit.txt': `${edited.join('\n')}\n`,
      'crlf.txt': 'one\r\nTWO\r\nthree\r\n',
      'tail.txt': 'still no newline, changed',
      'gains-tail.txt': 'last line',
      'emptied.txt': '',
      'blank.txt': 'a\n\n\nB\n\n',
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0xfe, 0x0a]),
      'new.txt': 'brand\nnew\n',
    });
    unlinkSync(join(dir, 'becomes-file'));
    writeFiles(dir, { 'becomes-file': 'now a regular file\nwith two lines\n' });
    git(dir, 'add', '-A');
    const patches = await stagedPatches(dir);
    const byPath = new Map(patches.map((p) => [p.file.path, p]));
    for (const path of ['edit.txt', 'crlf.txt', 'tail.txt', 'gains-tail.txt', 'emptied.txt', 'blank.txt', 'latin1.txt', 'new.txt', 'becomes-file']) {
      const patch = byPath.get(path)!;
      expect(patch.content, path).toBeDefined();
      expect(patch.content!.equals(stagedBlob(dir, path)), path).toBe(true);
    }
    expect([...byPath.get('edit.txt')!.added!]).toEqual([11, 391]);
    expect([...byPath.get('blank.txt')!.added!]).toEqual([4, 5]);
    expect([...byPath.get('becomes-file')!.added!]).toEqual([1, 2]);
    expect(byPath.get('becomes-file')!.file.status).toBe('T');
  });

  it('leaves the content to cat-file where the patch does not show it: binary by attributes, over the size limit, a pure rename', async () => {
    const dir = tempGitRepo({ '.gitattributes': '*.dat binary\n', 'old-name.txt': 'kept as is\n' });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'init');
    git(dir, 'mv', 'old-name.txt', 'new-name.txt');
    writeFiles(dir, { 'text.dat': 'text that git is told is binary\n', 'big.txt': 'x'.repeat(5000) + '\n', 'small.txt': 'small\n' });
    git(dir, 'add', '-A');
    const patches = await stagedPatches(dir, 1000);
    const summary = patches.map((p) => `${p.file.status} ${p.file.path} ${p.added === undefined ? 'all' : [...p.added].join(',')} ${p.content === undefined ? 'no content' : p.content.length}`);
    expect(summary).toEqual(['A big.txt all no content', 'R new-name.txt  no content', 'A small.txt 1 6', 'A text.dat all no content']);

    // readChanges reads those with cat-file: the binary-by-attributes text is scanned, the big one
    // skipped by size, the rename (adds no line) counted; with all lines, the rename is read too.
    for (const allLines of [false, true]) {
      const stats = new ScanStats();
      const diff = await openDiff(dir, ['--cached'], [], { maxFileSize: 1000, content: true });
      const read = [];
      for await (const fragment of readChanges(diff.patches(), { cwd: dir, origin: 'staged', allLines, maxFileSize: 1000, stats })) read.push(`${fragment.path} ${Buffer.from(fragment.bytes).toString()}`);
      await diff.close();
      expect(read).toEqual([...(allLines ? ['new-name.txt kept as is\n'] : []), 'small.txt small\n', 'text.dat text that git is told is binary\n']);
      expect(stats.skipped).toEqual([{ path: 'big.txt', reason: 'larger than 1000 bytes' }]);
      expect(stats.filesScanned).toBe(3);
    }
  });

  it("reads a change larger than git's pipe and its own buffer, file by file", async () => {
    const dir = tempGitRepo();
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${String(i).padStart(2, '0')}.txt`] = `${i}\n`.repeat(2000 + i * 1000);
    files['one-big.txt'] = 'y'.repeat(700_000) + '\n' + 'z'.repeat(10) + '\n';
    writeFiles(dir, files);
    git(dir, 'add', '-A');
    const patches = await stagedPatches(dir);
    expect(patches.map((p) => p.file.path)).toEqual(Object.keys(files).sort());
    for (const patch of patches) expect(patch.content!.toString(), patch.file.path).toBe(files[patch.file.path]);
    expect(patches.find((p) => p.file.path === 'one-big.txt')!.added!.size).toBe(2);
  });
});

describe('LineRanges', () => {
  it('stores lines in runs and answers has, size, iteration and intersection', () => {
    const a = new LineRanges();
    for (const line of [1, 2, 3, 7, 8, 10]) a.add(line);
    a.add(10);
    expect(a.size).toBe(6);
    expect([...a]).toEqual([1, 2, 3, 7, 8, 10]);
    expect([0, 1, 3, 4, 6, 7, 8, 9, 10, 11].map((n) => a.has(n))).toEqual([false, true, true, false, false, true, true, false, true, false]);
    const b = new LineRanges();
    for (const line of [2, 3, 4, 5, 6, 7, 11]) b.add(line);
    const both = a.intersect(b);
    expect([...both]).toEqual([2, 3, 7]);
    expect(both.size).toBe(3);
    expect(() => a.add(5)).toThrow(/comes after/);
  });
});
