/**
 * Per-language rewriting: where a secret is a whole string literal, the literal (quotes included)
 * becomes an environment reference. Anything less certain (part of a longer string, a comment, an
 * escape sequence, a constant that must stay constant) is left for a person, with the reason.
 */
import { extname } from 'node:path';
import { eolOf, stripEol, type LineEdit } from './lines.js';

export type Language = 'javascript' | 'python' | 'ruby' | 'go' | 'shell';

const EXTENSIONS: Record<string, Language> = {
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.ts': 'javascript', '.mts': 'javascript', '.cts': 'javascript', '.tsx': 'javascript',
  '.py': 'python',
  '.rb': 'ruby', '.rake': 'ruby',
  '.go': 'go',
  '.sh': 'shell', '.bash': 'shell', '.zsh': 'shell',
};

/** Config formats have no environment syntax of their own: no safe generic rewrite. */
const CONFIG_EXTENSIONS = new Set(['.json', '.jsonc', '.yaml', '.yml', '.toml', '.ini', '.cfg', '.conf', '.properties', '.xml', '.tf', '.tfvars', '.plist']);

export function languageOf(path: string): Language | 'config' | undefined {
  const ext = extname(path).toLowerCase();
  if (EXTENSIONS[ext]) return EXTENSIONS[ext];
  if (CONFIG_EXTENSIONS.has(ext)) return 'config';
  return undefined;
}

/** How each language reads an environment variable. */
export const ENV_REFERENCE: Record<Language, (name: string) => string> = {
  javascript: (name) => `process.env.${name}`,
  python: (name) => `os.environ["${name}"]`,
  ruby: (name) => `ENV["${name}"]`,
  go: (name) => `os.Getenv("${name}")`,
  shell: (name) => `"$${name}"`,
};

/** How to get `.env` into the environment at start-up, per language. */
export const LOAD_HINT: Record<Language, string> = {
  javascript: 'Node.js: `node --env-file=.env app.js` (Node 20.6+) or `import "dotenv/config"`',
  python: 'Python: `from dotenv import load_dotenv; load_dotenv()` (python-dotenv)',
  ruby: 'Ruby: `require "dotenv/load"` (dotenv gem)',
  go: 'Go: `godotenv.Load()` (github.com/joho/godotenv)',
  shell: 'shell: `set -a; . ./.env; set +a` before the script runs',
};

/** Quote characters that delimit strings when reading a line, and those whose literals fix may replace. */
const QUOTES: Record<Language, { scan: string; replace: string }> = {
  javascript: { scan: `'"\``, replace: `'"\`` },
  python: { scan: `'"`, replace: `'"` },
  ruby: { scan: `'"`, replace: `'"` },
  go: { scan: `'"\``, replace: `"\`` },
  shell: { scan: `'"`, replace: `'"` },
};
const SLASH_COMMENTS = new Set<Language>(['javascript', 'go']);

/** Whether the end of `text` (the code before a literal) is inside a comment or a string. */
function stateAtEnd(language: Language, text: string): 'code' | 'comment' | 'string' {
  if (SLASH_COMMENTS.has(language) && /^\s*\*/.test(text)) return 'comment'; // inside a /* … */ block
  let quote: string | undefined;
  let blockComment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (blockComment) {
      if (c === '*' && text[i + 1] === '/') {
        blockComment = false;
        i++;
      }
    } else if (quote !== undefined) {
      if (c === '\\' && !(language === 'shell' && quote === "'")) i++;
      else if (c === quote) quote = undefined;
    } else if (QUOTES[language].scan.includes(c)) {
      quote = c;
    } else if (SLASH_COMMENTS.has(language)) {
      if (c === '/' && text[i + 1] === '/') return 'comment';
      if (c === '/' && text[i + 1] === '*') {
        blockComment = true;
        i++;
      }
    } else if (c === '#' && (language !== 'shell' || i === 0 || /\s/.test(text[i - 1]))) {
      return 'comment';
    }
  }
  return blockComment ? 'comment' : quote !== undefined ? 'string' : 'code';
}

/** Whether `lines[index]` is in a Go `const` declaration, where a function call is not allowed. */
function inGoConst(lines: readonly string[], index: number): boolean {
  if (/^\s*const\b/.test(lines[index])) return true;
  for (let i = index - 1; i >= 0; i--) {
    const line = lines[i];
    if (/^\s*const\s*\(/.test(line)) return true;
    if (/^\s*\)/.test(line) || /^(func|var|type|import|package)\b/.test(line)) return false;
  }
  return false;
}

export type LiteralResult = { ok: true; start: number; end: number } | { ok: false; reason: string };

/**
 * The span to replace for a secret at [start, end) of line `index`: the whole string literal with
 * its quotes (or, in shell, a bare word). Otherwise why not.
 */
export function literalAround(language: Language, lines: readonly string[], index: number, start: number, end: number): LiteralResult {
  const line = stripEol(lines[index]);
  const secret = line.slice(start, end);
  const no = (reason: string): LiteralResult => ({ ok: false, reason });
  if (secret.includes('\\')) return no('the value holds an escape sequence');
  const before = line.slice(0, Math.max(0, start - 1));
  const open = line[start - 1];
  const quoted = open !== undefined && QUOTES[language].replace.includes(open) && line[end] === open;
  const state = stateAtEnd(language, quoted ? before : line.slice(0, start));
  if (state === 'comment') return no('it is in a comment');
  if (state === 'string') return no('it is part of a longer string');
  if (quoted) {
    if (secret.includes(open)) return no('it is part of a longer string');
    if (line[start - 2] === open || line[end + 1] === open) return no('it is in a triple-quoted or adjacent string');
    if (/[\w$]/.test(line[start - 2] ?? '')) return no('it is a prefixed or tagged string literal');
    if (open === '`' && language === 'javascript' && secret.includes('${')) return no('it is a template literal with placeholders');
    if (open === '"' && language === 'ruby' && secret.includes('#{')) return no('it is an interpolated string');
    if (open === '"' && language === 'shell' && /[$`]/.test(secret)) return no('it is an expanded shell string');
    if (language === 'go' && inGoConst(lines, index)) return no('it is a Go constant (os.Getenv is not a constant expression)');
    return { ok: true, start: start - 1, end: end + 1 };
  }
  // A bare shell word: `TOKEN=value`, `--token value`.
  if (language === 'shell' && /(^|[=\s])$/.test(line.slice(0, start)) && /^($|[\s;&|])/.test(line.slice(end))) {
    if (/[$`'"]/.test(secret)) return no('it is an expanded shell word');
    return { ok: true, start, end };
  }
  return no('it is not a whole string literal (part of a longer string, a URL or an expression)');
}

/** `import os` for Python and `"os"` for Go, when a rewrite needs it and the file lacks it. */
export function importEdit(language: Language, lines: readonly string[]): LineEdit | undefined {
  const eol = eolOf(lines);
  const text = lines.map(stripEol);
  if (language === 'python') {
    // `import os`, `import os.path`, `import sys, os` bind `os`; `import os as o` and `from os import x` do not.
    if (text.some((l) => /^import\s+(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*os(?:\.[\w.]+)?\s*(?:,|#|$)/.test(l))) return undefined;
    return { start: pythonImportLine(text), remove: 0, insert: [`import os${eol}`] };
  }
  if (language === 'go') {
    if (text.some((l) => /^\s*(?:import\s+)?"os"\s*(?:\/\/.*)?$/.test(l))) return undefined;
    const block = text.findIndex((l) => /^import\s*\(\s*$/.test(l));
    if (block !== -1) return { start: block + 1, remove: 0, insert: [`\t"os"${eol}`] };
    const single = text.findIndex((l) => /^import\s+/.test(l));
    if (single !== -1) return { start: single + 1, remove: 0, insert: [`import "os"${eol}`] };
    const pkg = text.findIndex((l) => /^package\s+/.test(l));
    return { start: pkg + 1, remove: 0, insert: [eol, `import "os"${eol}`] };
  }
  return undefined;
}

/** Before the first import (after `from __future__` ones); with no imports, after the header comments and docstring. */
function pythonImportLine(text: readonly string[]): number {
  const future = text.reduce((last, l, i) => (/^from\s+__future__\s+import\b/.test(l) ? i : last), -1);
  const first = text.findIndex((l, i) => i > future && /^(?:import|from)\s+\S/.test(l));
  if (first !== -1) return first;
  if (future !== -1) return future + 1;
  let i = 0;
  while (i < text.length && /^\s*(#.*)?$/.test(text[i])) i++;
  const docstring = /^[rRuU]?("""|''')/.exec(text[i] ?? '');
  if (docstring) {
    const rest = text[i].slice(docstring[0].length);
    if (!rest.includes(docstring[1])) {
      i++;
      while (i < text.length && !text[i].includes(docstring[1])) i++;
    }
    return Math.min(i + 1, text.length);
  }
  return i;
}

