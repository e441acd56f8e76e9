/** `leakproof fix` end to end: the built CLI on small real projects in temp git repos. */
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, git, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

/** Every file under `dir` (outside .git) with its content, plus git's index: what "nothing changed" means. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const abs = join(folder, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(abs);
      else out[relative(dir, abs)] = readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  if (existsSync(join(dir, '.git'))) out['(git index)'] = git(dir, 'ls-files', '--stage');
  return out;
}

describe('leakproof fix', () => {
  it('JavaScript: the dry run shows the diff, redacted, and changes nothing; --write moves the key into .env', () => {
    const key = resendKey(201);
    const source = `import { Resend } from 'resend';\nconst resend = new Resend('${key}');\n`;
    const dir = tempGitRepo({ 'src/email.js': source });
    const before = snapshot(dir);

    const dry = runCli(['fix'], { cwd: dir });
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(1);
    expect(dry.stdout).not.toContain(key);
    const masked = `${key.slice(0, 5)}…(36 chars)`;
    expect(dry.stdout).toContain(
      ['--- a/src/email.js', '+++ b/src/email.js', '@@ -1,2 +1,2 @@', " import { Resend } from 'resend';", `-const resend = new Resend('${masked}');`, '+const resend = new Resend(process.env.RESEND_API_KEY);'].join('\n'),
    );
    expect(dry.stdout).toContain(['--- /dev/null', '+++ b/.env', '@@ -0,0 +1 @@', `+RESEND_API_KEY=${masked}`].join('\n'));
    expect(dry.stdout).toContain(['--- /dev/null', '+++ b/.gitignore', '@@ -0,0 +1 @@', '+.env'].join('\n'));
    expect(dry.stdout).toContain(['--- /dev/null', '+++ b/.env.example', '@@ -0,0 +1 @@', '+RESEND_API_KEY='].join('\n'));
    expect(dry.stdout).toMatch(/Dry run: 1 finding can be fixed\. Nothing was written/);
    expect(snapshot(dir)).toEqual(before);

    const fixed = runCli(['fix', '--write'], { cwd: dir });
    expect(fixed.stderr).toBe('');
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).not.toContain(key);
    expect(read(dir, 'src/email.js')).toBe(`import { Resend } from 'resend';\nconst resend = new Resend(process.env.RESEND_API_KEY);\n`);
    expect(read(dir, '.env')).toBe(`RESEND_API_KEY=${key}\n`);
    expect(read(dir, '.env.example')).toBe('RESEND_API_KEY=\n');
    expect(git(dir, 'check-ignore', '.env')).toBe('.env\n');
    expect(fixed.stdout).toMatch(/Now rotate these keys[\s\S]*resend-api-key \(RESEND_API_KEY\): Create a new Resend API key/);
    expect(fixed.stdout).toMatch(/node --env-file=\.env/);
    expect(fixed.stdout).toMatch(/Fixed 1 finding\./);

    const scan = runCli(['scan'], { cwd: dir });
    expect(scan.code).toBe(0);
    expect(runCli(['fix'], { cwd: dir })).toMatchObject({ code: 0, stdout: 'No secrets found: nothing to fix.\n' });
  });

  it('Python: os.environ with import os added, and scan exits 0 afterwards', () => {
    const key = resendKey(202);
    const dir = tempGitRepo({ 'mail.py': `"""Sends mail."""\nimport resend\n\nresend.api_key = "${key}"\n` });
    const before = snapshot(dir);
    expect(runCli(['fix'], { cwd: dir }).code).toBe(1);
    expect(snapshot(dir)).toEqual(before);
    const fixed = runCli(['fix', '--write'], { cwd: dir });
    expect(fixed.code).toBe(0);
    expect(read(dir, 'mail.py')).toBe(`"""Sends mail."""\nimport os\nimport resend\n\nresend.api_key = os.environ["RESEND_API_KEY"]\n`);
    expect(read(dir, '.env')).toBe(`RESEND_API_KEY=${key}\n`);
    expect(read(dir, '.env.example')).toBe('RESEND_API_KEY=\n');
    expect(read(dir, '.gitignore')).toBe('.env\n');
    expect(fixed.stdout).toMatch(/python-dotenv/);
    expect(runCli(['scan'], { cwd: dir }).code).toBe(0);
  });

  it('Ruby, Go, shell and a generic secret: each language\'s reference, names from the assignment', () => {
    const [k1, k2, k3] = [resendKey(203), resendKey(204), resendKey(205)];
    const token = generate('{{alnum 32}}', 206);
    const dir = tempGitRepo({
      '.gitignore': 'node_modules/\n',
      'mailer.rb': `Resend.api_key = '${k1}'\n`,
      'main.go': `package main\n\nimport (\n\t"fmt"\n)\n\nfunc main() {\n\tkey := "${k2}"\n\tfmt.Println(key)\n}\n`,
      'deploy.sh': `#!/bin/sh\nexport RESEND_API_KEY=${k3}\n`,
      'client.ts': `export const apiToken = '${token}';\n`,
    });
    const fixed = runCli(['fix', '--write'], { cwd: dir });
    expect(fixed.code).toBe(0);
    expect(read(dir, 'mailer.rb')).toBe('Resend.api_key = ENV["RESEND_API_KEY_2"]\n');
    expect(read(dir, 'main.go')).toBe('package main\n\nimport (\n\t"os"\n\t"fmt"\n)\n\nfunc main() {\n\tkey := os.Getenv("RESEND_API_KEY_3")\n\tfmt.Println(key)\n}\n');
    expect(read(dir, 'deploy.sh')).toBe('#!/bin/sh\nexport RESEND_API_KEY="$RESEND_API_KEY"\n');
    expect(read(dir, 'client.ts')).toBe('export const apiToken = process.env.API_TOKEN;\n');
    // Names are given in path order (client.ts, deploy.sh, mailer.rb, main.go); a taken name gets _2, _3.
    expect(read(dir, '.env')).toBe(`API_TOKEN=${token}\nRESEND_API_KEY=${k3}\nRESEND_API_KEY_2=${k1}\nRESEND_API_KEY_3=${k2}\n`);
    expect(read(dir, '.gitignore')).toBe('node_modules/\n.env\n');
    expect(runCli(['scan'], { cwd: dir }).code).toBe(0);
  });

  it('leaves config files and partial strings for a person, says why, and exits 1', () => {
    const [k1, k2] = [resendKey(207), resendKey(208)];
    const config = `mail:\n  resend_key: ${k1}\n`;
    const source = `const url = "https://example.test/hook?key=${k2}";\n`;
    const dir = tempGitRepo({ 'config.yaml': config, 'hook.js': source });
    const r = runCli(['fix', '--write'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Needs a manual fix\n {2}config\.yaml:2:15 {2}resend-api-key {2}config files have no environment syntax/);
    expect(r.stdout).toMatch(/hook\.js:1:\d+ {2}resend-api-key {2}it is part of a longer string/);
    expect(r.stdout).toMatch(/Fixed 0 findings; 2 findings need a manual fix\./);
    expect(r.stdout).toMatch(/rotate these keys/);
    expect(read(dir, 'config.yaml')).toBe(config);
    expect(read(dir, 'hook.js')).toBe(source);
    expect(existsSync(join(dir, '.env'))).toBe(false);
  });

  it('a committed key: untracks a committed .env and points to leakproof history', () => {
    const [k1, k2] = [resendKey(209), resendKey(210)];
    const dir = tempGitRepo({ 'app.js': `new Resend('${k1}');\n`, '.env': `OTHER_KEY=${k2}\n` });
    git(dir, 'add', 'app.js', '.env');
    git(dir, 'commit', '-qm', 'first');
    const dry = runCli(['fix'], { cwd: dir });
    expect(dry.stdout).toContain('would run: git rm --cached -- .env');
    expect(dry.stdout).not.toContain(k2);
    // Existing .env values are redacted in the diff context too.
    expect(dry.stdout).toContain(` OTHER_KEY=${k2.slice(0, 5)}…(36 chars)`);
    const r = runCli(['fix', '--write'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/app\.js: a key in it was committed to git[\s\S]*leakproof history/);
    expect(r.stdout).toMatch(/\.env: this file was committed to git/);
    expect(git(dir, 'ls-files')).toBe('app.js\n');
    expect(read(dir, '.env')).toBe(`OTHER_KEY=${k2}\nRESEND_API_KEY=${k1}\n`);
    expect(runCli(['scan'], { cwd: dir }).code).toBe(0);
  });

  it('shows secrets in the diff only with --show-secrets', () => {
    const key = resendKey(211);
    const dir = tempGitRepo({ 'a.js': `new Resend('${key}');\n` });
    expect(runCli(['fix', '--show-secrets'], { cwd: dir }).stdout).toContain(`+RESEND_API_KEY=${key}`);
  });

  it('outside git: still writes .env and .gitignore, and says git was not there', () => {
    const key = resendKey(212);
    const dir = tempDir();
    writeFiles(dir, { 'a.js': `new Resend('${key}');\n` });
    const r = runCli(['fix', '--write'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Not inside a git work tree/);
    expect(read(dir, '.gitignore')).toBe('.env\n');
    expect(read(dir, '.env')).toBe(`RESEND_API_KEY=${key}\n`);
    expect(statSync(join(dir, '.env')).mode & 0o077).toBe(0);
  });

  it('keeps CRLF line endings', () => {
    const key = resendKey(213);
    const dir = tempGitRepo({ 'a.js': `// mail\r\nconst r = new Resend("${key}");\r\n` });
    expect(runCli(['fix', '--write'], { cwd: dir }).code).toBe(0);
    expect(read(dir, 'a.js')).toBe('// mail\r\nconst r = new Resend(process.env.RESEND_API_KEY);\r\n');
  });

  it('refuses to replace a symlinked .env, but only when it has to write it', () => {
    const key = resendKey(214);
    const dir = tempGitRepo({ 'shared.env': 'PORT=1\n', '.gitignore': '.env\n', 'config.yaml': `key: ${key}\n` });
    symlinkSync('shared.env', join(dir, '.env'));
    const manualOnly = runCli(['fix', '--write'], { cwd: dir });
    expect(manualOnly.stderr).toBe('');
    expect(manualOnly.code).toBe(1);

    writeFiles(dir, { 'a.js': `new Resend('${key}');\n` });
    const before = snapshot(dir);
    const r = runCli(['fix', '--write'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/\.env: it is a symlink; leakproof fix needs to append to it/);
    expect(r.stderr + r.stdout).not.toContain(key);
    expect(snapshot(dir)).toEqual(before);
  });

  it('gives one-line errors with exit 2 for bad input', () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [['fix', 'does-not-exist'], /path does not exist: does-not-exist/],
      [['fix', '--max-file-size', 'huge'], /--max-file-size huge/],
      [['fix', '--nope'], /unknown option '--nope'/],
      [['fix', '--config', 'missing.yaml'], /config file missing.yaml does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
