import type { Finding } from '../findings/finding.js';
import type { Verdict } from './verdict.js';

/**
 * Pre-commit and pull-request scans report what the change adds: a finding stays when one of its
 * lines is an added line. Any line, not only the first, so a private key whose middle was edited
 * is still reported. Old secrets elsewhere in the file are for `scan`, `history` and the baseline.
 */
export function addedLinesFilter(added: ReadonlySet<number>): (finding: Finding) => Verdict {
  return (finding) => {
    for (let line = finding.line; line <= finding.endLine; line++) if (added.has(line)) return { keep: true };
    return { keep: false, by: 'unchanged-line', entry: 'not added by this change; --all-lines reports it' };
  };
}
