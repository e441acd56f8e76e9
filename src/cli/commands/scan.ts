/** `leakproof scan [paths...]`: the working tree (or any folder) through the pipeline. */
import { scan } from '../../scan.js';
import { checkOutputPath, parseJobs, parseMaxFileSize, verifyIfAsked, type OutputOptions } from '../output.js';
import { finishReport } from './report.js';

export async function runScan(paths: string[], options: OutputOptions & { cache?: boolean }): Promise<number> {
  checkOutputPath(options.output);
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  const result = await scan({ paths, configFile: options.config, maxFileSize, baseline: options.baseline, jobs: parseJobs(options.jobs), cache: options.cache === true });
  const notes = [...(result.cacheNote ? [result.cacheNote] : []), ...(await verifyIfAsked(result.findings, result.ruleSet.rules, options))];
  return finishReport({ command: 'scan', ...result, notes, coverage: { files: result.files, wholeRoot: paths.length === 0 } }, options);
}
