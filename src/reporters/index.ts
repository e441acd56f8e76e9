/**
 * Reporters: name → function from redacted findings to text, given piece by piece so that a large
 * report is written as it is made. They never see a raw secret unless the user asked for
 * `--show-secrets`. Pure: no fs, no git.
 */
import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

export type { Reporter, ReportInput, ReportStats, RuleInfo } from './types.js';
export { renderReport } from './stream.js';

/** Keys are the `--format` names (a public contract: add, never rename). */
export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  github: githubReporter,
};
