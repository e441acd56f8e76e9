/**
 * `server-key-in-client-code`: a server-only key, or a reference to the variable holding one, in a
 * file that runs in the browser. Whether a file runs in the browser is decided by the conventions
 * in CLIENT_FILE_CONVENTIONS only; anything else (API routes, `server/`, a Next.js `app/` file
 * without `'use client'`, which is a Server Component) is server code, where reading keys is right.
 */
import { posix } from 'node:path';
import { globMatcher } from '../detector/globs.js';
import { anchoredRegex, forEachMatch } from '../detector/anchored-search.js';
import { defineRule } from '../plugins/api.js';
import type { Fragment } from '../sources/fragment.js';
import {
  findServerKeys,
  isSecretLikeName,
  onCommentLine,
  publicPrefixOf,
  publishableEntry,
  SERVER_KEY_KEYWORDS,
  SERVER_KEY_PREFIXES,
  serverOnlyProviderByName,
  valueAfter,
  valueKind,
} from './browser-keys.js';

export interface ClientFileConvention {
  /** How the finding names the place (`a 'use client' file`). */
  where: string;
  /** picomatch globs on the path relative to the scan root (see globMatcher); or */
  paths?: readonly string[];
  /** a `'use client'` directive at the top of the file. */
  directive?: boolean;
  /**
   * Which env references count: `none` in bundles (the build has already replaced them with
   * values, so only key literals matter), `import.meta` in Vite entry points (NestJS also has a
   * `src/main.ts`, and it is server code that reads `process.env`).
   */
  references: 'all' | 'import.meta' | 'none';
}

const PACKAGES = '{apps,packages}/*/';
const SERVED_AS_IS = '{js,mjs,cjs,html,htm,json,map,txt,xml,webmanifest}';
const CODE = /\.[cm]?[jt]sx?$/;

/** First match wins. */
export const CLIENT_FILE_CONVENTIONS: readonly ClientFileConvention[] = [
  {
    where: 'a built bundle',
    paths: ['**/dist/**/*.{js,mjs,cjs,html,map}', '**/build/**/*.{js,mjs,cjs,html,map}', '**/.next/static/**', '**/out/_next/static/**', '**/*.min.js', '**/*.{js,mjs,css}.map'],
    references: 'none',
  },
  { where: 'public/, which is served as-is', paths: [`public/**/*.${SERVED_AS_IS}`, `${PACKAGES}public/**/*.${SERVED_AS_IS}`], references: 'all' },
  { where: 'static/, which is served as-is', paths: [`static/**/*.${SERVED_AS_IS}`, `${PACKAGES}static/**/*.${SERVED_AS_IS}`], references: 'all' },
  { where: 'a .client module', paths: ['**/*.client.{js,jsx,ts,tsx,mjs,cjs,vue,svelte}'], references: 'all' },
  { where: "a 'use client' file", directive: true, references: 'all' },
  { where: 'a Vite entry point', paths: ['src/main.{js,jsx,ts,tsx,mjs}', `${PACKAGES}src/main.{js,jsx,ts,tsx,mjs}`], references: 'import.meta' },
];

/** Built on first use: runs that never reach this rule compile no globs. */
let matchers: (((path: string) => boolean) | undefined)[] | undefined;
function conventionMatchers(): (((path: string) => boolean) | undefined)[] {
  if (matchers === undefined) {
    matchers = CLIENT_FILE_CONVENTIONS.map((c) => (c.paths ? globMatcher(c.paths) : undefined));
  }
  return matchers;
}

/**
 * Is the first statement a `'use client'` directive? Skips comments and other directives
 * (`'use strict'`) by hand: a regex for "comments, then a string" backtracks badly.
 */
export function hasUseClientDirective(text: string): boolean {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const limit = Math.min(text.length, 4000);
  while (i < limit) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';') i++;
    else if (text.startsWith('//', i)) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return false;
      i = nl + 1;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return false;
      i = close + 2;
    } else if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return false;
      if (text.slice(i + 1, close) === 'use client') return true;
      i = close + 1;
    } else return false;
  }
  return false;
}

export function clientFileConvention(fragment: Pick<Fragment, 'path' | 'text' | 'startLine'>): ClientFileConvention | undefined {
  for (const [i, convention] of CLIENT_FILE_CONVENTIONS.entries()) {
    if (convention.directive) {
      // The directive is only visible in a whole file, not in a diff hunk further down.
      if (CODE.test(posix.basename(fragment.path)) && fragment.startLine === 1 && hasUseClientDirective(fragment.text)) return convention;
    } else if (conventionMatchers()[i]!(fragment.path)) return convention;
  }
  return undefined;
}

// Names are capped at 100 characters, like env names in public-env.ts.
// Each regex starts with a literal (V8 then skips ahead fast) and looks back only where it matched.
const ENV_PREFIXES = ['process.env', 'import.meta.env'];
const ENV_REFERENCE = anchoredRegex(String.raw`(process\.env|import\.meta\.env)(?<![\w$.]\1)(?:\.([A-Za-z_$][\w$]{0,99})(?![\w$])|\[\s*(["'\`])([A-Za-z_$][\w$]{0,99})\3\s*\])`, '', { prefixes: ENV_PREFIXES });
const ENV_DESTRUCTURING = anchoredRegex(String.raw`(process\.env|import\.meta\.env)(?<=\{([^{}]{1,2000})\}\s*=\s*\1)(?![\w$])`, '', { prefixes: ENV_PREFIXES, indices: true });

interface EnvReference {
  name: string;
  start: number;
  end: number;
  form: 'process.env' | 'import.meta.env';
}

/** `process.env.X`, `import.meta.env['X']`, `const { X, Y: y } = process.env`. `starts`: see `findServerKeys`. */
function envReferences(text: string, starts: Int32Array | undefined): EnvReference[] {
  const refs: EnvReference[] = [];
  forEachMatch(text, ENV_REFERENCE, starts, (m) => {
    const name = m[2] ?? m[4];
    const start = m.index + m[0].lastIndexOf(name);
    refs.push({ name, start, end: start + name.length, form: m[1] as EnvReference['form'] });
  });
  forEachMatch(text, ENV_DESTRUCTURING, starts, (m) => {
    let offset = m.indices![2][0];
    for (const part of m[2].split(',')) {
      const id = /^\s*([A-Za-z_$][\w$]{0,99})(?![\w$])/.exec(part);
      if (id) {
        const start = offset + id[0].length - id[1].length;
        refs.push({ name: id[1], start, end: start + id[1].length, form: m[1] as EnvReference['form'] });
      }
      offset += part.length + 1;
    }
  });
  return refs;
}

export const serverKeyInClientCode = defineRule({
  meta: {
    description: 'Server-only key, or the env variable holding one, in code that runs in the browser',
    provider: 'Browser',
    severity: 'high',
    keywords: [...ENV_PREFIXES, ...SERVER_KEY_KEYWORDS],
    // Every key and every env reference starts with one of these: only there are they tried.
    anchors: [...ENV_PREFIXES, ...SERVER_KEY_PREFIXES],
    // Kept next to the provider finding on the same key: that one says "rotate", this one says "move the call to the server".
    specificity: 'provider',
    messages: {
      key: '{{provider}} key in {{where}}, which runs in the browser: every visitor can read it. Call {{provider}} from server code (an API route or server function), and rotate the key.',
      bundleKey: '{{provider}} key in {{where}}: a bundle served to browsers hands it to every visitor. Rotate the key, and call {{provider}} from server code (an API route or server function).',
      providerReference:
        '{{name}} is read in {{where}}, which runs in the browser, but {{provider}} keys must stay on the server: the bundler leaves it undefined there, or inlines the key for every visitor. Move this call to server code (an API route or server function).',
      secretReference:
        '{{name}} is read in {{where}}, which runs in the browser, but the name says it is a secret: the bundler leaves it undefined there, or inlines it for every visitor. Move this code to the server (an API route or server function).',
    },
    remediation:
      'Code that runs in the browser must never hold a server key. Move the call into server code (a route handler, ' +
      'server action or serverless function) that reads the key from a variable without a public prefix and returns only ' +
      'the result; if a key was ever shipped in a bundle, rotate it.',
  },
  create: () => ({
    fragment(fragment, context) {
      const convention = clientFileConvention(fragment);
      if (!convention) return;
      const { text } = fragment;
      const where = convention.where;
      for (const key of findServerKeys(text, context.starts)) {
        const messageId = convention.references === 'none' ? 'bundleKey' : 'key';
        context.report({ range: [key.start, key.end], messageId, data: { provider: key.provider.provider, where } });
      }
      if (convention.references === 'none') return;
      for (const ref of envReferences(text, context.starts)) {
        if (convention.references === 'import.meta' && ref.form !== 'import.meta.env') continue;
        if (onCommentLine(text, ref.start)) continue;
        // Public names are `public-env-secret`'s: one finding per problem.
        if (publicPrefixOf(ref.name)) continue;
        const provider = serverOnlyProviderByName(ref.name);
        if (!provider && !isSecretLikeName(ref.name)) continue;
        if (publishableEntry(ref.name, undefined)) continue;
        // `process.env.X ?? 'fallback'`: the fallback ships to the browser; redact it like a secret.
        const fallback = valueAfter(text, ref.end, { colon: false, fallback: true, bare: false });
        const hasLiteral = fallback !== undefined && valueKind(text.slice(fallback.start, fallback.end)) === 'literal';
        const secretRange: [number, number] = hasLiteral ? [fallback!.start, fallback!.end] : [ref.start, ref.start];
        context.report({
          range: [ref.start, Math.max(ref.end, secretRange[1])],
          secretRange,
          messageId: provider ? 'providerReference' : 'secretReference',
          data: { name: ref.name, where, provider: provider?.provider ?? '' },
        });
      }
    },
  }),
});
