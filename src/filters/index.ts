/**
 * Filter stage: each filter says keep or drop (with the entry that dropped it), applied in one
 * order: inline comments, then the config allow-list, then the baseline. Pure: no fs, no git.
 */
import type { Finding } from '../findings/finding.js';
import { allowListFilter, type AllowList } from './allowlist.js';
import { inlineFilter } from './inline.js';
import type { Verdict } from './verdict.js';

export type { AllowList } from './allowlist.js';
export type { Verdict } from './verdict.js';
export { inlineFilter } from './inline.js';

export interface Dropped {
  finding: Finding;
  verdict: Exclude<Verdict, { keep: true }>;
}

export type Filter = (finding: Finding) => Verdict;

export function buildFilters(allow: AllowList, extra: Filter[] = []): Filter[] {
  return [inlineFilter, allowListFilter(allow), ...extra];
}

export function applyFilters(findings: Finding[], filters: readonly Filter[], dropped: Dropped[]): Finding[] {
  return findings.filter((finding) => {
    for (const filter of filters) {
      const verdict = filter(finding);
      if (!verdict.keep) {
        dropped.push({ finding, verdict });
        return false;
      }
    }
    return true;
  });
}
