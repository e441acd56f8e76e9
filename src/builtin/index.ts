/**
 * leakproof's own code rules. They use the public plugin API (`CodeRule`), so the API that
 * plugin authors get is the one we use every day.
 */
import type { PatternRuleDef } from '../detector/pattern-rule.js';
import type { CodeRule } from '../plugins/api.js';
import { CLIENT_FILE_CONVENTIONS, serverKeyInClientCode } from './client-code.js';
import { dotenvCommitted, dotenvNotIgnored } from './dotenv.js';
import { CI_FILE_GLOBS, publicEnvSecret } from './public-env.js';

export const BUILTIN_CODE_RULES: Readonly<Record<string, CodeRule>> = {
  'dotenv-committed': dotenvCommitted,
  'dotenv-not-ignored': dotenvNotIgnored,
  'public-env-secret': publicEnvSecret,
  'server-key-in-client-code': serverKeyInClientCode,
};

/** Every path glob the built-in rules match, for the build to precompile (see detector/globs.ts). */
export function builtinGlobs(ruleDefs: readonly PatternRuleDef[]): string[] {
  return [...CLIENT_FILE_CONVENTIONS.flatMap((c) => c.paths ?? []), ...CI_FILE_GLOBS, ...ruleDefs.flatMap((def) => def.allow?.paths ?? [])];
}
