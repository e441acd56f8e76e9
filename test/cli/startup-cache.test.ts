/**
 * The start-up cache through the real CLI: a config file, a rule folder and a baseline are parsed
 * once, and the automaton of the rule set built once; later runs read them from the cache without
 * loading yaml or zod, and an edit is read at once. (The cache itself: test/config/startup-cache.test.ts.)
 */
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, generate, git, gitEnv, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';

/** A preload that says on stderr whenever the CLI reads the yaml+zod bundle. */
function parsersProbe(): string {
  const file = join(tempDir(), 'report-parsers.cjs');
  writeFileSync(
    file,
    `const fs = require('node:fs');
const read = fs.readFileSync;
fs.readFileSync = function (path, ...rest) {
  if (String(path).endsWith('parsers.cjs')) process.stderr.write('loaded yaml and zod\\n');
  return read.call(this, path, ...rest);
};
`,
  );
  return file;
}

const ACME_RULE = "provider: Acme\nrules:\n  - id: acme-token\n    description: Acme token\n    keywords: [acme_]\n    regex: '\\b(acme_[A-Za-z0-9]{30})\\b'\n";

interface Report {
  findings: { ruleId: string; file: string }[];
}
const found = (stdout: string): string[] => (JSON.parse(stdout) as Report).findings.map((f) => `${f.ruleId} ${f.file}`).sort();

describe('the start-up cache', () => {
  it('parses the config, rule folder and baseline once, and reads an edit at once', () => {
    const cache = tempDir('leakproof-cache-');
    const dir = tempGitRepo({
      '.leakproof.yaml': 'rules:\n  dirs: [./my-rules]\nallow:\n  paths: ["fixtures/**"]\n',
      'my-rules/acme.yaml': ACME_RULE,
      'old.js': `const k = "${resendKey(51)}";\n`,
    });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'initial');
    const env = { ...gitEnv(), LEAKPROOF_CACHE_DIR: cache, NODE_OPTIONS: `--require ${parsersProbe()}` };
    expect(runCli(['baseline'], { cwd: dir, env }).code).toBe(0);
    writeFiles(dir, { 'app.js': `const t = "${generate('acme_{{alnum 30}}')}";\n`, 'fixtures/keys.txt': `k=${resendKey(52)}\n` });

    const first = runCli(['scan', '--format', 'json'], { cwd: dir, env });
    expect(first.code).toBe(1);
    expect(found(first.stdout)).toEqual(['acme-token app.js']);
    expect(first.stderr).toContain('loaded yaml and zod'); // the baseline was new: the probe works
    // The rule folder's rule makes a rule set the build did not precompute: its automaton is kept too.
    expect(readdirSync(cache).map((name) => name.split('-')[0]).sort()).toEqual(['baseline', 'config', 'prefilter', 'rules']);

    // The same files: the same findings, and yaml and zod are not loaded at all.
    const second = runCli(['scan', '--format', 'json'], { cwd: dir, env });
    expect(second.stderr).not.toContain('loaded yaml and zod');
    expect(second.code).toBe(1);
    expect(found(second.stdout)).toEqual(['acme-token app.js']);
    const staged = runCli(['staged', '--all-lines'], { cwd: dir, env });
    expect(staged.stderr).not.toContain('loaded yaml and zod');

    // A damaged automaton entry is built again, with the same findings.
    const automaton = join(cache, readdirSync(cache).find((name) => name.startsWith('prefilter-'))!);
    const kept = readFileSync(automaton);
    truncateSync(automaton, 1000);
    expect(found(runCli(['scan', '--format', 'json'], { cwd: dir, env }).stdout)).toEqual(['acme-token app.js']);
    expect(readFileSync(automaton).equals(kept)).toBe(true);

    // Edits are read at once: the allow-list gone, the rule renamed, the baseline emptied.
    writeFiles(dir, {
      '.leakproof.yaml': 'rules:\n  dirs: [./my-rules]\n',
      'my-rules/acme.yaml': ACME_RULE.replace('id: acme-token', 'id: acme-key'),
    });
    const edited = runCli(['scan', '--format', 'json', '--no-baseline'], { cwd: dir, env });
    expect(edited.stderr).toContain('loaded yaml and zod');
    expect(found(edited.stdout)).toEqual(['acme-key app.js', 'resend-api-key fixtures/keys.txt', 'resend-api-key old.js']);
  });

  it('reports an invalid config on every run, also after a valid one was cached', () => {
    const cache = tempDir('leakproof-cache-');
    const dir = tempDir();
    writeFiles(dir, { '.leakproof.yaml': 'allow:\n  stopwords: [dummy]\n', 'app.js': 'const a = 1;\n' });
    const env = { LEAKPROOF_CACHE_DIR: cache };
    expect(runCli(['scan'], { cwd: dir, env }).code).toBe(0);
    writeFiles(dir, { '.leakproof.yaml': 'allow:\n  stopword: [dummy]\n' });
    for (let run = 0; run < 2; run++) expectOneLineError(runCli(['scan'], { cwd: dir, env }), /\.leakproof\.yaml: allow: unknown field "stopword"/);
    writeFiles(dir, { '.leakproof.yaml': 'allow:\n  stopwords: [dummy]\n' });
    expect(runCli(['scan'], { cwd: dir, env }).code).toBe(0);
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it('writes nothing with LEAKPROOF_CACHE=0', () => {
    const cache = tempDir('leakproof-cache-');
    const dir = tempDir();
    writeFiles(dir, { '.leakproof.yaml': 'allow:\n  stopwords: [dummy]\n', 'app.js': 'const a = 1;\n' });
    const env = { LEAKPROOF_CACHE_DIR: cache, LEAKPROOF_CACHE: '0', NODE_OPTIONS: `--require ${parsersProbe()}` };
    for (let run = 0; run < 2; run++) {
      const r = runCli(['scan'], { cwd: dir, env });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('loaded yaml and zod');
    }
    expect(readdirSync(cache)).toEqual([]);
  });
});
