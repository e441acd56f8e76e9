/**
 * `--verify`: asks each provider whether a found key is live, using the rule's declared request.
 * Opt-in only. One request per distinct secret, spaced per host, each with a timeout; never for
 * placeholders or rules without a verifier. The secret goes only into the request, never into
 * output: results are `live`, `revoked` or `unknown`.
 */
import type { ActiveRule } from '../detector/detector.js';
import type { ResponseMatch, VerifierDef } from '../detector/pattern-rule.js';
import { isPlaceholder } from '../detector/secret-checks.js';
import type { Finding, Verified } from '../findings/finding.js';

export class VerifyError extends Error {}

export interface VerifyOptions {
  /** Per-request time limit; a request that takes longer is `unknown`. */
  timeoutMs?: number;
  /** At most this many requests per second to one host. */
  requestsPerSecond?: number;
  /** Where `LEAKPROOF_VERIFY_BASE_URL_<RULE_ID>` overrides are read from (the CLI passes process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface VerifyResult {
  verified: Verified;
  access?: string;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_REQUESTS_PER_SECOND = 5;
const USER_AGENT = 'leakproof (secret verification)';

/** `resend-api-key` → `LEAKPROOF_VERIFY_BASE_URL_RESEND_API_KEY`. */
export function baseUrlVariable(ruleId: string): string {
  return `LEAKPROOF_VERIFY_BASE_URL_${ruleId.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The URL the request goes to: the rule's URL, or the same path and query under an override base
 * (for tests and proxies). Plain http is allowed only to this machine: keys never travel
 * unencrypted over a network.
 */
export function requestUrl(rule: { id: string; verify: VerifierDef }, secret: string, env: VerifyOptions['env']): URL {
  const url = new URL(rule.verify.url.replaceAll('{{secret}}', encodeURIComponent(secret)));
  const variable = baseUrlVariable(rule.id);
  const override = env?.[variable];
  if (override === undefined || override === '') return url;
  let base: URL;
  try {
    base = new URL(override);
  } catch {
    throw new VerifyError(`${variable}: not a URL: ${override}`);
  }
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && LOOPBACK.has(base.hostname))) {
    throw new VerifyError(`${variable}: must be https:// (plain http only to 127.0.0.1 or localhost)`);
  }
  base.pathname = base.pathname.replace(/\/$/, '') + url.pathname;
  base.search = url.search;
  return base;
}

const matches = (m: ResponseMatch, status: number, body: string): boolean =>
  (Array.isArray(m.status) ? m.status.includes(status) : m.status === status) && (m.bodyIncludes === undefined || body.includes(m.bodyIncludes));

/** Reads a provider answer: live rules first (a restricted key's 401 is live), then revoked, else unknown. */
export function classify(verify: VerifierDef, status: number, body: string): VerifyResult {
  const live = verify.live.find((m) => matches(m, status, body));
  if (live) return live.access === undefined ? { verified: 'live' } : { verified: 'live', access: live.access };
  if (verify.revoked.some((m) => matches(m, status, body))) return { verified: 'revoked' };
  return { verified: 'unknown' };
}

/** Spaces requests to one host at least `intervalMs` apart; different hosts do not wait for each other. */
class HostPacer {
  private readonly nextSlot = new Map<string, number>();
  constructor(private readonly intervalMs: number) {}

  async wait(host: string): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot.get(host) ?? 0);
    this.nextSlot.set(host, slot + this.intervalMs);
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}

async function ask(rule: { id: string; verify: VerifierDef }, secret: string, url: URL, timeoutMs: number): Promise<VerifyResult> {
  const fill = (s: string): string => s.replaceAll('{{secret}}', secret);
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
  for (const [name, value] of Object.entries(rule.verify.headers ?? {})) headers[name] = fill(value);
  try {
    const response = await fetch(url, {
      method: rule.verify.method,
      headers,
      body: rule.verify.body === undefined ? undefined : fill(rule.verify.body),
      // A redirect could carry the key somewhere the rule did not name: treat it as no answer.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = rule.verify.method === 'HEAD' ? '' : await response.text();
    return classify(rule.verify, response.status, body);
  } catch {
    // Timeout, refused connection, DNS failure, a header value fetch rejects: no answer.
    return { verified: 'unknown' };
  }
}

/**
 * Sets `verified` (and `access`) on every finding. Findings without a secret, placeholders and
 * rules without a verifier are `unknown` without a request; each distinct (rule, secret) is asked
 * once, and every finding of it gets the answer.
 */
export async function verifyFindings(findings: Finding[], rules: readonly ActiveRule[], options: VerifyOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const verifierOf = new Map(rules.filter((r) => r.verify).map((r) => [r.id, { id: r.id, verify: r.verify! }]));
  // First every URL (a bad override fails here, before any request), one per distinct secret.
  const questions = new Map<string, { rule: { id: string; verify: VerifierDef }; secret: string; url: URL; asked: Finding[] }>();
  for (const finding of findings) {
    const rule = verifierOf.get(finding.ruleId);
    if (!rule || finding.secret.length === 0 || isPlaceholder(finding.secret)) {
      finding.verified = 'unknown';
      continue;
    }
    const key = `${rule.id}\0${finding.secret}`;
    const question = questions.get(key) ?? { rule, secret: finding.secret, url: requestUrl(rule, finding.secret, options.env), asked: [] };
    question.asked.push(finding);
    questions.set(key, question);
  }
  const pacer = new HostPacer(1000 / (options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND));
  await Promise.all(
    [...questions.values()].map(async ({ rule, secret, url, asked }) => {
      await pacer.wait(url.host);
      const result = await ask(rule, secret, url, timeoutMs);
      for (const finding of asked) {
        finding.verified = result.verified;
        if (result.access !== undefined) finding.access = result.access;
      }
    }),
  );
}

/** Lines for the text report: each verified key (never the key itself) and the totals. */
export function verificationLines(findings: readonly Finding[]): string[] {
  const checked = findings.filter((f) => f.secret.length > 0 && f.verified !== undefined);
  if (checked.length === 0) return [];
  const label = (f: Finding): string =>
    f.verified === 'live' ? `live${f.access ? ` (${f.access} access)` : ''}: rotate it now` : f.verified === 'revoked' ? 'revoked (the provider rejects it)' : 'unknown (no verifier, no answer, or an answer the rule does not know)';
  const lines = ['Verified with the providers (--verify)'];
  for (const f of checked) lines.push(`  ${f.path}:${f.line}:${f.column}  ${f.ruleId}  ${label(f)}`);
  const count = (v: Verified): number => checked.filter((f) => f.verified === v).length;
  lines.push(`  ${count('live')} live · ${count('revoked')} revoked · ${count('unknown')} unknown`, '');
  return lines;
}
