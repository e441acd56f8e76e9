/**
 * Fixed reporter input for golden files: findings built with the real `fingerprintOf` and
 * `toReported`, around keys generated from fixed seeds (no key-shaped literal in the repo), fixed
 * stats and rule metadata written out here (not read from rules/, so catalogue edits do not move
 * the goldens). Covers: two findings in one file, a multi-line secret, a file finding with no
 * secret, a history finding with commit and presentAtHead, a key verified live, and a path with
 * a space.
 */
import { compareFindings, fingerprintOf, toReported, type Finding, type ReportedFinding } from '../../src/findings/finding.js';
import type { ReportInput, RuleInfo } from '../../src/reporters/index.js';
import type { Origin } from '../../src/sources/fragment.js';
import { generate, resendKey } from '../helpers/index.js';

export const RULES: RuleInfo[] = [
  {
    id: 'resend-api-key',
    description: 'Resend API key',
    provider: 'Resend',
    severity: 'critical',
    remediation:
      'Create a new Resend API key with the same permission and domain scope, deploy it everywhere the old one is used, check that traffic uses the new key, then delete the old key. Keep the key in an environment variable (RESEND_API_KEY) loaded from a .env file that .gitignore covers.',
  },
  {
    id: 'generic-secret-assignment',
    description: 'Secret assigned to a variable',
    provider: 'Generic',
    severity: 'high',
    remediation: 'Rotate the secret with its provider and load it from the environment.',
  },
  {
    id: 'private-key',
    description: 'Private key (PEM / OpenSSH)',
    provider: 'Private key',
    severity: 'critical',
    remediation: 'Generate a new key pair, replace the public key wherever it is trusted, and remove the old one.',
  },
  {
    id: 'dotenv-not-ignored',
    description: '.env file not covered by .gitignore',
    provider: 'Project',
    severity: 'medium',
    remediation: 'Add `.env` (and `.env.*` with `!.env.example`) to `.gitignore`.',
  },
  // Active but without findings: SARIF lists only rules with results.
  { id: 'openai-api-key', description: 'OpenAI API key', provider: 'OpenAI', severity: 'critical' },
];

/** The raw secrets in the fixture, for "never printed" assertions. */
export const SECRETS = {
  resend: resendKey(101),
  resendOld: resendKey(102),
  generic: generate('{{alnum 24}}', 104),
  pemBody: generate('{{pem "RSA PRIVATE KEY"}}', 103).split('\n').slice(1, -1).join('\n'),
};

function finding(path: string, ruleId: string, line: number, lineText: string, secret: string, extra: Partial<Finding> = {}): Finding {
  const rule = RULES.find((r) => r.id === ruleId)!;
  const lines = secret.split('\n');
  const column = secret.length > 0 ? lineText.indexOf(lines[0]) + 1 : 1;
  const endLine = line + lines.length - 1;
  const endColumn = lines.length > 1 ? lines[lines.length - 1].length + 1 : column + secret.length;
  const origin: Origin = extra.commit ? 'history' : 'directory';
  return {
    ruleId,
    severity: rule.severity,
    message: rule.description,
    path,
    line,
    column,
    endLine,
    endColumn,
    secret,
    lineText,
    fingerprint: fingerprintOf(ruleId, secret, path),
    origin,
    ...extra,
  };
}

export function fixtureFindings(): Finding[] {
  const body = SECRETS.pemBody;
  return [
    finding('src/email.ts', 'resend-api-key', 2, `const resend = new Resend('${SECRETS.resend}');`, SECRETS.resend, { verified: 'live', access: 'full' }),
    finding('src/email.ts', 'generic-secret-assignment', 9, `const smtpPassword = "${SECRETS.generic}";`, SECRETS.generic),
    finding('deploy/id_rsa', 'private-key', 2, body.split('\n')[0], body),
    finding('.env', 'dotenv-not-ignored', 1, '', ''),
    finding('config/old settings.js', 'resend-api-key', 4, `  resendKey: "${SECRETS.resendOld}",`, SECRETS.resendOld, {
      commit: {
        sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
        author: 'Ada Lovelace',
        email: 'ada@example.test',
        date: '2024-03-01T10:00:00+00:00',
        subject: 'Add settings',
      },
      presentAtHead: false,
    }),
  ].sort(compareFindings);
}

/** Reporter input with the findings as an array of views (as a library caller would pass them). */
export type FixtureInput = ReportInput & { findings: ReportedFinding[] };

export function fixtureInput(options: { showSecrets?: boolean; color?: boolean; verbose?: boolean } = {}): FixtureInput {
  return {
    command: 'scan',
    findings: fixtureFindings().map((f) => toReported(f, { showSecrets: options.showSecrets === true })),
    stats: { filesScanned: 1204, bytesScanned: 48 * 1024 * 1024 + 123_456, filesSkipped: 2, durationMs: 912.4 },
    skipped: [
      { path: 'assets/logo.png', reason: 'binary' },
      { path: 'dist/bundle.min.js', reason: 'larger than 10485760 bytes' },
    ],
    rules: RULES,
    color: options.color === true,
    verbose: options.verbose === true,
  };
}

/** The same run with nothing found. */
export function cleanInput(): FixtureInput {
  return { ...fixtureInput(), findings: [] };
}
