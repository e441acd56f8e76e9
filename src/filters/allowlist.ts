import { globMatcher, type GlobTable } from '../detector/globs.js';
import type { Finding } from '../findings/finding.js';
import type { Verdict } from './verdict.js';

/** The config's allow-list, compiled. */
export interface AllowList {
  /** picomatch globs relative to the scan root. */
  paths: string[];
  regexes: RegExp[];
  /** Lowercase. */
  stopwords: string[];
}

/** Drops findings the config allows, and remembers which entries were used (the rest are hints). */
export class AllowListFilter {
  private readonly pathMatchers: { entry: string; match: (path: string) => boolean }[];
  private readonly used = new Set<string>();

  /** `globs`: regexes compiled for `allow.paths` already (the config's, see loadConfig); others compile here. */
  constructor(
    private readonly allow: AllowList,
    globs?: GlobTable,
  ) {
    this.pathMatchers = allow.paths.map((glob) => ({ entry: `path ${glob}`, match: globMatcher([glob], globs) }));
  }

  readonly filter = (finding: Finding): Verdict => {
    for (const { entry, match } of this.pathMatchers) if (match(finding.path)) return this.drop(entry);
    if (finding.secret.length > 0) {
      for (const regex of this.allow.regexes) if (regex.test(finding.secret)) return this.drop(`regex ${regex.source}`);
      const lower = finding.secret.toLowerCase();
      for (const word of this.allow.stopwords) if (lower.includes(word)) return this.drop(`stopword ${word}`);
    }
    return { keep: true };
  };

  private drop(entry: string): Verdict {
    this.used.add(entry);
    return { keep: false, by: 'allowlist', entry };
  }

  /** Entries that dropped nothing in this run. */
  unused(): string[] {
    const all = [
      ...this.pathMatchers.map((m) => m.entry),
      ...this.allow.regexes.map((r) => `regex ${r.source}`),
      ...this.allow.stopwords.map((w) => `stopword ${w}`),
    ];
    return all.filter((e) => !this.used.has(e));
  }
}
