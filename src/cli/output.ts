/** Shared by every command: report options, colour decision, writing the report. */
import { closeSync, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { ActiveRule } from '../detector/detector.js';
import { SEVERITY_RANK, type Finding } from '../findings/finding.js';
import { SEVERITIES, type Severity } from '../plugins/api.js';
import { UsageError } from './errors.js';
import { parseSize } from '../config/schema.js';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;

export interface OutputOptions {
  format: string;
  output?: string;
  showSecrets?: boolean;
  color: boolean;
  verbose?: boolean;
  debug?: boolean;
  config?: string;
  maxFileSize?: string;
  /** A file, false for `--no-baseline`, undefined for the default. */
  baseline?: string | false;
  /** `--jobs N` (scan and history). */
  jobs?: string;
  /** `--fail-on <severity>`: the lowest severity that makes the exit code 1. */
  failOn?: string;
  /** `--verify`: ask each key's provider whether it is live. */
  verify?: boolean;
  /** `--fail-on-live`: only live keys make the exit code 1. */
  failOnLive?: boolean;
}

/** Options every scanning command has (scan, staged, history). */
export function addReportOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format').choices([...FORMATS]).default('text'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 only for findings at or above this severity (all are still reported)').choices([...SEVERITIES]).default('info'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'config file (default: .leakproof.yaml in the scan root)')
    .option('--max-file-size <size>', 'skip files larger than this (e.g. 10MiB, 500KB)', '10MiB')
    .option('--baseline <file>', 'baseline of accepted findings (default: .leakproof-baseline.json if present)')
    .option('--no-baseline', 'ignore the baseline file')
    .option('--show-secrets', 'print secrets in full instead of redacting them')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .option('-v, --verbose', 'list skipped files and dropped findings')
    .option('--debug', 'print stack traces for internal errors');
}

/** Fails early (exit 2) when `--output` cannot be written, before any scanning. */
export function checkOutputPath(file: string | undefined): void {
  if (file === undefined) return;
  const abs = resolve(file);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new UsageError(`--output ${file}: is a directory`);
  if (!existsSync(dirname(abs))) throw new UsageError(`--output ${file}: folder ${dirname(file)} does not exist`);
}

export function useColor(options: OutputOptions): boolean {
  if (!options.color || options.output !== undefined) return false;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

/**
 * The exit code for a finished scan: 1 when some finding is at or above `--fail-on` (default
 * `info`: any finding), else 0. Findings below the threshold are still reported.
 */
export function exitCodeFor(findings: readonly { severity: Severity }[], failOn: string | undefined): number {
  const threshold = SEVERITY_RANK[(failOn ?? 'info') as Severity];
  if (threshold === undefined) throw new UsageError(`--fail-on ${failOn}: expected one of ${SEVERITIES.join(', ')}`);
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

/** `--verify` and `--fail-on-live`: opt-in, since verifying sends each key to its provider. */
export function addVerifyOptions(command: Command): Command {
  return command
    .option('--verify', "ask each key's provider whether it is live (sends the key over HTTPS to the provider the rule names)")
    .option('--fail-on-live', 'with --verify: exit 1 only for live keys (still subject to --fail-on)');
}

/** Runs `--verify` when asked (setting `verified` on the findings); returns lines for the text report. */
export async function verifyIfAsked(findings: Finding[], rules: readonly ActiveRule[], options: OutputOptions): Promise<string[]> {
  if (options.failOnLive && !options.verify) throw new UsageError('--fail-on-live needs --verify (verifying sends each key to its provider, so it is never implied)');
  if (!options.verify) return [];
  const { verificationLines, verifyFindings, VerifyError } = await import('../verify/index.js');
  try {
    await verifyFindings(findings, rules, { env: process.env });
  } catch (error) {
    if (error instanceof VerifyError) throw new UsageError(error.message);
    throw error;
  }
  return verificationLines(findings);
}

/** The findings that decide the exit code: with `--fail-on-live`, only live keys. */
export function failingFindings<T extends { verified?: string }>(findings: readonly T[], options: OutputOptions): readonly T[] {
  return options.failOnLive ? findings.filter((f) => f.verified === 'live') : findings;
}

/** Pieces are gathered up to this size before a write: few system calls, little memory. */
const WRITE_SIZE = 64 * 1024;

/**
 * Writes a report as its pieces come, to stdout or `--output`. stdout writes are synchronous on
 * POSIX (files, pipes and terminals alike), so nothing piles up in memory behind a slow reader.
 */
export function writeReport(pieces: Iterable<string>, file: string | undefined): void {
  let fd: number | undefined;
  const write = (text: string) => {
    if (file === undefined) {
      process.stdout.write(text);
      return;
    }
    try {
      fd ??= openSync(resolve(file), 'w');
      writeSync(fd, text);
    } catch (error) {
      throw new UsageError(`--output ${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  try {
    let pending = '';
    for (const piece of pieces) {
      pending += piece;
      if (pending.length >= WRITE_SIZE) {
        write(pending);
        pending = '';
      }
    }
    // Always one write, even of nothing: `--output` then leaves an empty file, as before.
    write(pending);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function parseMaxFileSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseSize(value);
  if (bytes === undefined) throw new UsageError(`--max-file-size ${value}: expected a size such as 10MiB, 500KB or 1048576`);
  return bytes;
}

/** `--jobs N`: detection threads, this one included. */
export function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs ${value}: expected a whole number from 1 to 64`);
  return jobs;
}
