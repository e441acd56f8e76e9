/**
 * `leakproof scan --diff <base>`: the pull-request check. Scans what the commits from the merge
 * base of <base> and HEAD up to HEAD add (`git diff <base>...HEAD`), with the same added-lines
 * logic as the pre-commit check: a secret that already existed on the base is not reported.
 */
import { branchChange } from '../../sources/diff.js';
import { UsageError } from '../errors.js';
import { checkOutputPath, type OutputOptions } from '../output.js';
import { finishReport, scanChange } from './report.js';
import { nowMs } from '../../clock.js';

export async function runDiffScan(base: string, pathspecs: string[], options: OutputOptions): Promise<number> {
  const started = nowMs();
  checkOutputPath(options.output);
  // git would read a leading dash as an option.
  if (base === '' || base.startsWith('-')) throw new UsageError(`--diff ${base}: expected a branch, tag or commit such as origin/main`);
  const { change, ...result } = await scanChange('diff', options, (cwd, maxFileSize) => branchChange(cwd, base, pathspecs, maxFileSize));
  const files = change.files.length;
  const notes = [`Checked what ${base}...HEAD adds: ${files} changed ${files === 1 ? 'file' : 'files'}.`];
  return finishReport({ command: 'scan', ...result, durationMs: nowMs() - started, notes }, options);
}
