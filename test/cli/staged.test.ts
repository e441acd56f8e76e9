/** `leakproof staged` end to end: real repos, real `git add` (including `git add -p`), the built CLI. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, generate, git, gitEnv, REPO_ROOT, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';

interface Report {
  findings: { ruleId: string; file: string; line: number; column: number; redacted: string }[];
  stats: { filesScanned: number; filesSkipped: number };
}
const report = (stdout: string) => JSON.parse(stdout) as Report;
const staged = (cwd: string, ...args: string[]) => runCli(['staged', ...args], { cwd, env: gitEnv() });
const where = (r: Report) => r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);

/** A repo with one commit holding `files`. */
function committedRepo(files: Record<string, string>): string {
  const dir = tempGitRepo(files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'initial');
  return dir;
}

describe('leakproof staged', () => {
  it('exits 0 when the staged change is clean, and 1 with rule, file:line and how to proceed when it adds a key', () => {
    const dir = committedRepo({ 'README.md': '# demo\n' });
    writeFiles(dir, { 'src/email.ts': "import { Resend } from 'resend';\nconst resend = new Resend(process.env.RESEND_API_KEY);\n" });
    git(dir, 'add', 'src/email.ts');
    const clean = staged(dir);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/No secrets found · 1 file/);

    const key = resendKey(1);
    writeFiles(dir, { 'src/email.ts': `import { Resend } from 'resend';\nconst resend = new Resend('${key}');\n` });
    git(dir, 'add', 'src/email.ts');
    const r = staged(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/email.ts:2:28');
    expect(r.stdout).toContain('resend-api-key');
    expect(r.stdout).toMatch(/leakproof:allow/);
    expect(r.stdout).toMatch(/git commit --no-verify/);
    expect(r.stdout).toMatch(/rotated/);
    expect(r.stdout).not.toContain(key);

    // In a machine format, how to proceed goes to stderr: one note a line, no empty one.
    const asJson = staged(dir, '--format', 'json');
    expect(asJson.code).toBe(1);
    const notes = asJson.stderr.trimEnd().split('\n');
    expect(notes[0]).toMatch(/^leakproof: The commit was stopped/);
    for (const note of notes) expect(note).toMatch(/^leakproof: \S/);
  });

  it('judges what is staged, not the work tree: partial staging with git add -p, both ways', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);
    const dir = committedRepo({ 'config.js': `${lines.join('\n')}\n` });
    const key = resendKey(2);
    // Two hunks far apart: the key at the top, a harmless change at the bottom.
    const edited = [...lines];
    edited[0] = `const key = '${key}';`;
    edited[11] = 'line twelve';
    writeFiles(dir, { 'config.js': `${edited.join('\n')}\n` });

    // Stage only the harmless hunk: the key stays in the work tree, unstaged, and is not reported.
    execFileSync('git', ['add', '-p', 'config.js'], { cwd: dir, input: 'n\ny\n', env: gitEnv(), stdio: ['pipe', 'ignore', 'ignore'] });
    expect(git(dir, 'diff', '--cached', '--name-only').trim()).toBe('config.js');
    const unstagedKey = staged(dir, '--format', 'json');
    expect(unstagedKey.code).toBe(0);
    expect(report(unstagedKey.stdout).findings).toEqual([]);

    // Stage the key hunk too, then remove the key from the work tree: the staged key is reported.
    execFileSync('git', ['add', '-p', 'config.js'], { cwd: dir, input: 'y\n', env: gitEnv(), stdio: ['pipe', 'ignore', 'ignore'] });
    writeFiles(dir, { 'config.js': `${lines.join('\n')}\n` });
    const stagedKey = staged(dir, '--format', 'json');
    expect(stagedKey.code).toBe(1);
    expect(where(report(stagedKey.stdout))).toEqual(['resend-api-key config.js:1']);
  });

  it('reports only lines the change adds or modifies; --all-lines reports the whole file', () => {
    const oldKey = resendKey(3);
    const dir = committedRepo({ 'settings.py': `OLD = "${oldKey}"\nDEBUG = False\n` });
    writeFiles(dir, { 'settings.py': `OLD = "${oldKey}"\nDEBUG = True\n` });
    git(dir, 'add', 'settings.py');
    const r = staged(dir, '--format', 'json');
    expect(r.code).toBe(0);
    expect(report(r.stdout).findings).toEqual([]);
    const all = staged(dir, '--format', 'json', '--all-lines');
    expect(all.code).toBe(1);
    expect(where(report(all.stdout))).toEqual(['resend-api-key settings.py:1']);
    // --verbose says why the old key was left out.
    expect(staged(dir, '--verbose').stderr).toMatch(/dropped resend-api-key at settings\.py:1 by unchanged-line/);

    // Replacing the old key on its line is a modification: reported.
    writeFiles(dir, { 'settings.py': `OLD = "${resendKey(4)}"\nDEBUG = True\n` });
    git(dir, 'add', 'settings.py');
    expect(where(report(staged(dir, '--format', 'json').stdout))).toEqual(['resend-api-key settings.py:1']);
  });

  it('handles renames, copies, deletions, binaries, symlinks and submodules', () => {
    const oldKey = resendKey(5);
    const body = Array.from({ length: 20 }, (_, i) => `const value${i} = ${i};`).join('\n');
    const dir = committedRepo({ 'old-name.js': `${body}\nconst k = "${oldKey}";\n`, 'gone.js': `const k = "${resendKey(6)}";\n` });
    // A pure rename adds no line; deleting a file with a key has nothing to scan.
    git(dir, 'mv', 'old-name.js', 'new-name.js');
    git(dir, 'rm', '-q', 'gone.js');
    const moved = staged(dir, '--format', 'json');
    expect(moved.code).toBe(0);
    expect(report(moved.stdout).findings).toEqual([]);
    git(dir, 'commit', '-qm', 'move');

    // A rename that also adds a key reports only the added line, at the new path.
    git(dir, 'mv', 'new-name.js', 'renamed-again.js');
    writeFiles(dir, { 'renamed-again.js': `${body}\nconst k = "${oldKey}";\nconst k2 = "${resendKey(7)}";\n` });
    git(dir, 'add', 'renamed-again.js');
    const renamed = staged(dir, '--format', 'json');
    expect(where(report(renamed.stdout))).toEqual(['resend-api-key renamed-again.js:22']);
    expect(git(dir, 'diff', '--cached', '--name-status', '-M')).toMatch(/^R\d+\tnew-name\.js\trenamed-again\.js$/m);
    git(dir, 'commit', '-qm', 'rename and edit');

    // A copy is a new file: every line is added, so the copied key is reported.
    writeFiles(dir, { 'copy.js': `${body}\nconst k = "${oldKey}";\n` });
    // A binary file with a key in it is skipped and counted; so are a symlink and a submodule.
    writeFiles(dir, { 'image.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(`k=${resendKey(8)}`)]) });
    symlinkSync('new-name.js', join(dir, 'link.js'));
    const sub = committedRepo({ 'sub.txt': 'sub\n' });
    execFileSync('git', ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'vendor/sub'], { cwd: dir, env: gitEnv(), stdio: 'ignore' });
    git(dir, 'add', '-A');
    const r = staged(dir, '--format', 'json', '--verbose');
    expect(r.code).toBe(1);
    const out = report(r.stdout);
    expect(where(out)).toEqual(['resend-api-key copy.js:21']);
    expect(out.stats.filesSkipped).toBe(3);
    const text = staged(dir, '--verbose');
    expect(text.stdout).toMatch(/image\.png {2}binary/);
    expect(text.stdout).toMatch(/link\.js {2}symlink/);
    expect(text.stdout).toMatch(/vendor\/sub {2}submodule/);
  });

  it('ignores diff settings in the user config (colour, context, prefixes, external diff, relative paths)', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const oldKey = resendKey(34);
    lines[14] = `old = "${oldKey}"`;
    const dir = committedRepo({ 'sub/app.js': `${lines.join('\n')}\n`, 'other.js': 'x\n' });
    const settings: [string, string][] = [
      ['color.ui', 'always'],
      ['diff.context', '10'],
      ['diff.interHunkContext', '20'],
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['diff.relative', 'true'],
      ['diff.external', 'false'],
      ['diff.submodule', 'log'],
      ['core.quotePath', 'false'],
    ];
    for (const [key, value] of settings) git(dir, 'config', key, value);
    const edited = [...lines];
    edited[9] = `new1 = "${resendKey(35)}"`;
    edited[19] = `new2 = "${resendKey(36)}"`;
    writeFiles(dir, { 'sub/app.js': `${edited.join('\n')}\n`, 'other.js': `k = "${resendKey(37)}"\n` });
    git(dir, 'add', '-A');
    // Run from a subfolder: diff.relative must not hide other.js.
    const r = runCli(['staged', '--format', 'json'], { cwd: join(dir, 'sub'), env: gitEnv() });
    expect(where(report(r.stdout))).toEqual(['resend-api-key other.js:1', 'resend-api-key sub/app.js:10', 'resend-api-key sub/app.js:20']);
  });

  it('treats every line as added where git shows no text diff (binary by .gitattributes)', () => {
    const oldKey = resendKey(38);
    const dir = committedRepo({ '.gitattributes': '*.cfg -diff\n', 'app.cfg': `old=${oldKey}\n` });
    writeFiles(dir, { 'app.cfg': `old=${oldKey}\nnew=${resendKey(39)}\n` });
    git(dir, 'add', 'app.cfg');
    expect(where(report(staged(dir, '--format', 'json').stdout))).toEqual(['resend-api-key app.cfg:1', 'resend-api-key app.cfg:2']);
  });

  it('applies inline allows, the config, the baseline and --fail-on as scan does', () => {
    const accepted = resendKey(40);
    const dir = committedRepo({ 'old.js': `const k = "${accepted}";\n`, '.leakproof.yaml': 'allow:\n  paths: ["fixtures/**"]\n' });
    expect(runCli(['baseline'], { cwd: dir, env: gitEnv() }).code).toBe(0);
    git(dir, 'add', '.leakproof-baseline.json');
    git(dir, 'commit', '-qm', 'baseline');
    writeFiles(dir, {
      // The accepted key, re-indented: an added line, but baselined.
      'old.js': `  const k = "${accepted}";\n`,
      'test.js': `const k = "${resendKey(41)}"; // leakproof:allow\n`,
      'fixtures/keys.txt': `k=${resendKey(42)}\n`,
    });
    git(dir, 'add', '-A');
    const r = staged(dir, '--verbose');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dropped resend-api-key at old\.js:1 by baseline/);
    expect(r.stderr).toMatch(/dropped resend-api-key at test\.js:1 by inline/);
    expect(r.stderr).toMatch(/dropped resend-api-key at fixtures\/keys\.txt:1 by allowlist/);

    // Below --fail-on the finding is reported but the commit is not stopped.
    writeFiles(dir, { '.env.local': 'PORT=1\n' });
    git(dir, 'add', '-f', '.env.local');
    const low = staged(dir, '--fail-on', 'critical');
    expect(low.code).toBe(0);
    expect(low.stdout).toContain('dotenv-committed');
    expect(low.stdout).not.toMatch(/commit was stopped/);
    expect(staged(dir).code).toBe(1);
  });

  it('reads the config and the baseline with the bundled yaml and zod (dist/cli/parsers.cjs), not node_modules', () => {
    // A preload that reports every resolution of yaml or zod through node_modules.
    const hookDir = tempDir();
    const hook = join(hookDir, 'report-requires.cjs');
    writeFileSync(
      hook,
      `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'yaml' || request === 'zod') process.stderr.write('resolved from node_modules: ' + request + '\\n');
  return resolve.call(this, request, ...rest);
};
`,
    );
    const env = { ...gitEnv(), NODE_OPTIONS: `--require ${hook}` };
    // The hook itself works: a plain require is reported.
    const controlErr = spawnSync(process.execPath, ['-e', "require('yaml'); require('zod')"], { cwd: REPO_ROOT, env, encoding: 'utf8' }).stderr;
    expect(controlErr).toContain('resolved from node_modules: yaml');

    const dir = committedRepo({ '.leakproof.yaml': 'allow:\n  paths: ["fixtures/**"]\n', 'old.js': `const k = "${resendKey(43)}";\n` });
    expect(runCli(['baseline'], { cwd: dir, env: gitEnv() }).code).toBe(0);
    writeFiles(dir, { 'fixtures/keys.txt': `k=${resendKey(44)}\n`, 'old.js': `  const k = "${resendKey(43)}";\n` });
    git(dir, 'add', '-A');
    const r = runCli(['staged', '--verbose'], { cwd: dir, env });
    expect(r.stderr).not.toContain('resolved from node_modules');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dropped resend-api-key at fixtures\/keys\.txt:1 by allowlist/);
    expect(r.stderr).toMatch(/dropped resend-api-key at old\.js:1 by baseline/);
  });

  it('works before the first commit (no HEAD)', () => {
    const dir = tempGitRepo({ 'a.txt': `token=${resendKey(9)}\n` });
    git(dir, 'add', 'a.txt');
    const r = staged(dir, '--format', 'json');
    expect(r.code).toBe(1);
    expect(where(report(r.stdout))).toEqual(['resend-api-key a.txt:1']);
  });

  it('while concluding a merge, reports only lines new against both parents', () => {
    const dir = committedRepo({ 'app.js': 'const a = 1;\n' });
    git(dir, 'checkout', '-qb', 'feature');
    const branchKey = resendKey(10);
    writeFiles(dir, { 'app.js': `const a = 1;\nconst fromBranch = "${branchKey}";\n`, 'branch-only.js': `k = "${resendKey(11)}"\n` });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'feature work');
    git(dir, 'checkout', '-q', 'main');
    writeFiles(dir, { 'app.js': 'const a = 2;\n' });
    git(dir, 'commit', '-qam', 'main work');
    try {
      git(dir, 'merge', '-q', 'feature');
    } catch {
      // conflict expected
    }
    const resolutionKey = resendKey(12);
    writeFiles(dir, { 'app.js': `const a = 2;\nconst fromBranch = "${branchKey}";\nconst resolution = "${resolutionKey}";\n` });
    git(dir, 'add', 'app.js');
    const r = staged(dir, '--format', 'json');
    expect(r.code).toBe(1);
    // The branch's keys were committed (and checked) on the branch; the resolution's is new.
    expect(where(report(r.stdout))).toEqual(['resend-api-key app.js:3']);
  });

  it('handles file names with spaces, quotes, unicode and newlines, and CRLF line endings', () => {
    const dir = committedRepo({ 'README.md': '# x\n' });
    const names = ['with space.txt', 'quote"d.txt', 'ünïcödé €.txt', 'new\nline.txt', 'tab\tname.txt'];
    names.forEach((name, i) => writeFiles(dir, { [name]: `first\r\nsecond\r\nkey = "${resendKey(20 + i)}"\r\n` }));
    git(dir, 'add', '-A');
    const r = staged(dir, '--format', 'json');
    expect(r.code).toBe(1);
    const out = report(r.stdout);
    expect(out.findings.map((f) => f.file).sort()).toEqual([...names].sort());
    expect(out.findings.every((f) => f.line === 3 && f.column === 8)).toBe(true);
  });

  it('refuses a staged .env file (dotenv-committed)', () => {
    const dir = committedRepo({ '.gitignore': 'node_modules/\n' });
    writeFiles(dir, { '.env': 'PORT=3000\n', '.env.example': 'RESEND_API_KEY=\n' });
    git(dir, 'add', '.env', '.env.example');
    const r = staged(dir, '--format', 'json');
    expect(r.code).toBe(1);
    expect(report(r.stdout).findings.map((f) => `${f.ruleId} ${f.file}`)).toContain('dotenv-committed .env');
    expect(report(r.stdout).findings.map((f) => f.file)).not.toContain('.env.example');
    // An already tracked .env is not re-reported by every later commit: only staging one is.
    const other = committedRepo({ '.env': 'PORT=1\n' });
    writeFiles(other, { 'a.js': 'x = 1\n' });
    git(other, 'add', 'a.js');
    expect(staged(other).code).toBe(0);
  });

  it('skips staged files over --max-file-size and counts them', () => {
    const dir = committedRepo({ 'a.txt': 'a\n' });
    writeFiles(dir, { 'big.txt': `${'x'.repeat(5000)}\nk=${resendKey(30)}\n` });
    git(dir, 'add', 'big.txt');
    const r = staged(dir, '--format', 'json', '--max-file-size', '1KB');
    expect(r.code).toBe(0);
    expect(report(r.stdout).stats).toMatchObject({ filesScanned: 0, filesSkipped: 1 });
  });

  it('works in a repository whose path has spaces, and from a subfolder', () => {
    const parent = tempDir();
    const dir = join(parent, 'my project (copy)');
    mkdirSync(dir);
    git(dir, 'init', '-q', '-b', 'main');
    writeFiles(dir, { 'src/deep/key.js': `k = "${resendKey(31)}"\n` });
    git(dir, 'add', '-A');
    const r = runCli(['staged', '--format', 'json'], { cwd: join(dir, 'src'), env: gitEnv() });
    expect(r.code).toBe(1);
    expect(where(report(r.stdout))).toEqual(['resend-api-key src/deep/key.js:1']);
  });

  it('fails closed with one line and exit 2: not a repo, corrupt index, missing object, git missing', () => {
    expectOneLineError(staged(tempDir()), /^leakproof: not a git repository/);

    const corrupt = committedRepo({ 'a.txt': 'a\n' });
    writeFileSync(join(corrupt, '.git/index'), 'DIRC garbage');
    expectOneLineError(staged(corrupt), /index/);

    // A staged blob whose object file is gone: git cannot give its content.
    const missing = committedRepo({ 'a.txt': 'a\n' });
    writeFiles(missing, { 'b.txt': `k=${generate('{{alnum 30}}', 32)}\n` });
    git(missing, 'add', 'b.txt');
    const blob = git(missing, 'rev-parse', ':b.txt').trim();
    const object = join(missing, '.git/objects', blob.slice(0, 2), blob.slice(2));
    chmodSync(object, 0o644);
    unlinkSync(object);
    // While the work tree file is unchanged since it was staged, git diff reads it in place of the
    // object (the same bytes); once it differs, git has no way to the staged content.
    writeFiles(missing, { 'b.txt': 'changed since staged\n' });
    expectOneLineError(staged(missing), /^leakproof: cannot read b\.txt: unable to read [0-9a-f]{40}/);

    const noGit = runCli(['staged'], { cwd: missing, env: { ...gitEnv(), PATH: tempDir() } });
    expect(noGit.code).toBe(2);
    expect(noGit.stderr).toMatch(/git is not installed or not on PATH/);
  });

  it('changes nothing in the repository: index, work tree and objects stay as they were', () => {
    const dir = committedRepo({ 'a.js': 'x = 1\n' });
    writeFiles(dir, { 'a.js': `x = "${resendKey(33)}"\n` });
    git(dir, 'add', 'a.js');
    const before = git(dir, 'status', '--porcelain=v1', '-z');
    const objects = readdirSync(join(dir, '.git/objects')).length;
    staged(dir);
    expect(git(dir, 'status', '--porcelain=v1', '-z')).toBe(before);
    expect(readdirSync(join(dir, '.git/objects')).length).toBe(objects);
  });
});
