/**
 * planFix + applyFix in process, on real temp repos: what happens when files change between
 * planning and writing, how names avoid collisions, and that writes keep bytes, modes and
 * line endings and leave no temp files.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFix, FixError, planFix } from '../../src/fix/index.js';
import { generate, git, resendKey, tempDir, tempGitRepo } from '../helpers/index.js';

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8');

describe('planFix / applyFix', () => {
  it('leaves a file edited between plan and write untouched, and fixes the others', async () => {
    const [a, b] = [resendKey(101), generate('{{alnum 32}}', 102)];
    const dir = tempGitRepo({ 'a.js': `const r = new Resend('${a}');\n`, 'b.js': `const apiKey = '${b}';\n` });
    const plan = await planFix({ cwd: dir });
    expect(plan.sources.map((s) => s.change.file.path)).toEqual(['a.js', 'b.js']);
    const edited = `// edited by hand\nconst r = new Resend('${a}');\n`;
    writeFileSync(join(dir, 'a.js'), edited);

    const result = await applyFix(plan);
    expect(read(dir, 'a.js')).toBe(edited);
    expect(result.changed.map((c) => c.path)).toEqual(['a.js']);
    expect(read(dir, 'b.js')).toBe('const apiKey = process.env.API_KEY;\n');
    // .env gets only the names of what was fixed.
    expect(read(dir, '.env')).toBe(`API_KEY=${b}\n`);
    expect(read(dir, '.env.example')).toBe('API_KEY=\n');
  });

  it('writes nothing when .env changed while fixing', async () => {
    const key = resendKey(103);
    const source = `const r = new Resend('${key}');\n`;
    const dir = tempGitRepo({ 'a.js': source, '.gitignore': '.env\n' });
    const plan = await planFix({ cwd: dir });
    writeFileSync(join(dir, '.env'), 'PORT=3000\n');
    await expect(applyFix(plan)).rejects.toThrow(FixError);
    await expect(applyFix(plan)).rejects.toThrow(/\.env changed while leakproof fix was running; nothing was written/);
    expect(read(dir, 'a.js')).toBe(source);
    expect(read(dir, '.env')).toBe('PORT=3000\n');
  });

  it('reuses a name that already holds the value, and suffixes a name that holds another', async () => {
    const [same, other, fresh] = [resendKey(104), resendKey(105), resendKey(106)];
    const dir = tempGitRepo({
      '.gitignore': '.env\n',
      '.env': `MAIL_KEY=${same}\nRESEND_API_KEY=${other}`, // no final newline
      'a.js': `const one = new Resend('${same}');\nconst two = new Resend('${fresh}');\nconst three = new Resend('${fresh}');\n`,
    });
    const result = await applyFix(await planFix({ cwd: dir }));
    expect(result.changed).toEqual([]);
    expect(read(dir, 'a.js')).toBe(
      'const one = new Resend(process.env.MAIL_KEY);\nconst two = new Resend(process.env.RESEND_API_KEY_2);\nconst three = new Resend(process.env.RESEND_API_KEY_2);\n',
    );
    // Existing lines are kept as they were; new ones are appended once.
    expect(read(dir, '.env')).toBe(`MAIL_KEY=${same}\nRESEND_API_KEY=${other}\nRESEND_API_KEY_2=${fresh}\n`);
    expect(read(dir, '.env.example')).toBe('MAIL_KEY=\nRESEND_API_KEY_2=\n');
  });

  it('keeps CRLF, a byte order mark and the file mode; creates .env owner-only; leaves no temp files', async () => {
    const key = resendKey(107);
    const dir = tempGitRepo({ 'mail.py': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`import resend\r\nresend.api_key = "${key}"\r\n`)]) });
    const before = statSync(join(dir, 'mail.py')).mode;
    await applyFix(await planFix({ cwd: dir }));
    const bytes = readFileSync(join(dir, 'mail.py'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('import os\r\nimport resend\r\nresend.api_key = os.environ["RESEND_API_KEY"]\r\n');
    expect(statSync(join(dir, 'mail.py')).mode).toBe(before);
    expect(statSync(join(dir, '.env')).mode & 0o077).toBe(0);
    expect(readdirSync(dir).filter((n) => n.includes('leakproof'))).toEqual([]);
  });

  it('untracks a committed .env (the file stays) and reports it as committed', async () => {
    const key = resendKey(108);
    const dir = tempGitRepo({ '.env': `RESEND_API_KEY=${key}\n`, 'app.js': 'console.log(1);\n' });
    git(dir, 'add', '.env', 'app.js');
    git(dir, 'commit', '-qm', 'oops');
    const plan = await planFix({ cwd: dir });
    expect(plan.support.untrack).toEqual(['.env']);
    expect(plan.committed).toEqual(['.env']);
    await applyFix(plan);
    expect(git(dir, 'ls-files')).toBe('app.js\n');
    expect(read(dir, '.env')).toBe(`RESEND_API_KEY=${key}\n`);
    expect(git(dir, 'check-ignore', '.env')).toBe('.env\n');
  });

  it('outside git: writes .env and .gitignore, judging .gitignore by its lines', async () => {
    const key = resendKey(109);
    const dir = tempDir();
    writeFileSync(join(dir, 'a.js'), `new Resend('${key}');\n`);
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n.env\n');
    const plan = await planFix({ cwd: dir });
    expect(plan.isGit).toBe(false);
    expect(plan.support.gitignore).toBeUndefined();
    await applyFix(plan);
    expect(read(dir, '.env')).toBe(`RESEND_API_KEY=${key}\n`);
    expect(read(dir, '.gitignore')).toBe('node_modules\n.env\n');
  });
});
