/**
 * Every entry of the browser-exposure tables (src/builtin/browser-keys.ts) runs its example here:
 * server-only names and keys are recognised, publishable values are, and look-alikes are not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { regexPrefixes } from '../../src/detector/regex-prefixes.js';
import {
  findServerKeys,
  isSecretLikeName,
  jwtRole,
  PUBLISHABLE_VALUES,
  publishableEntry,
  SERVER_KEY_KEYWORDS,
  SERVER_ONLY_PROVIDERS,
  serverKeyProvider,
  serverOnlyProviderByName,
  valueAfter,
  valueKind,
} from '../../src/builtin/browser-keys.js';
import { BUILTIN_RULES_DIR, parseRuleFile } from '../../src/config/rules.js';
import { RuleSet } from '../../src/detector/detector.js';
import { compilePatternRule } from '../../src/detector/pattern-rule.js';
import { generate } from '../helpers/index.js';
import { jwtWithRole } from './helpers.js';

describe('SERVER_ONLY_PROVIDERS', () => {
  it.each(SERVER_ONLY_PROVIDERS.map((p) => [p.provider, p] as const))('%s: the example name is recognised', (_, provider) => {
    expect(serverOnlyProviderByName(provider.example.name)).toBe(provider);
  });

  const withKeys = SERVER_ONLY_PROVIDERS.filter((p) => p.key);
  it.each(withKeys.map((p) => [p.provider, p] as const))('%s: the example key is recognised alone and inside text, not after other token characters', (_, provider) => {
    const key = generate(provider.example.key!);
    expect(serverKeyProvider(key)).toBe(provider);
    const text = `const client = new Client("${key}");`;
    expect(findServerKeys(text).map((m) => [m.provider.provider, text.slice(m.start, m.end)])).toEqual([[provider.provider, key]]);
    expect(findServerKeys(`x${key}`)).toEqual([]);
    expect(findServerKeys(`_${key}`)).toEqual([]);
    expect(SERVER_KEY_KEYWORDS.some((k) => key.toLowerCase().includes(k)), 'a prefilter keyword occurs in the key').toBe(true);
  });

  // "The value matches a provider key rule": each key format here must be one its provider rule finds.
  it.each(withKeys.map((p) => [p.provider, p] as const))('%s: the provider rule file finds the example key', (_, provider) => {
    const file = join(BUILTIN_RULES_DIR, `${provider.rules}.yaml`);
    const rules = new Map(parseRuleFile(readFileSync(file, 'utf8'), file, parseYaml).map((d) => [d.id, compilePatternRule(d)]));
    const key = generate(provider.example.key!);
    const found = new RuleSet(rules, { cwd: '.' }).detect({ text: `value = "${key}"\n`, path: 'config.txt', startLine: 1, origin: 'directory' });
    expect(found.map((f) => f.secret)).toContain(key);
  });

  it('Supabase: the provider rule also finds a service_role JWT', () => {
    const file = join(BUILTIN_RULES_DIR, 'supabase.yaml');
    const rules = new Map(parseRuleFile(readFileSync(file, 'utf8'), file, parseYaml).map((d) => [d.id, compilePatternRule(d)]));
    const key = jwtWithRole('service_role');
    expect(new RuleSet(rules, { cwd: '.' }).detect({ text: `value = "${key}"\n`, path: 'x.txt', startLine: 1, origin: 'directory' }).map((f) => f.secret)).toEqual([key]);
  });

  it('every provider with a key format has keywords and a rule file, and every example name is distinct', () => {
    expect(withKeys.every((p) => (p.keywords ?? []).length > 0 && p.rules)).toBe(true);
    const names = SERVER_ONLY_PROVIDERS.map((p) => p.example.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every key format declares the prefixes its matches start with (what regexPrefixes derives), and they find the example key', () => {
    for (const provider of withKeys) {
      expect(provider.prefixes, provider.provider).toEqual(regexPrefixes(provider.key!.source, provider.key!.flags));
      const key = generate(provider.example.key!);
      const text = `const a = 'x'; // é\nconst key = "${key}";\n`;
      // Offsets where a prefix occurs, as the keyword pass would record them.
      const starts = Int32Array.from(provider.prefixes!.flatMap((prefix) => [...text.toLowerCase().matchAll(new RegExp(prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'))].map((m) => m.index)));
      starts.sort();
      expect(findServerKeys(text, starts).map((m) => m.provider.provider), provider.provider).toEqual(findServerKeys(text).map((m) => m.provider.provider));
      expect(findServerKeys(text, starts).length, provider.provider).toBeGreaterThan(0);
    }
  });

  it('names: words in order, any case style; not a provider word alone', () => {
    expect(serverOnlyProviderByName('resendApiKey')?.provider).toBe('Resend');
    expect(serverOnlyProviderByName('MY_OPENAI_APIKEY')?.provider).toBe('OpenAI');
    expect(serverOnlyProviderByName('SUPABASE_SERVICE_ROLE_KEY')?.provider).toBe('Supabase');
    expect(serverOnlyProviderByName('RESEND_FROM_ADDRESS')).toBeUndefined();
    expect(serverOnlyProviderByName('STRIPE_PUBLISHABLE_KEY')).toBeUndefined();
    expect(serverOnlyProviderByName('KEY_RESEND')).toBeUndefined();
  });

  it('placeholders and test-data shapes are not keys', () => {
    expect(serverKeyProvider('re_xxxxxxxxx')).toBeUndefined();
    expect(serverKeyProvider(`sk_live_${'x'.repeat(24)}`)).toBeUndefined();
    expect(findServerKeys('RESEND_API_KEY=re_123456789')).toEqual([]);
  });

  it('Supabase: a service_role JWT is a server key, an anon JWT is not', () => {
    expect(serverKeyProvider(jwtWithRole('service_role'))?.provider).toBe('Supabase');
    expect(serverKeyProvider(jwtWithRole('anon'))).toBeUndefined();
    expect(serverKeyProvider(generate('{{jwt}}'))).toBeUndefined();
  });
});

describe('PUBLISHABLE_VALUES', () => {
  const valueOf = (entry: (typeof PUBLISHABLE_VALUES)[number]) => (entry.example.jwtRole ? jwtWithRole(entry.example.jwtRole) : generate(entry.example.value!));

  it.each(PUBLISHABLE_VALUES.map((p) => [p.what, p] as const))('%s: the example is publishable and is not a server key', (_, entry) => {
    const value = valueOf(entry);
    expect(publishableEntry(entry.example.name, value)).toBe(entry);
    expect(serverKeyProvider(value)).toBeUndefined();
  });

  it('a browser-key format under a server-only name is not publishable (Gemini keys look like Maps keys)', () => {
    const googleKey = generate('AIza{{base64url 35}}');
    expect(publishableEntry('GOOGLE_MAPS_API_KEY', googleKey)?.what).toBe('Google Maps browser key');
    expect(publishableEntry('GEMINI_API_KEY', googleKey)).toBeUndefined();
  });

  it('a value check needs a value; a secret value under a publishable-sounding name is not publishable', () => {
    expect(publishableEntry('STRIPE_PUBLISHABLE_KEY', undefined)).toBeUndefined();
    expect(publishableEntry('STRIPE_PUBLISHABLE_KEY', generate('sk_live_{{alnum 99}}'))).toBeUndefined();
    expect(publishableEntry('MAPBOX_ACCESS_TOKEN', generate('sk.eyJ1Ijoi{{base64url 40}}.{{base64url 22}}'))).toBeUndefined();
    expect(publishableEntry('ALGOLIA_SEARCH_KEY', undefined)?.what).toBe('Algolia search-only key');
  });

  it('jwtRole reads the role claim and nothing else', () => {
    expect(jwtRole(jwtWithRole('anon'))).toBe('anon');
    expect(jwtRole('not.a.jwt')).toBeUndefined();
    expect(jwtRole(generate('{{jwt}}'))).toBeUndefined();
  });
});

describe('isSecretLikeName', () => {
  it.each(['APP_SECRET', 'CLIENT_SECRET', 'clientSecret', 'PRIVATE_KEY', 'ADMIN_PASSWORD', 'DB_PASSWD', 'AUTH_TOKEN', 'ACCESSTOKEN', 'SIGNING_PASSPHRASE'])('%s is secret-like', (name) => {
    expect(isSecretLikeName(name)).toBe(true);
  });
  it.each(['API_URL', 'TOKEN_URL', 'TOKEN_ENDPOINT', 'PRIVATE_BETA', 'PRIVATE_ROUTES', 'PASSWORD_MIN_LENGTH', 'CSRF_TOKEN_HEADER', 'TOKEN_EXPIRY', 'STRIPE_PUBLISHABLE_KEY', 'GOOGLE_MAPS_API_KEY', 'ANALYTICS_ID', 'RESEND_API_KEY'])(
    '%s is not (server-only provider names are a separate table)',
    (name) => {
      expect(isSecretLikeName(name)).toBe(false);
    },
  );
});

describe('values', () => {
  it('valueAfter reads env, YAML, JSON and code assignments and fallbacks', () => {
    const read = (text: string, name: string, options: Parameters<typeof valueAfter>[2]) => {
      const end = text.indexOf(name) + name.length;
      const span = valueAfter(text, end, options);
      return span && text.slice(span.start, span.end);
    };
    const env = { colon: true, fallback: false, bare: true };
    const code = { colon: false, fallback: true, bare: false };
    expect(read('A_TOKEN=abc # note\n', 'A_TOKEN', env)).toBe('abc');
    expect(read('A_TOKEN=\n', 'A_TOKEN', env)).toBe('');
    expect(read('A_TOKEN = "a b"\n', 'A_TOKEN', env)).toBe('a b');
    expect(read('  A_TOKEN: ${{ secrets.X }}\n', 'A_TOKEN', env)).toBe('${{');
    expect(read('{ "A_TOKEN": "v1" }', 'A_TOKEN', { ...env, bare: false })).toBe('v1');
    expect(read("env.A_TOKEN ?? 'fb'", 'A_TOKEN', code)).toBe('fb');
    expect(read("env['A_TOKEN'] || \"fb\"", 'A_TOKEN', code)).toBe('fb');
    expect(read("ok ? env.A_TOKEN : 'other'", 'A_TOKEN', code)).toBeUndefined();
    expect(read('env.A_TOKEN === "x"', 'A_TOKEN', code)).toBeUndefined();
    expect(read('A_TOKEN: string;', 'A_TOKEN', { colon: true, fallback: false, bare: false })).toBeUndefined();
  });

  it('valueKind tells templates and settings from literals', () => {
    expect(valueKind('')).toBe('empty');
    expect(valueKind('$RESEND_KEY')).toBe('reference');
    expect(valueKind('${{')).toBe('reference');
    expect(valueKind('true')).toBe('flag');
    expect(valueKind('3000')).toBe('flag');
    expect(valueKind('https://api.example.com/v1')).toBe('address');
    expect(valueKind(`postgres://app:${generate('{{alnum 16}}')}@db.internal:5432/app`)).toBe('literal');
    expect(valueKind('re_xxxxxxxxx')).toBe('literal');
  });
});
