/** What a filter says about a finding: keep it, or drop it and say which entry did. */
export type Verdict = { keep: true } | { keep: false; by: 'allowlist' | 'inline' | 'baseline' | 'unchanged-line'; entry: string };
