/**
 * `leakproof scan --verify` end to end: the built CLI against a local stand-in for Resend. The CLI
 * runs as an async child process so this process's server can answer it.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, resendKey, tempDir, writeFiles, type CliResult } from '../helpers/index.js';
import { RESEND_ANSWERS, startProvider } from './provider.js';

function runCliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr });
    });
  });
}

const OVERRIDE = 'LEAKPROOF_VERIFY_BASE_URL_RESEND_API_KEY';

describe('leakproof scan --verify', () => {
  it('adds verified (and access) to JSON findings, and lists them in text, never the key', async () => {
    const [live, dead] = [resendKey(401), resendKey(402)];
    const provider = await startProvider(new Map([[live, RESEND_ANSWERS.sending], [dead, RESEND_ANSWERS.invalid]]));
    const dir = tempDir();
    writeFiles(dir, { 'a.js': `new Resend('${live}');\n`, 'b.js': `new Resend('${dead}');\n` });
    const env = { [OVERRIDE]: provider.url };

    const json = await runCliAsync(['scan', '--verify', '--format', 'json'], dir, env);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { findings: Record<string, unknown>[] };
    expect(report.findings.map((f) => [f.file, f.verified, f.access])).toEqual([
      ['a.js', 'live', 'sending'],
      ['b.js', 'revoked', undefined],
    ]);

    const text = await runCliAsync(['scan', '--verify'], dir, env);
    expect(text.stdout).toMatch(/Verified with the providers \(--verify\)\n {2}a\.js:1:13 {2}resend-api-key {2}live \(sending access\): rotate it now\n {2}b\.js:1:13 {2}resend-api-key {2}revoked/);
    expect(text.stdout).toMatch(/1 live · 1 revoked · 0 unknown/);
    for (const out of [json.stdout, text.stdout, json.stderr, text.stderr]) {
      expect(out).not.toContain(live);
      expect(out).not.toContain(dead);
    }
    expect(provider.requests).toHaveLength(4);
  });

  it('--fail-on-live exits 1 only when a key is live', async () => {
    const [live, dead] = [resendKey(403), resendKey(404)];
    const provider = await startProvider(new Map([[live, RESEND_ANSWERS.full], [dead, RESEND_ANSWERS.invalid]]));
    const env = { [OVERRIDE]: provider.url };
    const deadOnly = tempDir();
    writeFiles(deadOnly, { 'b.js': `new Resend('${dead}');\n` });
    expect((await runCliAsync(['scan', '--verify', '--fail-on-live'], deadOnly, env)).code).toBe(0);
    expect((await runCliAsync(['scan', '--verify'], deadOnly, env)).code).toBe(1);
    const withLive = tempDir();
    writeFiles(withLive, { 'a.js': `new Resend('${live}');\n`, 'b.js': `new Resend('${dead}');\n` });
    expect((await runCliAsync(['scan', '--verify', '--fail-on-live'], withLive, env)).code).toBe(1);
  });

  it('sends nothing without --verify, and refuses bad combinations with one line and exit 2', async () => {
    const key = resendKey(405);
    const provider = await startProvider(new Map([[key, RESEND_ANSWERS.full]]));
    const dir = tempDir();
    writeFiles(dir, { 'a.js': `new Resend('${key}');\n` });
    const plain = await runCliAsync(['scan', '--format', 'json'], dir, { [OVERRIDE]: provider.url });
    expect(plain.code).toBe(1);
    expect(JSON.parse(plain.stdout).findings[0]).not.toHaveProperty('verified');
    expect(provider.requests).toHaveLength(0);

    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['scan', '--fail-on-live'], { [OVERRIDE]: provider.url }, /--fail-on-live needs --verify/],
      [['scan', '--verify'], { [OVERRIDE]: 'http://mail.example.test' }, /LEAKPROOF_VERIFY_BASE_URL_RESEND_API_KEY: must be https:\/\//],
      [['scan', '--verify', '--diff', 'main'], {}, /--verify and --fail-on-live work on the working-tree scan/],
    ];
    for (const [args, env, message] of cases) {
      const r = await runCliAsync(args, dir, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(provider.requests).toHaveLength(0);
  });
});
