/** Per-language rewriting rules and `.env` helpers, on real lines of code. */
import { describe, expect, it } from 'vitest';
import { assignedName, dotenvLine, maskDotenvLine, parseDotenv, screamingSnake } from '../../src/fix/env.js';
import { importEdit, languageOf, literalAround, type Language } from '../../src/fix/languages.js';
import { applyEdits, splitLines } from '../../src/fix/lines.js';
import { generate } from '../helpers/index.js';

const SECRET = generate('{{alnum 32}}', 1);

/** Where `SECRET` sits in `line`, and what literalAround says about it. */
function check(language: Language, line: string, lines: string[] = [line]) {
  const start = line.indexOf(SECRET);
  const index = lines.indexOf(line);
  const result = literalAround(language, lines.map((l) => `${l}\n`), index, start, start + SECRET.length);
  return result.ok ? line.slice(result.start, result.end) : result.reason;
}

describe('languageOf', () => {
  it('knows source languages and config formats', () => {
    expect(['a.ts', 'b.mjs', 'c.py', 'd.rb', 'e.go', 'f.sh', 'g.yaml', 'h.json', 'i.java', 'Makefile'].map(languageOf)).toEqual([
      'javascript', 'javascript', 'python', 'ruby', 'go', 'shell', 'config', 'config', undefined, undefined,
    ]);
  });
});

describe('literalAround', () => {
  it('takes a whole string literal with its quotes', () => {
    expect(check('javascript', `const k = '${SECRET}';`)).toBe(`'${SECRET}'`);
    expect(check('javascript', `new Resend("${SECRET}")`)).toBe(`"${SECRET}"`);
    expect(check('javascript', `const k = \`${SECRET}\`;`)).toBe(`\`${SECRET}\``);
    expect(check('python', `api_key = "${SECRET}"  # the key`)).toBe(`"${SECRET}"`);
    expect(check('ruby', `TOKEN = '${SECRET}'`)).toBe(`'${SECRET}'`);
    expect(check('go', `key := "${SECRET}"`)).toBe(`"${SECRET}"`);
    expect(check('shell', `export TOKEN='${SECRET}'`)).toBe(`'${SECRET}'`);
  });

  it('takes a bare shell word', () => {
    expect(check('shell', `export TOKEN=${SECRET}`)).toBe(SECRET);
    expect(check('shell', `curl --token ${SECRET} https://x.test`)).toBe(SECRET);
  });

  it('leaves what is not a whole literal, saying why', () => {
    expect(check('javascript', `const url = "https://x.test/?key=${SECRET}";`)).toMatch(/part of a longer string/);
    expect(check('javascript', `// const k = '${SECRET}';`)).toMatch(/comment/);
    expect(check('javascript', ` * old key: '${SECRET}'`)).toMatch(/comment/);
    expect(check('javascript', `const s = "a '${SECRET}' b";`)).toMatch(/longer string/);
    expect(check('python', `# api_key = "${SECRET}"`)).toMatch(/comment/);
    expect(check('python', `key = f"${SECRET}"`)).toMatch(/prefixed/);
    expect(check('python', `key = """${SECRET}"""`)).toMatch(/triple-quoted/);
    expect(check('shell', `curl -H "Authorization: Bearer ${SECRET}"`)).toMatch(/part of a longer string/);
    expect(check('javascript', `const k = prefix + ${SECRET};`)).toMatch(/not a whole string literal/);
    expect(check('go', `const key = "${SECRET}"`)).toMatch(/Go constant/);
    const block = ['const (', `\tkey = "${SECRET}"`, ')'];
    expect(check('go', block[1], block)).toMatch(/Go constant/);
  });
});

describe('importEdit', () => {
  const withImport = (language: Language, text: string): string => {
    const lines = splitLines(text);
    const edit = importEdit(language, lines);
    return edit ? applyEdits(lines, [edit]).join('') : text;
  };

  it('adds `import os` to Python before the first import, after __future__ and docstrings', () => {
    expect(withImport('python', 'import resend\nx = 1\n')).toBe('import os\nimport resend\nx = 1\n');
    expect(withImport('python', '"""Doc."""\nfrom __future__ import annotations\nimport sys\n')).toBe('"""Doc."""\nfrom __future__ import annotations\nimport os\nimport sys\n');
    expect(withImport('python', '#!/usr/bin/env python\n"""Long\ndoc.\n"""\nx = 1\n')).toBe('#!/usr/bin/env python\n"""Long\ndoc.\n"""\nimport os\nx = 1\n');
    expect(withImport('python', 'x = 1\n')).toBe('import os\nx = 1\n');
  });

  it('does not add it twice, but does when os is only aliased or partly imported', () => {
    for (const text of ['import os\n', 'import sys, os\n', 'import os.path\n']) expect(withImport('python', text)).toBe(text);
    expect(withImport('python', 'import os as o\n')).toBe('import os\nimport os as o\n');
    expect(withImport('python', 'from os import environ\n')).toBe('import os\nfrom os import environ\n');
    expect(withImport('python', 'import osmosis\n')).toBe('import os\nimport osmosis\n');
  });

  it('adds "os" to a Go import block, next to a single import, or after the package line', () => {
    expect(withImport('go', 'package main\n\nimport (\n\t"fmt"\n)\n')).toBe('package main\n\nimport (\n\t"os"\n\t"fmt"\n)\n');
    expect(withImport('go', 'package main\n\nimport "fmt"\n')).toBe('package main\n\nimport "fmt"\nimport "os"\n');
    expect(withImport('go', 'package main\n\nfunc main() {}\n')).toBe('package main\n\nimport "os"\n\nfunc main() {}\n');
    expect(withImport('go', 'package main\n\nimport (\n\t"os"\n)\n')).toBe('package main\n\nimport (\n\t"os"\n)\n');
  });
});

describe('.env helpers', () => {
  it('reads values as dotenv does', () => {
    const values = parseDotenv(splitLines('# c\nA=1\nexport B="two words"\nC=\'x#y\'\nD=plain # comment\nA=again\n'));
    expect(Object.fromEntries(values)).toEqual({ A: 'again', B: 'two words', C: 'x#y', D: 'plain' });
  });

  it('quotes only when needed and refuses what dotenv could not read back', () => {
    expect(dotenvLine('K', SECRET)).toBe(`K=${SECRET}`);
    expect(dotenvLine('K', 'a#b c')).toBe("K='a#b c'");
    expect(dotenvLine('K', "it's")).toBe('K="it\'s"');
    expect(dotenvLine('K', `a'b"c`)).toBeUndefined();
    for (const value of [SECRET, 'a#b c', "it's"]) expect(parseDotenv([`${dotenvLine('K', value)}\n`]).get('K')).toBe(value);
  });

  it('masks values, also commented-out ones', () => {
    expect(maskDotenvLine(`KEY=${SECRET}`)).toBe(`KEY=${SECRET.slice(0, 5)}…(32 chars)`);
    expect(maskDotenvLine(`# KEY="${SECRET}"`)).toBe(`# KEY="${SECRET.slice(0, 5)}…(32 chars)`.replace('"', ''));
    expect(maskDotenvLine('EMPTY=')).toBe('EMPTY=');
  });

  it('names variables in SCREAMING_SNAKE_CASE from the assignment', () => {
    expect(['apiKey', 'APIToken', 'client-secret', 'auth_token', '2fa'].map(screamingSnake)).toEqual(['API_KEY', 'API_TOKEN', 'CLIENT_SECRET', 'AUTH_TOKEN', '_2FA']);
    const cases: [string, string | undefined][] = [
      ['const apiKey = ', 'API_KEY'],
      ['config.auth_token = ', 'AUTH_TOKEN'],
      ['  "client_secret": ', 'CLIENT_SECRET'],
      ['Client(api_key=', 'API_KEY'],
      [':secret_key => ', 'SECRET_KEY'],
      ['$password = ', 'PASSWORD'],
      ['call(', undefined],
    ];
    for (const [before, name] of cases) expect(assignedName(before), before).toBe(name);
  });
});
