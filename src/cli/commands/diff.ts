/**
 * `leakproof scan --diff <base>`: the pull-request check. Scans what the commits from the merge
 * base of <base> and HEAD up to HEAD add (`git diff <base>...HEAD`), with the same added-lines
 * logic as the pre-commit check: a secret that already existed on the base is not reported.
 */
import { compileSettings, loadConfig } from '../../config/load.js';
import { DEFAULT_MAX_FILE_SIZE, runPipeline } from '../../scan.js';
import { CatFile } from '../../sources/cat-file.js';
import { branchChange, readChanges } from '../../sources/diff.js';
import { changeProject } from '../../sources/staged.js';
import { ScanStats } from '../../sources/stats.js';
import { UsageError } from '../errors.js';
import { checkOutputPath, type OutputOptions } from '../output.js';
import { finishReport, maxFileSizeOf } from './git-report.js';
import { parseMaxFileSize } from './scan.js';

export async function runDiffScan(base: string, pathspecs: string[], options: OutputOptions): Promise<number> {
  const started = performance.now();
  checkOutputPath(options.output);
  // git would read a leading dash as an option.
  if (base === '' || base.startsWith('-')) throw new UsageError(`--diff ${base}: expected a branch, tag or commit such as origin/main`);
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  const cwd = process.cwd();
  const catFile = new CatFile(cwd);
  catFile.start();
  let change;
  let settings;
  const stats = new ScanStats();
  let result;
  try {
    change = await branchChange(cwd, base, pathspecs, maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
    settings = await compileSettings(await loadConfig(change.top, options.config), cwd, { baseline: options.baseline });
    result = await runPipeline({
      fragments: readChanges(catFile, change.files, { origin: 'diff', allLines: false, maxFileSize: maxFileSizeOf(maxFileSize, settings), stats }),
      settings,
      project: changeProject(change.top, change.files),
    });
  } finally {
    await catFile.close();
  }
  const files = change.files.length;
  const notes = [`Checked what ${base}...HEAD adds: ${files} changed ${files === 1 ? 'file' : 'files'}.`];
  return finishReport({ command: 'scan', ...result, stats, durationMs: performance.now() - started, settings, notes }, options);
}
