/** `leakproof scan [paths...]`: the working tree (or any folder) through the pipeline. */
import { parseSize } from '../../config/schema.js';
import { toReported } from '../../findings/finding.js';
import { REPORTERS } from '../../reporters/index.js';
import { scan } from '../../scan.js';
import { UsageError } from '../errors.js';
import { checkOutputPath, useColor, writeReport, type OutputOptions } from '../output.js';

export async function runScan(paths: string[], options: OutputOptions): Promise<number> {
  checkOutputPath(options.output);
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  const result = await scan({ paths, configFile: options.config, maxFileSize });
  const reporter = REPORTERS[options.format];
  const text = reporter({
    command: 'scan',
    findings: result.findings.map((f) => toReported(f, { showSecrets: options.showSecrets === true })),
    stats: {
      filesScanned: result.stats.filesScanned,
      bytesScanned: result.stats.bytesScanned,
      filesSkipped: result.stats.skipped.length,
      durationMs: result.durationMs,
    },
    skipped: result.stats.skipped,
    rules: result.ruleSet.rules.map((r) => ({ id: r.id, description: r.description, provider: r.provider, severity: r.severity, remediation: r.remediation })),
    color: useColor(options),
    verbose: options.verbose === true,
  });
  writeReport(text, options.output);
  if (options.verbose) {
    for (const { finding, verdict } of result.dropped) {
      process.stderr.write(`leakproof: dropped ${finding.ruleId} at ${finding.path}:${finding.line} by ${verdict.by} (${verdict.entry})\n`);
    }
  }
  return result.findings.length > 0 ? 1 : 0;
}

export function parseMaxFileSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseSize(value);
  if (bytes === undefined) throw new UsageError(`--max-file-size ${value}: expected a size such as 10MiB, 500KB or 1048576`);
  return bytes;
}
