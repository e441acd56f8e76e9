/**
 * leakproof's own code rules. They use the public plugin API (`CodeRule`), so the API that
 * plugin authors get is the one we use every day.
 */
import type { CodeRule } from '../plugins/api.js';
import { dotenvCommitted, dotenvNotIgnored } from './dotenv.js';

export const BUILTIN_CODE_RULES: Readonly<Record<string, CodeRule>> = {
  'dotenv-committed': dotenvCommitted,
  'dotenv-not-ignored': dotenvNotIgnored,
};
