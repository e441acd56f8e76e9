/**
 * `npm run eval` works and scores right: the runner (eval/run.mjs, on the built library) on a tiny
 * fixed case list whose outcomes are known. Not a quality threshold: the real cases are not run here.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandExample } from '../src/examples.js';
import { REPO_ROOT, tempDir, writeFiles } from './helpers/index.js';

const RUNNER = join(REPO_ROOT, 'eval/run.mjs');
const GITHUB = 'GITHUB_TOKEN={{github "ghp_"}}';

// alpha: a TP of the named provider, a TP found by another provider's rule, an FN (no credential
// in the text, labeled secret on purpose), two TNs (one with Ansible `{{ var }}` syntax that must
// not be taken for a generator). beta: an FP (a real token labeled none on purpose) and a TN.
const CASES = {
  'alpha.yaml': `cases:
  - { path: .env, label: secret, provider: github, text: '${GITHUB}' }
  - { path: .env, label: secret, provider: aws, text: '${GITHUB}' }
  - { path: notes.txt, label: secret, text: 'hello world' }
  - { path: src/theme.py, label: none, text: 'color = "blue"' }
  - { path: playbook.yml, label: none, text: 'password: "{{ vault_db_password }}"' }
`,
  'beta.yaml': `cases:
  - { path: .env, label: none, text: '${GITHUB}' }
  - { path: src/a.js, label: none, text: 'const x = 1;' }
`,
};

function run(args: string[], files: Record<string, string> = CASES) {
  const dir = tempDir('leakproof-eval-');
  writeFiles(dir, files);
  const r = spawnSync(process.execPath, [RUNNER, '--cases', dir, '--no-noise', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('eval runner', () => {
  it('scores each family and the overall line', () => {
    const r = run(['--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const [alpha, beta] = out.families;
    expect(alpha).toMatchObject({ family: 'alpha', cases: 5, tp: 2, fp: 0, fn: 1, tn: 2, precision: 1, providerCases: 2, providerMatched: 1 });
    expect(alpha.recall).toBeCloseTo(2 / 3);
    expect(alpha.f1).toBeCloseTo(0.8);
    // No positives: recall and F1 are undefined, not zero.
    expect(beta).toMatchObject({ family: 'beta', cases: 2, tp: 0, fp: 1, fn: 0, tn: 1, precision: 0, recall: null, f1: null });
    expect(out.overall).toMatchObject({ cases: 7, tp: 2, fp: 1, fn: 1, tn: 3 });
    expect(out.overall.f1).toBeCloseTo(2 / 3);
    expect(out.results.map((c: { outcome: string }) => c.outcome)).toEqual(['TP', 'TP', 'FN', 'TN', 'TN', 'FP', 'TN']);
    expect(out.results[1]).toMatchObject({ provider: 'aws', providerMatched: false });
  });

  it('prints the table and lists FPs and FNs by template, never the generated secret', () => {
    const r = run([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^overall\s+7\s+3\s+4\s+2\s+1\s+1\s+3\s+0\.667\s+0\.667\s+0\.667\s+0\.250\s+1\/2$/m);
    expect(r.stdout).toMatch(/FP {2}beta .*github-.*GITHUB_TOKEN=\{\{github "ghp_"\}\}/);
    expect(r.stdout).toMatch(/FN {2}alpha .*notes\.txt .*hello world/);
    expect(r.stdout).toMatch(/ID {2}alpha .*expected aws, got github-/);
    for (const seed of [0, 1]) expect(r.stdout).not.toContain(expandExample(GITHUB, seed).split('=')[1]);
  });

  it('--min-f1 fails only below the threshold', () => {
    expect(run(['--min-f1', '0.6']).code).toBe(0);
    const low = run(['--min-f1', '0.7']);
    expect(low.code).toBe(1);
    expect(low.stderr).toMatch(/overall F1 0\.667 is below --min-f1 0\.7/);
  });

  it('rejects a malformed case with the file and index', () => {
    const r = run([], { 'bad.yaml': 'cases:\n  - { path: a.txt, label: maybe, text: x }\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: cases\[0\]: "label" must be secret or none/);
  });
});
