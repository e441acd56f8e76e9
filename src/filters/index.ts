/**
 * Filter stage: each filter says keep or drop (with the entry that dropped it), applied in one
 * order: inline comments, then the config allow-list, then the baseline. Pure: no fs, no git.
 */
import type { Finding } from '../findings/finding.js';
import { inlineFilter } from './inline.js';
import type { Verdict } from './verdict.js';

export { AllowListFilter, type AllowList } from './allowlist.js';
export { BaselineFilter, baselineHash, entryOf, serializeBaseline, type Baseline, type BaselineEntry } from './baseline.js';
export type { Verdict } from './verdict.js';
export { inlineFilter } from './inline.js';
export { addedLinesFilter } from './added-lines.js';

export interface Dropped {
  finding: Finding;
  verdict: Exclude<Verdict, { keep: true }>;
}

export type Filter = (finding: Finding) => Verdict;

/** The filter order: inline comments, the config allow-list, source-specific filters, the baseline. */
export function buildFilters(allow: Filter, extra: Filter[] = [], baseline?: Filter): Filter[] {
  return [inlineFilter, allow, ...extra, ...(baseline ? [baseline] : [])];
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
