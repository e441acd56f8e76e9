import picomatch from 'picomatch';
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

export function allowListFilter(allow: AllowList): (finding: Finding) => Verdict {
  const pathMatchers = allow.paths.map((glob) => ({ glob, match: picomatch(glob, { dot: true }) }));
  return (finding) => {
    for (const { glob, match } of pathMatchers) if (match(finding.path)) return { keep: false, by: 'allowlist', entry: `path ${glob}` };
    if (finding.secret.length > 0) {
      for (const regex of allow.regexes) if (regex.test(finding.secret)) return { keep: false, by: 'allowlist', entry: `regex ${regex.source}` };
      const lower = finding.secret.toLowerCase();
      for (const word of allow.stopwords) if (lower.includes(word)) return { keep: false, by: 'allowlist', entry: `stopword ${word}` };
    }
    return { keep: true };
  };
}
