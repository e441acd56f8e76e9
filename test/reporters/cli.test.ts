/** Report formats and `--fail-on` through the built CLI (run `npm run build` first). */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/cli/output.js';
import { REPORTERS } from '../../src/reporters/index.js';
import { CLI, generate, git, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';
import { errorsOf, reportValidator, sarifValidator } from './schemas.js';

/** Start of an ANSI colour sequence. */
const ESC = '\u001b[';

/** A folder (not a git repo) with one critical finding: a Resend key on line 2. */
function project(): { dir: string; key: string } {
  const dir = tempDir();
  const key = resendKey(201);
  writeFiles(dir, {
    'src/mail.ts': `import { Resend } from 'resend';\nexport const resend = new Resend('${key}');\n`,
    'docs/notes.md': 'Nothing to see here.\n',
  });
  return { dir, key };
}

describe('report formats on the command line', () => {
  it('offers every reporter as a --format choice', () => {
    expect([...FORMATS].sort()).toEqual(Object.keys(REPORTERS).sort());
  });

  it('prints each format, exits 1 on findings, and never prints the key', () => {
    const { dir, key } = project();
    for (const format of FORMATS) {
      const r = runCli(['scan', '--format', format], { cwd: dir });
      expect(r.code, format).toBe(1);
      expect(r.stderr, format).toBe('');
      expect(r.stdout, format).not.toContain(key);
      expect(r.stdout, format).toContain(`${key.slice(0, 5)}…(36 chars)`);
    }
  });

  it('writes SARIF that validates against the official schema', () => {
    const { dir } = project();
    const r = runCli(['scan', '--format', 'sarif', '--output', 'leakproof.sarif'], { cwd: dir });
    expect(r.code).toBe(1);
    const log: unknown = JSON.parse(readFileSync(join(dir, 'leakproof.sarif'), 'utf8'));
    const validate = sarifValidator();
    expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
    expect(JSON.stringify(log)).toContain('"uri":"src/mail.ts"');
  });

  it('prints JSON that validates against schema/report.schema.json', () => {
    const { dir } = project();
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    const validate = reportValidator();
    expect(validate(JSON.parse(r.stdout)), errorsOf(validate).join('\n')).toBe(true);
  });

  it('prints GitHub annotations with the file and position', () => {
    const { dir } = project();
    const r = runCli(['scan', '--format', 'github'], { cwd: dir });
    expect(r.stdout).toMatch(/^::error file=src\/mail\.ts,line=2,endLine=2,col=35,endColumn=71,title=resend-api-key \(critical\)::Resend API key found: /m);
  });

  it('uses no colours when stdout is not a terminal, even without NO_COLOR', () => {
    const { dir } = project();
    const r = runCli(['scan'], { cwd: dir, env: { NO_COLOR: '', FORCE_COLOR: '' } });
    expect(r.stdout).not.toContain(ESC);
    const forced = runCli(['scan'], { cwd: dir, env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain(ESC);
  });

  it('writes a large report piece by piece, whole, and stops quietly when the reader goes away', () => {
    const dir = tempDir();
    const keys = Array.from({ length: 3000 }, (_, i) => resendKey(1000 + i));
    writeFiles(dir, { 'keys.ts': keys.map((k, i) => `export const resend${i} = '${k}';\n`).join('') });
    for (const format of FORMATS) {
      const r = runCli(['scan', '--format', format, '--output', `report.${format}`], { cwd: dir });
      expect(r.code, format).toBe(1);
      const report = readFileSync(join(dir, `report.${format}`), 'utf8');
      // Several 64 KB writes, ending as it should, with every finding in it.
      expect(report.length, format).toBeGreaterThan(256 * 1024);
      for (const i of [0, 1500, 2999]) expect(report, `${format} #${i}`).toContain(`${keys[i].slice(0, 5)}…(36 chars)`);
      if (format === 'json') expect((JSON.parse(report) as { findings: unknown[] }).findings, format).toHaveLength(3000);
      if (format === 'sarif') expect((JSON.parse(report) as { runs: { results: unknown[] }[] }).runs[0].results, format).toHaveLength(3000);
      expect(report, format).not.toContain(keys[1234]);
    }
    // `| head -c 100` closes the pipe after the first write: no stack trace, the scan's own exit code.
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" scan --format json | head -c 100 >/dev/null; echo "exit $\{PIPESTATUS[0]}" >&2`], { cwd: dir, encoding: 'utf8' });
    expect(piped.stderr).toBe('exit 1\n');
    // A full disk loses the report: one line and exit 2, on stdout as with --output.
    if (existsSync('/dev/full')) {
      const full = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" scan --format json >/dev/full`], { cwd: dir, encoding: 'utf8' });
      expect([full.status, full.stderr]).toEqual([2, 'leakproof: cannot write the report to stdout (ENOSPC)\n']);
      const output = runCli(['scan', '--format', 'json', '--output', '/dev/full'], { cwd: dir });
      expect([output.code, output.stderr]).toEqual([2, 'leakproof: --output /dev/full: cannot write (ENOSPC)\n']);
    }
  });
});

describe('--fail-on', () => {
  function mixed(): string {
    // One critical (Resend key) and, with a severity override, one low finding.
    const dir = tempDir();
    writeFiles(dir, {
      '.leakproof.yaml': 'rules:\n  severity: { generic-secret-assignment: low }\n',
      'a.ts': `const resend = '${resendKey(202)}';\n`,
      'b.py': `db_password = "${generate('{{alnum 24}}', 203)}"\n`,
    });
    return dir;
  }

  it('exits 1 only when a finding is at or above the threshold, and still reports the rest', () => {
    const dir = tempDir();
    writeFiles(dir, {
      '.leakproof.yaml': 'rules:\n  severity: { resend-api-key: medium }\n',
      'a.ts': `const resend = '${resendKey(204)}';\n`,
    });
    const cases: [string[], number][] = [
      [[], 1],
      [['--fail-on', 'info'], 1],
      [['--fail-on', 'low'], 1],
      [['--fail-on', 'medium'], 1],
      [['--fail-on', 'high'], 0],
      [['--fail-on', 'critical'], 0],
    ];
    for (const [args, code] of cases) {
      const r = runCli(['scan', '--format', 'json', ...args], { cwd: dir });
      expect(r.code, `${args.join(' ') || 'default'}: ${r.stderr}`).toBe(code);
      expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings, args.join(' ')).toHaveLength(1);
    }
  });

  it('looks at the most severe finding', () => {
    const dir = mixed();
    const json = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(json.stdout) as { findings: { severity: string }[] }).findings.map((f) => f.severity).sort()).toEqual(['critical', 'low']);
    expect(runCli(['scan', '--fail-on', 'critical'], { cwd: dir }).code).toBe(1);
  });

  it('exits 0 on a clean folder whatever the threshold', () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': 'hello\n' });
    expect(runCli(['scan', '--fail-on', 'info'], { cwd: dir }).code).toBe(0);
  });

  it('rejects an unknown severity with one line and exit 2', () => {
    const dir = tempDir();
    const r = runCli(['scan', '--fail-on', 'urgent'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--fail-on.*urgent.*critical, high, medium, low, info/);
  });
});

describe('git commands share the formats and --fail-on', () => {
  function repoWithOldKey(): { dir: string; key: string } {
    const key = resendKey(205);
    const dir = tempGitRepo({ 'settings.js': `module.exports = { resend: "${key}" };\n` });
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'add settings');
    writeFiles(dir, { 'settings.js': 'module.exports = { resend: process.env.RESEND_API_KEY };\n' });
    git(dir, 'commit', '-qam', 'read the key from the environment');
    return { dir, key };
  }

  it('history: SARIF and JSON carry the commit and presentAtHead, and validate', () => {
    const { dir, key } = repoWithOldKey();
    const sarif = runCli(['history', '--format', 'sarif'], { cwd: dir });
    expect(sarif.code, sarif.stderr).toBe(1);
    expect(sarif.stdout).not.toContain(key);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { properties: Record<string, unknown> }[] }[] };
    const validateSarif = sarifValidator();
    expect(validateSarif(log), errorsOf(validateSarif).join('\n')).toBe(true);
    expect(log.runs[0].results[0].properties).toMatchObject({ presentAtHead: false, commit: { subject: 'add settings' } });

    const json = runCli(['history', '--format', 'json'], { cwd: dir });
    const validateJson = reportValidator();
    expect(validateJson(JSON.parse(json.stdout)), errorsOf(validateJson).join('\n')).toBe(true);

    const junit = runCli(['history', '--format', 'junit'], { cwd: dir });
    expect(junit.stdout).toMatch(/Commit: [0-9a-f]{40} \(.*, Test Author, removed since\)/);
  });

  it('history and staged: --fail-on decides the exit code', () => {
    const { dir } = repoWithOldKey();
    writeFiles(dir, { '.leakproof.yaml': 'rules:\n  severity: { resend-api-key: low }\n' });
    expect(runCli(['history'], { cwd: dir }).code).toBe(1);
    expect(runCli(['history', '--fail-on', 'medium'], { cwd: dir }).code).toBe(0);

    writeFiles(dir, { 'mail.js': `const k = "${resendKey(206)}";\n` });
    git(dir, 'add', 'mail.js');
    expect(runCli(['staged'], { cwd: dir }).code).toBe(1);
    expect(runCli(['staged', '--fail-on', 'medium'], { cwd: dir }).code).toBe(0);
  });
});
