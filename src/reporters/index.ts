/**
 * Reporters: name → function from redacted findings to text. They never see a raw secret unless
 * the user asked for `--show-secrets`. Pure: no fs, no git.
 */
import { jsonReporter } from './json.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

export type { Reporter, ReportInput, ReportStats, RuleInfo } from './types.js';

export const REPORTERS: Readonly<Record<string, Reporter>> = {
  text: textReporter,
  json: jsonReporter,
};
