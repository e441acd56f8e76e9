/**
 * `scan --cache` through the real CLI in real git repositories: files a scan found nothing in are
 * skipped while git has them unchanged, and every change, new file, finding or rule change is
 * scanned again.
 */
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, generate, git, gitEnv, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';
import { errorsOf, reportValidator } from '../reporters/schemas.js';

interface Report {
  findings: { ruleId: string; file: string; line: number }[];
  stats: { filesScanned: number; filesSkipped: number; filesFromCache?: number };
}

const report = (stdout: string): Report => JSON.parse(stdout) as Report;
const found = (r: Report): string[] => r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();

/** A committed repository: 20 clean files and one with a key. */
function repo(): string {
  const files: Record<string, string> = { 'keys.js': `export const resend = "${resendKey(71)}";\n` };
  for (let i = 0; i < 20; i++) files[`src/module-${i}.js`] = `export const value${i} = process.env.VALUE_${i};\n`;
  const dir = tempGitRepo(files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'initial');
  return dir;
}

function scan(dir: string, cache: string, ...args: string[]): Report {
  const r = runCli(['scan', '--cache', '--format', 'json', ...args], { cwd: dir, env: { ...gitEnv(), LEAKPROOF_CACHE_DIR: cache } });
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  return report(r.stdout);
}

describe('scan --cache', () => {
  it('skips the unchanged files a scan found nothing in, and still reports every finding', () => {
    const dir = repo();
    const cache = tempDir('leakproof-cache-');
    const plain = report(runCli(['scan', '--format', 'json'], { cwd: dir }).stdout);
    expect(plain.stats.filesFromCache).toBeUndefined(); // the field comes with --cache only

    const first = scan(dir, cache);
    expect(found(first)).toEqual(['resend-api-key keys.js:1']);
    expect(first.stats).toMatchObject({ filesScanned: 21, filesFromCache: 0 });

    const second = scan(dir, cache);
    expect(found(second)).toEqual(found(first));
    // The file with a finding is read every time; the 20 clean ones come from the cache.
    expect(second.stats).toMatchObject({ filesScanned: 1, filesFromCache: 20 });
    const validate = reportValidator();
    expect(validate(second), errorsOf(validate).join('\n')).toBe(true);

    const text = runCli(['scan', '--cache'], { cwd: dir, env: { ...gitEnv(), LEAKPROOF_CACHE_DIR: cache } });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('1 file · ');
    expect(text.stdout).toContain('20 files unchanged and clean (--cache)');
  });

  it('scans again what changed: an edit not yet staged, a commit, a new untracked file', () => {
    const dir = repo();
    const cache = tempDir('leakproof-cache-');
    scan(dir, cache);
    expect(scan(dir, cache).stats.filesFromCache).toBe(20);

    // Edited in the work tree only: git reports it modified, so it is read.
    const key = resendKey(72);
    writeFiles(dir, { 'src/module-3.js': `export const value3 = "${key}";\n` });
    const edited = scan(dir, cache);
    expect(found(edited)).toEqual(['resend-api-key keys.js:1', 'resend-api-key src/module-3.js:1']);
    expect(edited.stats).toMatchObject({ filesScanned: 2, filesFromCache: 19 });

    // Committed: a new blob id, never seen clean.
    git(dir, 'commit', '-qam', 'edit');
    expect(found(scan(dir, cache))).toEqual(['resend-api-key keys.js:1', 'resend-api-key src/module-3.js:1']);

    // Untracked files have no blob id: always read.
    writeFiles(dir, { 'notes.txt': `token ${resendKey(73)}\n` });
    const untracked = scan(dir, cache);
    expect(found(untracked)).toContain('resend-api-key notes.txt:1');
    expect(untracked.stats).toMatchObject({ filesScanned: 3, filesFromCache: 19 });

    // The key taken out again, and committed: a new blob, clean once scanned, then from the cache.
    writeFiles(dir, { 'src/module-3.js': 'export const value3 = 3;\n' });
    git(dir, 'commit', '-qam', 'take the key out');
    expect(scan(dir, cache).stats).toMatchObject({ filesScanned: 3, filesFromCache: 19 });
    expect(scan(dir, cache).stats).toMatchObject({ filesScanned: 2, filesFromCache: 20 });
    // Back to its first content: read again or not (the entry keeps a path's current blob), clean either way.
    writeFiles(dir, { 'src/module-3.js': 'export const value3 = process.env.VALUE_3;\n' });
    git(dir, 'commit', '-qam', 'as it was');
    expect(found(scan(dir, cache))).toEqual(['resend-api-key keys.js:1', 'resend-api-key notes.txt:1']);
    expect(scan(dir, cache).stats).toMatchObject({ filesScanned: 2, filesFromCache: 20 });
  });

  it('starts over when the rules change, and keeps a file whose finding a filter dropped out of the cache', () => {
    const dir = repo();
    const cache = tempDir('leakproof-cache-');
    writeFiles(dir, { 'src/allowed.js': `export const k = "${resendKey(74)}"; // leakproof:allow\n` });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'an allowed key');
    scan(dir, cache);
    const again = scan(dir, cache);
    expect(found(again)).toEqual(['resend-api-key keys.js:1']);
    // keys.js (a finding) and allowed.js (a finding the inline allow dropped) are read every time.
    expect(again.stats).toMatchObject({ filesScanned: 2, filesFromCache: 20 });

    // A config that disables a rule is another rule set: nothing from the old entry.
    writeFiles(dir, { '.leakproof.yaml': 'rules:\n  disable: [generic-url-credentials]\n' });
    const changed = scan(dir, cache);
    expect(found(changed)).toEqual(['resend-api-key keys.js:1']);
    expect(changed.stats.filesFromCache).toBe(0);
    expect(scan(dir, cache).stats.filesFromCache).toBe(20);
  });

  it('remembers binary files and files over the size limit: nothing can be found in them either', () => {
    const dir = repo();
    writeFiles(dir, { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x49, 0x48, 0x44, 0x52]), 'data/big.txt': 'x'.repeat(2000) });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'assets');
    const cache = tempDir('leakproof-cache-');
    expect(scan(dir, cache, '--max-file-size', '1KB').stats).toMatchObject({ filesScanned: 21, filesSkipped: 2, filesFromCache: 0 });
    expect(scan(dir, cache, '--max-file-size', '1KB').stats).toMatchObject({ filesScanned: 1, filesSkipped: 0, filesFromCache: 22 });
    // Another size limit is another entry: big.txt is read, and scanned.
    expect(scan(dir, cache).stats).toMatchObject({ filesScanned: 22, filesSkipped: 1, filesFromCache: 0 });
  });

  it('keeps paths and blob ids in the cache, never a secret', () => {
    const dir = repo();
    const cache = tempDir('leakproof-cache-');
    scan(dir, cache);
    const entries = readdirSync(cache).filter((name) => name.startsWith('scan-'));
    expect(entries).toHaveLength(1);
    const content = readFileSync(join(cache, entries[0]), 'utf8');
    const blob = git(dir, 'rev-parse', 'HEAD:src/module-0.js').trim();
    expect(content).toContain(`${blob} src/module-0.js`);
    expect(content).not.toContain('keys.js'); // it had a finding
    expect(content).not.toContain(resendKey(71));

    // A file gone from the tree leaves the entry at the next scan of the whole folder.
    git(dir, 'rm', '-q', 'src/module-0.js');
    git(dir, 'commit', '-qm', 'remove a module');
    expect(scan(dir, cache).stats.filesFromCache).toBe(19);
    expect(readFileSync(join(cache, entries[0]), 'utf8')).not.toContain('src/module-0.js');
  });

  it('gives the same findings with detection threads, and fills the same cache', () => {
    const dir = repo();
    // A binary file: its skip, made on whichever thread read it, still marks it as clean.
    writeFiles(dir, { 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x49, 0x48, 0x44, 0x52]) });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'a logo');
    const cache = tempDir('leakproof-cache-');
    const first = scan(dir, cache, '--jobs', '2');
    expect(first.stats).toMatchObject({ filesScanned: 21, filesSkipped: 1, filesFromCache: 0 });
    const second = scan(dir, cache, '--jobs', '2');
    expect(found(second)).toEqual(found(first));
    expect(second.stats).toMatchObject({ filesScanned: 1, filesSkipped: 0, filesFromCache: 21 });
    expect(scan(dir, cache).stats.filesFromCache).toBe(21);
  });

  it('leaves out conflicted files, symlinks and files outside git, and says when it cannot cache at all', () => {
    const dir = repo();
    symlinkSync('src/module-0.js', join(dir, 'link.js'));
    git(dir, 'add', 'link.js');
    git(dir, 'commit', '-qm', 'a symlink');
    const cache = tempDir('leakproof-cache-');
    scan(dir, cache);
    const content = readFileSync(join(cache, readdirSync(cache).find((name) => name.startsWith('scan-'))!), 'utf8');
    expect(content).not.toContain('link.js');

    // A folder outside git: nothing to know files by.
    const plain = tempDir();
    writeFiles(plain, { 'a.js': 'export const a = 1;\n' });
    const outside = runCli(['scan', '--cache'], { cwd: plain, env: { LEAKPROOF_CACHE_DIR: cache } });
    expect(outside.code).toBe(0);
    expect(outside.stdout).toContain('--cache found no file that git tracks unchanged');

    // The cache turned off.
    const off = runCli(['scan', '--cache'], { cwd: dir, env: { ...gitEnv(), LEAKPROOF_CACHE: '0' } });
    expect(off.code).toBe(1);
    expect(off.stdout).toContain('--cache found no cache folder');

    // Plugins are code the entry's name cannot cover.
    writeFiles(dir, { 'plugin.mjs': "export default { meta: { namespace: 'acme' }, rules: {} };\n", '.leakproof.yaml': 'plugins: [./plugin.mjs]\n' });
    const withPlugin = runCli(['scan', '--cache'], { cwd: dir, env: { ...gitEnv(), LEAKPROOF_CACHE_DIR: cache } });
    expect(withPlugin.code).toBe(1);
    expect(withPlugin.stdout).toContain('--cache is off with plugins');
    expect(withPlugin.stdout).not.toContain('unchanged and clean');
  });

  it('reads files git is told not to look at (assume-unchanged, skip-worktree) every time', () => {
    const dir = repo();
    const cache = tempDir('leakproof-cache-');
    scan(dir, cache);
    // The usual way to keep a local config's real key out of commits: git no longer sees the edit.
    git(dir, 'update-index', '--assume-unchanged', 'src/module-4.js');
    git(dir, 'update-index', '--skip-worktree', 'src/module-5.js');
    writeFiles(dir, { 'src/module-4.js': `export const k = "${resendKey(76)}";\n`, 'src/module-5.js': `export const k = "${resendKey(77)}";\n` });
    expect(git(dir, 'ls-files', '--modified')).toBe('');
    const after = scan(dir, cache);
    expect(found(after)).toEqual(['resend-api-key keys.js:1', 'resend-api-key src/module-4.js:1', 'resend-api-key src/module-5.js:1']);
    expect(after.stats).toMatchObject({ filesScanned: 3, filesFromCache: 18 });
  });

  it('is refused with --diff (exit 2)', () => {
    const dir = repo();
    expectOneLineError(runCli(['scan', '--diff', 'HEAD', '--cache'], { cwd: dir }), /--cache works on the working-tree scan, not with --diff/);
  });

  it('reads a file in a merge conflict every time', () => {
    const dir = repo();
    git(dir, 'checkout', '-qb', 'other');
    writeFiles(dir, { 'src/module-1.js': 'export const value1 = 1;\n' });
    git(dir, 'commit', '-qam', 'other side');
    git(dir, 'checkout', '-q', 'main');
    writeFiles(dir, { 'src/module-1.js': `export const value1 = "${generate('re_{{alnum 8}}_{{alnum 24}}', 75)}";\n` });
    git(dir, 'commit', '-qam', 'main side');
    try {
      git(dir, 'merge', '-q', 'other');
    } catch {
      // the conflict is the point
    }
    const cache = tempDir('leakproof-cache-');
    const first = scan(dir, cache);
    expect(found(first).some((f) => f.startsWith('resend-api-key src/module-1.js:'))).toBe(true);
    const content = readFileSync(join(cache, readdirSync(cache).find((name) => name.startsWith('scan-'))!), 'utf8');
    expect(content).not.toContain('src/module-1.js');
    expect(scan(dir, cache).stats.filesFromCache).toBe(19);
  });
});

describe('history --cache', () => {
  function history(dir: string, cache: string, ...args: string[]): { findings: unknown[]; stats: Report['stats'] } {
    const r = runCli(['history', '--cache', '--format', 'json', ...args], { cwd: dir, env: { ...gitEnv(), LEAKPROOF_CACHE_DIR: cache } });
    expect([0, 1]).toContain(r.code);
    return JSON.parse(r.stdout) as { findings: unknown[]; stats: Report['stats'] };
  }

  it('reads only the blobs it has not found clean before, with the same findings, commits and all', () => {
    const dir = repo(); // commit 1: 21 blobs, one with a key
    writeFiles(dir, { 'keys.js': 'export const resend = process.env.RESEND_API_KEY;\n', 'src/module-0.js': 'export const value0 = 0;\n' });
    git(dir, 'commit', '-qam', 'key moved to the environment'); // commit 2: 2 new blobs, clean
    writeFiles(dir, {
      'src/allowed.js': `export const k = "${resendKey(78)}"; // leakproof:allow\n`,
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x49, 0x48, 0x44, 0x52]),
    });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'an allowed test key'); // commit 3: a blob whose finding a filter drops, and a binary one
    const cache = tempDir('leakproof-cache-');
    const plain = report(runCli(['history', '--format', 'json'], { cwd: dir }).stdout);

    const first = history(dir, cache);
    expect(first.findings).toEqual(plain.findings);
    expect(first.stats).toMatchObject({ filesScanned: 24, filesSkipped: 1, filesFromCache: 0 });
    const second = history(dir, cache);
    expect(second.findings).toEqual(plain.findings);
    // Read again: the blob with the key and the one with the allowed key. The binary one is known.
    expect(second.stats).toMatchObject({ filesScanned: 2, filesSkipped: 0, filesFromCache: 23 });

    // A key committed in a path that was clean before: a new blob, read and reported.
    writeFiles(dir, { 'src/module-1.js': `export const value1 = "${resendKey(79)}";\n` });
    git(dir, 'commit', '-qam', 'a key again');
    const third = history(dir, cache);
    expect(third.stats).toMatchObject({ filesScanned: 3, filesFromCache: 23 });
    expect(JSON.stringify(third.findings)).toContain('src/module-1.js');

    const entry = readdirSync(cache).find((name) => name.startsWith('history-'))!;
    const content = readFileSync(join(cache, entry), 'utf8');
    expect(content).toContain(`${git(dir, 'rev-parse', 'HEAD~3:src/module-0.js').trim()} src/module-0.js`);
    for (const seed of [71, 78, 79]) expect(content).not.toContain(resendKey(seed));
    // keys.js: its first blob had the key (not kept), its second is clean (kept).
    expect(content).not.toContain(`${git(dir, 'rev-parse', 'HEAD~3:keys.js').trim()} keys.js`);
    expect(content).toContain(`${git(dir, 'rev-parse', 'HEAD~2:keys.js').trim()} keys.js`);
  });

  it('keeps the blobs with findings out of the cache when detection threads find them', () => {
    // ~3 MB over 12 commits, as in history.test.ts: several batches, so the worker takes some.
    const dir = tempGitRepo({});
    for (let c = 0; c < 12; c++) {
      const files: Record<string, string> = {};
      for (let f = 0; f < 4; f++) {
        const filler = `const token = getToken(); // ${c}-${f} `.padEnd(60, 'x') + '\n';
        files[`src/m${f}.js`] = filler.repeat(1000 + c * 37) + (f === c % 4 ? `const k = "${resendKey(200 + c)}"; // ${c}\n` : '');
      }
      writeFiles(dir, files);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', `c${c}`);
    }
    const cache = tempDir('leakproof-cache-');
    const plain = report(runCli(['history', '--format', 'json', '--jobs', '1'], { cwd: dir }).stdout);
    expect(plain.findings).toHaveLength(12);
    expect(history(dir, cache, '--jobs', '2').findings).toEqual(plain.findings);
    const second = history(dir, cache, '--jobs', '2');
    expect(second.findings).toEqual(plain.findings);
    // The 12 blobs with a key are read again; the other 36 come from the cache.
    expect(second.stats).toMatchObject({ filesScanned: 12, filesFromCache: 36 });
  });
});
