/** Changed files and their added lines, from real `git diff` output of real repos. */
import { chmodSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedFiles } from '../../src/sources/diff.js';
import { git, tempGitRepo, writeFiles } from '../helpers/index.js';

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
