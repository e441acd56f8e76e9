/**
 * `leakproof init` end to end: set up the hook in a real repo, then real `git commit`s go through
 * it. The hook must find the leakproof under test: as a dependency (node_modules symlinks to this
 * checkout, with husky from our own node_modules) or on PATH (a shim folder).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, git, gitEnv, REPO_ROOT, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';

/** `git commit` as a user runs it, with the hooks; stdout and stderr together. */
function commit(dir: string, args: string[], env: NodeJS.ProcessEnv = gitEnv()): { code: number; output: string } {
  const r = spawnSync('git', ['commit', '-m', 'change', ...args], { cwd: dir, env, encoding: 'utf8' });
  return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** A folder whose only command is `leakproof` (this checkout's CLI), to put first on PATH. */
function shimPath(): string {
  const bin = tempDir('leakproof-bin-');
  symlinkSync(CLI, join(bin, 'leakproof'));
  return `${bin}:${process.env.PATH}`;
}

/** A Node project that depends on leakproof, installed the way npm would (node_modules + .bin). */
function nodeProject(options: { husky: boolean; pkg?: Record<string, unknown> }): string {
  const dir = tempGitRepo();
  const pkg = options.pkg ?? { name: 'demo', private: true, devDependencies: { leakproof: `file:${REPO_ROOT}` } };
  writeFiles(dir, { 'package.json': `${JSON.stringify(pkg, null, 2)}\n`, '.gitignore': 'node_modules/\n' });
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/leakproof'));
  symlinkSync('../leakproof/bin/leakproof.js', join(dir, 'node_modules/.bin/leakproof'));
  if (options.husky) symlinkSync(join(REPO_ROOT, 'node_modules/husky'), join(dir, 'node_modules/husky'));
  return dir;
}

/** The lines earlier builds wrote where leakproof is a dependency, ending in `command`: exactly, as users' hooks hold them. */
function earlierDependencyBlock(command: string): string {
  return [
    '# leakproof: stop commits that add secrets (emergency only: git commit --no-verify)',
    'if [ ! -x node_modules/.bin/leakproof ]; then',
    '  echo "leakproof: node_modules/.bin/leakproof not found, so staged files cannot be checked for secrets: run npm install. Commit stopped." >&2',
    '  exit 1',
    'fi',
    command,
    '',
  ].join('\n');
}

const head = (dir: string) => spawnSync('git', ['rev-parse', '-q', '--verify', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();

// The husky tests run several real commits through the hook, hence their longer time limits.
describe('leakproof init', () => {
  it('with husky: the hook refuses a commit that adds a key and lets the fixed one through', () => {
    const dir = nodeProject({ husky: true });
    const r = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote \.husky\/pre-commit/);
    expect(r.stdout).toMatch(/husky activated the hook/);
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toMatch(/^NODE_EXTRA_CA_CERTS= node_modules\/\.bin\/leakproof staged \|\| exit \$\?$/m);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('husky');
    expect(pkg.devDependencies.husky).toMatch(/^\^9/);
    expect(git(dir, 'config', 'core.hooksPath').trim()).toBe('.husky/_');

    git(dir, 'add', 'package.json', '.gitignore', '.husky/pre-commit');
    expect(commit(dir, []).code).toBe(0);
    const before = head(dir);

    const key = resendKey(1);
    writeFiles(dir, { 'src/email.ts': `import { Resend } from 'resend';\nconst resend = new Resend('${key}');\n` });
    git(dir, 'add', 'src/email.ts');
    const refused = commit(dir, []);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('resend-api-key');
    expect(refused.output).toContain('src/email.ts:2:28');
    expect(refused.output).not.toContain(key);
    expect(head(dir)).toBe(before);

    writeFiles(dir, { 'src/email.ts': "import { Resend } from 'resend';\nconst resend = new Resend(process.env.RESEND_API_KEY);\n" });
    git(dir, 'add', 'src/email.ts');
    const accepted = commit(dir, []);
    expect(accepted.output).not.toMatch(/resend-api-key/);
    expect(accepted.code).toBe(0);
    expect(head(dir)).not.toBe(before);

    // `git commit <path>` commits through a temporary index (GIT_INDEX_FILE): still checked.
    writeFiles(dir, { 'src/email.ts': `const k = '${resendKey(2)}';\n` });
    expect(commit(dir, ['src/email.ts']).code).not.toBe(0);
    git(dir, 'checkout', '--', 'src/email.ts');

    // Staging a .env is refused too.
    writeFiles(dir, { '.env': 'PORT=3000\n' });
    git(dir, 'add', '.env');
    const dotenv = commit(dir, []);
    expect(dotenv.code).not.toBe(0);
    expect(dotenv.output).toContain('dotenv-committed');

    // Running init again changes nothing.
    const hook = readFileSync(join(dir, '.husky/pre-commit'), 'utf8');
    const again = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already runs leakproof staged: nothing to do/);
    expect(readFileSync(join(dir, '.husky/pre-commit'), 'utf8')).toBe(hook);
  }, 120_000);

  it('replaces the npx line an earlier version wrote, keeping the rest of the hook', () => {
    const dir = nodeProject({ husky: true });
    const npxBlock = earlierDependencyBlock('npx --no-install leakproof staged || exit $?');
    writeFiles(dir, { '.husky/pre-commit': `echo before\n\n${npxBlock}echo after\n` });
    const r = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/updated the leakproof lines in \.husky\/pre-commit: they run node_modules\/\.bin\/leakproof itself, not through npx/);
    const hook = readFileSync(join(dir, '.husky/pre-commit'), 'utf8');
    expect(hook).not.toContain('npx');
    expect(hook).toMatch(/^echo before\n\n# leakproof: [^\n]*\n[\s\S]*^NODE_EXTRA_CA_CERTS= node_modules\/\.bin\/leakproof staged \|\| exit \$\?\necho after\n$/m);
    // The updated hook still stops a key.
    git(dir, 'add', 'package.json', '.gitignore', '.husky/pre-commit');
    expect(commit(dir, []).code).toBe(0);
    writeFiles(dir, { 'k.js': `const k = '${resendKey(5)}';\n` });
    git(dir, 'add', 'k.js');
    const refused = commit(dir, []);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('k.js:1');
    // Once updated, init has nothing more to do.
    expect(runCli(['init'], { cwd: dir, env: gitEnv() }).stdout).toMatch(/already runs leakproof staged: nothing to do/);
  }, 120_000);

  it('runs leakproof without NODE_EXTRA_CA_CERTS (node would load it on every commit), and updates the lines an earlier version wrote', () => {
    const dir = nodeProject({ husky: true });
    const directBlock = earlierDependencyBlock('node_modules/.bin/leakproof staged || exit $?');
    // Set up husky, then put back the lines the previous version wrote.
    expect(runCli(['init'], { cwd: dir, env: gitEnv() }).code).toBe(0);
    writeFiles(dir, { '.husky/pre-commit': directBlock });
    // A file node cannot load warns at every start: the warning shows whether node tried.
    const env = { ...gitEnv(), NODE_EXTRA_CA_CERTS: join(dir, 'no-such-ca.pem') };
    git(dir, 'add', 'package.json', '.gitignore', '.husky/pre-commit');
    const before = commit(dir, [], env);
    expect(before.code).toBe(0);
    expect(before.output).toContain('Ignoring extra certs from');

    const r = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/updated the leakproof lines in \.husky\/pre-commit: they run leakproof without NODE_EXTRA_CA_CERTS/);
    const hook = readFileSync(join(dir, '.husky/pre-commit'), 'utf8');
    expect(hook).toMatch(/^NODE_EXTRA_CA_CERTS= node_modules\/\.bin\/leakproof staged \|\| exit \$\?\n$/m);
    git(dir, 'add', '.husky/pre-commit');
    const after = commit(dir, [], env);
    expect(after.code).toBe(0);
    expect(after.output).not.toContain('Ignoring extra certs');
    // Still a check: a key is refused, with no word about the certificates.
    writeFiles(dir, { 'k.js': `const k = '${resendKey(6)}';\n` });
    git(dir, 'add', 'k.js');
    const refused = commit(dir, [], env);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('k.js:1');
    expect(refused.output).not.toContain('Ignoring extra certs');
  }, 120_000);

  it('partial staging through the hook: the unstaged key does not block, the staged one does', () => {
    const dir = nodeProject({ husky: true });
    runCli(['init'], { cwd: dir, env: gitEnv() });
    git(dir, 'add', '-A');
    expect(commit(dir, []).code).toBe(0);
    writeFiles(dir, { 'a.js': 'a = 1\n', 'b.js': `b = "${resendKey(3)}"\n` });
    git(dir, 'add', 'a.js');
    expect(commit(dir, []).code).toBe(0);
    git(dir, 'add', 'b.js');
    expect(commit(dir, []).code).not.toBe(0);
  }, 120_000);

  it('when husky is not installed: edits package.json and prints the exact install command', () => {
    const dir = nodeProject({ husky: false, pkg: { name: 'demo', scripts: { prepare: 'npm run build' }, devDependencies: { leakproof: `file:${REPO_ROOT}` } } });
    const r = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/husky is not installed yet, so the hook is not active: run `npm install -D husky`/);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('npm run build && husky');
    expect(pkg.devDependencies).toMatchObject({ leakproof: `file:${REPO_ROOT}`, husky: expect.stringMatching(/^\^9/) });
    expect(existsSync(join(dir, '.husky/pre-commit'))).toBe(true);
  });

  it('without package.json: a plain git hook that runs leakproof from PATH, and fails clearly without it', () => {
    const dir = tempGitRepo({ 'README.md': '# x\n' });
    const r = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(r.code).toBe(0);
    const hookFile = join(dir, '.git/hooks/pre-commit');
    expect(r.stdout).toMatch(/wrote \.git\/hooks\/pre-commit/);
    expect(statSync(hookFile).mode & 0o111).not.toBe(0);
    expect(readFileSync(hookFile, 'utf8')).toMatch(/^#!\/bin\/sh\n[\s\S]*^NODE_EXTRA_CA_CERTS= leakproof staged \|\| exit \$\?$/m);

    const withLeakproof = { ...gitEnv(), PATH: shimPath() };
    git(dir, 'add', 'README.md');
    expect(commit(dir, [], withLeakproof).code).toBe(0);
    writeFiles(dir, { 'k.py': `KEY = "${resendKey(4)}"\n` });
    git(dir, 'add', 'k.py');
    const refused = commit(dir, [], withLeakproof);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('k.py:1');

    // Not installed: the commit is stopped with a message, never let through silently.
    writeFiles(dir, { 'k.py': 'KEY = os.environ["RESEND_API_KEY"]\n' });
    git(dir, 'add', 'k.py');
    const missing = commit(dir, [], gitEnv());
    expect(missing.code).not.toBe(0);
    expect(missing.output).toMatch(/leakproof: command not found on PATH, so staged files cannot be checked/);
    expect(commit(dir, [], withLeakproof).code).toBe(0);

    // The lines an earlier version wrote (no empty NODE_EXTRA_CA_CERTS) are updated in place.
    const current = readFileSync(hookFile, 'utf8');
    const earlier = current.replace(/^# NODE_EXTRA_CA_CERTS= [^\n]*\n/m, '').replace(/^NODE_EXTRA_CA_CERTS= leakproof staged/m, 'leakproof staged');
    expect(earlier).not.toContain('NODE_EXTRA_CA_CERTS');
    writeFileSync(hookFile, earlier);
    const again = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(again.stdout).toMatch(/updated the leakproof lines in \.git\/hooks\/pre-commit: they run leakproof without NODE_EXTRA_CA_CERTS/);
    expect(readFileSync(hookFile, 'utf8')).toBe(current);
  });

  it('honours core.hooksPath', () => {
    const dir = tempGitRepo();
    git(dir, 'config', 'core.hooksPath', 'tools/hooks');
    const r = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote tools\/hooks\/pre-commit/);
    expect(existsSync(join(dir, '.git/hooks/pre-commit'))).toBe(false);
    writeFiles(dir, { 'k.txt': `k=${resendKey(5)}\n` });
    git(dir, 'add', 'k.txt');
    expect(commit(dir, [], { ...gitEnv(), PATH: shimPath() }).code).not.toBe(0);
  });

  it('adds itself to an existing shell hook, keeping what it did; refuses other hooks unless --force, keeping a backup', () => {
    const dir = tempGitRepo({ 'README.md': '# x\n' });
    const hookFile = join(dir, '.git/hooks/pre-commit');
    writeFileSync(hookFile, '#!/bin/sh\necho "existing hook ran" > existing-hook-ran.txt\n', { mode: 0o755 });
    const r = runCli(['init'], { cwd: dir, env: gitEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/added leakproof staged to the existing \.git\/hooks\/pre-commit/);
    const hook = readFileSync(hookFile, 'utf8');
    expect(hook.startsWith('#!/bin/sh\necho "existing hook ran"')).toBe(true);
    writeFiles(dir, { 'k.txt': `k=${resendKey(6)}\n` });
    git(dir, 'add', 'k.txt');
    expect(commit(dir, [], { ...gitEnv(), PATH: shimPath() }).code).not.toBe(0);
    expect(existsSync(join(dir, 'existing-hook-ran.txt'))).toBe(true);

    const other = tempGitRepo();
    const otherHook = join(other, '.git/hooks/pre-commit');
    const python = '#!/usr/bin/env python3\nprint("custom checks")\n';
    writeFileSync(otherHook, python, { mode: 0o755 });
    const refused = runCli(['init'], { cwd: other, env: gitEnv() });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/\.git\/hooks\/pre-commit already exists and leakproof cannot safely add to it/);
    expect(readFileSync(otherHook, 'utf8')).toBe(python);

    const forced = runCli(['init', '--force'], { cwd: other, env: gitEnv() });
    expect(forced.code).toBe(0);
    expect(readFileSync(`${otherHook}.bak`, 'utf8')).toBe(python);
    expect(readFileSync(otherHook, 'utf8')).toMatch(/leakproof staged/);
  });

  it('ships .pre-commit-hooks.yaml whose leakproof hook runs the staged check', () => {
    const hooks = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; pass_filenames: boolean; language: string }[];
    const hook = hooks.find((h) => h.id === 'leakproof');
    expect(hook).toMatchObject({ entry: 'leakproof staged', pass_filenames: false, language: 'node' });
    // Run the entry as the framework would (from PATH, no file names) on a staged key.
    const dir = tempGitRepo({ 'k.txt': `k=${resendKey(7)}\n` });
    git(dir, 'add', 'k.txt');
    const [command, ...args] = hook!.entry.split(' ');
    const r = spawnSync(command, args, { cwd: dir, env: { ...gitEnv(), PATH: shimPath() }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('k.txt:1');
  });

  it('outside a git work tree: exit 2 with one line', () => {
    const r = runCli(['init'], { cwd: tempDir(), env: gitEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^leakproof: not inside a git work tree .*run git init first\n$/);
  });
});
