/**
 * leakproof's own code rules. They use the public plugin API (`CodeRule`), so the API that
 * plugin authors get is the one we use every day.
 */
import type { CodeRule } from '../plugins/api.js';
import { serverKeyInClientCode } from './client-code.js';
import { dotenvCommitted, dotenvNotIgnored } from './dotenv.js';
import { publicEnvSecret } from './public-env.js';

export const BUILTIN_CODE_RULES: Readonly<Record<string, CodeRule>> = {
  'dotenv-committed': dotenvCommitted,
  'dotenv-not-ignored': dotenvNotIgnored,
  'public-env-secret': publicEnvSecret,
  'server-key-in-client-code': serverKeyInClientCode,
};
