/**
 * Keys that reach the browser, end to end: the built CLI on small Next.js- and Vite-style projects
 * in temp folders (and a temp git repo, the pre-commit case).
 */
import { describe, expect, it } from 'vitest';
import { generate, git, resendKey, runCli, tempDir, tempGitRepo, writeFiles } from '../helpers/index.js';
import { P } from '../builtin/helpers.js';

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  redacted: string;
}
const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
const summary = (findings: JsonFinding[]) => findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`).sort();

const clientComponent = `'use client';

import { useState } from 'react';

export function Newsletter() {
  const [email, setEmail] = useState('');
  const resend = new Resend(process.env.RESEND_API_KEY);
  return null;
}
`;
const routeHandler = `import { Resend } from 'resend';

const resend = new Resend(process.env.RESEND_API_KEY);

export async function POST(request: Request) {
  return Response.json(await resend.emails.send(await request.json()));
}
`;

describe('keys that reach the browser', () => {
  it('Next.js: a public server key in .env.local, a template in .env.example, a client component reading the key', () => {
    const dir = tempDir();
    const key = resendKey(11);
    const publishable = generate('pk_live_{{alnum 99}}');
    writeFiles(dir, {
      '.env.local': `${P.next}RESEND_API_KEY=${key}\n${P.next}STRIPE_PUBLISHABLE_KEY=${publishable}\n`,
      '.env.example': `# Copy to .env.local\n${P.next}RESEND_API_KEY=\n${P.next}STRIPE_PUBLISHABLE_KEY=\n`,
      'app/components/newsletter.tsx': clientComponent,
      // Server code: reading the key here is the correct usage.
      'app/api/send/route.ts': routeHandler,
      'app/page.tsx': `export default async function Page() {\n  const resend = new Resend(process.env.RESEND_API_KEY);\n  return null;\n}\n`,
    });

    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const findings = findingsOf(r.stdout);
    expect(summary(findings)).toEqual([
      '.env.example:2:1 public-env-secret',
      '.env.local:1:28 public-env-secret',
      '.env.local:1:28 resend-api-key',
      'app/components/newsletter.tsx:7:41 server-key-in-client-code',
    ]);
    // Two findings on the real key, each with its own fix: rotate the key, and rename the variable.
    const [rename, rotate] = ['public-env-secret', 'resend-api-key'].map((id) => findings.find((f) => f.file === '.env.local' && f.ruleId === id)!);
    expect(rotate.severity).toBe('critical');
    expect(rename.severity).toBe('high');
    expect(rename.message).toMatch(new RegExp(`^${P.next}RESEND_API_KEY holds a Resend key, and Next\\.js inlines ${P.next}\\* variables into the JavaScript bundle that every visitor downloads\\. Rename it to RESEND_API_KEY`));
    expect(findings.find((f) => f.ruleId === 'server-key-in-client-code')!.message).toMatch(/^RESEND_API_KEY is read in a 'use client' file, which runs in the browser/);
    expect(r.stdout).not.toContain(key);

    const text = runCli(['scan'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.stdout).not.toContain(key);
    expect(text.stdout).toContain(`${P.next}RESEND_API_KEY=${key.slice(0, 5)}…(36 chars)`);
    expect(text.stdout).toMatch(/How to fix[\s\S]*public-env-secret: Public env variables are compiled into the browser bundle/);
    expect(text.stdout).toMatch(/server-key-in-client-code: Code that runs in the browser must never hold a server key/);
  });

  it('Vite: a publishable Stripe key in VITE_* is not a finding', () => {
    const dir = tempDir();
    writeFiles(dir, {
      '.env': `${P.vite}STRIPE_PUBLISHABLE_KEY=${generate('pk_live_{{alnum 99}}')}\n${P.vite}API_URL=https://api.example.com\n`,
      'index.html': '<!doctype html>\n<div id="app"></div>\n<script type="module" src="/src/main.ts"></script>\n',
      'src/main.ts': `import { loadStripe } from '@stripe/stripe-js';\n\nconst stripe = await loadStripe(import.meta.env.${P.vite}STRIPE_PUBLISHABLE_KEY);\nconst api = import.meta.env.${P.vite}API_URL;\n`,
    });
    const r = runCli(['scan'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^No secrets found · 3 files/m);
    expect(r.code).toBe(0);
  });

  it('Vite: a server key in VITE_* is found where it is set and where the entry point reads it', () => {
    const dir = tempDir();
    const key = generate('sk-proj-{{base64url 74}}T3BlbkFJ{{base64url 74}}');
    writeFiles(dir, {
      '.env': `${P.vite}OPENAI_API_KEY=${key}\n`,
      'src/main.ts': `const openai = new OpenAI({ apiKey: import.meta.env.${P.vite}OPENAI_API_KEY, dangerouslyAllowBrowser: true });\nconst other = import.meta.env.ANTHROPIC_API_KEY;\n`,
    });
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(summary(findingsOf(r.stdout))).toEqual([
      '.env:1:21 openai-project-key',
      '.env:1:21 public-env-secret',
      'src/main.ts:1:53 public-env-secret',
      'src/main.ts:2:31 server-key-in-client-code',
    ]);
    expect(r.stdout).not.toContain(key);
  });

  it('pre-commit case: .env.local is ignored by git, the committed code that reads the public name is still found', () => {
    const dir = tempGitRepo({
      '.gitignore': 'node_modules/\n.env*.local\n',
      '.env.local': `${P.next}RESEND_API_KEY=${resendKey(12)}\n`,
      'lib/email.ts': `import { Resend } from 'resend';\n\nexport const resend = new Resend(process.env.${P.next}RESEND_API_KEY);\n`,
      'app/api/send/route.ts': routeHandler,
    });
    git(dir, 'add', '.');
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(summary(findingsOf(r.stdout))).toEqual(['lib/email.ts:3:46 public-env-secret']);
  });

  it('built bundles, when scanned: a server key literal in dist/ or .next/static/', () => {
    const dir = tempDir();
    const key = resendKey(13);
    writeFiles(dir, {
      'dist/assets/index-4f2a9c.js': `(()=>{const t="${key}";fetch("https://api.resend.com/emails",{headers:{Authorization:"Bearer "+t}})})();\n`,
      '.next/static/chunks/app/page-8c1d.js': `self.__next_f.push([1,"${generate('pk_live_{{alnum 99}}')}"]);\n`,
      'dist/server/index.js': `const resend = new Resend(process.env.RESEND_API_KEY);\n`,
    });
    const r = runCli(['scan', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const findings = findingsOf(r.stdout);
    expect(summary(findings)).toEqual(['dist/assets/index-4f2a9c.js:1:16 resend-api-key', 'dist/assets/index-4f2a9c.js:1:16 server-key-in-client-code']);
    expect(findings.find((f) => f.ruleId === 'server-key-in-client-code')!.message).toMatch(/^Resend key in a built bundle: a bundle served to browsers hands it to every visitor/);
    expect(r.stdout).not.toContain(key);
  });

  it('the rules can be turned off like any other', () => {
    const dir = tempDir();
    writeFiles(dir, {
      '.leakproof.yaml': 'rules:\n  disable: [public-env-secret, server-key-in-client-code]\n',
      '.env.example': `${P.next}RESEND_API_KEY=\n`,
      'app/x.tsx': clientComponent,
    });
    const r = runCli(['scan'], { cwd: dir });
    expect(r.stdout).toMatch(/No secrets found/);
    expect(r.code).toBe(0);
  });
});
