import type { Finding } from '../findings/finding.js';
import type { Verdict } from './verdict.js';

/**
 * Inline ignores on the finding's line, in any comment syntax: `leakproof:allow` (optionally with
 * rule ids: `leakproof:allow resend-api-key,aws-access-key`), and the forms other scanners use so
 * teams can migrate: `gitleaks:allow`, `pragma: allowlist secret`, `secretlint-disable-line`.
 */
const MARKER = /leakproof:allow(?:[ \t]+([a-z0-9/-]+(?:[ \t]*,[ \t]*[a-z0-9/-]+)*))?|gitleaks:allow|pragma:[ \t]*allowlist[ \t]+secret|secretlint-disable-line/gi;

export function inlineFilter(finding: Finding): Verdict {
  const line = finding.lineText;
  if (line.length === 0 || !/allow|secretlint-disable-line/i.test(line)) return { keep: true };
  for (const match of line.matchAll(MARKER)) {
    const ids = match[1];
    if (ids === undefined) return { keep: false, by: 'inline', entry: match[0] };
    const listed = ids.split(',').map((s) => s.trim());
    if (listed.includes(finding.ruleId)) return { keep: false, by: 'inline', entry: match[0] };
  }
  return { keep: true };
}
