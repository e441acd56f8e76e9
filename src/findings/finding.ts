/**
 * Findings own the secret. Only this module reads `secret`; everything downstream uses
 * `toReported()`, which redacts unless the user asked for `--show-secrets`. Fingerprints are
 * hashes, so baselines and caches never hold plain text.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../plugins/api.js';
import type { CommitInfo, Origin } from '../sources/fragment.js';

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  /** Exclusive: the column just after the secret (as in SARIF). */
  endColumn: number;
  /** The raw secret. Empty for findings about a file rather than a value (e.g. a committed `.env`). */
  secret: string;
  /** The line holding the start of the secret (cut around it when very long). */
  lineText: string;
  /** Hash of rule id and secret (or path, for file findings): stable across moves and commits. */
  fingerprint: string;
  origin: Origin;
  commit?: CommitInfo;
  blob?: string;
  /** Set for history findings: whether the same secret is still in the file at HEAD. */
  presentAtHead?: boolean;
  /** Set by `--verify`: whether the provider accepts the key. */
  verified?: Verified;
  /** With `verified: live`, what the key can do, when the provider says (e.g. `full`, `sending`). */
  access?: string;
}

export type Verified = 'live' | 'revoked' | 'unknown';

export interface ReportedFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The secret redacted, e.g. `re_Ab…(36 chars)`; the raw secret when `--show-secrets`. */
  redacted: string;
  fingerprint: string;
  /** The offending line with the secret masked (or shown, with `--show-secrets`). */
  snippet: string;
  commit?: CommitInfo;
  presentAtHead?: boolean;
  verified?: Verified;
  access?: string;
  /** Only with `--show-secrets`. */
  secret?: string;
}

/** Hex SHA-256 (first 32 chars) of a finding's identity. Never the secret itself. */
export function fingerprintOf(ruleId: string, secret: string, path: string): string {
  const identity = secret.length > 0 ? `secret\0${ruleId}\0${secret}` : `file\0${ruleId}\0${path}`;
  return createHash('sha256').update(`leakproof/v1\0${identity}`).digest('hex').slice(0, 32);
}

/** `re_Ab…(36 chars)`: a short prefix (never more than a quarter of the secret) and the length. */
export function redact(secret: string): string {
  if (secret.length === 0) return '';
  const shown = Math.min(5, Math.floor(secret.length / 4));
  const firstLine = secret.slice(0, shown).split(/\r?\n/)[0];
  return `${firstLine}…(${secret.length} chars)`;
}

export function toReported(finding: Finding, options: { showSecrets: boolean }): ReportedFinding {
  const { secret } = finding;
  const firstLineOfSecret = secret.split(/\r?\n/)[0];
  let snippet = finding.lineText;
  if (!options.showSecrets && firstLineOfSecret.length > 0) {
    const masked = redact(secret);
    snippet = snippet.split(firstLineOfSecret).join(masked);
  }
  if (snippet.length > 300) snippet = `${snippet.slice(0, 300)}…`;
  const reported: ReportedFinding = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    file: finding.path,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    redacted: options.showSecrets ? secret : redact(secret),
    fingerprint: finding.fingerprint,
    snippet,
  };
  if (finding.commit) reported.commit = finding.commit;
  if (finding.presentAtHead !== undefined) reported.presentAtHead = finding.presentAtHead;
  if (finding.verified !== undefined) reported.verified = finding.verified;
  if (finding.access !== undefined) reported.access = finding.access;
  if (options.showSecrets) reported.secret = secret;
  return reported;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Stable report order: path, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
