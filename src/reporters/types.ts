import type { ReportedFinding, ReportedFindings } from '../findings/finding.js';
import type { Severity } from '../plugins/api.js';

export interface RuleInfo {
  id: string;
  description: string;
  provider: string;
  severity: Severity;
  remediation?: string;
}

export interface ReportStats {
  filesScanned: number;
  bytesScanned: number;
  filesSkipped: number;
  /** With `--cache` (scan, history) only: files not read because an earlier scan found nothing in them, unchanged since. */
  filesFromCache?: number;
  durationMs: number;
}

/** Everything a reporter gets: redacted findings only (the raw secret never reaches a reporter unless `--show-secrets`). */
export interface ReportInput {
  command: string;
  /** Ready views, or a list that builds each view when asked (the CLI's, so 100k findings are never all in memory). */
  findings: ReportedFindings | readonly ReportedFinding[];
  stats: ReportStats;
  /** Skipped files with reasons (listed by the text reporter with `--verbose`). */
  skipped: { path: string; reason: string }[];
  /** The active rules, for rule metadata and remediation. */
  rules: RuleInfo[];
  color: boolean;
  verbose: boolean;
  /** Extra lines for the text reporter (e.g. how to proceed in a pre-commit hook). */
  notes?: string[];
}

/**
 * A report as a sequence of text pieces, written as they come: a large report is never one string.
 * `renderReport` joins them where one string is wanted.
 */
export type Reporter = (input: ReportInput) => Iterable<string>;
