/**
 * Checks a candidate secret must pass before it becomes a finding. Rules name the checks they
 * want (`checks: [generic-value]`); the placeholder check applies to every declarative rule.
 * This is where precision is won: each check names the false positive it exists for.
 */
import { shannonEntropy } from './entropy.js';

export interface CheckInput {
  secret: string;
  /** Named capture groups of the match (e.g. `name` for the assigned variable). */
  groups: Record<string, string | undefined>;
  /** Up to 100 characters of text just before the match (rules anchored mid-name rebuild the name from it). */
  before: string;
  /** The fragment's path: whether a file is code or config changes what a value can be. */
  path: string;
}
/** Returns true when the candidate is kept. */
export type SecretCheck = (input: CheckInput) => boolean;

const PLACEHOLDER_MARKERS = [
  'example', 'placeholder', 'xxxx', 'your_', 'your-', 'yourkey', 'yourtoken', 'yoursecret', 'yourpass',
  'dummy', 'sample', 'changeme', 'change_me', 'change-me', 'changethis', 'redacted', 'replace_me', 'replaceme',
  'insert_', 'insert-', 'todo', 'fixme', '${', '{{', '}}', '<', '>', '%s', '%(', '...', '***', '•',
  '_here', '-here', 'notreal', 'not_real', 'not-real', 'fake_', 'fake-', 'lorem', 'ipsum',
];
const SEQUENCES = ['0123456789', '123456789', 'abcdefghij', 'abcdefgh', 'qwertyuiop', 'asdfghjkl'];
/** Any marker or sequence: one regex of the literals is ~4× faster than one `includes` each, on every candidate. */
const PLACEHOLDER_TEXT = new RegExp([...PLACEHOLDER_MARKERS, ...SEQUENCES].map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

/** Documentation placeholders: `re_xxxxxxxxx`, `<your-key>`, `${TOKEN}`, `12345678…`, `aaaaaaaa`. */
export function isPlaceholder(secret: string): boolean {
  const lower = secret.toLowerCase();
  if (PLACEHOLDER_TEXT.test(lower)) return true;
  // A run of six or more identical characters that is a large part of the value (`sk_live_000000…`);
  // a long real token may carry fixed padding (X bearer tokens start with `AAAA…`).
  const run = /(.)\1{5,}/.exec(secret);
  if (run && (run[0].length >= secret.length / 4 || secret.length < 40)) return true;
  const distinct = new Set(lower).size;
  return distinct <= 3 && secret.length >= 6;
}

const HEX_NAME_HINT = /sha|commit|hash|checksum|digest|etag|revision|rev|integrity|fingerprint/i;

/** Words in a variable name that mean "this is not a secret" even next to `key`/`token`. */
const NON_SECRET_NAME_WORDS = new Set([
  'public', 'publishable', 'pub', 'primary', 'foreign', 'sort', 'partition', 'cache', 'idempotency', 'id', 'ids',
  'type', 'types', 'name', 'names', 'url', 'uri', 'path', 'file', 'filename', 'dir', 'length', 'len', 'size',
  'count', 'max', 'min', 'limit', 'expiry', 'expires', 'expiration', 'ttl', 'timeout', 'field', 'fields', 'header',
  'param', 'prefix', 'suffix', 'format', 'hint', 'label', 'placeholder', 'pattern', 'regex', 'policy', 'input',
  'mode', 'env', 'var', 'variable', 'location', 'endpoint', 'lifetime', 'validity', 'index', 'column', 'hash',
  'template', 'store', 'manager', 'provider', 'strategy', 'page', 'cursor', 'pagination', 'continuation', 'next', 'arn', 'hook', 'event', 'events', 'reset', 'confirm',
  'confirmation', 'error', 'errors', 'message', 'strength', 'rule', 'rules', 'required', 'enabled', 'disabled',
  'visible', 'visibility', 'toggle', 'show', 'hide', 'input', 'form', 'modal', 'dialog', 'link', 'route', 'schema',
  'generator', 'encoding', 'algorithm', 'alg', 'version', 'usage', 'scope', 'scopes', 'audience', 'issuer',
]);
const SECRET_NAME_WORDS = new Set([
  'secret', 'secrets', 'password', 'passwd', 'pwd', 'pass', 'passphrase', 'token', 'apikey', 'key', 'credential',
  'credentials', 'auth', 'bearer', 'privatekey', 'secretkey', 'accesskey', 'signingkey', 'masterkey', 'clientsecret',
]);

/** Splits `fooBarKey`, `FOO_BAR_KEY`, `foo-bar.key` into lowercase words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Is this variable name one a secret is assigned to? (`apiKey`, `DB_PASSWORD`; not `publicKey`, `keyboard`). */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  // A client key (Adyen `clientKey`, Stripe-style publishable keys) is made to ship to browsers.
  if (words.length >= 2 && words[words.length - 2] === 'client' && words[words.length - 1] === 'key') return false;
  if (words.some((w) => NON_SECRET_NAME_WORDS.has(w))) return false;
  if (words.some((w) => SECRET_NAME_WORDS.has(w))) return true;
  // Compound names (`dbpassword`, `githubtoken`) end in a secret word; `secretlint` does not.
  return /(?:apikey|secretkey|accesskey|privatekey|authkey|password|passwd|secret|token|credentials?)$/.test(words.join(''));
}

/** A small list of words that make up placeholder and identifier-like values. */
const COMMON_WORDS = new Set(
  (
    'the and for with from this that your you our api key keys secret secrets token tokens password passwords pass ' +
    'admin user users root default value values test testing tests prod production dev development staging local ' +
    'localhost config settings server client database mysql postgres redis mongo app application service my new ' +
    'old temp tmp demo example sample dummy fake mock foo bar baz qux hello world string text data info access ' +
    'auth login logout session cookie private public master main true false null none empty change changeme ' +
    'replace insert here there set get put post enter write read only none some any name host port http https ' +
    'web site page home project account email mail send sender note notes super strong weak simple secure ' +
    'insecure welcome letmein qwerty monkey dragon sunshine princess football baseball shadow trustno one two ' +
    'three four five six seven eight nine ten abc xyz live stage beta alpha release build deploy version ' +
    'internal external service default generated random unique valid invalid missing required optional'
  ).split(' '),
);

/** Fraction of the letters in `value` that belong to common words of 3+ letters. */
function wordCoverage(value: string): number {
  const runs = value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((r) => r.length > 0);
  let letters = 0;
  let covered = 0;
  for (const run of runs) {
    letters += run.length;
    // Greedy longest-match segmentation into known words.
    let i = 0;
    while (i < run.length) {
      let matched = 0;
      for (let len = Math.min(12, run.length - i); len >= 3; len--) {
        if (COMMON_WORDS.has(run.slice(i, i + len))) {
          matched = len;
          break;
        }
      }
      if (matched > 0) {
        covered += matched;
        i += matched;
      } else i++;
    }
  }
  return letters === 0 ? 0 : covered / letters;
}

function charClasses(value: string): number {
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes;
}

/** Base64 that decodes to plain words (`aGVsbG8gd29ybGQ=`) is text, not a key; `user:pass` is a credential. */
function isBase64OfPlainText(value: string): boolean {
  if (value.length < 12 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  if (decoded.includes(':')) return false;
  const plain = decoded.replace(/[A-Za-z ,.'!?-]/g, '');
  return plain.length <= decoded.length * 0.05 && / /.test(decoded);
}

const PROGRAM_SOURCE = /\.(?:[cm]?[jt]sx?|d\.[cm]?ts|py|rb|go|java|kts?|scala|groovy|cs|fs|php|rs|swift|c|cc|cpp|cxx|h|hh|hpp|m|mm|dart|lua|pl|pm|r|jl|ex|exs|erl|hs|ml|clj|cljs|vue|svelte|astro|map)$/i;

/** Program source (where unquoted values are expressions), as opposed to config, docs or shell. */
export function isProgramSource(path: string): boolean {
  return PROGRAM_SOURCE.test(path);
}

/**
 * Identifier-shaped text (`ArrowToken$1`, `NonExpressionParenKeyword`, `user_service`): its
 * letters fall into pronounceable word segments. Random tokens break into short, vowel-poor
 * pieces (`COAy9Segbm` → CO, Ay, Segbm).
 */
export function looksLikeIdentifier(value: string): boolean {
  if (!/^[A-Za-z0-9_$.-]+$/.test(value)) return false;
  if ((value.match(/[0-9]/g) ?? []).length > 3) return false;
  const segments = value.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g) ?? [];
  let letters = 0;
  let wordlike = 0;
  for (const segment of segments) {
    letters += segment.length;
    if (segment.length < 3) continue;
    const vowels = (segment.match(/[aeiouy]/gi) ?? []).length / segment.length;
    if (vowels >= 0.2 && vowels <= 0.7 && !/[bcdfghjklmnpqrstvwxz]{4,}/i.test(segment)) wordlike += segment.length;
  }
  return letters >= 4 && wordlike / letters >= 0.75;
}

/**
 * Values that are public or references by design, whatever the variable is called: publishable
 * and client-side keys (New Relic browser keys), Stripe client secrets (sent to the browser), Firebase/Google
 * browser keys (the provider rule decides those), contract addresses, cloud resource names, and
 * Windows DPAPI ciphertext (`AQAAANCMnd8B…`: encrypted to one machine, not a usable secret).
 */
const PUBLIC_OR_REFERENCE = /^(?:pk[._]|NRJS-|AQAAANCMnd8BFdERjHoAwE|pi_\w+_secret_|seti_\w+_secret_|rzp_(?:live|test)_|AIza|0x[0-9a-fA-F]{40}$|arn:|projects\/|sha\d+:|ssh-(?:rsa|ed25519) )/;

export type GenericVerdict = { random: true } | { random: false; reason: string };

/**
 * Does `value`, assigned to `name`, look like a real hard-coded secret? Stricter than entropy alone:
 * character-class mix, word coverage and the usual look-alikes (references, paths, URLs, hashes, ids).
 */
export function judgeGenericValue(value: string, name = ''): GenericVerdict {
  const no = (reason: string): GenericVerdict => ({ random: false, reason });
  if (value.length < 8) return no('too short');
  if (/\s/.test(value)) return no('contains whitespace');
  if (PUBLIC_OR_REFERENCE.test(value)) return no('public value or reference');
  // JSON-escaped text (`\n`, `\"`, `\/`) is prose inside a string, not a key.
  if (/\\[nrt"/]/.test(value)) return no('escaped text');
  if (isPlaceholder(value)) return no('placeholder');
  if (/^\$|\$\{|\$\(|%\(|\{\{|^%[A-Z_]+%$|^@|process\.env|import\.meta\.env|os\.environ|getenv|ENV\[|^env\(|System\.getenv/i.test(value))
    return no('variable reference');
  if (/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+(\(\))?$/.test(value)) return no('member expression');
  if (/[()]/.test(value) && /^[\w$.]+\(/.test(value)) return no('function call');
  if (/^[[({<?!"'`]|["'`\])}]$|[[({]/.test(value)) return no('code expression');
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(value)) return no('non-ASCII text');
  if (/^[\w@.-]+\/[\w@./-]+$/.test(value) && /[a-z]{2,}[-_/]|\.[a-z]{1,4}$/.test(value)) return no('path or package name');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return no('URL');
  if (/^(\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(value) || /^[\w.-]+(\/[\w.-]+){2,}\/?$/.test(value)) return no('file path');
  if (/^sha(1|256|384|512)-[A-Za-z0-9+/=]+$/.test(value)) return no('integrity hash');
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return no('UUID');
  if (/^[0-9a-f]+$/i.test(value) && HEX_NAME_HINT.test(name)) return no('hash value');
  if (/^[0-9a-f]{40}$/.test(value) && /commit|sha|rev/i.test(name)) return no('git SHA');
  if (/^[\d.:\-_/]+$/.test(value)) return no('numeric');
  if (/^[A-Za-z]+([_-][A-Za-z]+)*$/.test(value) && value.length < 24) return no('identifier');
  if (/^[a-z]{2,}(?:[A-Z][a-z]{2,})+[0-9]{0,2}$/.test(value) || /^(?:[A-Z][a-z]{2,}){2,}[0-9]{0,2}$/.test(value)) return no('camelCase identifier');
  if (/^[A-Z0-9]+(_[A-Z0-9]+)+$/.test(value) && !/\d{3}/.test(value)) return no('constant name');
  if (looksLikeIdentifier(value)) return no('identifier');
  if (/^[\w-]+\.(js|ts|json|ya?ml|txt|pem|key|crt|png|jpg|html|css|md|env|sh|py)$/i.test(value)) return no('file name');
  if (isBase64OfPlainText(value)) return no('base64 of plain text');
  const classes = charClasses(value);
  if (classes < 2) {
    // A single class (all lowercase letters, all digits, …) is random only if long and entropic.
    if (value.length < 20 || /^[a-z]+$/.test(value) || /^[A-Z]+$/.test(value)) return no('single character class');
  }
  const entropy = shannonEntropy(value);
  const floor = value.length >= 20 ? 3.5 : value.length >= 12 ? 3.0 : 2.6;
  if (entropy < floor) return no('low entropy');
  if (wordCoverage(value) > 0.5) return no('made of words');
  return { random: true };
}

/** GitHub tokens end in a base62 CRC32 of the rest of the token (a typo-detection checksum). */
export function githubChecksumValid(token: string): boolean {
  const m = /^(gh[pousr]_)([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(token);
  if (!m) return true; // fine-grained PATs (github_pat_) have no documented checksum
  return toBase62(crc32(m[2]), 6) === m[3];
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function toBase62(value: number, width: number): string {
  let out = '';
  let n = value >>> 0;
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, '0');
}

let crcTable: Int32Array | undefined;
export function crc32(text: string): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < text.length; i++) crc = crcTable[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Named checks a declarative rule may list under `checks:`. */
export const SECRET_CHECKS: Record<string, SecretCheck> = {
  'generic-value': ({ secret, groups, before, path }) => {
    const name = assignedName(groups, before);
    if (name && !isSecretName(name)) return false;
    // git's `signingkey` names a (public) GPG key id.
    if (/^signingkey$/i.test(name) && /^[0-9A-Fa-f]{8,40}$/.test(secret)) return false;
    // In program source an unquoted right-hand side is an expression (`key = obj[key]`), not a
    // literal; unquoted secrets are a config-file shape (.env, YAML, shell, properties).
    if (groups.bare !== undefined && isProgramSource(path)) return false;
    // Codecov- and CircleCI-style badge tokens in README links are read-only and public by design.
    const beforeName = before.slice(0, before.length - (name.length - (groups.word?.length ?? 0) - (groups.suffix?.length ?? 0)));
    if (/[?&]$/.test(beforeName) && /badge|codecov\.io|shields\.io|circleci\.com|\.svg\?/i.test(before)) return false;
    return judgeGenericValue(secret, name).random;
  },
  'github-checksum': ({ secret }) => githubChecksumValid(secret),
  'jwt-signed': ({ secret }) => isSignedJwt(secret),
  'credential-value': ({ secret }) => isCredentialValue(secret),
};

/** Passwords that documentation and tutorials put in URLs and command lines. */
const DOC_PASSWORDS = new Set([
  'password', 'passwd', 'pass', 'secret', 'changeme', 'admin', 'root', 'test', 'testing', 'example', 'pwd', 'mypassword',
  'yourpassword', 'user', 'guest', 'postgres', 'mysql', 'redis', 'rabbitmq', 'default', 'letmein', 'qwerty', 'p@ssw0rd',
  'password1', 'password123', 'secret123', 'admin123', 'hunter2', 'foobar', 'dbpass', 'dbpassword',
]);

/**
 * A password in a URL or on a command line: the place itself says "credential", so the value
 * need not look random; it must not be a placeholder, a variable or a documentation password.
 */
export function isCredentialValue(secret: string): boolean {
  if (secret.length < 6 || isPlaceholder(secret)) return false;
  if (DOC_PASSWORDS.has(secret.toLowerCase())) return false;
  // `API_SECRET`, `PASSWORD`: a constant name standing in for the value in documentation.
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]{6,}$/.test(secret)) return false;
  if (/^[$%{<*[(]|\$\{|\$\(|%[sd]|\{\{|\\/.test(secret)) return false;
  return new Set(secret).size >= 4;
}

/** A JWT whose header decodes to a JSON object naming a signing algorithm (not `none`) and that has a signature. */
export function isSignedJwt(token: string): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature || signature.length < 16) return false;
  try {
    const decoded = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof decoded === 'object' && decoded !== null && typeof decoded.alg === 'string' && decoded.alg.toLowerCase() !== 'none';
  } catch {
    return false;
  }
}

/** [A-Za-z0-9_$@.-] */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36 || c === 64 || c === 46 || c === 45;
}

/**
 * The assigned variable's full name for a match anchored on its secret word: the identifier
 * characters just before the match, then the word and the rest of the name (`DB_` + `PASSWORD`).
 */
export function assignedName(groups: Record<string, string | undefined>, before: string): string {
  if (groups.name !== undefined) return groups.name;
  if (groups.tag !== undefined) return groups.tag;
  if (groups.word === undefined) return '';
  // The run of name characters ([\w$@.-]) that ends `before`, found from the end: a regex
  // anchored at `$` would try every start position.
  let from = before.length;
  while (from > 0 && isNameChar(before.charCodeAt(from - 1))) from--;
  const head = before.slice(from);
  // Capped: names longer than this are generated code, and word splitting is not free.
  return `${head}${groups.word}${groups.suffix ?? ''}`.slice(-100);
}
