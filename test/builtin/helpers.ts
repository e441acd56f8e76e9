/** Test data for the browser-exposure rules, generated so the repository holds no key-shaped literal. */
import { generate } from '../helpers/index.js';

/** A Supabase-style JWT with the given role claim (`anon`, `service_role`). */
export function jwtWithRole(role: string, seed = 1): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = { iss: 'supabase', ref: generate('{{lower 20}}', seed), role, iat: 1700000000, exp: 2000000000 };
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.${generate('{{base64url 43}}', seed)}`;
}

/**
 * Public prefixes, spelled apart from the rest of each name so that this repository's own scan
 * does not see a public env reference in the test sources.
 */
export const P = {
  next: 'NEXT_PUBLIC_',
  nuxt: 'NUXT_PUBLIC_',
  expo: 'EXPO_PUBLIC_',
  cra: 'REACT_APP_',
  vite: 'VITE_',
  vue: 'VUE_APP_',
  gatsby: 'GATSBY_',
  pub: 'PUBLIC_',
} as const;
