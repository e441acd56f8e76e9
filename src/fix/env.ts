/**
 * `.env` files as `leakproof fix` reads and writes them, and environment variable names. Existing
 * lines are never changed: fix only appends, so a different value already there is never lost.
 */
import { redact } from '../findings/finding.js';
import { stripEol } from './lines.js';

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/;

/** Name → value, as dotenv reads it: quotes removed, `# comments` after unquoted values dropped; later lines win. */
export function parseDotenv(lines: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of lines) {
    const m = ASSIGNMENT.exec(stripEol(line));
    if (!m) continue;
    const raw = m[2];
    const quoted = /^(["'`])(.*)\1\s*(?:#.*)?$/.exec(raw);
    values.set(m[1], quoted ? quoted[2] : raw.replace(/\s+#.*$/, '').trim());
  }
  return values;
}

/**
 * The `.env` line for a value, quoted only when needed; undefined when dotenv could not read the
 * value back unchanged (both quote kinds in it, or a newline).
 */
export function dotenvLine(name: string, value: string): string | undefined {
  if (/[\r\n]/.test(value)) return undefined;
  if (/^[\w.\-/+=:@~%,]+$/.test(value)) return `${name}=${value}`;
  // Single quotes: dotenv takes the text literally (no escapes, no $ expansion).
  if (!value.includes("'")) return `${name}='${value}'`;
  if (!/["\\$`]/.test(value)) return `${name}="${value}"`;
  return undefined;
}

/** A `.env` line fit to print: the value redacted (also in commented-out assignments). */
export function maskDotenvLine(line: string): string {
  const m = /^(\s*#?\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*)(\S.*)$/.exec(line);
  if (!m) return line;
  const value = /^(["'`])(.*)\1$/.exec(m[2].trim())?.[2] ?? m[2].trim();
  return value.length === 0 ? line : m[1] + redact(value);
}

/** `apiKey` → `API_KEY`, `client-secret` → `CLIENT_SECRET`, `APIToken` → `API_TOKEN`. */
export function screamingSnake(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[0-9]/.test(snake) ? `_${snake}` : snake;
}

/**
 * The name a value is assigned to, from the code just before it: `const apiKey = `, `api_key=`,
 * `"client_secret": `, `config.auth_token = `, `:secret_key => ` (the last member of a dotted name).
 */
export function assignedName(before: string): string | undefined {
  const m = /([A-Za-z_$@][\w$@.-]*)["'\]]?\s*(?::=|=>|=|:)\s*$/.exec(before);
  if (!m) return undefined;
  const name = screamingSnake(m[1].split('.').pop()!.replace(/^[$@]+/, ''));
  return /[A-Z]/.test(name) ? name : undefined;
}
