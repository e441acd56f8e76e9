/** `leakproof scan [paths...]`: the working tree (or any folder) through the pipeline. */
import { parseSize } from '../../config/schema.js';
import { toReportedAll } from '../../findings/finding.js';
import { REPORTERS } from '../../reporters/index.js';
import { displayPath } from '../../config/baseline-file.js';
import { scan, type ScanResult } from '../../scan.js';
import { UsageError } from '../errors.js';
import { checkOutputPath, exitCodeFor, failingFindings, useColor, verifyIfAsked, writeReport, type OutputOptions } from '../output.js';

export async function runScan(paths: string[], options: OutputOptions): Promise<number> {
  checkOutputPath(options.output);
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  const result = await scan({ paths, configFile: options.config, maxFileSize, baseline: options.baseline, jobs: parseJobs(options.jobs) });
  const verification = await verifyIfAsked(result.findings, result.ruleSet.rules, options);
  const reporter = REPORTERS[options.format];
  const text = reporter({
    command: 'scan',
    findings: toReportedAll(result.findings, { showSecrets: options.showSecrets === true, alsoOnLines: result.dropped.map((d) => d.finding) }),
    stats: {
      filesScanned: result.stats.filesScanned,
      bytesScanned: result.stats.bytesScanned,
      filesSkipped: result.stats.skipped.length,
      durationMs: result.durationMs,
    },
    skipped: result.stats.skipped,
    rules: result.ruleSet.rules.map((r) => ({ id: r.id, description: r.description, provider: r.provider, severity: r.severity, remediation: r.remediation })),
    color: useColor(options),
    verbose: options.verbose === true,
    notes: verification,
  });
  writeReport(text, options.output);
  reportHints(result, paths.length === 0, options.verbose === true);
  return exitCodeFor(failingFindings(result.findings, options), options.failOn);
}

export function parseMaxFileSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseSize(value);
  if (bytes === undefined) throw new UsageError(`--max-file-size ${value}: expected a size such as 10MiB, 500KB or 1048576`);
  return bytes;
}

/**
 * Hints on stderr: stale baseline entries (always: a stale entry may hide nothing, or a typo),
 * and with --verbose every dropped finding and every allow-list entry that matched nothing.
 */
function reportHints(result: ScanResult, wholeRoot: boolean, verbose: boolean): void {
  const { baseline } = result.settings;
  if (baseline) {
    const scanned = new Set(result.files);
    // On a partial scan, only entries for scanned files can be judged stale.
    const stale = baseline.filter.stale().filter((e) => wholeRoot || scanned.has(e.path));
    if (stale.length > 0) {
      process.stderr.write(`leakproof: ${stale.length} baseline ${stale.length === 1 ? 'entry matches' : 'entries match'} no finding (stale); run \`leakproof baseline\` to rewrite ${displayPath(baseline.file, process.cwd())}\n`);
      if (verbose) for (const e of stale) process.stderr.write(`leakproof: stale baseline entry: ${e.rule} ${e.path}\n`);
    }
  }
  if (!verbose) return;
  for (const { finding, verdict } of result.dropped) {
    process.stderr.write(`leakproof: dropped ${finding.ruleId} at ${finding.path}:${finding.line} by ${verdict.by} (${verdict.entry})\n`);
  }
  for (const entry of result.settings.allowFilter.unused()) process.stderr.write(`leakproof: allow-list entry matched nothing: ${entry}\n`);
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs ${value}: expected a whole number from 1 to 64`);
  return jobs;
}
