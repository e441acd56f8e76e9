/**
 * What every scanning command (`scan`, `staged`, `history`, `scan --diff`) does after the
 * pipeline: the report in the chosen format, the notes, hints and `--verbose` details on stderr,
 * and the exit code. One place, so the commands cannot drift apart.
 */
import { compiledBuiltinRules, compileSettings, loadConfig, type CompiledSettings } from '../../config/load.js';
import type { Dropped } from '../../filters/index.js';
import { reportedFindings, type Finding } from '../../findings/finding.js';
import { REPORTERS } from '../../reporters/index.js';
import { DEFAULT_MAX_FILE_SIZE, runPipeline } from '../../scan.js';
import { readChanges, type Change } from '../../sources/diff.js';
import { changeProject } from '../../sources/staged.js';
import { ScanStats } from '../../sources/stats.js';
import { displayPath } from '../../config/baseline-file.js';
import { exitCodeFor, failingFindings, type OutputOptions, parseMaxFileSize, useColor, writeReport } from '../output.js';

export interface GitScanOutcome {
  command: string;
  findings: Finding[];
  dropped: Dropped[];
  stats: ScanStats;
  durationMs: number;
  settings: CompiledSettings;
  /** Lines the text report ends with; other formats get them on stderr, never in machine output. */
  notes: string[];
  /**
   * For stale-baseline hints: the files the scan covered, and whether it covered the whole root
   * (a change scan sees too little to call any baseline entry stale, so it leaves this out).
   */
  coverage?: { files: readonly string[]; wholeRoot: boolean };
}

export function finishReport(outcome: GitScanOutcome, options: OutputOptions): number {
  const { stats } = outcome;
  const report = REPORTERS[options.format]({
    command: outcome.command,
    findings: reportedFindings(outcome.findings, { showSecrets: options.showSecrets === true, alsoOnLines: outcome.dropped.map((d) => d.finding) }),
    stats: { filesScanned: stats.filesScanned, bytesScanned: stats.bytesScanned, filesSkipped: stats.skipped.length, filesFromCache: stats.filesFromCache, durationMs: outcome.durationMs },
    skipped: stats.skipped,
    rules: outcome.settings.ruleSet.rules.map((r) => ({ id: r.id, description: r.description, provider: r.provider, severity: r.severity, remediation: r.remediation })),
    color: useColor(options),
    verbose: options.verbose === true,
    notes: options.format === 'text' ? outcome.notes : [],
  });
  writeReport(report, options.output);
  // On stderr, a note per line; the blank lines that space them in the text report are left out.
  if (options.format !== 'text') for (const note of outcome.notes) if (note.trim() !== '') process.stderr.write(`leakproof: ${note.trim()}\n`);
  reportHints(outcome, options.verbose === true);
  return exitCodeFor(failingFindings(outcome.findings, options), options.failOn);
}

/**
 * Hints on stderr: stale baseline entries (always: a stale entry may hide nothing, or a typo),
 * and with --verbose every dropped finding and every allow-list entry that matched nothing.
 */
function reportHints(outcome: GitScanOutcome, verbose: boolean): void {
  const { baseline } = outcome.settings;
  if (baseline && outcome.coverage) {
    const { files, wholeRoot } = outcome.coverage;
    const scanned = new Set(files);
    // On a partial scan, only entries for scanned files can be judged stale.
    const stale = baseline.filter.stale().filter((e) => wholeRoot || scanned.has(e.path));
    if (stale.length > 0) {
      process.stderr.write(`leakproof: ${stale.length} baseline ${stale.length === 1 ? 'entry matches' : 'entries match'} no finding (stale); run \`leakproof baseline\` to rewrite ${displayPath(baseline.file, process.cwd())}\n`);
      if (verbose) for (const e of stale) process.stderr.write(`leakproof: stale baseline entry: ${e.rule} ${e.path}\n`);
    }
  }
  if (!verbose) return;
  for (const { finding, verdict } of outcome.dropped) {
    process.stderr.write(`leakproof: dropped ${finding.ruleId} at ${finding.path}:${finding.line} by ${verdict.by} (${verdict.entry})\n`);
  }
  for (const entry of outcome.settings.allowFilter.unused()) process.stderr.write(`leakproof: allow-list entry matched nothing: ${entry}\n`);
}

/** `--max-file-size` (always set: it has a default), else the config's, as `scan` does. */
export function maxFileSizeOf(flag: number | undefined, settings: CompiledSettings): number {
  return flag ?? settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
}

/**
 * The body shared by `staged` and `scan --diff`: list the change, load the config of the
 * repository it belongs to, and run the changed blobs (only their added lines, unless `allLines`)
 * through the pipeline, with the project checks on the changed files.
 */
export async function scanChange<C extends Change>(
  origin: 'staged' | 'diff',
  options: OutputOptions & { allLines?: boolean },
  listChange: (cwd: string, maxFileSize: number) => Promise<C>,
): Promise<{ change: C; settings: CompiledSettings; stats: ScanStats; findings: Finding[]; dropped: Dropped[] }> {
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  const cwd = process.cwd();
  const stats = new ScanStats();
  // The hot path of the pre-commit hook: git lists the change while this thread compiles the
  // built-in rules (they do not depend on the config).
  const listing = listChange(cwd, maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  const builtinRules = compiledBuiltinRules();
  builtinRules.catch(() => undefined); // awaited below, once the change is listed
  const change = await listing;
  try {
    await builtinRules;
    const settings = await compileSettings(await loadConfig(change.top, options.config), cwd, { baseline: options.baseline });
    const result = await runPipeline({
      fragments: readChanges(change.patches, { cwd, origin, allLines: options.allLines === true, maxFileSize: maxFileSizeOf(maxFileSize, settings), stats }),
      settings,
      project: changeProject(change.top, change.files),
    });
    return { change, settings, stats, ...result };
  } finally {
    await change.close();
  }
}
