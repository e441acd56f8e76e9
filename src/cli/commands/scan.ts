/** `leakproof scan [paths...]`: the working tree (or any folder) through the pipeline. */
import { scan } from '../../scan.js';
import { UsageError } from '../errors.js';
import { checkOutputPath, parseMaxFileSize, verifyIfAsked, type OutputOptions } from '../output.js';
import { finishReport } from './report.js';

export async function runScan(paths: string[], options: OutputOptions): Promise<number> {
  checkOutputPath(options.output);
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  const result = await scan({ paths, configFile: options.config, maxFileSize, baseline: options.baseline, jobs: parseJobs(options.jobs) });
  const notes = await verifyIfAsked(result.findings, result.ruleSet.rules, options);
  return finishReport({ command: 'scan', ...result, notes, coverage: { files: result.files, wholeRoot: paths.length === 0 } }, options);
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs ${value}: expected a whole number from 1 to 64`);
  return jobs;
}
