/**
 * The pipeline in one screen: source → detector → filters → findings. Read this first.
 * `scan()` is the working-tree scan; other sources (staged, history) reuse `runPipeline()`.
 */
import { loadConfig, compileSettings, type CompiledSettings } from './config/load.js';
import { RuleSet } from './detector/detector.js';
import { addedLinesFilter, applyFilters, buildFilters, type Dropped, type Filter } from './filters/index.js';
import { compareFindings, type Finding } from './findings/finding.js';
import type { Project } from './plugins/api.js';
import type { Fragment } from './sources/fragment.js';
import { listFiles, readFiles, scanRoot, type FileSet } from './sources/directory.js';
import { DetectPool, jobsFor } from './workers/pool.js';
import { ScanStats } from './sources/stats.js';

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
  /** The files the scan covered (relative to root). */
  files: readonly string[];
}

export interface PipelineInput {
  fragments: AsyncIterable<Fragment>;
  settings: CompiledSettings;
  project?: Project;
  extraFilters?: Filter[];
  usePrefilter?: boolean;
}

/** Detects and filters: the part every source shares. */
export async function runPipeline(input: PipelineInput): Promise<{ findings: Finding[]; dropped: Dropped[] }> {
  const { ruleSet } = input.settings;
  const filters = buildFilters(input.settings.allowFilter.filter, input.extraFilters, input.settings.baseline?.filter.filter);
  // Change scans (staged, --diff) report only what the change adds: the fragment says which lines.
  const filtersFor = (fragment: Fragment): Filter[] =>
    fragment.addedLines === undefined
      ? filters
      : buildFilters(input.settings.allowFilter.filter, [addedLinesFilter(fragment.addedLines), ...(input.extraFilters ?? [])], input.settings.baseline?.filter.filter);
  const dropped: Dropped[] = [];
  const findings: Finding[] = [];
  for await (const fragment of input.fragments) {
    const raw = ruleSet.detect(fragment, input.usePrefilter ?? true);
    // A loop, not push(...spread): a fragment can hold more findings than the call stack has room for.
    if (raw.length > 0) for (const finding of applyFilters(raw, filtersFor(fragment), dropped)) findings.push(finding);
  }
  if (input.project) findings.push(...applyFilters(await ruleSet.detectProject(input.project), filters, dropped));
  findings.sort(compareFindings);
  return { findings, dropped };
}

export async function scan(request: ScanRequest = {}): Promise<ScanResult> {
  const started = performance.now();
  const cwd = request.cwd ?? process.cwd();
  const paths = request.paths ?? [];
  const root = scanRoot(paths, cwd);
  const settings = await compileSettings(await loadConfig(root, request.configFile), cwd, { baseline: request.baseline });
  const fileSet = await listFiles(paths, root, cwd);
  const stats = new ScanStats();
  const maxFileSize = request.maxFileSize ?? settings.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const jobs = jobsFor(fileSet.files.length, request.jobs);
  const { findings, dropped } =
    jobs > 1
      ? await scanInParallel({ root, cwd, configFile: request.configFile, jobs, fileSet, maxFileSize, stats, settings, usePrefilter: request.usePrefilter ?? true })
      : await runPipeline({ fragments: readFiles(root, fileSet.files, maxFileSize, stats), settings, project: fileSet.project, usePrefilter: request.usePrefilter });
  return { root, findings, dropped, stats, durationMs: performance.now() - started, ruleSet: settings.ruleSet, settings, files: fileSet.files };
}

/** Batches of about this many files go to a worker at a time: small enough to balance the cores. */
const BATCH_FILES = 64;

/**
 * The same scan with detection spread over worker threads: workers read and detect, the main
 * thread filters (inline, allow-list, baseline) and runs the project checks, so results are
 * identical to `runPipeline` whatever the number of workers.
 */
async function scanInParallel(input: {
  root: string;
  cwd: string;
  configFile?: string;
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
  const pool = await DetectPool.start(input.jobs, { root: input.root, cwd: input.cwd, configFile: input.configFile });
  try {
    const batches: string[][] = [];
    for (let i = 0; i < input.fileSet.files.length; i += BATCH_FILES) batches.push(input.fileSet.files.slice(i, i + BATCH_FILES));
    const results = await Promise.all(batches.map((files) => pool.run({ root: input.root, files, maxFileSize: input.maxFileSize, usePrefilter: input.usePrefilter })));
    for (const result of results) {
      stats.filesScanned += result.filesScanned;
      stats.bytesScanned += result.bytesScanned;
      for (const skip of result.skipped) stats.skip(skip.path, skip.reason);
      for (const finding of applyFilters(result.findings, filters, dropped)) findings.push(finding);
    }
  } finally {
    await pool.close();
  }
  for (const finding of applyFilters(await settings.ruleSet.detectProject(input.fileSet.project), filters, dropped)) findings.push(finding);
  findings.sort(compareFindings);
  return { findings, dropped };
}
