/**
 * The data behind `public-env-secret` and `server-key-in-client-code`: which env prefixes
 * frameworks inline into the browser bundle, which providers' keys are server-only, and which
 * values are publishable by design. Each table entry has an example that
 * test/builtin/browser-keys.test.ts runs, so a change to a table is a change to a test.
 */
import { anchoredRegex, forEachMatch } from '../detector/anchored-search.js';
import { isPlaceholder, nameWords } from '../detector/secret-checks.js';

export interface PublicPrefix {
  prefix: string;
  framework: string;
}

/** Variables with these prefixes are inlined into the JavaScript bundle that every visitor downloads. */
export const PUBLIC_ENV_PREFIXES: readonly PublicPrefix[] = [
  { prefix: 'NEXT_PUBLIC_', framework: 'Next.js' },
  { prefix: 'NUXT_PUBLIC_', framework: 'Nuxt' },
  { prefix: 'EXPO_PUBLIC_', framework: 'Expo' },
  { prefix: 'REACT_APP_', framework: 'Create React App' },
  { prefix: 'VITE_', framework: 'Vite' },
  { prefix: 'VUE_APP_', framework: 'Vue CLI' },
  { prefix: 'GATSBY_', framework: 'Gatsby' },
  { prefix: 'PUBLIC_', framework: 'SvelteKit and Astro' },
];

/**
 * A public-prefixed name: the prefix must start the identifier (`MY_VITE_X` is not public), and
 * the rest must be non-empty (a bare `'NEXT_PUBLIC_'` is code about the convention, not a variable).
 * Env names are short; the cap keeps a minified or generated 50 KB identifier from costing time.
 */
const PREFIXES = PUBLIC_ENV_PREFIXES.map((p) => p.prefix).join('|');
// The prefix first, then the check that it starts a name: a leading lookbehind would make V8 try every position.
// (`\\1`, not the alternation: `_PUBLIC_` ends `NEXT_PUBLIC_` and must not count as a second start.)
export const PUBLIC_NAME = new RegExp(`(${PREFIXES})(?<![A-Za-z0-9_]\\1)([A-Za-z0-9_]{1,100})(?![A-Za-z0-9_])`, 'g');

export function publicPrefixOf(name: string): PublicPrefix | undefined {
  return PUBLIC_ENV_PREFIXES.find((p) => name.startsWith(p.prefix) && name.length > p.prefix.length);
}

export interface ServerOnlyProvider {
  provider: string;
  /** Variable names that hold this provider's server key: each a list of words, in order. */
  names: readonly (readonly string[])[];
  /** The key itself, when its format is distinctive enough to recognise in any file. */
  key?: RegExp;
  /** Extra test on a `key` match (a JWT's role). */
  keyCheck?: (key: string) => boolean;
  /** Lowercase literals that every key contains (prefilter keywords). */
  keywords?: readonly string[];
  /**
   * Lowercase literals every key starts with: what `regexPrefixes` derives from `key` (a test
   * checks). The keyword pass records where they occur, and only there is `key` tried.
   */
  prefixes?: readonly string[];
  /** The rule file (`rules/<name>.yaml`) that owns the key format; its rules must find `example.key`. */
  rules?: string;
  /** One variable name and, with `key`, one key template (generator tokens), for the tests. */
  example: { name: string; key?: string };
}

/**
 * Providers whose keys must never reach a browser. The key formats copy the provider rules named
 * in `rules` (a test checks that those rules find each example key): here they only decide whether
 * a value in a public variable, a client file or a bundle is a server key, and the provider rule
 * still reports the key itself.
 */
export const SERVER_ONLY_PROVIDERS: readonly ServerOnlyProvider[] = [
  { provider: 'Resend', names: [['RESEND', 'KEY']], key: /re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}/, keywords: ['re_'], prefixes: ['re_'], rules: 'resend', example: { name: 'RESEND_API_KEY', key: 're_{{alnum 8}}_{{alnum 24}}' } },
  {
    provider: 'OpenAI',
    names: [['OPENAI', 'KEY']],
    key: /sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}/,
    keywords: ['t3blbkfj'],
    prefixes: ['sk-'],
    rules: 'openai',
    example: { name: 'OPENAI_API_KEY', key: 'sk-proj-{{base64url 74}}T3BlbkFJ{{base64url 74}}' },
  },
  {
    provider: 'Anthropic',
    names: [['ANTHROPIC', 'KEY'], ['CLAUDE', 'KEY']],
    key: /sk-ant-(?:api|admin)0\d-[A-Za-z0-9_-]{93}AA/,
    keywords: ['sk-ant-'],
    prefixes: ['sk-ant-admin0', 'sk-ant-api0'],
    rules: 'anthropic',
    example: { name: 'ANTHROPIC_API_KEY', key: 'sk-ant-api03-{{base64url 93}}AA' },
  },
  {
    provider: 'Stripe',
    names: [['STRIPE', 'SECRET'], ['STRIPE', 'RESTRICTED']],
    key: /[sr]k_(?:live|test)_[A-Za-z0-9]{24,247}/,
    keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    prefixes: ['rk_live_', 'rk_test_', 'sk_live_', 'sk_test_'],
    rules: 'stripe',
    example: { name: 'STRIPE_SECRET_KEY', key: 'sk_live_{{alnum 99}}' },
  },
  {
    provider: 'SendGrid',
    names: [['SENDGRID', 'KEY']],
    key: /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/,
    keywords: ['sg.'],
    prefixes: ['sg.'],
    rules: 'sendgrid',
    example: { name: 'SENDGRID_API_KEY', key: 'SG.{{base64url 22}}.{{base64url 43}}' },
  },
  {
    provider: 'Supabase',
    names: [['SUPABASE', 'SERVICE', 'ROLE'], ['SUPABASE', 'SECRET']],
    // The service_role JWT bypasses row-level security; `sb_secret_` is its newer form.
    key: /sb_secret_[A-Za-z0-9_-]{28,64}|eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{32,}/,
    keyCheck: (key) => key.startsWith('sb_secret_') || jwtRole(key) === 'service_role',
    keywords: ['sb_secret_', 'eyj'],
    prefixes: ['eyj', 'sb_secret_'],
    rules: 'supabase',
    example: { name: 'SUPABASE_SERVICE_ROLE_KEY', key: 'sb_secret_{{base64url 32}}' },
  },
  {
    provider: 'GitHub',
    names: [['GITHUB', 'TOKEN'], ['GH', 'TOKEN'], ['GITHUB', 'PAT']],
    key: /gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}/,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    prefixes: ['gho_', 'ghp_', 'ghr_', 'ghs_', 'ghu_', 'github_pat_'],
    rules: 'github',
    example: { name: 'GITHUB_TOKEN', key: '{{github "ghp_"}}' },
  },
  {
    provider: 'AWS',
    names: [['AWS', 'SECRET'], ['AWS', 'ACCESS', 'KEY']],
    key: /(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}/,
    keywords: ['akia', 'asia', 'abia', 'acca'],
    prefixes: ['abia', 'acca', 'akia', 'asia'],
    rules: 'aws',
    example: { name: 'AWS_SECRET_ACCESS_KEY', key: 'AKIA{{uppernum 16}}' },
  },
  {
    provider: 'Slack',
    names: [['SLACK', 'TOKEN'], ['SLACK', 'SECRET']],
    key: /xoxb-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{24}|xoxp-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[a-f0-9]{32}/,
    keywords: ['xoxb-', 'xoxp-'],
    prefixes: ['xoxb-', 'xoxp-'],
    rules: 'slack',
    example: { name: 'SLACK_BOT_TOKEN', key: 'xoxb-{{digits 12}}-{{digits 13}}-{{alnum 24}}' },
  },
  { provider: 'Groq', names: [['GROQ', 'KEY']], key: /gsk_[A-Za-z0-9]{52}/, keywords: ['gsk_'], prefixes: ['gsk_'], rules: 'groq', example: { name: 'GROQ_API_KEY', key: 'gsk_{{alnum 52}}' } },
  { provider: 'Replicate', names: [['REPLICATE', 'TOKEN']], key: /r8_[A-Za-z0-9]{37}/, keywords: ['r8_'], prefixes: ['r8_'], rules: 'replicate', example: { name: 'REPLICATE_API_TOKEN', key: 'r8_{{alnum 37}}' } },
  {
    provider: 'Hugging Face',
    names: [['HF', 'TOKEN'], ['HUGGINGFACE', 'TOKEN'], ['HUGGINGFACE', 'KEY']],
    key: /hf_[A-Za-z]{34}/,
    keywords: ['hf_'],
    prefixes: ['hf_'],
    rules: 'huggingface',
    example: { name: 'HF_TOKEN', key: 'hf_{{upper 17}}{{lower 17}}' },
  },
  { provider: 'ElevenLabs', names: [['ELEVENLABS', 'KEY']], key: /sk_[a-f0-9]{48}/, keywords: ['sk_'], prefixes: ['sk_'], rules: 'elevenlabs', example: { name: 'ELEVENLABS_API_KEY', key: 'sk_{{hex 48}}' } },
  { provider: 'Mailgun', names: [['MAILGUN', 'KEY']], key: /key-[a-f0-9]{32}/, keywords: ['key-'], prefixes: ['key-'], rules: 'mailgun', example: { name: 'MAILGUN_API_KEY', key: 'key-{{hex 32}}' } },
  {
    provider: 'Mapbox',
    names: [['MAPBOX', 'SECRET']],
    // Mapbox `pk.` tokens are public (see PUBLISHABLE_VALUES); `sk.` tokens are secret.
    key: /sk\.eyJ[A-Za-z0-9_-]{20,300}\.[A-Za-z0-9_-]{22}/,
    keywords: ['sk.eyj'],
    prefixes: ['sk.eyj'],
    rules: 'mapbox',
    example: { name: 'MAPBOX_SECRET_TOKEN', key: 'sk.eyJ1Ijoi{{base64url 40}}.{{base64url 22}}' },
  },
  // Gemini keys share the `AIza` format with browser keys (Maps, Firebase): only the name tells.
  { provider: 'Google Gemini', names: [['GEMINI', 'KEY'], ['GOOGLE', 'GENERATIVE', 'KEY']], example: { name: 'GEMINI_API_KEY' } },
  { provider: 'Postmark', names: [['POSTMARK', 'TOKEN'], ['POSTMARK', 'KEY']], example: { name: 'POSTMARK_SERVER_TOKEN' } },
  { provider: 'Mistral', names: [['MISTRAL', 'KEY']], example: { name: 'MISTRAL_API_KEY' } },
  { provider: 'Cohere', names: [['COHERE', 'KEY']], example: { name: 'COHERE_API_KEY' } },
  { provider: 'Algolia', names: [['ALGOLIA', 'ADMIN'], ['ALGOLIA', 'WRITE']], example: { name: 'ALGOLIA_ADMIN_API_KEY' } },
  { provider: 'Twilio', names: [['TWILIO', 'AUTH', 'TOKEN'], ['TWILIO', 'SECRET']], example: { name: 'TWILIO_AUTH_TOKEN' } },
  // Connection strings carry the database password.
  {
    provider: 'database',
    names: [['DATABASE', 'URL'], ['POSTGRES', 'URL'], ['POSTGRESQL', 'URL'], ['MYSQL', 'URL'], ['MONGODB', 'URI'], ['MONGODB', 'URL'], ['MONGO', 'URI']],
    example: { name: 'DATABASE_URL' },
  },
];

export interface PublishableValue {
  what: string;
  /** Words the variable name must contain, in order (when the value alone is ambiguous). */
  name?: readonly string[];
  /** The value test (anchored); without it the name alone decides. */
  value?: RegExp | ((value: string) => boolean);
  /**
   * A variable name and a value that must not be reported: a template (generator tokens), or
   * for JWT-shaped keys the role claim of a JWT the test builds.
   */
  example: { name: string; value?: string; jwtRole?: string };
}

/** Keys that are meant to be in the browser. A public variable holding one is correct usage. */
export const PUBLISHABLE_VALUES: readonly PublishableValue[] = [
  { what: 'Stripe (or Clerk) publishable key', value: /^pk_(?:live|test)_[A-Za-z0-9_=+/-]{10,}$/, example: { name: 'STRIPE_PUBLISHABLE_KEY', value: 'pk_live_{{alnum 99}}' } },
  { what: 'Supabase anon key', value: (v) => jwtRole(v) === 'anon', example: { name: 'SUPABASE_ANON_KEY', jwtRole: 'anon' } },
  { what: 'Supabase publishable key', value: /^sb_publishable_[A-Za-z0-9_-]{10,}$/, example: { name: 'SUPABASE_PUBLISHABLE_KEY', value: 'sb_publishable_{{base64url 32}}' } },
  { what: 'Firebase web API key', name: ['FIREBASE'], value: /^AIza[A-Za-z0-9_-]{35}$/, example: { name: 'FIREBASE_API_KEY', value: 'AIza{{base64url 35}}' } },
  { what: 'Google Maps browser key', name: ['MAPS'], value: /^AIza[A-Za-z0-9_-]{35}$/, example: { name: 'GOOGLE_MAPS_API_KEY', value: 'AIza{{base64url 35}}' } },
  { what: 'Sentry DSN', value: /^https:\/\/[0-9a-f]{32}@[\w.-]+\/\d+$/, example: { name: 'SENTRY_DSN', value: 'https://{{hex 32}}@o{{digits 6}}.ingest.sentry.io/{{digits 7}}' } },
  { what: 'Algolia search-only key', name: ['ALGOLIA', 'SEARCH'], example: { name: 'ALGOLIA_SEARCH_ONLY_API_KEY', value: '{{hex 32}}' } },
  // These two are called "token" by their providers, so the name alone would look secret.
  { what: 'Mapbox public token', value: /^pk\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, example: { name: 'MAPBOX_ACCESS_TOKEN', value: 'pk.eyJ1Ijoi{{base64url 40}}.{{base64url 22}}' } },
  { what: 'Datadog browser client token', value: /^pub[0-9a-f]{32}$/, example: { name: 'DATADOG_CLIENT_TOKEN', value: 'pub{{hex 32}}' } },
];

/** Words that make a variable name secret (each may be part of a longer word: CLIENTSECRET). */
const SECRET_WORDS = ['SECRET', 'PRIVATE', 'TOKEN', 'PASSWORD', 'PASSWD', 'PASSPHRASE'];

/** Words that say the variable describes a secret rather than holding one (`TOKEN_URL`, `PRIVATE_BETA`). */
const DESCRIPTOR_WORDS = new Set([
  'URL', 'URI', 'ENDPOINT', 'HOST', 'DOMAIN', 'ORIGIN', 'PATH', 'ROUTE', 'PAGE', 'REDIRECT', 'CALLBACK',
  'LENGTH', 'LEN', 'MIN', 'MAX', 'SIZE', 'COUNT', 'LIMIT', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'TTL', 'TIMEOUT',
  'LIFETIME', 'AGE', 'ENABLED', 'DISABLED', 'ENABLE', 'DISABLE', 'MODE', 'FLAG', 'BETA', 'FEATURE', 'HEADER',
  'COOKIE', 'STORAGE', 'PARAM', 'FIELD', 'NAME', 'ID', 'PREFIX', 'TYPE', 'VERSION', 'PATTERN', 'AUDIENCE',
  'ISSUER', 'PUBLIC', 'PUBLISHABLE', 'ANON', 'SITE',
]);

const upperWords = (name: string): string[] => nameWords(name).map((w) => w.toUpperCase());

/** Do `words` contain `wanted` in order? `KEY` also matches a word ending in it (`APIKEY`). */
function hasWordsInOrder(words: readonly string[], wanted: readonly string[]): boolean {
  let i = 0;
  for (const w of words) {
    if (i < wanted.length && (w === wanted[i] || (wanted[i] === 'KEY' && w.endsWith('KEY')))) i++;
  }
  return i === wanted.length;
}

/** The provider whose server key this variable name holds (`RESEND_API_KEY` → Resend). */
export function serverOnlyProviderByName(name: string): ServerOnlyProvider | undefined {
  const words = upperWords(name);
  return SERVER_ONLY_PROVIDERS.find((p) => p.names.some((n) => hasWordsInOrder(words, n)));
}

/** `APP_SECRET`, `ADMIN_PASSWORD`, `clientSecret`; not `TOKEN_URL`, `PRIVATE_BETA`, `PASSWORD_MIN_LENGTH`. */
export function isSecretLikeName(name: string): boolean {
  const words = upperWords(name);
  const isDescriptor = (w: string) => DESCRIPTOR_WORDS.has(w) || DESCRIPTOR_WORDS.has(w.replace(/S$/, ''));
  if (words.some(isDescriptor)) return false;
  return words.some((w) => SECRET_WORDS.some((s) => w.includes(s)));
}

/** The publishable-value entry that covers this variable (and value), if any. */
export function publishableEntry(name: string, value: string | undefined): PublishableValue | undefined {
  const words = upperWords(name);
  return PUBLISHABLE_VALUES.find((p) => {
    if (p.name && !hasWordsInOrder(words, p.name)) return false;
    if (!p.value) return true;
    if (value === undefined) return false;
    return typeof p.value === 'function' ? p.value(value) : p.value.test(value);
  });
}

/** The role claim of a JWT (`anon`, `service_role`), or undefined for anything else. */
export function jwtRole(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1].startsWith('eyJ')) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { role?: unknown };
    return typeof payload.role === 'string' ? payload.role : undefined;
  } catch {
    return undefined;
  }
}

export interface KeyMatch {
  provider: ServerOnlyProvider;
  start: number;
  end: number;
}

const KEY_SCANNERS = SERVER_ONLY_PROVIDERS.filter((p) => p.key).map((p) => ({
  provider: p,
  // Starts with the key's literal prefix, which V8 scans for fast; the start of the token is
  // checked in findServerKeys (a leading lookbehind would make the engine try every position).
  regex: anchoredRegex(`(?:${p.key!.source})(?![A-Za-z0-9_-])`, '', { prefixes: p.prefixes }),
}));

/** Every key's prefixes: `server-key-in-client-code`'s anchors. */
export const SERVER_KEY_PREFIXES: readonly string[] = SERVER_ONLY_PROVIDERS.flatMap((p) => p.prefixes ?? []);

/** Whole tokens only: `re_…` inside `pre_…` is not a Resend key. */
const TOKEN_CHAR = /[A-Za-z0-9_.-]/;

/** Lowercase literals one of which every server key contains. */
export const SERVER_KEY_KEYWORDS: readonly string[] = SERVER_ONLY_PROVIDERS.flatMap((p) => p.keywords ?? []);

function isServerKey(provider: ServerOnlyProvider, key: string): boolean {
  if (isPlaceholder(key)) return false;
  return provider.keyCheck ? provider.keyCheck(key) : true;
}

/**
 * Server-only provider keys anywhere in `text`. `starts`: where the keyword pass found one of
 * `SERVER_KEY_PREFIXES` (or other anchors), so each key format is tried only there.
 */
export function findServerKeys(text: string, starts?: Int32Array): KeyMatch[] {
  const found: KeyMatch[] = [];
  for (const { provider, regex } of KEY_SCANNERS) {
    // A provider without prefixes must search the whole text.
    forEachMatch(text, regex, provider.prefixes ? starts : undefined, (m) => {
      // Inside a longer token: try again from the next character, as a lookbehind would.
      if (m.index > 0 && TOKEN_CHAR.test(text[m.index - 1])) return m.index + 1;
      if (isServerKey(provider, m[0])) found.push({ provider, start: m.index, end: m.index + m[0].length });
    });
  }
  return found;
}

/** The provider whose server key `value` is, exactly. */
export function serverKeyProvider(value: string): ServerOnlyProvider | undefined {
  const match = findServerKeys(value).find((m) => m.start === 0 && m.end === value.length);
  return match?.provider;
}

export interface ValueSpan {
  /** Offsets of the value text (without quotes); equal when the value is empty. */
  start: number;
  end: number;
  quoted: boolean;
}

const ASSIGN = /^["'`]?\]?[ \t]*(?:=(?![=>])|:(?![:=]))[ \t]*/;
const ASSIGN_EQUALS_ONLY = /^["'`]?\]?[ \t]*=(?![=>])[ \t]*/;
const FALLBACK = /^["'`]?\]?[ \t]*(?:\|\||\?\?)[ \t]*/;
const QUOTED = /^(?:"([^"\r\n]*)"|'([^'\r\n]*)'|`([^`\r\n$]*)`)/;
const BARE = /^[^\s"'`,;)}\]#]*/;

/**
 * The value given to a name that ends at `from`: `NAME=value`, `NAME: "value"`, or, for an env
 * reference in code, `env.NAME = 'value'` and the fallback in `env.NAME ?? 'value'` (which ships
 * when the variable is unset). Unquoted values count only where `bare` is true (env and YAML files).
 */
export function valueAfter(text: string, from: number, options: { colon: boolean; fallback: boolean; bare: boolean }): ValueSpan | undefined {
  const rest = text.slice(from, from + 2000);
  const assign = (options.colon ? ASSIGN : ASSIGN_EQUALS_ONLY).exec(rest) ?? (options.fallback ? FALLBACK.exec(rest) : null);
  if (!assign) return undefined;
  const at = assign[0].length;
  const quoted = QUOTED.exec(rest.slice(at));
  if (quoted) {
    const start = from + at + 1;
    return { start, end: start + (quoted[1] ?? quoted[2] ?? quoted[3]).length, quoted: true };
  }
  if (!options.bare) return undefined;
  const bare = BARE.exec(rest.slice(at))!;
  return { start: from + at, end: from + at + bare[0].length, quoted: false };
}

export type ValueKind = 'empty' | 'reference' | 'flag' | 'address' | 'literal';

/** What a value is: a template (empty, a reference), a setting (flag, plain URL) or a literal. */
export function valueKind(value: string): ValueKind {
  if (value.length === 0) return 'empty';
  if (/^\$|\$\{|process\.env|import\.meta\.env/.test(value)) return 'reference';
  if (/^(?:true|false|yes|no|on|off|null|undefined|\d+(?:\.\d+)?)$/i.test(value)) return 'flag';
  // A URL is an address, unless it carries a password (`postgres://user:pass@host/db`).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)) return 'address';
  return 'literal';
}

/**
 * Is `index` on a comment line (`//`, `/*`, ` *`, `#`, `<!--`)? Commented-out code does not ship.
 * Looks back at most 300 characters: deep inside a long (minified) line, it is code.
 */
export function onCommentLine(text: string, index: number): boolean {
  const from = Math.max(0, index - 300);
  const before = text.slice(from, index);
  const newline = before.lastIndexOf('\n');
  if (newline < 0 && from > 0) return false;
  return /^[ \t]*(?:\/\/|\/\*|\*|#|<!--)/.test(before.slice(newline + 1));
}
