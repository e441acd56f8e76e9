/**
 * Findings own the secret. Only this module reads `secret`; everything downstream uses
 * `toReported()`, which redacts unless the user asked for `--show-secrets`. Fingerprints are
 * hashes, so baselines and caches never hold plain text.
 */
import type { Severity } from '../plugins/api.js';
import type { CommitInfo, Origin } from '../sources/fragment.js';
import { sha256Hex } from './sha256.js';

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  /** Exclusive: the column just after the secret (as in SARIF). */
  endColumn: number;
  /** The raw secret. Empty for findings about a file rather than a value (e.g. a committed `.env`). */
  secret: string;
  /** The line holding the start of the secret (cut around it when very long). */
  lineText: string;
  /** Hash of rule id and secret (or path, for file findings): stable across moves and commits. */
  fingerprint: string;
  origin: Origin;
  commit?: CommitInfo;
  blob?: string;
  /** Set for history findings: whether the same secret is still in the file at HEAD. */
  presentAtHead?: boolean;
  /** History findings: whether the introducing commit is reachable from a remote-tracking ref (it was pushed). */
  pushed?: boolean;
  /** History findings: every place the same secret was committed (grouped by fingerprint). */
  occurrences?: Occurrences;
  /** Set by `--verify`: whether the provider accepts the key. */
  verified?: Verified;
  /** With `verified: live`, what the key can do, when the provider says (e.g. `full`, `sending`). */
  access?: string;
}

export type Verified = 'live' | 'revoked' | 'unknown';

/** Where one secret was committed: how many commits introduced it, in which paths, in how many blobs. */
export interface Occurrences {
  commits: number;
  paths: string[];
  blobs: number;
}

export interface ReportedFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The secret redacted, e.g. `re_Ab…(36 chars)`; the raw secret when `--show-secrets`. */
  redacted: string;
  fingerprint: string;
  /** The offending line with the secret masked (or shown, with `--show-secrets`). */
  snippet: string;
  commit?: CommitInfo;
  presentAtHead?: boolean;
  pushed?: boolean;
  occurrences?: Occurrences;
  verified?: Verified;
  access?: string;
  /** Only with `--show-secrets`. */
  secret?: string;
}

/**
 * What makes two findings "the same": the secret (wherever it moves), or for findings about a
 * name or a file rather than a value, the line's text in that file (or the file itself).
 */
export function identityOf(ruleId: string, secret: string, path: string, lineText = ''): string {
  if (secret.length > 0) return `secret\0${ruleId}\0${secret}`;
  const line = lineText.trim();
  return line.length > 0 ? `line\0${ruleId}\0${path}\0${line}` : `file\0${ruleId}\0${path}`;
}

/** Hex SHA-256 (first 32 chars) of a finding's identity. Never the secret itself. */
export function fingerprintOf(ruleId: string, secret: string, path: string, lineText = ''): string {
  return sha256Hex(`leakproof/v1\0${identityOf(ruleId, secret, path, lineText)}`).slice(0, 32);
}

/** `re_Ab…(36 chars)`: a short prefix (never more than a quarter of the secret) and the length. */
export function redact(secret: string): string {
  if (secret.length === 0) return '';
  const shown = Math.min(5, Math.floor(secret.length / 4));
  const firstLine = secret.slice(0, shown).split(/\r?\n/)[0];
  return `${firstLine}…(${secret.length} chars)`;
}

export interface ReportOptions {
  showSecrets: boolean;
  /** Other secrets found on the same line: masked in this finding's snippet too. */
  sameLineSecrets?: readonly string[];
}

export function toReported(finding: Finding, options: ReportOptions): ReportedFinding {
  const mask = options.showSecrets ? undefined : new SecretMask([finding.secret, ...(options.sameLineSecrets ?? [])]);
  return reportedWith(finding, options.showSecrets, mask);
}

/** Snippets are cut to this many characters. */
const SNIPPET_MAX = 300;
/** How much of its line a snippet shows before the finding: the finding is always in view. */
export const SNIPPET_LEAD = 100;

interface MaskedSecret {
  /** The secret's first line (a snippet is one line). */
  text: string;
  redacted: string;
}

/**
 * Masks every occurrence of a line's secrets in a snippet, in one pass: at each position, the
 * text of each secret length is looked up, longest first. A line's N findings (a minified line
 * can hold thousands) then cost N snippets, not N² replacements.
 */
class SecretMask {
  /** Distinct secrets by length, longest first. */
  private readonly byLength: [number, Map<string, MaskedSecret>][];
  private readonly longest: number;

  constructor(secrets: readonly string[]) {
    const groups = new Map<number, Map<string, MaskedSecret>>();
    for (const secret of secrets) {
      const text = secret.split(/\r?\n/)[0];
      if (text.length === 0) continue;
      const group = groups.get(text.length) ?? new Map<string, MaskedSecret>();
      if (!group.has(text)) group.set(text, { text, redacted: redact(secret) });
      groups.set(text.length, group);
    }
    this.byLength = [...groups].sort((a, b) => b[0] - a[0]);
    this.longest = this.byLength[0]?.[0] ?? 0;
  }

  /**
   * The snippet masked, from `from` on; past `max` characters of output the rest may be left off
   * (the caller cuts there). A secret that starts before `from` and reaches past it is shown
   * masked, whole: a window never shows part of a secret.
   */
  apply(snippet: string, max: number, from = 0): string {
    let out = '';
    let copied = from;
    for (let i = Math.max(0, from - this.longest + 1); i < snippet.length; ) {
      // Output so far plus the unmasked run before i: once past `max`, nothing after is shown.
      if (out.length + (i - copied) > max) return out + snippet.slice(copied, i);
      let match: MaskedSecret | undefined;
      for (const [length, secrets] of this.byLength) {
        if (i + length > snippet.length) continue;
        match = secrets.get(snippet.slice(i, i + length));
        if (match !== undefined) break;
      }
      if (match === undefined) {
        i++;
        continue;
      }
      const end = i + match.text.length;
      if (end > from) {
        out += (i > copied ? snippet.slice(copied, i) : '') + match.redacted;
        copied = end;
      }
      i = end;
    }
    return out + snippet.slice(Math.min(copied, snippet.length));
  }
}

/**
 * Where the finding's secret starts in its `lineText`: at its column when the text is the whole
 * line, else (a long line's window) where the secret's first line first occurs.
 */
function secretOffset(finding: Finding): number {
  const first = finding.secret.split(/\r?\n/)[0];
  if (first.length === 0) return 0;
  const atColumn = finding.column - 1;
  if (!finding.lineText.startsWith('…') && finding.lineText.startsWith(first, atColumn)) return atColumn;
  return Math.max(0, finding.lineText.indexOf(first));
}

/** A character of a word or token: a cut window starts after a run of them, not inside it. */
const TOKEN_CHAR = /[A-Za-z0-9_]/;

function reportedWith(finding: Finding, showSecrets: boolean, mask: SecretMask | undefined): ReportedFinding {
  const reported = viewWithoutSnippet(finding, showSecrets);
  // From a little before the secret: on a long line, its start may be hundreds of characters away.
  const at = secretOffset(finding);
  let from = Math.max(0, at - SNIPPET_LEAD);
  while (from > 0 && from < at && TOKEN_CHAR.test(finding.lineText[from - 1]) && TOKEN_CHAR.test(finding.lineText[from])) from++;
  let snippet = mask !== undefined ? mask.apply(finding.lineText, SNIPPET_MAX, from) : finding.lineText.slice(from);
  if (from > 0) snippet = `…${snippet.trimStart()}`;
  if (snippet.length > SNIPPET_MAX) snippet = `${snippet.slice(0, SNIPPET_MAX)}…`;
  reported.snippet = snippet;
  return reported;
}

/** A finding's view with an empty snippet, for reports that show none. */
function viewWithoutSnippet(finding: Finding, showSecrets: boolean): ReportedFinding {
  const { secret } = finding;
  const reported: ReportedFinding = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    file: finding.path,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    redacted: showSecrets ? secret : redact(secret),
    fingerprint: finding.fingerprint,
    snippet: '',
  };
  if (finding.commit) reported.commit = finding.commit;
  if (finding.presentAtHead !== undefined) reported.presentAtHead = finding.presentAtHead;
  if (finding.pushed !== undefined) reported.pushed = finding.pushed;
  if (finding.occurrences !== undefined) reported.occurrences = finding.occurrences;
  if (finding.verified !== undefined) reported.verified = finding.verified;
  if (finding.access !== undefined) reported.access = finding.access;
  if (showSecrets) reported.secret = secret;
  return reported;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Stable report order: path, line, column, rule. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** What counting and grouping need of a finding, without building its redacted view. */
export interface FindingHead {
  ruleId: string;
  severity: Severity;
  file: string;
}

/**
 * The findings a reporter gets: a plain array of views, or a list that builds each view when asked
 * (`reportedFindings`), so that a report of 100k findings never holds them all at once.
 */
export interface ReportedFindings {
  readonly length: number;
  /**
   * The redacted view of finding `index`, built on each call. `snippet: false`: for a report that
   * shows no snippet, whose masking is then skipped (the view's `snippet` is empty).
   */
  at(index: number, options?: { snippet?: boolean }): ReportedFinding;
  head(index: number): FindingHead;
}

/** An array of ready views as a `ReportedFindings` (the view of a finding is its own head). */
export function reportedList(views: readonly ReportedFinding[]): ReportedFindings {
  return { length: views.length, at: (index) => views[index], head: (index) => views[index] };
}

/**
 * Reported views of many findings, built one at a time. Each snippet masks every secret found on
 * its line, including those of findings a filter dropped (an allowed secret is still a secret).
 * The secrets of one file's lines are gathered when a view of that file is first asked for, and
 * kept until a view of another file is: reports go file by file, so this stays one file's worth.
 * Views asked for out of order are still right, only slower.
 */
export function reportedFindings(findings: readonly Finding[], options: { showSecrets: boolean; alsoOnLines?: readonly Finding[] }): ReportedFindings {
  const { showSecrets } = options;
  // The secrets of each file, for the masks (none with --show-secrets).
  const byPath = new Map<string, Finding[]>();
  for (const f of showSecrets ? [] : [...findings, ...(options.alsoOnLines ?? [])]) {
    if (f.secret.length === 0) continue;
    const list = byPath.get(f.path);
    if (list === undefined) byPath.set(f.path, [f]);
    else list.push(f);
  }
  const lineKey = (f: Finding) => `${f.blob ?? ''}\0${f.commit?.sha ?? ''}\0${f.line}`;
  let maskedPath: string | undefined;
  let secretsByLine = new Map<string, string[]>();
  let maskedLine: string | undefined;
  let mask: SecretMask | undefined;
  const maskOf = (finding: Finding): SecretMask => {
    if (finding.path !== maskedPath) {
      maskedPath = finding.path;
      secretsByLine = new Map();
      maskedLine = undefined;
      for (const f of byPath.get(finding.path) ?? []) {
        const list = secretsByLine.get(lineKey(f));
        if (list === undefined) secretsByLine.set(lineKey(f), [f.secret]);
        else list.push(f.secret);
      }
    }
    // One mask per line, shared by the line's findings, which come one after another: only the
    // current line's is kept (a file's 100k masks held 70 MB).
    const key = lineKey(finding);
    if (key !== maskedLine || mask === undefined) {
      maskedLine = key;
      mask = new SecretMask([finding.secret, ...(secretsByLine.get(key) ?? [])]);
    }
    return mask;
  };
  return {
    length: findings.length,
    at: (index, options) => {
      if (options?.snippet === false) return viewWithoutSnippet(findings[index], showSecrets);
      return reportedWith(findings[index], showSecrets, showSecrets ? undefined : maskOf(findings[index]));
    },
    head: (index) => ({ ruleId: findings[index].ruleId, severity: findings[index].severity, file: findings[index].path }),
  };
}
