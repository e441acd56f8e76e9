/**
 * Project checks for `.env` files, written with the public plugin API. Provider guidance: keep keys
 * in a `.env` that `.gitignore` covers, and never commit it. Git answers what is ignored.
 */
import { posix } from 'node:path';
import { defineRule } from '../plugins/api.js';

/** `.env`, `.env.local`, `.env.production`, …; not the templates teams commit on purpose. */
export function isDotenvFile(path: string): boolean {
  // Asked of every file in the scan: most paths are ruled out without taking them apart.
  if (!path.includes('.env')) return false;
  const name = posix.basename(path);
  if (!/^\.env(\.[\w.-]+)?$/.test(name)) return false;
  return !/\.(example|sample|template|dist|defaults|schema|tpl)$/i.test(name);
}

const ROTATE = 'Rotate every key that was in it: anyone with the repository has them.';

export const dotenvCommitted = defineRule({
  meta: {
    description: '.env file committed to git',
    provider: 'Project',
    severity: 'high',
    messages: {
      committed: `{{path}} is tracked by git: run \`git rm --cached {{path}}\`, add it to .gitignore, and move shared defaults to .env.example. ${ROTATE}`,
    },
    remediation: 'Untrack the file with `git rm --cached <file>`, add `.env` to `.gitignore`, and rotate every key it held.',
  },
  create: () => ({
    project(project, context) {
      for (const path of project.tracked) {
        if (isDotenvFile(path)) context.report({ path, messageId: 'committed', data: { path } });
      }
    },
  }),
});

export const dotenvNotIgnored = defineRule({
  meta: {
    description: '.env file not covered by .gitignore',
    provider: 'Project',
    severity: 'medium',
    messages: {
      notIgnored: '{{path}} is not covered by .gitignore: add `{{entry}}` to .gitignore so the keys in it are never committed.',
    },
    remediation: 'Add `.env` (and `.env.*` with `!.env.example`) to `.gitignore`.',
  },
  create: () => ({
    async project(project, context) {
      if (!project.isGit) return;
      // A tracked one is reported as dotenv-committed, whose message covers .gitignore too.
      const candidates = project.files.filter((path) => isDotenvFile(path) && !project.tracked.has(path));
      if (candidates.length === 0) return;
      const ignored = await project.ignored(candidates);
      for (const path of candidates) {
        if (!ignored.has(path)) context.report({ path, messageId: 'notIgnored', data: { path, entry: posix.basename(path) } });
      }
    },
  }),
});
