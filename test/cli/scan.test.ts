/** `leakproof scan` end to end: the built CLI on real files in temp folders and real git repos. */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, generate, git, REPO_ROOT, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';

const json = (stdout: string) => JSON.parse(stdout) as { version: number; findings: Record<string, unknown>[]; stats: Record<string, number> };

describe('leakproof scan', () => {
  it('exits 0 on a clean folder and says so', () => {
    const dir = tempDir();
    writeFiles(dir, { 'index.js': 'const resend = new Resend(process.env.RESEND_API_KEY);\n' });
    const r = runCli(['scan'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No secrets found · 1 file/);
  });

  it('finds a Resend key, exits 1, and never prints the key', () => {
    const dir = tempDir();
    const key = resendKey();
    writeFiles(dir, { 'src/email.ts': `import { Resend } from 'resend';\nconst resend = new Resend('${key}');\n` });
    const r = runCli(['scan', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/email.ts:2:28');
    expect(r.stdout).toContain('resend-api-key');
    expect(r.stdout).toContain(`${key.slice(0, 5)}…(36 chars)`);
    expect(r.stdout).not.toContain(key);
    expect(r.stdout).toMatch(/1 secret in 1 file \(1 critical\)/);
    expect(r.stdout).toMatch(/How to fix[\s\S]*resend-api-key: Create a new Resend API key/);
  });

  it('prints the documented JSON format', () => {
    const dir = tempDir();
    const key = resendKey(2);
    writeFiles(dir, { 'a dir/config.env.js': `module.exports = {\r\n  key: "${key}",\r\n};\r\n` });
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = json(r.stdout);
    expect(report.version).toBe(1);
    expect(Object.keys(report.stats).sort()).toEqual(['bytesScanned', 'durationMs', 'filesScanned', 'filesSkipped']);
    expect(report.stats.filesScanned).toBe(1);
    expect(report.findings).toHaveLength(1);
    const f = report.findings[0];
    expect(Object.keys(f).sort()).toEqual(['column', 'endColumn', 'endLine', 'file', 'fingerprint', 'line', 'message', 'redacted', 'ruleId', 'severity']);
    expect(f).toMatchObject({ ruleId: 'resend-api-key', severity: 'critical', file: 'a dir/config.env.js', line: 2, column: 9, endLine: 2, endColumn: 45 });
    expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(r.stdout).not.toContain(key);
  });

  it('shows secrets only with --show-secrets', () => {
    const dir = tempDir();
    const key = resendKey(3);
    writeFiles(dir, { 'x.py': `RESEND = "${key}"\n` });
    const r = runCli(['scan', '--show-secrets', '--format', 'json'], { cwd: dir });
    expect(json(r.stdout).findings[0].redacted).toBe(key);
  });

  it('writes the report to --output and refuses a directory', () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': `key=${resendKey(4)}\n` });
    const ok = runCli(['scan', 'a.txt', '--output', 'report.json', '--format', 'json'], { cwd: dir });
    expect(ok.code).toBe(1);
    expect(ok.stdout).toBe('');
    expect(json(readFileSync(join(dir, 'report.json'), 'utf8')).findings).toHaveLength(1);
    const bad = runCli(['scan', 'a.txt', '--output', '.'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--output \.: is a directory/);
  });

  it('gives one-line errors with exit 2 for bad input', () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['scan', 'does-not-exist'], /path does not exist: does-not-exist/],
      [['scan', '--no-such-flag'], /unknown option '--no-such-flag'/],
      [['scan', '--format', 'xml'], /xml/],
      [['scan', '--max-file-size', 'huge'], /--max-file-size huge/],
      [['scan', '--config', 'missing.yaml'], /config file missing.yaml does not exist/],
      [['frobnicate'], /unknown command 'frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('rejects invalid config: bad YAML, unknown fields, bad user regex, zero rules', () => {
    const dir = tempDir();
    const cases: [string, RegExp][] = [
      ['rules: [unclosed', /invalid YAML/],
      ['allow:\n  pathz: [x]\n', /allow: unknown field "pathz"/],
      ['rules:\n  disable: [no-such-rule]\n', /rules\.disable\[0\]: unknown rule "no-such-rule"/],
      ['rules:\n  only: [resend-api-key]\n  disable: [resend-api-key]\n', /leaves no rule active/],
      ['allow:\n  regexes: ["(unclosed"]\n', /allow\.regexes\[0\]: invalid regex/],
      ['rules:\n  dirs: [./my-rules]\n', /rule folder .*my-rules.*cannot be read/],
    ];
    for (const [config, message] of cases) {
      writeFileSync(join(dir, '.leakproof.yaml'), config);
      const r = runCli(['scan'], { cwd: dir });
      expect(r.code, config).toBe(2);
      expect(r.stderr, config).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('loads user rules from a folder and names the rule and field of a bad regex', () => {
    const dir = tempDir();
    const token = generate('acme_{{alnum 30}}');
    writeFiles(dir, {
      '.leakproof.yaml': 'rules:\n  dirs: [./my-rules]\n',
      'my-rules/acme.yaml': "provider: Acme\nrules:\n  - id: acme-token\n    description: Acme token\n    keywords: [acme_]\n    regex: '\\b(acme_[A-Za-z0-9]{30})\\b'\n",
      'app.js': `const t = "${token}";\n`,
    });
    const found = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(found.code).toBe(1);
    expect(json(found.stdout).findings.map((f) => f.ruleId)).toContain('acme-token');

    writeFiles(dir, { 'my-rules/acme.yaml': "provider: Acme\nrules:\n  - id: acme-token\n    description: Acme token\n    keywords: [acme_]\n    regex: '(acme_[A-Z'\n" });
    const bad = runCli(['scan'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/acme\.yaml: rule acme-token: field regex: invalid regex/);

    // A regex with catastrophic backtracking is refused at load time, not left to hang every scan.
    writeFiles(dir, { 'my-rules/acme.yaml': "provider: Acme\nrules:\n  - id: acme-token\n    description: Acme token\n    keywords: [acme_]\n    regex: '(acme_(\\w+)+)+!'\n" });
    const slow = runCli(['scan'], { cwd: dir });
    expect(slow.code).toBe(2);
    expect(slow.stderr).toMatch(/acme\.yaml: rule acme-token: field regex: too slow on near-miss input/);
  });

  it('skips binary and oversized files, counts them, and lists them with --verbose', () => {
    const dir = tempDir();
    const key = resendKey(5);
    writeFiles(dir, {
      'image.bin': Buffer.concat([Buffer.from(`key=${key}\n`), Buffer.from([0, 1, 2, 3])]),
      'big.txt': `${'a'.repeat(2000)}\n`,
      'small.txt': 'hello\n',
    });
    const r = runCli(['scan', '--max-file-size', '1KB', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r.stdout).stats).toMatchObject({ filesScanned: 1, filesSkipped: 2 });
    const v = runCli(['scan', '--max-file-size', '1KB', '--verbose'], { cwd: dir });
    expect(v.stdout).toMatch(/Skipped\n[\s\S]*big\.txt {2}larger than 1000 bytes[\s\S]*image\.bin {2}binary/);
  });

  it('scans a 50 MB single-line file when allowed, and skips it by default', () => {
    const dir = tempDir();
    const key = resendKey(6);
    const line = Buffer.alloc(50 * 1024 * 1024, 'x=Abc123;'.repeat(1));
    Buffer.from(` ${key} `).copy(line, 40 * 1024 * 1024);
    writeFiles(dir, { 'huge-one-line.txt': line });
    const skipped = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(json(skipped.stdout).stats).toMatchObject({ filesScanned: 0, filesSkipped: 1 });
    const started = Date.now();
    const scanned = runCli(['scan', '--format', 'json', '--max-file-size', '100MiB'], { cwd: dir });
    expect(scanned.code).toBe(1);
    const report = json(scanned.stdout);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['resend-api-key']);
    expect(report.findings[0].line).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('reads files around the 1 MiB read size whole, a large one after a small one and back, and skips a FIFO', () => {
    const dir = tempDir();
    const MiB = 1024 * 1024;
    const keys = [60, 61, 62, 63].map((seed) => resendKey(seed));
    // Each key sits at the very end, where a read that stopped at 1 MiB would miss it.
    const endingIn = (size: number, key: string) => Buffer.concat([Buffer.alloc(size - key.length - 3, 'x'), Buffer.from(`\n${key}\n `)]).subarray(0, size);
    writeFiles(dir, {
      'a-exact.txt': endingIn(MiB, keys[0]),
      'b-over.txt': endingIn(MiB + 1, keys[1]),
      'c-small.txt': `k=${keys[2]}\n`,
      'd-large.txt': endingIn(3 * MiB + 17, keys[3]),
      'e-empty.txt': '',
      // Shorter than the file read before it: none of that file's bytes may show through.
      'f-tiny.txt': 'ok\n',
    });
    execFileSync('mkfifo', [join(dir, 'g-pipe')]);
    const r = runCli(['scan', '--format', 'json', '--verbose'], { cwd: dir });
    const report = json(r.stdout);
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['a-exact.txt:2', 'b-over.txt:2', 'c-small.txt:1', 'd-large.txt:2']);
    expect(report.stats).toMatchObject({ filesScanned: 6, bytesScanned: MiB + (MiB + 1) + keys[2].length + 3 + (3 * MiB + 17) + 3, filesSkipped: 1 });
    expect(r.stderr + r.stdout).not.toContain('unreadable');
    expect(runCli(['scan', '--verbose'], { cwd: dir }).stdout).toMatch(/g-pipe {2}not a regular file/);
    // A limit below the read size still applies to files read whole in one go.
    const limited = json(runCli(['scan', '--format', 'json', '--max-file-size', '100KB'], { cwd: dir }).stdout);
    expect(limited.stats).toMatchObject({ filesScanned: 3, filesSkipped: 4 });
  });

  it('handles invalid UTF-8 and CRLF line endings', () => {
    const dir = tempDir();
    const key = resendKey(7);
    writeFiles(dir, { 'latin1.txt': Buffer.concat([Buffer.from([0xff, 0xfe, 0xe9, 0x0d, 0x0a]), Buffer.from(`line two\r\nRESEND=${key}\r\n`)]) });
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings[0]).toMatchObject({ line: 3, column: 8, endColumn: 44 });
  });

  it('skips symlinks and says so', () => {
    const dir = tempDir();
    writeFiles(dir, { 'real.txt': 'hello\n' });
    symlinkSync('/etc/hostname', join(dir, 'link.txt'));
    const r = runCli(['scan', '--verbose'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/link\.txt {2}symlink/);
  });

  it('reports an unreadable file and goes on', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    writeFiles(dir, { 'ok.txt': `k=${resendKey(8)}\n`, 'locked.txt': 'x\n' });
    chmodSync(join(dir, 'locked.txt'), 0o000);
    // Root reads every file, so as root the CLI runs as `nobody` (when that user can reach it).
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', CLI]).status !== 0) {
      expect(json(runCli(['scan', '--format', 'json'], { cwd: dir }).stdout).stats.filesScanned).toBe(2);
      return;
    }
    const run = (...args: string[]) => {
      const command = [process.execPath, CLI, 'scan', ...args];
      const [file, ...rest] = asRoot ? ['runuser', '-u', 'nobody', '--', ...command] : command;
      return spawnSync(file, rest, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    };
    const r = run('--format', 'json');
    expect(r.status).toBe(1);
    expect(json(r.stdout).stats).toMatchObject({ filesScanned: 1, filesSkipped: 1 });
    expect(json(r.stdout).findings.map((f) => f.file)).toEqual(['ok.txt']);
    expect(run('--verbose').stdout).toMatch(/locked\.txt {2}unreadable \(EACCES\)/);
  });

  it('honours inline allow comments, including other tools\' forms', () => {
    const dir = tempDir();
    const lines = [
      `a = "${resendKey(10)}" // leakproof:allow`,
      `b = "${resendKey(11)}" # leakproof:allow resend-api-key`,
      `c = "${resendKey(12)}" # gitleaks:allow`,
      `d = "${resendKey(13)}" # pragma: allowlist secret`,
      `e = "${resendKey(14)}" // leakproof:allow aws-access-key`,
      // At the end of a long line (kept whole up to 2,000 characters), and on a minified line,
      // within the 1,000 characters a finding keeps of it.
      `f = "${resendKey(15)}"; ${'x = 1; '.repeat(200)} // leakproof:allow`,
      `g = "${resendKey(16)}"; ${'y = 2; '.repeat(80)} /* leakproof:allow */ ${'z = 3; '.repeat(500)}`,
    ];
    writeFiles(dir, { 'keys.py': `${lines.join('\n')}\n` });
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(json(r.stdout).findings.map((f) => f.line)).toEqual([5]);
  });

  it('applies allow-listed paths, regexes and stopwords from .leakproof.yaml', () => {
    const dir = tempDir();
    writeFiles(dir, {
      '.leakproof.yaml': 'allow:\n  paths: ["fixtures/**"]\n  stopwords: [zzkeep]\n',
      'fixtures/keys.txt': `k=${resendKey(15)}\n`,
      'src/a.txt': `k=${resendKey(16)}\n`,
    });
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(json(r.stdout).findings.map((f) => f.file)).toEqual(['src/a.txt']);
    const v = runCli(['scan', '--verbose'], { cwd: dir });
    expect(v.stderr).toMatch(/dropped resend-api-key at fixtures\/keys\.txt:1 by allowlist \(path fixtures\/\*\*\)/);
  });

  it('inside git: scans tracked and untracked files, not ignored ones', () => {
    const dir = tempGitRepo({
      '.gitignore': 'secret-notes.txt\n.env\n',
      'tracked.js': `k = "${resendKey(20)}"\n`,
      'untracked.js': `k = "${resendKey(21)}"\n`,
      'secret-notes.txt': `k = "${resendKey(22)}"\n`,
      '.env': `RESEND_API_KEY=${resendKey(23)}\n`,
    });
    git(dir, 'add', '.gitignore', 'tracked.js');
    git(dir, 'commit', '-qm', 'init');
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(json(r.stdout).findings.map((f) => f.file)).toEqual(['tracked.js', 'untracked.js']);
  });

  it('flags a .env that git does not ignore, and a committed .env', () => {
    const dir = tempGitRepo({ 'app.js': 'x = 1\n', '.env': 'PORT=3000\n', '.env.example': 'RESEND_API_KEY=\n', 'config/.env.local': 'DEBUG=1\n' });
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['dotenv-not-ignored .env', 'dotenv-not-ignored config/.env.local']);

    writeFiles(dir, { '.gitignore': '.env\n.env.*\n!.env.example\n' });
    expect(runCli(['scan'], { cwd: dir }).code).toBe(0);

    git(dir, 'add', '-f', '.env');
    const committed = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(json(committed.stdout).findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['dotenv-committed .env']);
    const text = runCli(['scan'], { cwd: dir });
    expect(text.stdout).toMatch(/git rm --cached \.env/);
  });

  it('outside git: every file except node_modules and .git', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'a.txt': `k=${resendKey(30)}\n`,
      'node_modules/pkg/index.js': `k=${resendKey(31)}\n`,
      '.hidden/b.txt': `k=${resendKey(32)}\n`,
    });
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(json(r.stdout).findings.map((f) => f.file)).toEqual(['.hidden/b.txt', 'a.txt']);
  });

  it('gives the same report with detection workers as without', () => {
    const dir = tempGitRepo({});
    const files: Record<string, string> = { '.gitignore': 'ignored/\n', 'ignored/k.txt': `k=${resendKey(40)}\n`, 'bin.dat': '\u0000binary' };
    // Enough text (lines with rule keywords) that the worker is likely up and takes files from the
    // queue before this thread is done alone (test/workers/queue.test.ts drives the queue directly).
    const filler = (i: number) => `export const token${i} = getToken(process.env.API_KEY_${i});\n`.repeat(300);
    for (let i = 0; i < 400; i++) files[`src/m${i % 7}/f${i}.js`] = i % 50 === 0 ? `const k = "${resendKey(41 + i)}"; // ${i}\n` : filler(i);
    files['src/allowed.js'] = `const k = "${resendKey(99)}"; // leakproof:allow\n`;
    writeFiles(dir, files);
    const run = (jobs: string) => {
      const r = runCli(['scan', '--format', 'json', '--jobs', jobs, '--verbose'], { cwd: dir });
      const report = json(r.stdout);
      return { code: r.code, findings: report.findings, stats: { ...report.stats, durationMs: 0 }, stderr: r.stderr };
    };
    const serial = run('1');
    const parallel = run('2');
    expect(serial.code).toBe(1);
    expect(serial.findings).toHaveLength(8);
    expect(parallel).toEqual(serial);
    expect(runCli(['scan', '--jobs', 'many'], { cwd: dir }).stderr).toMatch(/--jobs many: expected a whole number/);
  });

  it('this repository scans clean with its own rules', () => {
    const r = runCli(['scan', '.'], { cwd: REPO_ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
