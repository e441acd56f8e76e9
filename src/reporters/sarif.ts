/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): one run, one result per finding.
 * `tool.driver.rules` lists only the rules that have results: the report stays small and stable
 * as the catalogue grows, and every result's `ruleIndex` points into it. The test suite validates
 * this output against the official OASIS schema (fixtures/schemas/sarif-schema-2.1.0.json).
 */
import type { ReportedFinding } from '../findings/finding.js';
import type { Severity } from '../plugins/api.js';
import type { Reporter, RuleInfo } from './types.js';
import { findingList, ITEMS_HERE, streamJson } from './stream.js';

const SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** GitHub buckets `security-severity`: >= 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, below low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

const DEFAULT_REMEDIATION = 'Rotate the secret with its provider, remove it from the code, and load it from the environment or a secret manager.';

/** `resend-api-key` → `ResendApiKey` (SARIF's readable rule name). */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Relative path → URI reference: each segment percent-encoded, so spaces, `#` and `?` stay in the path. */
function pathToUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

function ruleDescriptor(rule: RuleInfo) {
  const remediation = oneLine(rule.remediation ?? DEFAULT_REMEDIATION);
  return {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description} (${rule.provider}). Anyone who can read this value can use it.` },
    help: {
      text: `How to fix: ${remediation}`,
      markdown: `**${rule.description}** (${rule.provider})\n\n**How to fix:** ${remediation}`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['security', 'secret'], provider: rule.provider, severity: rule.severity, 'security-severity': SECURITY_SEVERITY[rule.severity] },
  };
}

function resultMessage(f: ReportedFinding): string {
  // `found:` rather than `key: value`, so the report does not read as an assignment to secret scanners.
  const value = f.redacted.length > 0 ? ` found: ${f.redacted.split(/\r?\n/)[0]}` : '';
  const commit = f.commit ? ` (commit ${f.commit.sha.slice(0, 12)}${f.presentAtHead === false ? ', removed since' : ''})` : '';
  const live = f.verified === 'live' ? ' (verified live: rotate it now)' : '';
  return `${f.message}${value}${commit}${live}`;
}

function result(f: ReportedFinding, ruleIndex: number) {
  const properties: Record<string, unknown> = { severity: f.severity };
  if (f.commit) properties.commit = f.commit;
  if (f.presentAtHead !== undefined) properties.presentAtHead = f.presentAtHead;
  if (f.pushed !== undefined) properties.pushed = f.pushed;
  if (f.occurrences !== undefined) properties.occurrences = f.occurrences;
  if (f.verified !== undefined) properties.verified = f.verified;
  if (f.access !== undefined) properties.access = f.access;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: resultMessage(f) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: pathToUri(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    // The finding fingerprint hashes rule id and secret, so an alert follows the secret when lines move.
    partialFingerprints: { 'leakproofFingerprint/v1': f.fingerprint },
    properties,
  };
}

export const sarifReporter: Reporter = (input) => {
  const findings = findingList(input.findings);
  const known = new Map(input.rules.map((r) => [r.id, r]));
  const used: RuleInfo[] = [];
  const indexOf = new Map<string, number>();
  for (let i = 0; i < findings.length; i++) {
    const { ruleId, severity } = findings.head(i);
    if (indexOf.has(ruleId)) continue;
    // A finding whose rule is not in the list (should not happen) still gets a descriptor.
    const rule = known.get(ruleId) ?? { id: ruleId, description: findings.at(i).message, provider: ruleId.split(/[-/]/)[0], severity };
    indexOf.set(ruleId, used.length);
    used.push(rule);
  }
  const log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'leakproof',
            rules: used.map(ruleDescriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: ITEMS_HERE,
      },
    ],
  };
  return streamJson(log, results());

  function* results() {
    for (let i = 0; i < findings.length; i++) {
      const f = findings.at(i);
      yield result(f, indexOf.get(f.ruleId)!);
    }
  }
};
