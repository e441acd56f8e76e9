/**
 * What the git commands (`staged`, `history`, `scan --diff`) share after the pipeline: the report
 * in the chosen format, the notes, `--verbose` details and the exit code. One place, so the
 * three commands cannot drift apart.
 */
import type { CompiledSettings } from '../../config/load.js';
import type { Dropped } from '../../filters/index.js';
import { toReportedAll, type Finding } from '../../findings/finding.js';
import { REPORTERS } from '../../reporters/index.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../scan.js';
import type { ScanStats } from '../../sources/stats.js';
import { exitCodeFor, useColor, writeReport, type OutputOptions } from '../output.js';

export interface GitScanOutcome {
  command: string;
  findings: Finding[];
  dropped: Dropped[];
  stats: ScanStats;
  durationMs: number;
  settings: CompiledSettings;
  /** Lines the text report ends with; other formats get them on stderr, never in machine output. */
  notes: string[];
}

export function finishReport(outcome: GitScanOutcome, options: OutputOptions): number {
  const { stats } = outcome;
  const text = REPORTERS[options.format]({
    command: outcome.command,
    findings: toReportedAll(outcome.findings, { showSecrets: options.showSecrets === true, alsoOnLines: outcome.dropped.map((d) => d.finding) }),
    stats: { filesScanned: stats.filesScanned, bytesScanned: stats.bytesScanned, filesSkipped: stats.skipped.length, durationMs: outcome.durationMs },
    skipped: stats.skipped,
    rules: outcome.settings.ruleSet.rules.map((r) => ({ id: r.id, description: r.description, provider: r.provider, severity: r.severity, remediation: r.remediation })),
    color: useColor(options),
    verbose: options.verbose === true,
    notes: options.format === 'text' ? outcome.notes : [],
  });
  writeReport(text, options.output);
  if (options.format !== 'text') for (const note of outcome.notes) process.stderr.write(`leakproof: ${note.trim()}\n`);
  if (options.verbose) {
    for (const { finding, verdict } of outcome.dropped) {
      process.stderr.write(`leakproof: dropped ${finding.ruleId} at ${finding.path}:${finding.line} by ${verdict.by} (${verdict.entry})\n`);
    }
  }
  return exitCodeFor(outcome.findings, options.failOn);
}

/** `--max-file-size` (always set: it has a default), else the config's, as `scan` does. */
export function maxFileSizeOf(flag: number | undefined, settings: CompiledSettings): number {
  return flag ?? settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
}
