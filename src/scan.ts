/**
 * The pipeline in one screen: source → detector → filters → findings. Read this first.
 * `scan()` is the working-tree scan; other sources (staged, history) reuse `runPipeline()`.
 */
import { loadConfig, compileSettings, type CompiledSettings } from './config/load.js';
import { RuleSet } from './detector/detector.js';
import { addedLinesFilter, applyFilters, buildFilters, type Dropped, type Filter } from './filters/index.js';
import { compareFindings, type Finding } from './findings/finding.js';
import type { Project } from './plugins/api.js';
import type { Fragment, RawFragment } from './sources/fragment.js';
import { listFiles, readFiles, scanRoot, type FileSet } from './sources/directory.js';
import { DetectPool, jobsFor } from './workers/pool.js';
import { QUEUE_CLOSED, QUEUE_OPEN, queueIndexes, type WorkerInit } from './workers/protocol.js';
import { ScanStats } from './sources/stats.js';
import { openCleanFiles } from './sources/clean-files.js';
import { nowMs } from './clock.js';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

export interface ScanRequest {
  /** Files and folders to scan; none means the current folder. */
  paths?: string[];
  cwd?: string;
  /** `--config FILE`; otherwise `.leakproof.yaml` in the scan root. */
  configFile?: string;
  maxFileSize?: number;
  /** Tests turn this off to check the prefilter changes nothing. */
  usePrefilter?: boolean;
  /** A baseline file (`--baseline FILE`), or false to use none; default `.leakproof-baseline.json` if present. */
  baseline?: string | false;
  /** Detection workers (`--jobs`); default: one per core for large scans, none for small ones. */
  jobs?: number;
  /**
   * `--cache`: skip the tracked files, unchanged since, that an earlier scan with the same rules
   * found nothing in, and remember those this one finds nothing in (see clean-files.ts).
   */
  cache?: boolean;
}

export interface ScanResult {
  root: string;
  findings: Finding[];
  /** Findings a filter dropped, with the entry that dropped each. */
  dropped: Dropped[];
  stats: ScanStats;
  durationMs: number;
  ruleSet: RuleSet;
  settings: CompiledSettings;
  /** The files the scan covered (relative to root), those `--cache` skipped included. */
  files: readonly string[];
  /** Why `--cache` could not be used, when it could not. */
  cacheNote?: string;
}

export interface PipelineInput {
  fragments: AsyncIterable<Fragment | RawFragment> | Iterable<Fragment | RawFragment>;
  settings: CompiledSettings;
  project?: Project;
  extraFilters?: Filter[];
  usePrefilter?: boolean;
  /**
   * Detect on worker threads once the input proves large: more than one batch, and more than
   * `startAfterBytes` detected here first (default 0); small inputs stay on this thread. Filters
   * always run here.
   */
  workers?: { cwd: string; jobs: number; startAfterBytes?: number };
}

/** Fragments go to workers in batches of about this many characters; a few batches in flight at most. */
const BATCH_CHARS = 1024 * 1024;

/** Detects and filters: the part every source shares. */
export async function runPipeline(input: PipelineInput): Promise<{ findings: Finding[]; dropped: Dropped[] }> {
  const { ruleSet } = input.settings;
  const filters = buildFilters(input.settings.allowFilter.filter, input.extraFilters, input.settings.baseline?.filter.filter);
  // Change scans (staged, --diff) report only what the change adds: the fragment says which lines.
  const filtersFor = (fragment: Fragment | RawFragment): Filter[] =>
    fragment.addedLines === undefined
      ? filters
      : buildFilters(input.settings.allowFilter.filter, [addedLinesFilter(fragment.addedLines), ...(input.extraFilters ?? [])], input.settings.baseline?.filter.filter);
  const dropped: Dropped[] = [];
  const findings: Finding[] = [];
  const keep = (raw: Finding[], fragment: Fragment | RawFragment): void => {
    // A loop, not push(...spread): a fragment can hold more findings than the call stack has room for.
    if (raw.length > 0) for (const finding of applyFilters(raw, filtersFor(fragment), dropped)) findings.push(finding);
  };
  if (input.workers && input.workers.jobs > 1) {
    await detectOnWorkers(input.workers, input.settings, input.fragments, input.usePrefilter ?? true, keep);
  } else {
    const usePrefilter = input.usePrefilter ?? true;
    // A synchronous source is read without a promise per fragment.
    if (Symbol.iterator in input.fragments) for (const fragment of input.fragments) keep(ruleSet.detect(fragment, usePrefilter), fragment);
    else for await (const fragment of input.fragments) keep(ruleSet.detect(fragment, usePrefilter), fragment);
  }
  if (input.project) findings.push(...applyFilters(await ruleSet.detectProject(input.project), filters, dropped));
  findings.sort(compareFindings);
  return { findings, dropped };
}

export async function scan(request: ScanRequest = {}): Promise<ScanResult> {
  const started = nowMs();
  const cwd = request.cwd ?? process.cwd();
  const paths = request.paths ?? [];
  const root = scanRoot(paths, cwd);
  // Git lists the files while the rules compile. A config error is still the one reported first.
  const listing = listFiles(paths, root, cwd, { blobs: request.cache === true });
  listing.catch(() => undefined); // awaited below, unless the config fails first
  const settings = await compileSettings(await loadConfig(root, request.configFile), cwd, { baseline: request.baseline });
  const fileSet = await listing;
  const stats = new ScanStats();
  const maxFileSize = request.maxFileSize ?? settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const cache = request.cache ? openCleanFiles(root, settings, maxFileSize) : undefined;
  const clean = cache && 'clean' in cache ? cache.clean : undefined;
  const blobs = fileSet.blobs ?? new Map<string, string>();
  // The project checks still see every file; detection only those not known to be clean.
  const toScan = clean
    ? fileSet.files.filter((path) => {
        const blob = blobs.get(path);
        return blob === undefined || !clean.has(path, blob);
      })
    : fileSet.files;
  if (cache) stats.filesFromCache = fileSet.files.length - toScan.length;
  const files = { ...fileSet, files: toScan };
  const jobs = jobsFor(toScan.length, request.jobs);
  const { findings, dropped } =
    jobs > 1
      ? await scanInParallel({ root, cwd, jobs, fileSet: files, maxFileSize, stats, settings, usePrefilter: request.usePrefilter ?? true })
      : await runPipeline({ fragments: readFiles(root, toScan, maxFileSize, stats), settings, project: fileSet.project, usePrefilter: request.usePrefilter });
  if (clean) clean.save(fileSet.files, cleanFiles(blobs, findings, dropped, stats), paths.length === 0);
  const cacheNote = cache && 'note' in cache ? cache.note : cache && fileSet.files.length > 0 && blobs.size === 0 ? NO_BLOBS_NOTE : undefined;
  return { root, findings, dropped, stats, durationMs: nowMs() - started, ruleSet: settings.ruleSet, settings, files: fileSet.files, cacheNote };
}

const NO_BLOBS_NOTE = '--cache found no file that git tracks unchanged (files are known by their git blob id): every file was scanned.';

/**
 * The files with a blob id that this scan, or an earlier one, found nothing in: no finding at
 * all, even one a filter dropped, and not skipped (unless for their content: binary, too large).
 */
function cleanFiles(blobs: ReadonlyMap<string, string>, findings: readonly Finding[], dropped: readonly Dropped[], stats: ScanStats): Map<string, string> {
  const notClean = new Set<string>();
  for (const f of findings) notClean.add(f.path);
  for (const d of dropped) notClean.add(d.finding.path);
  for (const s of stats.skipped) if (!s.byContent) notClean.add(s.path);
  const clean = new Map<string, string>();
  for (const [path, blob] of blobs) if (!notClean.has(path)) clean.set(path, blob);
  return clean;
}

/**
 * The same scan with detection spread over threads: this thread and `jobs - 1` workers take files
 * from one queue, reading and detecting. The queue is an index in shared memory that each thread
 * advances itself, so no thread ever waits for another to hand out work, and all finish within a
 * file of each other however unevenly file sizes fall. This thread starts at once, so the
 * workers' start-up is not lost; it also applies the filters (inline, allow-list, baseline) and
 * runs the project checks, so results are identical to `runPipeline` whatever the number of
 * threads.
 */
async function scanInParallel(input: {
  root: string;
  cwd: string;
  jobs: number;
  fileSet: FileSet;
  maxFileSize: number;
  stats: ScanStats;
  settings: CompiledSettings;
  usePrefilter: boolean;
}): Promise<{ findings: Finding[]; dropped: Dropped[] }> {
  const { settings, stats } = input;
  const filters = buildFilters(settings.allowFilter.filter, [], settings.baseline?.filter.filter);
  const dropped: Dropped[] = [];
  const findings: Finding[] = [];
  const { files } = input.fileSet;
  const workers = input.jobs - 1;
  const queue = new Int32Array(new SharedArrayBuffer(4 * (1 + workers)));
  const collect = (result: { findings: Finding[]; filesScanned: number; bytesScanned: number; skipped: ScanStats['skipped'] }): void => {
    stats.filesScanned += result.filesScanned;
    stats.bytesScanned += result.bytesScanned;
    // The records as the thread made them: a skip for the file's content keeps its mark (`--cache`).
    for (const skip of result.skipped) stats.skipped.push(skip);
    for (const finding of applyFilters(result.findings, filters, dropped)) findings.push(finding);
  };
  // The job is posted before this thread starts on the queue: each worker reads it once ready.
  const pool = DetectPool.open(workers, workerInit(settings, input.cwd));
  try {
    const results = pool.runOnEach((worker) => ({ kind: 'queue', root: input.root, files, queue: queue.buffer as SharedArrayBuffer, worker, maxFileSize: input.maxFileSize, usePrefilter: input.usePrefilter }));
    const ownStats = new ScanStats();
    const raw: Finding[] = [];
    for (const i of queueIndexes(queue, files.length)) {
      for (const fragment of readFiles(input.root, [files[i]], input.maxFileSize, ownStats)) {
        for (const finding of settings.ruleSet.detect(fragment, input.usePrefilter)) raw.push(finding);
      }
    }
    collect({ findings: raw, filesScanned: ownStats.filesScanned, bytesScanned: ownStats.bytesScanned, skipped: ownStats.skipped });
    // Every file is taken. A worker still starting up would take none: close the queue to it and
    // do not wait for it (a small scan is over before the workers are ready).
    for (let worker = 0; worker < workers; worker++) {
      if (Atomics.compareExchange(queue, 1 + worker, QUEUE_OPEN, QUEUE_CLOSED) === QUEUE_OPEN) continue;
      collect(await results[worker]);
    }
  } finally {
    await pool.close();
  }
  for (const finding of applyFilters(await settings.ruleSet.detectProject(input.fileSet.project), filters, dropped)) findings.push(finding);
  findings.sort(compareFindings);
  return { findings, dropped };
}

/** What workers compile the same rule set from (see `CompiledSettings.source`). */
function workerInit(settings: CompiledSettings, cwd: string): WorkerInit {
  return { cwd, config: settings.source.config, userRuleDefs: settings.source.userRuleDefs };
}

/**
 * Streams fragments to the workers in batches, with at most two batches per worker in flight, so
 * memory stays bounded whatever the history size. Each batch's findings come back with the
 * batch's fragments, so per-fragment filters (added lines) still apply.
 */
async function detectOnWorkers(
  workers: { cwd: string; jobs: number; startAfterBytes?: number },
  settings: CompiledSettings,
  fragments: AsyncIterable<Fragment | RawFragment> | Iterable<Fragment | RawFragment>,
  usePrefilter: boolean,
  keep: (raw: Finding[], fragment: Fragment | RawFragment) => void,
): Promise<void> {
  let pool: Promise<DetectPool> | undefined;
  let ready: DetectPool | undefined;
  let detectedHere = 0;
  const detectHere = (batch: (Fragment | RawFragment)[]): void => {
    for (const fragment of batch) {
      keep(settings.ruleSet.detect(fragment, usePrefilter), fragment);
      detectedHere += 'bytes' in fragment ? fragment.bytes.length : fragment.text.length;
    }
  };
  const startAfter = workers.startAfterBytes ?? 0;
  try {
    await streamBatches(fragments, async (batch, last) => {
      if (pool === undefined && (last || detectedHere < startAfter)) {
        // The whole input fit in one batch, or is still small: not worth starting workers.
        detectHere(batch);
        return;
      }
      // This thread is one of the `jobs`: it detects a batch itself while the workers start, and
      // whenever they already have all the batches they can hold.
      pool ??= DetectPool.start(workers.jobs - 1, workerInit(settings, workers.cwd)).then((started) => (ready = started));
      if (ready === undefined || !ready.hasFreeSlot()) detectHere(batch);
      else await sendBatch(ready, batch, usePrefilter, keep);
    });
  } finally {
    if (pool) await (await pool).close();
  }
}

/** Calls `handle` for each batch of fragments (about BATCH_CHARS each), with at most two per worker in flight. */
async function streamBatches(
  fragments: AsyncIterable<Fragment | RawFragment> | Iterable<Fragment | RawFragment>,
  handle: (batch: (Fragment | RawFragment)[], last: boolean) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const start = (batch: (Fragment | RawFragment)[], last: boolean): void => {
    const tracked: Promise<void> = handle(batch, last).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  let batch: (Fragment | RawFragment)[] = [];
  let size = 0;
  for await (const fragment of fragments) {
    batch.push(fragment);
    size += 'bytes' in fragment ? fragment.bytes.length : fragment.text.length;
    if (size >= BATCH_CHARS || batch.length >= 256) {
      start(batch, false);
      batch = [];
      size = 0;
      if (inFlight.size >= 3) await Promise.race(inFlight);
    }
  }
  if (batch.length > 0) start(batch, inFlight.size === 0 && size < BATCH_CHARS);
  await Promise.all(inFlight);
}

async function sendBatch(pool: DetectPool, batch: (Fragment | RawFragment)[], usePrefilter: boolean, keep: (raw: Finding[], fragment: Fragment | RawFragment) => void): Promise<void> {
  // Bytes move to the worker instead of being copied; each gets its own buffer to move (a source's
  // buffer may be a view into a larger one that is still in use).
  const transfer: ArrayBuffer[] = [];
  const fragments = batch.map((fragment) => {
    if (!('bytes' in fragment)) return fragment;
    const bytes = new Uint8Array(fragment.bytes);
    transfer.push(bytes.buffer);
    return { ...fragment, bytes };
  });
  const result = await pool.run({ kind: 'fragments', fragments, usePrefilter }, transfer);
  // Findings come back as one list: give each fragment its own (per-fragment filters need it).
  const byFragment = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const key = `${f.blob ?? ''}\0${f.path}`;
    const list = byFragment.get(key) ?? [];
    list.push(f);
    byFragment.set(key, list);
  }
  for (const fragment of batch) {
    const raw = byFragment.get(`${fragment.blob ?? ''}\0${fragment.path}`);
    if (raw) keep(raw, fragment);
  }
}
