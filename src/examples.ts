/**
 * Example generator for rule files. Positive examples are written with generator tokens
 * (`re_{{alnum 8}}_{{alnum 24}}`), expanded at test time with a seeded generator, so the repo holds
 * no key-shaped literal and still scans clean, while every run tests the same values.
 *
 * Tokens: {{alnum N}} {{lower N}} {{upper N}} {{digits N}} {{hex N}} {{HEX N}} {{lowernum N}}
 * {{uppernum N}} {{base64 N}} {{base64url N}} {{base58 N}} {{chars "SET" N}} {{github "ghp_"}}
 * {{pem "RSA PRIVATE KEY"}} {{jwt}} {{crc32b62 "text"}}.
 */
import { crc32, toBase62 } from './detector/secret-checks.js';

const SETS: Record<string, string> = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  lowernum: 'abcdefghijklmnopqrstuvwxyz0123456789',
  uppernum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  base58: '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz',
};

/** mulberry32: small, fast, good enough for test data (the bench plants its secrets with it too). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(random: () => number, set: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += set[Math.floor(random() * set.length)];
  return out;
}

/** Random text that also passes the generic randomness test: all of upper, lower and digit. */
function mixed(random: () => number, set: string, n: number): string {
  for (;;) {
    const s = pick(random, set, n);
    const need = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(set));
    if (n < need.length * 2 || need.every((re) => re.test(s))) return s;
  }
}

const TOKEN = /\{\{\s*(\w+)((?:\s+(?:"[^"]*"|\d+))*)\s*\}\}/g;

/** Expands the generator tokens in `template`; the same template and seed always give the same text. */
export function expandExample(template: string, seed = 0): string {
  const random = seeded(crc32(template) ^ seed);
  return template.replace(TOKEN, (whole, name: string, argText: string) => {
    const args = [...argText.matchAll(/"([^"]*)"|(\d+)/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
    if (name in SETS) return mixed(random, SETS[name], Number(args[0] ?? 32));
    switch (name) {
      case 'chars':
        return pick(random, String(args[0]), Number(args[1] ?? 32));
      case 'github': {
        const body = mixed(random, SETS.alnum, 30);
        return `${String(args[0] ?? 'ghp_')}${body}${toBase62(crc32(body), 6)}`;
      }
      case 'crc32b62':
        return toBase62(crc32(String(args[0])), 6);
      case 'pem': {
        const label = String(args[0] ?? 'RSA PRIVATE KEY');
        const lines = Array.from({ length: 8 }, () => mixed(random, SETS.base64, 64));
        return `-----BEGIN ${label}-----\n${lines.join('\n')}\n${mixed(random, SETS.base64, 20)}==\n-----END ${label}-----`;
      }
      case 'jwt': {
        const b64 = (s: string) => Buffer.from(s).toString('base64url');
        const header = b64('{"alg":"HS256","typ":"JWT"}');
        const payload = b64(`{"sub":"${pick(random, SETS.digits, 10)}","name":"${pick(random, SETS.lower, 8)}","iat":${1700000000 + Math.floor(random() * 1e7)}}`);
        return `${header}.${payload}.${mixed(random, SETS.base64url, 43)}`;
      }
      default:
        throw new Error(`unknown example generator {{${name}}} in: ${whole}`);
    }
  });
}
