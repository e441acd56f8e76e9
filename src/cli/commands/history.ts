/**
 * `leakproof history [range]`: audit every commit. Each unique blob that the commits introduced is
 * scanned once; each finding names the commit that introduced it and whether the same secret is
 * still in that file at HEAD. A progress line goes to stderr, only on a terminal.
 */
import { resolve } from 'node:path';
import { compileSettings, loadConfig } from '../../config/load.js';
import type { RuleSet } from '../../detector/detector.js';
import type { Finding } from '../../findings/finding.js';
import { runPipeline } from '../../scan.js';
import { defaultJobs, streamedBytesBeforeWorkers } from '../../workers/pool.js';
import { CatFile } from '../../sources/cat-file.js';
import { groupByFingerprint } from '../../findings/timeline.js';
import { headBlobs, historyRepo, pushedCommits, readBlobs, readHistory, type HistoryCounts } from '../../sources/history.js';
import { ScanStats } from '../../sources/stats.js';
import { openCleanBlobs, type CleanBlobs } from '../../sources/clean-files.js';
import { UsageError } from '../errors.js';
import { checkOutputPath, type OutputOptions, parseJobs, parseMaxFileSize } from '../output.js';
import { finishReport, maxFileSizeOf } from './report.js';
import { plural } from '../../reporters/format.js';
import { nowMs } from '../../clock.js';

export interface HistoryOptions extends OutputOptions {
  since?: string;
  gitDir?: string;
  cache?: boolean;
}

export async function runHistory(range: string | undefined, options: HistoryOptions): Promise<number> {
  const started = nowMs();
  checkOutputPath(options.output);
  // git would read a leading dash as an option.
  if (range !== undefined && (range === '' || range.startsWith('-'))) throw new UsageError(`invalid revision range "${range}" (e.g. main..feature, HEAD~50..HEAD)`);
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  const cwd = process.cwd();
  const gitArgs = options.gitDir === undefined ? [] : [`--git-dir=${resolve(options.gitDir)}`];
  const repo = await historyRepo(cwd, gitArgs);
  const settings = await compileSettings(await loadConfig(repo.top ?? cwd, options.config), cwd, { baseline: options.baseline });
  const size = maxFileSizeOf(maxFileSize, settings);
  const stats = new ScanStats();
  const counts: HistoryCounts = { commits: 0, blobs: 0 };
  const progress = process.stderr.isTTY ? progressLine(counts) : undefined;
  const cache = options.cache ? openCleanBlobs(repo.top ?? (options.gitDir === undefined ? cwd : resolve(options.gitDir)), settings, size) : undefined;
  const clean = cache && 'clean' in cache ? cache.clean : undefined;
  if (cache) stats.filesFromCache = 0;
  const read: [string, string][] = [];
  const catFile = new CatFile(cwd, gitArgs);
  let result;
  try {
    result = await runPipeline({
      fragments: readHistory(
        catFile,
        { cwd, gitArgs, range, since: options.since },
        { maxFileSize: size, stats, counts, onCommit: progress?.update, clean, onRead: clean ? (path, blob) => read.push([path, blob]) : undefined },
      ),
      settings,
      // Workers start only if the history holds more than one batch of text, and by default only
      // once it has proved large (`--jobs N` asks for them at once).
      workers: { cwd, ...historyJobs(parseJobs(options.jobs)) },
    });
    progress?.clear();
    if (clean) rememberClean(clean, read, [...result.findings, ...result.dropped.map((d) => d.finding)]);
    await markPresentAtHead(result.findings, { catFile, cwd, gitArgs, ruleSet: settings.ruleSet, maxFileSize: size });
    // One finding per secret: when it first entered, where else it went, whether it was pushed.
    result.findings = groupByFingerprint(result.findings);
    const pushed = await pushedCommits(cwd, gitArgs, result.findings.flatMap((f) => (f.commit ? [f.commit.sha] : [])));
    if (pushed) for (const f of result.findings) if (f.commit) f.pushed = pushed.get(f.commit.sha);
  } finally {
    progress?.clear();
    await catFile.close();
  }

  const notes: string[] = cache && 'note' in cache ? [cache.note] : [];
  if (range === undefined && options.since === undefined && counts.commits === 0) {
    notes.push('The repository has no commits yet: there is no history to scan.');
  } else {
    const scope = [range ?? 'all refs', ...(options.since === undefined ? [] : [`since ${options.since}`])].join(', ');
    notes.push(`Scanned ${plural(counts.commits, 'commit')} (${scope}): ${plural(counts.blobs, 'unique blob')}.`);
  }
  if (result.findings.length > 0) {
    notes.push('A secret that was ever committed stays readable in every clone: rotate it, even when it is "removed since".');
  }
  return finishReport({ command: 'history', ...result, stats, durationMs: nowMs() - started, settings, notes }, options);
}


/** Adds the blobs read that nothing was found in, not even a finding a filter dropped (binary and oversized ones too). */
function rememberClean(clean: CleanBlobs, read: readonly [string, string][], found: readonly Finding[]): void {
  const dirty = new Set(found.map((f) => `${f.blob} ${f.path}`));
  for (const [path, blob] of read) if (!dirty.has(`${blob} ${path}`)) clean.add(path, blob);
  clean.save();
}

/** Threads for a history scan: `--jobs N` at once, else one per core once the history proves large. */
function historyJobs(requested: number | undefined): { jobs: number; startAfterBytes: number } {
  if (requested !== undefined) return { jobs: requested, startAfterBytes: 0 };
  const jobs = defaultJobs();
  return { jobs, startAfterBytes: streamedBytesBeforeWorkers(jobs) };
}

/**
 * `presentAtHead`: whether the same secret (same fingerprint) is still in that path at HEAD. The
 * same blob at HEAD means yes; a different blob is scanned once to compare fingerprints.
 */
async function markPresentAtHead(
  findings: Finding[],
  context: { catFile: CatFile; cwd: string; gitArgs: string[]; ruleSet: RuleSet; maxFileSize: number },
): Promise<void> {
  if (findings.length === 0) return;
  const head = await headBlobs(context.cwd, context.gitArgs, [...new Set(findings.map((f) => f.path))]);
  const changed = new Map<string, string>();
  for (const f of findings) {
    const blob = head.get(f.path);
    if (blob !== undefined && blob !== f.blob) changed.set(f.path, blob);
  }
  const atHead = new Map<string, Set<string>>();
  const requests = [...changed].map(([path, blob]) => ({ path, blob }));
  for await (const fragment of readBlobs(context.catFile, requests, context.maxFileSize)) {
    atHead.set(fragment.path, new Set(context.ruleSet.detect(fragment).map((f) => f.fingerprint)));
  }
  for (const f of findings) {
    const blob = head.get(f.path);
    f.presentAtHead = blob === undefined ? false : blob === f.blob ? true : (atHead.get(f.path)?.has(f.fingerprint) ?? false);
  }
}

/** A throttled `\r` progress line on stderr (only used when stderr is a terminal). */
function progressLine(counts: HistoryCounts): { update: () => void; clear: () => void } {
  let last = 0;
  let shown = false;
  return {
    update: () => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\r\x1b[Kleakproof: history: ${plural(counts.commits, 'commit')}, ${plural(counts.blobs, 'blob')}…`);
    },
    clear: () => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}
