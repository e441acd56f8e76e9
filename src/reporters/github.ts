/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding,
 * shown on the pull request's changed lines, then a plain summary line. GitHub shows at most 10
 * annotations of each level per step; the log still lists every finding.
 */
import type { ReportedFinding } from '../findings/finding.js';
import type { Severity } from '../plugins/api.js';
import type { Reporter, RuleInfo } from './types.js';
import { plural } from './format.js';
import { findingList } from './stream.js';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };
const ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Escaping of the message part, as in @actions/core: `%` first, then line breaks. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values (file, title) also escape `:` and `,`, which separate properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

function annotation(f: ReportedFinding, rule: RuleInfo | undefined): string {
  const properties = [
    `file=${escapeProperty(f.file)}`,
    `line=${f.line}`,
    `endLine=${f.endLine}`,
    `col=${f.column}`,
    `endColumn=${f.endColumn}`,
    `title=${escapeProperty(`${f.ruleId} (${f.severity})`)}`,
  ];
  // `found:` rather than `key: value`, so the log does not read as an assignment to secret scanners.
  const lines = [f.redacted.length > 0 ? `${f.message} found: ${f.redacted}` : f.message];
  if (f.commit) {
    const head = f.presentAtHead === undefined ? '' : f.presentAtHead ? ', still at HEAD' : ', removed since';
    lines.push(`Commit ${f.commit.sha.slice(0, 12)} (${f.commit.date.slice(0, 10)}${head})`);
  }
  if (f.verified === 'live') lines.push(`Verified live${f.access ? ` (${f.access} access)` : ''}: rotate it now`);
  if (rule?.remediation) lines.push(`How to fix: ${oneLine(rule.remediation)}`);
  return `::${COMMAND[f.severity]} ${properties.join(',')}::${escapeData(lines.join('\n'))}`;
}


export const githubReporter: Reporter = function* (input) {
  const findings = findingList(input.findings);
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  const files = new Set<string>();
  const counts = new Map<Severity, number>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings.at(i);
    files.add(f.file);
    counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
    yield `${annotation(f, ruleById.get(f.ruleId))}\n`;
  }
  const present = ORDER.filter((s) => counts.has(s));
  const head = findings.length === 0 ? 'no secrets found' : `${plural(findings.length, 'secret')} in ${plural(files.size, 'file')} (${present.map((s) => `${counts.get(s)} ${s}`).join(', ')})`;
  yield `leakproof: ${head} · ${plural(input.stats.filesScanned, 'file')} scanned\n`;
};
