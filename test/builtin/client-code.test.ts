/**
 * `server-key-in-client-code`: positive and negative cases for each client-file convention, the
 * server files it must leave alone, and built bundles, run through `testRule`.
 */
import { describe, expect, it } from 'vitest';
import { SERVER_ONLY_PROVIDERS } from '../../src/builtin/browser-keys.js';
import { CLIENT_FILE_CONVENTIONS, clientFileConvention, hasUseClientDirective, serverKeyInClientCode } from '../../src/builtin/client-code.js';
import { RuleSet } from '../../src/detector/detector.js';
import { testRule } from '../../src/testing.js';
import { generate, resendKey } from '../helpers/index.js';
import { P } from './helpers.js';

const ID = 'server-key-in-client-code';
const run = (cases: Parameters<typeof testRule>[1]) => testRule(serverKeyInClientCode, cases, ID);
const useClient = `'use client';\n\n`;
const readResend = `const resend = new Resend(process.env.RESEND_API_KEY);\n`;

describe('server-key-in-client-code, per client-file convention', () => {
  it("React Server Components: a 'use client' file", () => {
    run({
      invalid: [
        { code: `${useClient}${readResend}`, path: 'app/components/newsletter.tsx' },
        { code: `/** Signup form. */\n"use client"\nimport { useState } from 'react';\nconst key = process.env['STRIPE_SECRET_KEY'];\n`, path: 'components/checkout.jsx' },
        { code: `${useClient}const { OPENAI_API_KEY, NODE_ENV } = process.env;\n`, path: 'src/app/chat/client.ts' },
        { code: `${useClient}fetch(u, { headers: { Authorization: \`Bearer \${process.env.NEXTAUTH_SECRET}\` } });\n`, path: 'app/ui/button.tsx' },
        { code: `${useClient}const resend = new Resend('${resendKey(3)}');\n`, path: 'app/ui/send.tsx' },
      ],
      valid: [
        // An app/ file without the directive is a Server Component: reading keys there is right.
        { code: readResend, path: 'app/page.tsx' },
        { code: `import 'server-only';\n${readResend}`, path: 'app/components/mailer.tsx' },
        { code: `const x = 1;\n'use client';\n${readResend}`, path: 'app/late-directive.tsx' },
        { code: `${useClient}const url = process.env.NEXT_RUNTIME;\nconst id = process.env.RESEND_AUDIENCE_ID;\n`, path: 'app/ui/ok.tsx' },
        { code: `${useClient}// const resend = new Resend(process.env.RESEND_API_KEY);\n`, path: 'app/ui/commented.tsx' },
        // Public names are public-env-secret's finding, not this rule's.
        { code: `${useClient}const key = process.env.${P.next}RESEND_API_KEY;\n`, path: 'app/ui/public.tsx' },
      ],
    });
  });

  it('files under public/ and static/, which are served as they are', () => {
    run({
      invalid: [
        { code: `window.MAIL_KEY = "${resendKey(4)}";\n`, path: 'public/config.js' },
        { code: `<script>const k = "${generate('sk_live_{{alnum 99}}')}";</script>\n`, path: 'static/pay.html' },
        { code: `const key = process.env.SENDGRID_API_KEY;\n`, path: 'apps/web/public/sw.js' },
      ],
      valid: [
        { code: `const title = "Welcome";\n`, path: 'public/app.js' },
        { code: `<?php $key = getenv('STRIPE_SECRET_KEY'); ?>\n`, path: 'public/index.php' },
        { code: readResend, path: 'src/public/controller.ts' },
      ],
    });
  });

  it('.client modules (Remix, Nuxt), in app/ and elsewhere', () => {
    run({
      invalid: [
        { code: readResend, path: 'app/utils/email.client.ts' },
        { code: `export default defineNuxtPlugin(() => { const key = process.env.ANTHROPIC_API_KEY; });\n`, path: 'plugins/ai.client.ts' },
      ],
      valid: [
        { code: readResend, path: 'app/utils/email.server.ts' },
        { code: readResend, path: 'app/routes/api.send.ts' },
      ],
    });
  });

  it('Vite entry points read env through import.meta.env', () => {
    run({
      invalid: [
        { code: `import { createApp } from 'vue';\nconst key = import.meta.env.RESEND_API_KEY;\n`, path: 'src/main.ts' },
        { code: `const key = import.meta.env.OPENAI_API_KEY;\n`, path: 'apps/admin/src/main.tsx' },
      ],
      valid: [
        // NestJS's entry point is also src/main.ts, and it is server code.
        { code: `const app = await NestFactory.create(AppModule);\nconst key = process.env.STRIPE_SECRET_KEY;\n`, path: 'src/main.ts' },
        { code: `const url = import.meta.env.${P.vite}API_URL;\n`, path: 'src/main.ts' },
        { code: `const key = import.meta.env.RESEND_API_KEY;\n`, path: 'src/pages/api/send.ts' },
      ],
    });
  });

  it('built bundles: key literals only (references were replaced at build time)', () => {
    const bundle = (key: string) => `(()=>{var e="${key}";fetch("/x",{headers:{authorization:e}})})();\n//# sourceMappingURL=index.js.map\n`;
    run({
      invalid: [
        { code: bundle(resendKey(5)), path: 'dist/assets/index-4f2a9c.js' },
        { code: bundle(generate('sk-proj-{{base64url 74}}T3BlbkFJ{{base64url 74}}')), path: '.next/static/chunks/app/page-8c1d.js' },
        { code: bundle(generate('{{github "ghp_"}}')), path: 'build/static/js/main.3b2c.js' },
        { code: `{"version":3,"sourcesContent":["const k = '${resendKey(6)}'"]}`, path: 'dist/assets/index.js.map' },
        { code: bundle(resendKey(8)), path: 'vendor/widget.min.js' },
      ],
      valid: [
        { code: `const key = process.env.RESEND_API_KEY;\n`, path: 'dist/server/index.js' },
        { code: bundle(generate('pk_live_{{alnum 99}}')), path: 'dist/assets/index.js' },
        { code: bundle(resendKey(5)), path: 'dist/README.md' },
      ],
    });
  });

  it('counts every key in a client file', () => {
    run({ valid: [], invalid: [{ code: `${useClient}const a = "${resendKey(1)}";\nconst b = "${resendKey(2)}";\nconst c = process.env.OPENAI_API_KEY;\n`, path: 'app/x.tsx', count: 3 }] });
  });
});

describe('server-key-in-client-code, server code it leaves alone', () => {
  it.each([
    'app/api/send/route.ts',
    'pages/api/send.ts',
    'server/api/send.post.ts',
    'src/server/mailer.ts',
    'src/routes/+page.server.ts',
    'netlify/functions/send.mjs',
    'lib/email.ts',
    'src/index.ts',
  ])('%s', (path) => {
    run({ valid: [{ code: `${readResend}const s = new Stripe(process.env.STRIPE_SECRET_KEY);\n`, path }], invalid: [] });
  });
});

describe('server-key-in-client-code, per server-only provider', () => {
  it.each(SERVER_ONLY_PROVIDERS.map((p) => [p.provider, p] as const))('%s', (_, provider) => {
    const invalid = [{ code: `${useClient}const key = process.env.${provider.example.name};\n`, path: 'app/ui/widget.tsx' }];
    if (provider.example.key) invalid.push({ code: `const key = "${generate(provider.example.key)}";\n`, path: 'public/widget.js' });
    run({ valid: [{ code: `const key = process.env.${provider.example.name};\n`, path: 'app/api/widget/route.ts' }], invalid });
  });
});

describe('server-key-in-client-code, findings', () => {
  const detect = (text: string, path: string) => new RuleSet(new Map([[ID, serverKeyInClientCode]]), { cwd: '.' }).detect({ text, path, startLine: 1, origin: 'directory' });

  it('a reference points at the name and says what to do', () => {
    const [f] = detect(`${useClient}${readResend}`, 'app/components/newsletter.tsx');
    expect(f).toMatchObject({ ruleId: ID, severity: 'high', line: 3, column: 39, secret: '' });
    expect(f.message).toBe(
      "RESEND_API_KEY is read in a 'use client' file, which runs in the browser, but Resend keys must stay on the server: the bundler leaves it undefined there, or inlines the key for every visitor. Move this call to server code (an API route or server function).",
    );
  });

  it('a fallback literal ships to the browser: it is the secret of the finding (redacted)', () => {
    const fallback = generate('{{alnum 32}}');
    const [f] = detect(`${useClient}const s = process.env.SESSION_SECRET || "${fallback}";\n`, 'app/x.tsx');
    expect(f.secret).toBe(fallback);
    expect(f.message).toMatch(/^SESSION_SECRET is read in a 'use client' file, .* the name says it is a secret/);
  });

  it('a key literal in a bundle names the provider and the place, never the key', () => {
    const key = resendKey(9);
    const [f] = detect(`var e="${key}";`, 'dist/assets/index.js');
    expect(f.secret).toBe(key);
    expect(f.message).toBe('Resend key in a built bundle: a bundle served to browsers hands it to every visitor. Rotate the key, and call Resend from server code (an API route or server function).');
  });

  it('finds the directive after comments and other directives, only at the top of a whole file', () => {
    expect(hasUseClientDirective(`\uFEFF// Copyright\n/* multi\n line */\n'use strict';\n"use client";\n`)).toBe(true);
    expect(hasUseClientDirective(`'use server';\n`)).toBe(false);
    expect(hasUseClientDirective(`import a from 'a';\n'use client';\n`)).toBe(false);
    expect(hasUseClientDirective(`const s = 'use client';\n`)).toBe(false);
    expect(clientFileConvention({ path: 'app/x.tsx', text: `${useClient}x`, startLine: 1 })?.where).toBe("a 'use client' file");
    expect(clientFileConvention({ path: 'app/x.tsx', text: `${useClient}x`, startLine: 40 })).toBeUndefined();
    expect(clientFileConvention({ path: 'app/x.md', text: `${useClient}x`, startLine: 1 })).toBeUndefined();
  });

  it('every convention is exercised above', () => {
    expect(CLIENT_FILE_CONVENTIONS.map((c) => c.where)).toEqual([
      'a built bundle',
      'public/, which is served as-is',
      'static/, which is served as-is',
      'a .client module',
      "a 'use client' file",
      'a Vite entry point',
    ]);
  });

  it('finishes quickly on long near-miss input', () => {
    const rules = new RuleSet(new Map([[ID, serverKeyInClientCode]]), { cwd: '.' });
    const inputs = [
      `${useClient}${'/'.repeat(50_000)}`,
      `${'// x\n'.repeat(10_000)}'use client'`,
      `${useClient}${'process.env.NODE_ENV;'.repeat(5_000)}`,
      `${useClient}{${' a,'.repeat(20_000)}`,
      `re_${'a'.repeat(50_000)} sk-proj-${'-'.repeat(50_000)} eyJ${'a'.repeat(20_000)}.eyJ${'b'.repeat(20_000)}.`,
    ];
    for (const text of inputs) {
      const started = performance.now();
      rules.detect({ text, path: 'app/a.tsx', startLine: 1, origin: 'directory' }, false);
      rules.detect({ text, path: 'dist/a.js', startLine: 1, origin: 'directory' }, false);
      expect(performance.now() - started, text.slice(0, 30)).toBeLessThan(1_000);
    }
  });
});
