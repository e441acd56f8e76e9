/**
 * `public-env-secret`: positive and negative cases for each framework convention and each kind of
 * file, run through `testRule` (prefilter on and off, no secret in any message), plus how it sits
 * next to the provider rules when both see the same line.
 */
import { describe, expect, it } from 'vitest';
import { PUBLISHABLE_VALUES, SERVER_ONLY_PROVIDERS } from '../../src/builtin/browser-keys.js';
import { BUILTIN_CODE_RULES } from '../../src/builtin/index.js';
import { publicEnvFileKind, publicEnvSecret } from '../../src/builtin/public-env.js';
import { BUILTIN_RULES_DIR, loadRuleDir } from '../../src/config/rules.js';
import { RuleSet } from '../../src/detector/detector.js';
import { compilePatternRule } from '../../src/detector/pattern-rule.js';
import type { CodeRule } from '../../src/plugins/api.js';
import { testRule } from '../../src/testing.js';
import { generate, resendKey } from '../helpers/index.js';
import { jwtWithRole, P } from './helpers.js';

const ID = 'public-env-secret';
const run = (cases: Parameters<typeof testRule>[1]) => testRule(publicEnvSecret, cases, ID);
const random = generate('{{alnum 40}}');

/** Each framework convention: where its variables are declared, and how its code reads them. */
const FRAMEWORKS = [
  { framework: 'Next.js', prefix: P.next, envFile: '.env.local', codePath: 'app/lib/email.ts', read: (n: string) => `const key = process.env.${n};` },
  { framework: 'Nuxt', prefix: P.nuxt, envFile: '.env', codePath: 'nuxt.config.ts', read: (n: string) => `runtimeConfig: { public: { key: process.env.${n} } },` },
  { framework: 'Expo', prefix: P.expo, envFile: '.env', codePath: 'app/(tabs)/index.tsx', read: (n: string) => `fetch(url, { headers: { Authorization: process.env.${n} } });` },
  { framework: 'Create React App', prefix: P.cra, envFile: '.env.production', codePath: 'src/App.js', read: (n: string) => `const key = process.env['${n}'];` },
  { framework: 'Vite', prefix: P.vite, envFile: '.env', codePath: 'src/api.ts', read: (n: string) => `const key = import.meta.env.${n};` },
  { framework: 'Vue CLI', prefix: P.vue, envFile: '.env.local', codePath: 'src/main.js', read: (n: string) => `Vue.prototype.$key = process.env.${n};` },
  { framework: 'Gatsby', prefix: P.gatsby, envFile: '.env.development', codePath: 'gatsby-browser.js', read: (n: string) => `const key = process.env.${n};` },
  { framework: 'SvelteKit', prefix: P.pub, envFile: '.env', codePath: 'src/routes/+page.svelte', read: (n: string) => `import { ${n}, PUBLIC_SITE_NAME } from '$env/static/public';` },
  { framework: 'Astro', prefix: P.pub, envFile: '.env.production', codePath: 'src/pages/index.astro', read: (n: string) => `const key = import.meta.env.${n};` },
];

describe('public-env-secret, per framework convention', () => {
  for (const { framework, prefix, envFile, codePath, read } of FRAMEWORKS) {
    it(`${framework} (${prefix}*)`, () => {
      run({
        invalid: [
          { code: `${prefix}RESEND_API_KEY=\n`, path: '.env.example' },
          { code: `${prefix}SESSION_SECRET="${random}"\n`, path: envFile },
          { code: `${prefix}ADMIN_PASSWORD=${generate('{{alnum 12}}')}\n`, path: envFile },
          { code: `${read(`${prefix}RESEND_API_KEY`)}\n`, path: codePath },
          { code: `${read(`${prefix}GITHUB_TOKEN`)}\n`, path: codePath },
        ],
        valid: [
          { code: `${prefix}STRIPE_PUBLISHABLE_KEY=${generate('pk_live_{{alnum 99}}')}\n`, path: envFile },
          { code: `${prefix}API_URL=https://api.example.com\n${prefix}PRIVATE_BETA=true\n`, path: envFile },
          { code: `${read(`${prefix}API_URL`)}\n`, path: codePath },
          { code: `${read(`${prefix}GOOGLE_MAPS_API_KEY`)}\n`, path: codePath },
          // Without the public prefix the variable stays on the server.
          { code: `RESEND_API_KEY=\n`, path: envFile },
          { code: `${read('RESEND_API_KEY')}\n`, path: codePath },
        ],
      });
    });
  }

  it('knows a prefix only at the start of a name', () => {
    run({
      invalid: [{ code: `export ${P.vite}OPENAI_API_KEY=\n`, path: '.envrc' }],
      valid: [
        { code: `MY_${P.vite}OPENAI_API_KEY=\nX${P.next}APP_SECRET=\n`, path: '.env' },
        { code: `const prefixes = ['${P.next}', '${P.vite}'];\n`, path: 'scripts/check-env.ts' },
      ],
    });
  });
});

describe('public-env-secret, per kind of file', () => {
  it('.env files of every flavour, including templates, whose empty values still ship the name', () => {
    run({
      invalid: [
        { code: `${P.next}RESEND_API_KEY=\n`, path: '.env' },
        { code: `${P.next}RESEND_API_KEY=re_xxxxxxxxx\n`, path: '.env.example' },
        { code: `${P.next}RESEND_API_KEY=$RESEND_API_KEY\n`, path: 'apps/web/.env.production' },
        { code: `${P.next}RESEND_API_KEY=\n`, path: 'config/staging.env' },
      ],
      valid: [{ code: `${P.next}RESEND_API_KEY=\n`, path: 'docs/setup.md' }],
    });
  });

  it('CI workflow files', () => {
    run({
      invalid: [
        { code: `env:\n  ${P.next}RESEND_API_KEY: \${{ secrets.RESEND_API_KEY }}\n`, path: '.github/workflows/deploy.yml' },
        { code: `build:\n  variables:\n    ${P.vite}STRIPE_SECRET_KEY: $STRIPE_SECRET_KEY\n`, path: '.gitlab-ci.yml' },
        { code: `[build.environment]\n  ${P.gatsby}CONTENTFUL_TOKEN = "${random}"\n`, path: 'netlify.toml' },
      ],
      valid: [
        { code: `env:\n  ${P.next}SENTRY_DSN: \${{ vars.SENTRY_DSN }}\n  RESEND_API_KEY: \${{ secrets.RESEND_API_KEY }}\n`, path: '.github/workflows/deploy.yml' },
        { code: `${P.next}RESEND_API_KEY: x\n`, path: '.github/ISSUE_TEMPLATE/bug.yml' },
      ],
    });
  });

  it('framework config (next.config, vite.config, app.json, eas.json)', () => {
    run({
      invalid: [
        { code: `module.exports = { env: { ${P.next}OPENAI_API_KEY: process.env.OPENAI_API_KEY } };\n`, path: 'next.config.js' },
        { code: `export default { define: { 'import.meta.env.${P.vite}API_TOKEN': JSON.stringify(process.env.API_TOKEN) } };\n`, path: 'vite.config.ts' },
        { code: `{ "build": { "production": { "env": { "${P.expo}RESEND_API_KEY": "" } } } }\n`, path: 'eas.json' },
        { code: `export default { extra: { key: process.env.${P.expo}ANTHROPIC_API_KEY } };\n`, path: 'app.config.ts' },
      ],
      valid: [
        { code: `module.exports = { env: { ${P.next}APP_VERSION: '1.2.3' } };\n`, path: 'next.config.mjs' },
        { code: `{ "expo": { "name": "demo", "extra": { "${P.expo}PROJECT_ID": "abc" } } }\n`, path: 'app.json' },
      ],
    });
  });

  it('code: env references and SvelteKit imports count; comments and look-alike constants do not', () => {
    run({
      invalid: [
        { code: `const { data } = await fetch(url, { headers: { 'x-api-key': import.meta.env['${P.vite}OPENAI_API_KEY'] } });\n`, path: 'src/chat.tsx' },
        { code: `<script>\n  const key = import.meta.env.${P.vite}ELEVENLABS_API_KEY;\n</script>\n`, path: 'src/App.vue' },
        { code: `import {\n  ${P.pub}STRIPE_SECRET_KEY\n} from '$env/static/public';\n`, path: 'src/lib/pay.ts' },
      ],
      valid: [
        { code: `// process.env.${P.next}APP_SECRET was removed: read APP_SECRET on the server\n`, path: 'app/page.tsx' },
        { code: ` * Never use process.env.${P.next}RESEND_API_KEY.\n`, path: 'lib/docs.ts' },
        { code: `const ${P.pub}ACCESS_TOKEN_LABEL = 'Token';\nconst ${P.pub}TOKEN = 'a';\n`, path: 'src/labels.ts' },
        { code: `const key = process.env.${P.next}RESEND_API_KEY;\n`, path: 'docs/guide.md' },
      ],
    });
  });
});

describe('public-env-secret, values', () => {
  it('a server key is a finding under any public name; placeholders are templates', () => {
    run({
      invalid: [
        { code: `${P.vite}MAILER=${resendKey()}\n`, path: '.env' },
        { code: `${P.next}SUPABASE_ANON_KEY=${jwtWithRole('service_role')}\n`, path: '.env.local' },
        { code: `${P.next}MAPBOX_TOKEN=${generate('sk.eyJ1Ijoi{{base64url 40}}.{{base64url 22}}')}\n`, path: '.env' },
        { code: `${P.next}DATABASE_URL=postgres://app:${generate('{{alnum 16}}')}@db.internal:5432/app\n`, path: '.env' },
        { code: `const key = process.env.${P.next}APP_SECRET ?? '${random}';\n`, path: 'lib/auth.ts' },
      ],
      valid: [
        { code: `${P.next}SUPABASE_ANON_KEY=${jwtWithRole('anon')}\n`, path: '.env.local' },
        { code: `${P.next}MAPBOX_TOKEN=${generate('pk.eyJ1Ijoi{{base64url 40}}.{{base64url 22}}')}\n`, path: '.env' },
        { code: `${P.next}DATABASE_URL=postgres://localhost:5432/app\n`, path: '.env' },
        { code: `${P.vite}MAILER_FROM=hello@example.com\n`, path: '.env' },
      ],
    });
  });

  it.each(PUBLISHABLE_VALUES.map((p) => [p.what, p] as const))('publishable: %s', (_, entry) => {
    const value = entry.example.jwtRole ? jwtWithRole(entry.example.jwtRole) : generate(entry.example.value!);
    run({ valid: [{ code: `${P.next}${entry.example.name}=${value}\n`, path: '.env.local' }], invalid: [] });
  });

  it.each(SERVER_ONLY_PROVIDERS.map((p) => [p.provider, p] as const))('server-only: %s', (_, provider) => {
    const invalid = [{ code: `${P.next}${provider.example.name}=\n`, path: '.env.example' }];
    if (provider.example.key) invalid.push({ code: `${P.vite}SERVICE=${generate(provider.example.key)}\n`, path: '.env' });
    run({ valid: [{ code: `${provider.example.name}=\n`, path: '.env.example' }], invalid });
  });
});

describe('public-env-secret, findings', () => {
  const detectWith = (rules: Map<string, CodeRule>, text: string, path: string) => new RuleSet(rules, { cwd: '.' }).detect({ text, path, startLine: 1, origin: 'directory' });

  it('says what ships, to whom, and what to do; a template points at the name and holds no secret', () => {
    const [f] = detectWith(new Map([[ID, publicEnvSecret]]), `# mail\n${P.next}RESEND_API_KEY=\n`, '.env.example');
    expect(f).toMatchObject({ ruleId: ID, severity: 'high', line: 2, column: 1, secret: '' });
    expect(f.message).toBe(
      `${P.next}RESEND_API_KEY: Next.js inlines ${P.next}* variables into the JavaScript bundle that every visitor downloads, and Resend keys must stay on the server. Rename it to RESEND_API_KEY, use it only in server code, and rotate the key if a build with it was ever deployed.`,
    );
  });

  it('a literal value is the secret (redacted, fingerprinted), never part of the message', () => {
    const [f] = detectWith(new Map([[ID, publicEnvSecret]]), `${P.vite}SESSION_SECRET="${random}"\n`, '.env');
    expect(f.secret).toBe(random);
    expect(f.column).toBe(`${P.vite}SESSION_SECRET="`.length + 1);
    expect(f.message).toMatch(/^VITE_SESSION_SECRET: Vite inlines VITE_\* variables .* the name says it holds a secret\. Rename it to SESSION_SECRET/);
  });

  it('next to a provider rule: two findings on the same key, one to rotate it and one to rename the variable', async () => {
    const all = new Map<string, CodeRule>((await loadRuleDir(BUILTIN_RULES_DIR)).map((d) => [d.id, compilePatternRule(d)]));
    for (const [id, rule] of Object.entries(BUILTIN_CODE_RULES)) all.set(id, rule);
    const key = resendKey(7);
    const found = detectWith(all, `${P.next}RESEND_API_KEY=${key}\n`, '.env.local');
    expect(found.map((f) => [f.ruleId, f.line, f.column, f.secret === key]).sort()).toEqual([
      [ID, 1, 28, true],
      ['resend-api-key', 1, 28, true],
    ]);
    const mine = found.find((f) => f.ruleId === ID)!;
    expect(mine.message).toMatch(/holds a Resend key, and Next\.js inlines/);
    // A public name with a random value: this rule says more than the generic assignment rule would.
    expect(detectWith(all, `${P.next}APP_SECRET=${random}\n`, '.env').map((f) => f.ruleId)).toEqual([ID]);
  });

  it('classifies files', () => {
    expect(['.env', '.env.local', '.env.example', '.envrc', 'prod.env'].map(publicEnvFileKind)).toEqual(['env', 'env', 'env', 'env', 'env']);
    expect(['.github/workflows/ci.yaml', '.gitlab-ci.yml'].map(publicEnvFileKind)).toEqual(['ci', 'ci']);
    expect(['next.config.mjs', 'vite.config.ts', 'nuxt.config.ts', 'app.json', 'app.config.js', 'apps/web/next.config.js'].map(publicEnvFileKind)).toEqual([
      'config', 'config', 'config', 'config', 'config', 'config',
    ]);
    expect(['src/a.tsx', 'src/b.vue', 'README.md', 'package.json', 'config.env.js'].map(publicEnvFileKind)).toEqual(['code', 'code', undefined, undefined, 'code']);
  });

  it('finishes quickly on long near-miss input', () => {
    const rules = new RuleSet(new Map([[ID, publicEnvSecret]]), { cwd: '.' });
    const inputs = [
      `${P.next}${'A'.repeat(50_000)}`,
      `${P.next}X=${'"'.repeat(50_000)}`,
      // Many near-misses on one minified line (a URL setting, not a secret).
      `${`process.env.${P.vite}TOKEN_URL ?? `.repeat(5_000)}`,
      `import {${' '.repeat(50_000)}`,
      `${P.next}A_TOKEN=${'a'.repeat(50_000)}\n`.repeat(4),
    ];
    for (const text of inputs) {
      const started = performance.now();
      rules.detect({ text, path: '.env', startLine: 1, origin: 'directory' }, false);
      rules.detect({ text, path: 'src/a.ts', startLine: 1, origin: 'directory' }, false);
      expect(performance.now() - started, text.slice(0, 30)).toBeLessThan(1_000);
    }
  });
});
