/** `leakproof history` end to end: real repos with real commits (bare, shallow, orphan, merges), the built CLI. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, expectOneLineError, generate, git, gitEnv, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';

interface Commit {
  sha: string;
  author: string;
  email: string;
  date: string;
  subject: string;
}
interface Report {
  findings: {
    ruleId: string;
    file: string;
    line: number;
    commit: Commit;
    presentAtHead: boolean;
    redacted: string;
    pushed?: boolean;
    occurrences?: { commits: number; paths: string[]; blobs: number };
  }[];
  stats: { filesScanned: number; filesSkipped: number };
}
const report = (stdout: string) => JSON.parse(stdout) as Report;
const history = (cwd: string, ...args: string[]) => runCli(['history', ...args], { cwd, env: gitEnv() });
const summary = (r: Report) => r.findings.map((f) => `${f.file}:${f.line} ${f.commit.subject} ${f.presentAtHead ? 'head' : 'gone'}`);

/** Commits `files` (path → content, null deletes) with `subject`; returns the new sha. */
function commit(dir: string, subject: string, files: Record<string, string | null>, date?: string): string {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) git(dir, 'rm', '-q', path);
    else {
      writeFiles(dir, { [path]: content });
      git(dir, 'add', path);
    }
  }
  const env = date ? { ...gitEnv(), GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : gitEnv();
  execFileSync('git', ['commit', '-qm', subject], { cwd: dir, env });
  return git(dir, 'rev-parse', 'HEAD').trim();
}

describe('leakproof history', () => {
  it('finds a key committed and later deleted, with the commit that introduced it and presentAtHead: false', () => {
    const dir = tempGitRepo();
    commit(dir, 'start', { 'README.md': '# app\n' });
    const key = resendKey(1);
    const added = commit(dir, 'add email config', { 'config/email.js': `module.exports = {\n  key: "${key}",\n};\n` });
    commit(dir, 'use the environment', { 'config/email.js': 'module.exports = { key: process.env.RESEND_API_KEY };\n' });
    const r = history(dir, '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain(key);
    const out = report(r.stdout);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ ruleId: 'resend-api-key', file: 'config/email.js', line: 2, presentAtHead: false });
    expect(out.findings[0].commit).toEqual({
      sha: added,
      author: 'Test Author',
      email: 'author@example.test',
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      subject: 'add email config',
    });

    const text = history(dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`config/email.js:2:9`);
    expect(text.stdout).toContain(added.slice(0, 8));
    expect(text.stdout).toContain(out.findings[0].commit.date.slice(0, 10));
    expect(text.stdout).toMatch(/removed since/);
    expect(text.stdout).toMatch(/Scanned 3 commits \(all refs\)/);
  });

  it('says presentAtHead: true when the same secret is still in the file at HEAD, even if the file changed', () => {
    const dir = tempGitRepo();
    const key = resendKey(2);
    const first = commit(dir, 'add key', { 'app.py': `KEY = "${key}"\n` });
    commit(dir, 'edit around it', { 'app.py': `# settings\nKEY = "${key}"\nDEBUG = True\n` });
    const out = report(history(dir, '--format', 'json').stdout);
    // The key appears in two blobs: one finding (the secret's first entry), counting both.
    expect(summary(out)).toEqual(['app.py:1 add key head']);
    expect(out.findings[0].commit.sha).toBe(first);
    expect(out.findings[0].occurrences).toEqual({ commits: 2, paths: ['app.py'], blobs: 2 });
  });

  it('finds the same leaks when a large history is scanned on worker threads', () => {
    const dir = tempGitRepo();
    const filler = `${'export const value = 12345;\n'.repeat(30_000)}`; // ~0.8 MB per blob: several worker batches
    const keys = [resendKey(30), resendKey(31), resendKey(32)];
    const shas = keys.map((key, i) => commit(dir, `bulk ${i}`, { [`big${i}.js`]: `${filler}const k${i} = "${key}";\n${filler}` }));
    const r = history(dir, '--format', 'json');
    expect(r.code).toBe(1);
    const findings = report(r.stdout).findings;
    expect(findings.map((f) => [f.file, f.line, f.commit.sha])).toEqual(keys.map((_, i) => [`big${i}.js`, 30_001, shas[i]]));
    expect(r.stdout).not.toContain(keys[0]);
  });

  it('gives the leak timeline: first entry, every path, and whether it was pushed', () => {
    const origin = tempDir('leakproof-origin-');
    git(origin, 'init', '-q', '--bare', '-b', 'main');
    const dir = tempGitRepo();
    git(dir, 'remote', 'add', 'origin', origin);
    const shared = resendKey(20);
    const local = resendKey(21);
    const first = commit(dir, 'add key', { 'src/a.js': `const k = "${shared}";\n` }, '2024-01-02T10:00:00Z');
    git(dir, 'push', '-q', 'origin', 'main');
    commit(dir, 'copy it', { 'src/b.js': `export const k = "${shared}";\n` }, '2024-01-03T10:00:00Z');
    commit(dir, 'remove from a', { 'src/a.js': 'const k = process.env.RESEND_API_KEY;\n' }, '2024-01-04T10:00:00Z');
    const unpushed = commit(dir, 'local only', { 'src/c.js': `const k = "${local}";\n` }, '2024-01-05T10:00:00Z');

    const r = history(dir, '--format', 'json');
    expect(r.code).toBe(1);
    const findings = report(r.stdout).findings;
    expect(findings.map((f) => [f.file, f.commit.sha, f.pushed, f.presentAtHead, f.occurrences])).toEqual([
      ['src/a.js', first, true, true, { commits: 2, paths: ['src/a.js', 'src/b.js'], blobs: 2 }],
      ['src/c.js', unpushed, false, true, { commits: 1, paths: ['src/c.js'], blobs: 1 }],
    ]);
    const text = history(dir);
    expect(text.stdout).toMatch(/first committed [0-9a-f]{8} on 2024-01-02 by Test Author · pushed · in 2 commits, 2 paths/);
    expect(text.stdout).toMatch(/first committed [0-9a-f]{8} on 2024-01-05 by Test Author · not pushed · in 1 commit, 1 path/);
  });

  it('scans each unique blob once, attributed to the commit that introduced it', () => {
    const dir = tempGitRepo();
    const content = `token = "${resendKey(3)}"\n`;
    commit(dir, 'one', { 'a.txt': content });
    commit(dir, 'two', { 'b.txt': 'other\n' });
    git(dir, 'checkout', '-qb', 'side');
    commit(dir, 'same content again on a branch', { 'a.txt': null });
    commit(dir, 'and back', { 'a.txt': content });
    const r = history(dir, '--format', 'json');
    expect(summary(report(r.stdout))).toEqual(['a.txt:1 one head']);
    expect(report(r.stdout).stats.filesScanned).toBe(2);
  });

  it('narrows to a range or --since, and a range with no commits scans 0 commits', () => {
    const dir = tempGitRepo();
    commit(dir, 'old key', { 'old.txt': `k=${resendKey(4)}\n` }, '2020-01-01T00:00:00Z');
    commit(dir, 'middle', { 'm.txt': 'm\n' }, '2021-01-01T00:00:00Z');
    commit(dir, 'new key', { 'new.txt': `k=${resendKey(5)}\n` }, '2024-01-01T00:00:00Z');
    const files = (r: { stdout: string }) => report(r.stdout).findings.map((f) => f.file);
    expect(files(history(dir, '--format', 'json'))).toEqual(['new.txt', 'old.txt']);
    expect(files(history(dir, 'HEAD~1..HEAD', '--format', 'json'))).toEqual(['new.txt']);
    expect(files(history(dir, '--since', '2022-06-01', '--format', 'json'))).toEqual(['new.txt']);
    git(dir, 'branch', 'feature');
    const none = history(dir, 'main..feature');
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/Scanned 0 commits \(main\.\.feature\)/);
  });

  it('exits 0 on an empty repository and says there are no commits', () => {
    const r = history(tempGitRepo());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/no commits yet/);
  });

  it('reports bad input on one line with exit 2: not a repo, invalid range, unreadable object', () => {
    expectOneLineError(history(tempDir()), /not a git repository/);
    const dir = tempGitRepo();
    commit(dir, 'one', { 'a.txt': 'a\n' });
    expectOneLineError(history(dir, 'nope..HEAD'), /nope\.\.HEAD/);
    // A range is never passed to git as an option.
    expectOneLineError(history(dir, '--', '--output=x'), /invalid revision range "--output=x"/);
    expectOneLineError(history(dir, '--git-dir', join(dir, 'missing')), /not a git repository/);

    commit(dir, 'two', { 'b.txt': `b ${generate('{{alnum 30}}', 6)}\n` });
    const blob = git(dir, 'rev-parse', 'HEAD:b.txt').trim();
    const object = join(dir, '.git/objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(object, 0o644);
    unlinkSync(object);
    expectOneLineError(history(dir), /b\.txt/);
  });

  it('scans a bare repository (--git-dir, or from inside it), a shallow clone, a detached HEAD and an orphan branch', () => {
    const dir = tempGitRepo();
    commit(dir, 'first', { 'a.txt': `k=${resendKey(7)}\n` });
    commit(dir, 'second', { 'b.txt': `k=${resendKey(8)}\n` });
    commit(dir, 'third', { 'c.txt': 'c\n' });
    git(dir, 'checkout', '-q', '--orphan', 'pages');
    git(dir, 'rm', '-rqf', '.');
    commit(dir, 'orphan', { 'site.txt': `k=${resendKey(9)}\n` });
    git(dir, 'checkout', '-q', 'main');

    const bare = join(tempDir(), 'my mirror (bare).git'); // a path with spaces
    git(tempDir(), 'clone', '-q', '--mirror', dir, bare);
    const viaFlag = history(tempDir(), '--git-dir', bare, '--format', 'json');
    expect(report(viaFlag.stdout).findings.map((f) => f.file)).toEqual(['a.txt', 'b.txt', 'site.txt']);
    const inside = history(bare, '--format', 'json');
    expect(report(inside.stdout).findings.map((f) => `${f.file} ${f.presentAtHead}`)).toEqual(['a.txt true', 'b.txt true', 'site.txt false']);

    const shallow = join(tempDir(), 'shallow copy');
    git(tempDir(), 'clone', '-q', '--depth', '2', `file://${dir}`, shallow);
    const s = history(shallow, '--format', 'json');
    expect(s.code).toBe(1);
    // The shallow boundary commit shows its whole tree as added: the older key is still found.
    expect(report(s.stdout).findings.map((f) => f.file)).toEqual(['a.txt', 'b.txt']);

    git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    expect(report(history(dir, '--format', 'json').stdout).findings.map((f) => f.file)).toEqual(['a.txt', 'b.txt', 'site.txt']);
  });

  it('skips binary and oversized blobs, symlinks and submodules, and counts them', () => {
    const dir = tempGitRepo();
    commit(dir, 'blobs', {
      'image.bin': Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`k=${resendKey(10)}`)]).toString('latin1'),
      'big.txt': `${'x'.repeat(4000)}\nk=${resendKey(11)}\n`,
      'small.txt': 'hello\n',
    });
    symlinkSync('small.txt', join(dir, 'link.txt'));
    git(dir, 'add', 'link.txt');
    // A submodule entry (gitlink): a commit id, not content of this repository.
    git(dir, 'update-index', '--add', '--cacheinfo', `160000,${git(dir, 'rev-parse', 'HEAD').trim()},vendor/lib`);
    git(dir, 'commit', '-qm', 'link and submodule');
    const r = history(dir, '--format', 'json', '--max-file-size', '2KB');
    expect(r.code).toBe(0);
    expect(report(r.stdout).stats).toMatchObject({ filesScanned: 1, filesSkipped: 4 });
    const text = history(dir, '--verbose', '--max-file-size', '2KB').stdout;
    expect(text).toMatch(/big\.txt \([0-9a-f]{8}\) {2}larger than 2000 bytes/);
    expect(text).toMatch(/image\.bin \([0-9a-f]{8}\) {2}binary/);
    expect(text).toMatch(/link\.txt {2}symlink/);
    expect(text).toMatch(/vendor\/lib {2}submodule/);
  });

  it('finds a key that only a merge commit introduced (conflict resolution)', () => {
    const dir = tempGitRepo();
    commit(dir, 'base', { 'app.js': 'a = 1\n' });
    git(dir, 'checkout', '-qb', 'feature');
    commit(dir, 'feature change', { 'app.js': 'a = 2\n' });
    git(dir, 'checkout', '-q', 'main');
    commit(dir, 'main change', { 'app.js': 'a = 3\n' });
    try {
      git(dir, 'merge', '-q', 'feature');
    } catch {
      // conflict expected
    }
    writeFiles(dir, { 'app.js': `a = 4\nkey = "${resendKey(12)}"\n` });
    git(dir, 'add', 'app.js');
    git(dir, 'commit', '-qm', 'merge feature');
    const out = report(history(dir, '--format', 'json').stdout);
    expect(summary(out)).toEqual(['app.js:2 merge feature head']);
  });

  // `script` (util-linux) gives the CLI a terminal; the report goes to a file, stderr to the terminal.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('shows a progress line on stderr when it is a terminal, never in the report', () => {
    const dir = tempGitRepo();
    commit(dir, 'one', { 'a.txt': 'a\n' });
    commit(dir, 'two', { 'b.txt': 'b\n' });
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} history --format json > report.json`;
    const terminal = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, env: { ...gitEnv(), NO_COLOR: '1' }, encoding: 'utf8' });
    expect(terminal.status).toBe(0);
    expect(terminal.stdout).toContain('\r\x1b[Kleakproof: history: 1 commit, 0 blobs');
    const saved = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(report(saved).stats.filesScanned).toBe(2);
    expect(saved).not.toMatch(/history:|\r/);
  });

  it('writes no progress line when stderr is not a terminal', () => {
    const dir = tempGitRepo();
    for (let i = 0; i < 40; i++) writeFiles(dir, { [`f${i}.txt`]: `${i}\n` });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'many files');
    mkdirSync(join(dir, 'deep/er'), { recursive: true });
    commit(dir, 'key', { 'deep/er/k.txt': `k=${resendKey(13)}\n` });
    const r = history(dir, '--format', 'json');
    expect(r.stderr).toMatch(/^leakproof: Scanned 2 commits \(all refs\): 41 unique blobs\.\n/);
    expect(r.stderr).not.toMatch(/\r|…/);
    expect(report(r.stdout).stats.filesScanned).toBe(41);
  });

  it('gives the same report with detection workers as without (a history of several batches, with non-ASCII text)', () => {
    const dir = tempGitRepo({});
    // ~3 MB over 12 commits: more than one batch, so workers start; keys in some blobs, é and 日本 in all.
    for (let c = 0; c < 12; c++) {
      const files: Record<string, string | null> = {};
      for (let f = 0; f < 4; f++) {
        // Lines with rule keywords, so detection takes long enough for the worker to take batches.
        const filler = `const token = getToken(); // é 日本 ${c}-${f} `.padEnd(60, 'x') + '\n';
        files[`src/m${f}.js`] = filler.repeat(1000 + c * 37) + (f === c % 4 ? `const k = "${resendKey(200 + c)}"; // ${c}\n` : '');
      }
      commit(dir, `c${c}`, files, `2024-01-${String(c + 1).padStart(2, '0')}T00:00:00Z`);
    }
    const run = (jobs: string) => {
      const r = history(dir, '--format', 'json', '--jobs', jobs);
      const parsed = report(r.stdout) as unknown as { findings: unknown[]; stats: Record<string, unknown> };
      return { code: r.code, findings: parsed.findings, stats: { ...parsed.stats, durationMs: 0 } };
    };
    const serial = run('1');
    expect(serial.code).toBe(1);
    expect(serial.findings).toHaveLength(12);
    expect(run('2')).toEqual(serial);
  });
});

