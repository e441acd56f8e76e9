/**
 * action.yml: its inputs are the documented ones, and its script, run with bash the way the
 * runner runs it (inputs in the environment, GITHUB_OUTPUT a file, version "local" so it uses
 * this checkout's built CLI), scans, reports, writes valid SARIF and records the exit code.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { git, REPO_ROOT, resendKey, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';
import { errorsOf, sarifValidator } from './schemas.js';

interface Action {
  inputs: Record<string, { default: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; steps: { id?: string; uses?: string; run?: string; if?: string }[] };
}

const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as Action;
const script = action.runs.steps.find((s) => s.id === 'run')!.run!;

function runAction(cwd: string, inputs: Record<string, string>): { code: number; stdout: string; stderr: string; outputs: Record<string, string> } {
  const outputFile = join(tempDir(), 'github-output');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', GITHUB_ACTION_PATH: REPO_ROOT, GITHUB_OUTPUT: outputFile, GITHUB_BASE_REF: '' };
  for (const [name, input] of Object.entries(action.inputs)) {
    env[`LP_${name === 'upload-sarif' ? 'UPLOAD' : name === 'sarif-file' ? 'SARIF' : name.replace('-', '_').toUpperCase()}`] = inputs[name] ?? input.default;
  }
  env.LP_VERSION = 'local';
  const r = spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8' });
  let outputs: Record<string, string> = {};
  try {
    outputs = Object.fromEntries(readFileSync(outputFile, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
  } catch {
    // No output file: the script stopped before writing one.
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, outputs };
}

describe('action.yml', () => {
  it('is a composite action with the documented inputs and outputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['args', 'base', 'fail-on', 'format', 'mode', 'sarif-file', 'upload-sarif', 'version']);
    expect(Object.keys(action.outputs).sort()).toEqual(['exit-code', 'sarif-file']);
    expect(action.runs.steps.map((s) => s.uses).filter(Boolean)).toEqual(['github/codeql-action/upload-sarif@v3']);
    // Inputs are passed through env, never interpolated into the script.
    expect(script).not.toContain('${{');
  });

  it('annotates findings, records exit code 1, and writes valid SARIF when asked', () => {
    const dir = tempDir();
    const key = resendKey(301);
    writeFiles(dir, { 'app/mail.js': `const resend = new Resend("${key}");\n` });
    const r = runAction(dir, { 'upload-sarif': 'true', args: '--max-file-size 1MiB' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs).toEqual({ 'sarif-file': 'leakproof.sarif', 'exit-code': '1' });
    expect(r.stdout).toMatch(/^::error file=app\/mail\.js,line=1,/m);
    expect(r.stdout).not.toContain(key);
    const sarif: unknown = JSON.parse(readFileSync(join(dir, 'leakproof.sarif'), 'utf8'));
    const validate = sarifValidator();
    expect(validate(sarif), errorsOf(validate).join('\n')).toBe(true);
  });

  it('passes fail-on through', () => {
    const dir = tempDir();
    writeFiles(dir, { '.leakproof.yaml': 'rules:\n  severity: { resend-api-key: medium }\n', 'a.js': `k = "${resendKey(302)}"\n` });
    expect(runAction(dir, { 'fail-on': 'high' }).outputs['exit-code']).toBe('0');
    expect(runAction(dir, { 'fail-on': 'medium' }).outputs['exit-code']).toBe('1');
  });

  it('runs scan --diff against the base in mode diff', () => {
    const dir = tempGitRepo({ 'README.md': 'hello\n' });
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'init');
    git(dir, 'checkout', '-qb', 'feature');
    writeFiles(dir, { 'new.js': `k = "${resendKey(303)}"\n` });
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'add key');
    const r = runAction(dir, { mode: 'diff', base: 'main', format: 'json' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs['exit-code']).toBe('1');
    expect((JSON.parse(r.stdout) as { findings: { file: string }[] }).findings.map((f) => f.file)).toEqual(['new.js']);
  });

  it('stops with a one-line error for a bad mode, or mode diff without a base', () => {
    const dir = tempDir();
    const bad = runAction(dir, { mode: 'everything' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^::error title=leakproof::unknown mode 'everything'/);
    const noBase = runAction(dir, { mode: 'diff' });
    expect(noBase.code).toBe(2);
    expect(noBase.stdout).toMatch(/mode diff needs a base/);
  });
});
