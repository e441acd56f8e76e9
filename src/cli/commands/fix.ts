/** `leakproof fix [paths...]`: a dry run that prints the diff of every repair; `--write` applies it. */
import { applyFix, FixError, planFix, renderFix } from '../../fix/index.js';
import { UsageError } from '../errors.js';
import { parseMaxFileSize, useColor } from '../output.js';

export interface FixOptions {
  write?: boolean;
  config?: string;
  maxFileSize?: string;
  showSecrets?: boolean;
  color: boolean;
  debug?: boolean;
}

/** Exit codes: 0 nothing found, or `--write` fixed everything; 1 findings remain (a dry run always leaves them); 2 errors. */
export async function runFix(paths: string[], options: FixOptions): Promise<number> {
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  try {
    const plan = await planFix({ paths, configFile: options.config, maxFileSize });
    if (plan.findings.length === 0) {
      process.stdout.write('No secrets found: nothing to fix.\n');
      return 0;
    }
    const render = { write: options.write === true, showSecrets: options.showSecrets === true, color: useColor({ format: 'text', color: options.color }) };
    if (!options.write) {
      const { text } = renderFix(plan, { sources: plan.sources, support: plan.support, changed: plan.changed, notes: [] }, render);
      process.stdout.write(text);
      return 1;
    }
    const result = await applyFix(plan);
    const { text, fixedAll } = renderFix(plan, result, render);
    process.stdout.write(text);
    return fixedAll ? 0 : 1;
  } catch (error) {
    if (error instanceof FixError) throw new UsageError(error.message);
    throw error;
  }
}
