/**
 * `leakproof staged`: the pre-commit check. Scans what is about to be committed (the index, not
 * the work tree), reports only the lines the staged change adds (unless `--all-lines`), and runs
 * the project checks on the staged files (a staged `.env` blocks the commit). Fails closed: when
 * git cannot answer, the error exits 2, never 0.
 */
import { stagedChange } from '../../sources/staged.js';
import { checkOutputPath, exitCodeFor, type OutputOptions } from '../output.js';
import { finishReport, scanChange } from './report.js';
import { nowMs } from '../../clock.js';

export interface StagedOptions extends OutputOptions {
  allLines?: boolean;
}

/** How to get past a refused commit, in the order we want people to try. */
export const HOW_TO_PROCEED = [
  'The commit was stopped because the staged changes add secrets. To proceed:',
  '  1. Remove the secret and load it from the environment instead (e.g. process.env.RESEND_API_KEY), then `git add` the file again.',
  '  2. Not a secret (a test value, a public key)? Add a `leakproof:allow` comment on that line (or `leakproof:allow <rule-id>`).',
  '  3. Emergency only: `git commit --no-verify` skips this check. A secret that has been committed must be rotated: deleting it later does not take it back.',
  '',
];

export async function runStaged(options: StagedOptions): Promise<number> {
  const started = nowMs();
  checkOutputPath(options.output);
  const { change, ...result } = await scanChange('staged', options, stagedChange);
  const notes: string[] = [];
  if (change.files.length === 0) notes.push('Nothing is staged: there is nothing to check.');
  if (exitCodeFor(result.findings, options.failOn) !== 0) notes.push(...HOW_TO_PROCEED);
  return finishReport({ command: 'staged', ...result, durationMs: nowMs() - started, notes }, options);
}
