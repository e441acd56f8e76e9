import { lazyCrypto } from '../lazy.js';
import { identityOf, type Finding } from '../findings/finding.js';
import type { Verdict } from './verdict.js';

/**
 * Findings accepted earlier. Entries are {rule, path, hash}: no line numbers (moving code does not
 * invalidate them) and no timestamps (nothing churns), and the hash is an HMAC of the secret keyed
 * with the file's own random salt, so the file reveals nothing useful and holds no plain text.
 */
export interface BaselineEntry {
  rule: string;
  path: string;
  hash: string;
}

export interface Baseline {
  /** Hex key for the HMAC; created once per baseline file and kept when it is rewritten. */
  salt: string;
  entries: BaselineEntry[];
}

export function baselineHash(salt: string, finding: Pick<Finding, 'ruleId' | 'secret' | 'path' | 'lineText'>): string {
  const identity = identityOf(finding.ruleId, finding.secret, finding.path, finding.lineText);
  return lazyCrypto().createHmac('sha256', Buffer.from(salt, 'hex')).update(identity).digest('hex');
}

export function entryOf(salt: string, finding: Finding): BaselineEntry {
  return { rule: finding.ruleId, path: finding.path, hash: baselineHash(salt, finding) };
}

const keyOf = (e: BaselineEntry): string => `${e.rule}\0${e.path}\0${e.hash}`;

/** A filter that drops baselined findings and remembers which entries matched (the rest are stale). */
export class BaselineFilter {
  private readonly keys: Map<string, BaselineEntry>;
  private readonly matched = new Set<string>();

  constructor(private readonly baseline: Baseline) {
    this.keys = new Map(baseline.entries.map((e) => [keyOf(e), e]));
  }

  readonly filter = (finding: Finding): Verdict => {
    const key = keyOf(entryOf(this.baseline.salt, finding));
    if (!this.keys.has(key)) return { keep: true };
    this.matched.add(key);
    return { keep: false, by: 'baseline', entry: `${finding.ruleId} ${finding.path}` };
  };

  /** Entries that matched no finding in this run. */
  stale(): BaselineEntry[] {
    return [...this.keys].filter(([key]) => !this.matched.has(key)).map(([, e]) => e);
  }
}

/** Sorted, one entry per line: merges cleanly and diffs read well. */
export function serializeBaseline(baseline: Baseline): string {
  const unique = new Map(baseline.entries.map((e) => [keyOf(e), e]));
  const entries = [...unique.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : a.hash < b.hash ? -1 : 1));
  const lines = entries.map((e) => `    ${JSON.stringify({ rule: e.rule, path: e.path, hash: e.hash })}`);
  return `{\n  "version": 1,\n  "salt": ${JSON.stringify(baseline.salt)},\n  "entries": [\n${lines.join(',\n')}${lines.length ? '\n' : ''}  ]\n}\n`;
}
