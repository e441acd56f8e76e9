/** `leakproof baseline` and the baseline filter, end to end with the built CLI. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resendKey, runCli, tempDir, writeFiles } from '../helpers/index.js';

const json = (stdout: string) => JSON.parse(stdout) as { findings: { ruleId: string; file: string; line: number }[] };

describe('leakproof baseline', () => {
  it('accepts current findings, reports only new ones, and survives code moving', () => {
    const dir = tempDir();
    const [a, b, c] = [resendKey(101), resendKey(102), resendKey(103)];
    writeFiles(dir, { 'src/a.js': `const k = "${a}";\n`, 'src/b.py': `K = "${b}"\n` });
    expect(runCli(['scan'], { cwd: dir }).code).toBe(1);

    const written = runCli(['baseline'], { cwd: dir });
    expect(written.code).toBe(0);
    expect(written.stderr).toMatch(/wrote 2 entries to \.leakproof-baseline\.json/);
    const text = readFileSync(join(dir, '.leakproof-baseline.json'), 'utf8');
    expect(text).not.toContain(a);
    expect(text).not.toContain(a.slice(3, 20));
    expect(text).not.toMatch(/"line"|"date"|"time"/);
    const file = JSON.parse(text) as { version: number; salt: string; entries: { rule: string; path: string; hash: string }[] };
    expect(file.version).toBe(1);
    expect(file.entries.map((e) => `${e.rule} ${e.path}`)).toEqual(['resend-api-key src/a.js', 'resend-api-key src/b.py']);
    for (const e of file.entries) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);

    expect(runCli(['scan'], { cwd: dir }).code).toBe(0);

    // Moving the code (new lines above) does not bring the finding back.
    writeFiles(dir, { 'src/a.js': `// header\n\n\nfunction f() {}\nconst k = "${a}";\n` });
    expect(runCli(['scan'], { cwd: dir }).code).toBe(0);

    // A new secret, even on the same line of a baselined file, is reported.
    writeFiles(dir, { 'src/a.js': `const k = "${a}"; const j = "${c}";\n` });
    const fresh = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(fresh.code).toBe(1);
    expect(json(fresh.stdout).findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/a.js:1']);

    // --no-baseline shows everything.
    expect(json(runCli(['scan', '--format', 'json', '--no-baseline'], { cwd: dir }).stdout).findings).toHaveLength(3);
  });

  it('is deterministic: rewriting keeps the salt and the bytes', () => {
    const dir = tempDir();
    writeFiles(dir, { 'z.txt': `k=${resendKey(104)}\n`, 'a.txt': `k=${resendKey(105)}\n` });
    runCli(['baseline'], { cwd: dir });
    const first = readFileSync(join(dir, '.leakproof-baseline.json'), 'utf8');
    runCli(['baseline'], { cwd: dir });
    expect(readFileSync(join(dir, '.leakproof-baseline.json'), 'utf8')).toBe(first);
    expect(first.indexOf('"a.txt"')).toBeLessThan(first.indexOf('"z.txt"'));
  });

  it('reports stale entries', () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': `k=${resendKey(106)}\n`, 'b.txt': `k=${resendKey(107)}\n` });
    runCli(['baseline'], { cwd: dir });
    writeFiles(dir, { 'b.txt': 'k=process.env.RESEND_API_KEY\n' });
    const r = runCli(['scan', '--verbose'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 baseline entry matches no finding \(stale\)/);
    expect(r.stderr).toMatch(/stale baseline entry: resend-api-key b\.txt/);
  });

  it('uses --baseline FILE, and rejects a missing or broken one with exit 2', () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': `k=${resendKey(108)}\n` });
    expect(runCli(['baseline', '--baseline', 'accepted.json'], { cwd: dir }).code).toBe(0);
    expect(runCli(['scan'], { cwd: dir }).code).toBe(1);
    expect(runCli(['scan', '--baseline', 'accepted.json'], { cwd: dir }).code).toBe(0);

    const missing = runCli(['scan', '--baseline', 'nope.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/baseline file .*nope\.json does not exist/);

    const unwritable = runCli(['baseline', '--baseline', 'no-such-folder/accepted.json'], { cwd: dir });
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/^leakproof: baseline file .*no-such-folder\/accepted\.json: cannot be written \(ENOENT\)\n$/);

    writeFileSync(join(dir, 'broken.json'), '{"version":1,"salt":"zz","entries":[]}');
    const broken = runCli(['scan', '--baseline', 'broken.json'], { cwd: dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/broken\.json: salt: expected hex/);
  });

  it('lists unused allow-list entries with --verbose', () => {
    const dir = tempDir();
    writeFiles(dir, { '.leakproof.yaml': 'allow:\n  paths: ["vendor/**"]\n  stopwords: [neverused]\n', 'a.txt': 'hello\n' });
    const r = runCli(['scan', '--verbose'], { cwd: dir });
    expect(r.stderr).toMatch(/allow-list entry matched nothing: path vendor\/\*\*/);
    expect(r.stderr).toMatch(/allow-list entry matched nothing: stopword neverused/);
  });
});
