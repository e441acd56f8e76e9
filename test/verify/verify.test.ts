/**
 * verifyFindings on real scan results, against a local stand-in for Resend: how answers are read,
 * and the guarantees (one request per secret, none for placeholders or rules without a verifier,
 * time limits, pacing per host, plain http only to this machine).
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { scan } from '../../src/scan.js';
import { baseUrlVariable, classify, requestUrl, verifyFindings, VerifyError } from '../../src/verify/index.js';
import { generate, resendKey, tempDir, writeFiles } from '../helpers/index.js';
import { RESEND_ANSWERS, startProvider } from './provider.js';

const OVERRIDE = baseUrlVariable('resend-api-key');

/** Scans a temp folder holding `lines` in one file; returns the findings and the active rules. */
async function findingsFor(lines: string[]) {
  const dir = tempDir();
  writeFiles(dir, { 'keys.js': `${lines.join('\n')}\n` });
  const result = await scan({ cwd: dir });
  return { findings: result.findings, rules: result.ruleSet.rules };
}

const resendVerifier = async () => (await findingsFor(['x'])).rules.find((r) => r.id === 'resend-api-key')!.verify!;

describe('the Resend verifier', () => {
  it('is declared in rules/resend.yaml and reads answers as the issue says', async () => {
    const verify = await resendVerifier();
    expect(verify).toMatchObject({ method: 'GET', url: 'https://api.resend.com/domains', headers: { Authorization: 'Bearer {{secret}}' } });
    expect(classify(verify, 200, '{}')).toEqual({ verified: 'live', access: 'full' });
    expect(classify(verify, 401, RESEND_ANSWERS.sending.body)).toEqual({ verified: 'live', access: 'sending' });
    expect(classify(verify, 401, '{"name":"missing_api_key"}')).toEqual({ verified: 'revoked' });
    expect(classify(verify, 403, RESEND_ANSWERS.invalid.body)).toEqual({ verified: 'revoked' });
    expect(classify(verify, 429, '')).toEqual({ verified: 'unknown' });
    expect(classify(verify, 500, '')).toEqual({ verified: 'unknown' });
  });
});

describe('verifyFindings', () => {
  it('asks the provider once per key, with the key only in the Authorization header', async () => {
    const [full, sending, invalid, broken] = [resendKey(301), resendKey(302), resendKey(303), resendKey(304)];
    const provider = await startProvider(
      new Map([[full, RESEND_ANSWERS.full], [sending, RESEND_ANSWERS.sending], [invalid, RESEND_ANSWERS.invalid], [broken, RESEND_ANSWERS.serverError]]),
    );
    const { findings, rules } = await findingsFor([`a('${full}')`, `b('${sending}')`, `c('${invalid}')`, `d('${broken}')`, `e('${full}')`]);
    await verifyFindings(findings, rules, { env: { [OVERRIDE]: provider.url }, requestsPerSecond: 100 });
    expect(findings.map((f) => [f.line, f.verified, f.access])).toEqual([
      [1, 'live', 'full'],
      [2, 'live', 'sending'],
      [3, 'revoked', undefined],
      [4, 'unknown', undefined],
      [5, 'live', 'full'],
    ]);
    expect(provider.requests).toHaveLength(4);
    for (const request of provider.requests) {
      expect(request.method).toBe('GET');
      expect(request.url).toBe('/domains');
      expect(request.headers['user-agent']).toMatch(/leakproof/);
    }
    expect(provider.requests.map((r) => r.headers.authorization).sort()).toEqual([full, sending, invalid, broken].map((k) => `Bearer ${k}`).sort());
  });

  it('sends nothing for placeholders, secretless findings or rules without a verifier', async () => {
    const provider = await startProvider(new Map());
    const { findings, rules } = await findingsFor([`const apiKey = '${generate('{{alnum 32}}', 305)}';`]);
    expect(findings.map((f) => f.ruleId)).toEqual(['generic-secret-assignment']);
    const made = (secret: string, ruleId = 'resend-api-key'): Finding => ({ ...findings[0], ruleId, secret });
    const all = [...findings, made('re_xxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxx'), made(''), made(resendKey(306), 'no-such-rule')];
    await verifyFindings(all, rules, { env: { [OVERRIDE]: provider.url } });
    expect(all.map((f) => f.verified)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(provider.requests).toHaveLength(0);
  });

  it('gives up after the time limit: unknown', async () => {
    const key = resendKey(307);
    const provider = await startProvider(new Map([[key, { ...RESEND_ANSWERS.full, delayMs: 3000 }]]));
    const { findings, rules } = await findingsFor([`x('${key}')`]);
    const started = Date.now();
    await verifyFindings(findings, rules, { env: { [OVERRIDE]: provider.url }, timeoutMs: 200 });
    expect(findings[0].verified).toBe('unknown');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(provider.requests).toHaveLength(1);
  });

  it('spaces requests to one host by the rate limit', async () => {
    const keys = [308, 309, 310, 311].map((seed) => resendKey(seed));
    const provider = await startProvider(new Map(keys.map((k) => [k, RESEND_ANSWERS.invalid])));
    const { findings, rules } = await findingsFor(keys.map((k) => `x('${k}')`));
    await verifyFindings(findings, rules, { env: { [OVERRIDE]: provider.url }, requestsPerSecond: 5 });
    const times = provider.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(times).toHaveLength(4);
    // 5 per second: at least 200 ms apart (a little slack for timer granularity).
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(180);
    expect(findings.every((f) => f.verified === 'revoked')).toBe(true);
  });

  it('accepts an override only as https, or plain http to this machine', async () => {
    const verify = await resendVerifier();
    const rule = { id: 'resend-api-key', verify };
    const key = resendKey(312);
    expect(requestUrl(rule, key, {}).href).toBe('https://api.resend.com/domains');
    expect(requestUrl(rule, key, { [OVERRIDE]: 'http://127.0.0.1:9/' }).href).toBe('http://127.0.0.1:9/domains');
    expect(requestUrl(rule, key, { [OVERRIDE]: 'https://proxy.example.test/resend' }).href).toBe('https://proxy.example.test/resend/domains');
    expect(() => requestUrl(rule, key, { [OVERRIDE]: 'http://proxy.example.test' })).toThrow(VerifyError);
    expect(() => requestUrl(rule, key, { [OVERRIDE]: 'not a url' })).toThrow(/LEAKPROOF_VERIFY_BASE_URL_RESEND_API_KEY: not a URL/);
  });
});
