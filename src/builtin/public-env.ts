/**
 * `public-env-secret`: a secret in a variable that the framework inlines into the browser bundle
 * (`NEXT_PUBLIC_*`, `VITE_*`, …). The name is the problem, so an empty template in `.env.example`
 * or a reference in code is a finding too: whatever value the deploy fills in ships to every visitor.
 * Templates keep the rule's severity: they are where every copy of the mistake starts.
 */
import { posix } from 'node:path';
import { globMatcher } from '../detector/globs.js';
import { defineRule } from '../plugins/api.js';
import {
  isSecretLikeName,
  onCommentLine,
  PUBLIC_ENV_PREFIXES,
  PUBLIC_NAME,
  publicPrefixOf,
  publishableEntry,
  serverKeyProvider,
  serverOnlyProviderByName,
  valueAfter,
  valueKind,
} from './browser-keys.js';

/** Which files the rule reads, and how: env and CI files are all declarations; code is read for env references only. */
export type PublicEnvFileKind = 'env' | 'ci' | 'config' | 'code';

const ENV_FILE = /^\.env(?:rc)?(?:\..+)?$|^[\w.-]+\.env$/;
const FRAMEWORK_CONFIG = /^(?:(?:next|vite|nuxt|astro|svelte|app)\.config\.[cm]?[jt]s|gatsby-(?:config|node)\.[cm]?[jt]s|app\.json|eas\.json)$/;
/** CI workflow files. */
export const CI_FILE_GLOBS = ['.github/workflows/*.{yml,yaml}', '.gitlab-ci.yml', '.circleci/config.yml', 'bitbucket-pipelines.yml', 'azure-pipelines.yml', 'amplify.yml', 'netlify.toml'];
/** Built on first use. */
let ciFile: ((path: string) => boolean) | undefined;
function isCiFile(path: string): boolean {
  ciFile ??= globMatcher(CI_FILE_GLOBS);
  return ciFile(path);
}
const CODE_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/;

export function publicEnvFileKind(path: string): PublicEnvFileKind | undefined {
  const name = posix.basename(path);
  if (ENV_FILE.test(name)) return 'env';
  if (isCiFile(path)) return 'ci';
  if (FRAMEWORK_CONFIG.test(name)) return 'config';
  if (CODE_FILE.test(name)) return 'code';
  return undefined;
}

/** `process.env.NAME`, `import.meta.env.NAME`, `env['NAME']` (and SvelteKit's `env.NAME`). */
function isEnvReference(text: string, nameStart: number): boolean {
  return /env\.$|env\[\s*["'`]$/.test(text.slice(Math.max(0, nameStart - 12), nameStart));
}

/** Ranges of SvelteKit's `import { PUBLIC_X } from '$env/static/public'` name lists. */
function svelteKitPublicImports(text: string): [number, number][] {
  if (!text.includes('$env/')) return [];
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(/import\s*\{([^{}]{0,2000})\}\s*from\s*["']\$env\/(?:static|dynamic)\/public["']/g)) {
    const start = m.index + m[0].indexOf('{');
    ranges.push([start, start + m[1].length + 1]);
  }
  return ranges;
}

const REMEDIATION =
  'Public env variables are compiled into the browser bundle, where anyone can read them. Rename the variable without ' +
  'the public prefix, read it only in server code (an API route, server action or serverless function) that calls the ' +
  'provider for the browser, and if a build with the public name was ever deployed, rotate the key.';

export const publicEnvSecret = defineRule({
  meta: {
    description: 'Secret in a public env variable that the framework inlines into the browser bundle',
    provider: 'Browser',
    severity: 'high',
    keywords: PUBLIC_ENV_PREFIXES.map((p) => p.prefix.toLowerCase()),
    // Kept next to a provider finding on the same key (two problems, two fixes: rotate the key,
    // rename the variable), and preferred over the generic assignment finding, which says less.
    specificity: 'provider',
    messages: {
      serverKey:
        '{{name}} holds a {{provider}} key, and {{framework}} inlines {{prefix}}* variables into the JavaScript bundle that every visitor downloads. Rename it to {{bare}}, call {{provider}} from server code, and rotate the key if a build with it was ever deployed.',
      serverOnlyName:
        '{{name}}: {{framework}} inlines {{prefix}}* variables into the JavaScript bundle that every visitor downloads, and {{provider}} keys must stay on the server. Rename it to {{bare}}, use it only in server code, and rotate the key if a build with it was ever deployed.',
      secretName:
        '{{name}}: {{framework}} inlines {{prefix}}* variables into the JavaScript bundle that every visitor downloads, and the name says it holds a secret. Rename it to {{bare}}, use it only in server code, and rotate it if a build with it was ever deployed.',
    },
    remediation: REMEDIATION,
  },
  create: () => ({
    fragment(fragment, context) {
      const kind = publicEnvFileKind(fragment.path);
      if (!kind) return;
      const { text } = fragment;
      const imports = kind === 'code' ? svelteKitPublicImports(text) : [];
      for (const m of text.matchAll(PUBLIC_NAME)) {
        const [name, , bare] = m;
        const start = m.index;
        const end = start + name.length;
        const reference = isEnvReference(text, start);
        // In code, only env references count: a constant that happens to start with `PUBLIC_` is not an env variable.
        if (kind === 'code' && !reference && !imports.some(([a, b]) => start > a && end < b)) continue;
        if (kind === 'code' && onCommentLine(text, start)) continue;

        const span = valueAfter(text, end, { colon: !reference, fallback: reference, bare: kind === 'env' || kind === 'ci' });
        const value = span ? text.slice(span.start, span.end) : '';
        const valueType = valueKind(value);
        const literal = valueType === 'literal' ? value : undefined;
        if (publishableEntry(bare, literal)) continue;
        // `NEXT_PUBLIC_PRIVATE_BETA=true`, `NEXT_PUBLIC_DATABASE_URL=http://localhost:5432`: settings, not secrets.
        if (valueType === 'flag' || valueType === 'address') continue;

        const keyProvider = literal === undefined ? undefined : serverKeyProvider(literal);
        const nameProvider = serverOnlyProviderByName(bare);
        if (!keyProvider && !nameProvider && !isSecretLikeName(bare)) continue;

        const prefix = publicPrefixOf(name)!;
        const data = { name, bare, prefix: prefix.prefix, framework: prefix.framework, provider: (keyProvider ?? nameProvider)?.provider ?? '' };
        const messageId = keyProvider ? 'serverKey' : nameProvider ? 'serverOnlyName' : 'secretName';
        // A literal value is redacted like any secret; a template or reference has none, so the finding points at the name.
        const secretRange: [number, number] = literal !== undefined ? [span!.start, span!.end] : [start, start];
        context.report({ range: [start, Math.max(end, secretRange[1])], secretRange, messageId, data });
      }
    },
  }),
});
