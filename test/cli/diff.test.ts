/** `leakproof scan --diff <base>` end to end: the pull-request view of a real branch. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { git, gitEnv, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';

interface Report {
  findings: { ruleId: string; file: string; line: number }[];
}
const report = (stdout: string) => JSON.parse(stdout) as Report;
const where = (r: Report) => r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);

function commitAll(dir: string, subject: string, files: Record<string, string>): void {
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  execFileSync('git', ['commit', '-qm', subject], { cwd: dir, env: gitEnv() });
}

describe('leakproof scan --diff', () => {
  it('reports a secret the branch adds and ignores one that already existed on the base', () => {
    const dir = tempGitRepo();
    const baseKey = resendKey(1);
    commitAll(dir, 'base', { 'config.js': `const old = "${baseKey}";\nconst port = 80;\n`, 'README.md': '# x\n' });
    git(dir, 'checkout', '-qb', 'feature');
    const branchKey = resendKey(2);
    commitAll(dir, 'feature 1', { 'config.js': `const old = "${baseKey}";\nconst port = 8080;\nconst fresh = "${branchKey}";\n` });
    commitAll(dir, 'feature 2', { '.env': 'PORT=1\n', 'docs.md': 'docs\n' });
    // The base moves on after the branch point: its new key is not the branch's doing.
    git(dir, 'checkout', '-q', 'main');
    commitAll(dir, 'main later', { 'later.js': `k = "${resendKey(3)}"\n` });
    git(dir, 'checkout', '-q', 'feature');

    const r = runCli(['scan', '--diff', 'main', '--format', 'json'], { cwd: dir, env: gitEnv() });
    expect(r.code).toBe(1);
    expect(where(report(r.stdout))).toEqual(['dotenv-committed .env:1', 'resend-api-key config.js:3']);
    expect(r.stdout).not.toContain(branchKey);

    const text = runCli(['scan', '--diff', 'main'], { cwd: dir, env: gitEnv() });
    expect(text.stdout).toMatch(/Checked what main\.\.\.HEAD adds: 3 changed files/);

    // Paths narrow the check; a branch that adds nothing secret passes.
    expect(where(report(runCli(['scan', '--diff', 'main', 'docs.md', '--format', 'json'], { cwd: dir, env: gitEnv() }).stdout))).toEqual([]);
    git(dir, 'checkout', '-qb', 'clean', 'main');
    commitAll(dir, 'docs only', { 'guide.md': 'read me\n' });
    expect(runCli(['scan', '--diff', 'main'], { cwd: dir, env: gitEnv() }).code).toBe(0);
  });

  it('gives one-line errors with exit 2 for a bad base or outside git', () => {
    const dir = tempGitRepo();
    commitAll(dir, 'one', { 'a.txt': 'a\n' });
    for (const [cwd, args, message] of [
      [dir, ['scan', '--diff', 'no-such-branch'], /no-such-branch/],
      [dir, ['scan', '--diff', '--format'], /--diff --format/],
      [tempDir(), ['scan', '--diff', 'main'], /not a git repository/],
    ] as const) {
      const r = runCli([...args], { cwd, env: gitEnv() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
