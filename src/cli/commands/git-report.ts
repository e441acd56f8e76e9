/**
 * What the git commands (`staged`, `history`, `scan --diff`) share after the pipeline: the report
 * in the chosen format, the notes, `--verbose` details and the exit code. One place, so the
 * three commands cannot drift apart.
 */
import { compileSettings, loadConfig, type CompiledSettings } from '../../config/load.js';
import type { Dropped } from '../../filters/index.js';
import { toReportedAll, type Finding } from '../../findings/finding.js';
import { REPORTERS } from '../../reporters/index.js';
import { DEFAULT_MAX_FILE_SIZE, runPipeline } from '../../scan.js';
import { CatFile } from '../../sources/cat-file.js';
import { readChanges, type ChangedFile } from '../../sources/diff.js';
import { changeProject } from '../../sources/staged.js';
import { ScanStats } from '../../sources/stats.js';
import { exitCodeFor, useColor, writeReport, type OutputOptions } from '../output.js';
import { parseMaxFileSize } from './scan.js';

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

/**
 * The body shared by `staged` and `scan --diff`: list the change, load the config of the
 * repository it belongs to, and run the changed blobs (only their added lines, unless `allLines`)
 * through the pipeline, with the project checks on the changed files.
 */
export async function scanChange<C extends { top: string; files: ChangedFile[] }>(
  origin: 'staged' | 'diff',
  options: OutputOptions & { allLines?: boolean },
  listChange: (cwd: string, maxFileSize: number) => Promise<C>,
): Promise<{ change: C; settings: CompiledSettings; stats: ScanStats; findings: Finding[]; dropped: Dropped[] }> {
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  const cwd = process.cwd();
  const catFile = new CatFile(cwd);
  catFile.start(); // git starts while the change is listed
  const stats = new ScanStats();
  try {
    const change = await listChange(cwd, maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
    const settings = await compileSettings(await loadConfig(change.top, options.config), cwd, { baseline: options.baseline });
    const result = await runPipeline({
      fragments: readChanges(catFile, change.files, { origin, allLines: options.allLines === true, maxFileSize: maxFileSizeOf(maxFileSize, settings), stats }),
      settings,
      project: changeProject(change.top, change.files),
    });
    return { change, settings, stats, ...result };
  } finally {
    await catFile.close();
  }
}
