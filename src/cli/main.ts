/**
 * argv → command → exit code. The only place that reads argv, sets the exit code or prints errors.
 * Commands are imported lazily so the pre-commit path loads only what it needs.
 */
import { Command, CommanderError } from 'commander';
import { isKnownError, UsageError } from './errors.js';
import { addReportOptions, addVerifyOptions, type OutputOptions } from './output.js';

const VERSION = '0.1.0';

function buildProgram(run: (task: () => Promise<number>, debug: boolean) => Promise<void>): Command {
  const program = new Command('leakproof')
    .description('Find leaked API keys and secrets in files, staged changes and git history.')
    .version(VERSION, '--version')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: () => {} });

  addVerifyOptions(
    addReportOptions(
      program
        .command('scan')
        .description('scan files and folders (default: the current folder; inside git, what git would see)')
        .argument('[paths...]', 'files and folders to scan')
        .option('--diff <base>', 'scan only what the commits since the merge base with <base> add (e.g. origin/main); paths narrow it')
        .option('-j, --jobs <n>', 'detection threads (default: one per core for large scans)')
        .option('--cache', 'skip git-tracked files, unchanged since, that a scan with the same rules found nothing in; remember the clean ones'),
    ),
  ).action((paths: string[], options: OutputOptions & { diff?: string; cache?: boolean }) =>
    run(async () => {
      if (options.diff === undefined) return (await import('./commands/scan.js')).runScan(paths, options);
      if (options.verify || options.failOnLive) throw new UsageError('--verify and --fail-on-live work on the working-tree scan, not with --diff');
      if (options.cache) throw new UsageError('--cache works on the working-tree scan, not with --diff');
      return (await import('./commands/diff.js')).runDiffScan(options.diff, paths, options);
    }, options.debug === true),
  );

  program
    .command('rules')
    .description('list the active rules (id, provider, severity, description)')
    .option('-c, --config <file>', 'config file (default: .leakproof.yaml in the current folder)')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--debug', 'print stack traces for internal errors')
    .action((options: { config?: string; format: string; debug?: boolean }) =>
      run(async () => (await import('./commands/rules.js')).runRules(options), options.debug === true),
    );

  program
    .command('baseline')
    .description('accept the current findings: write .leakproof-baseline.json (hashes only), so scans report only new ones')
    .argument('[paths...]', 'files and folders to scan')
    .option('-c, --config <file>', 'config file (default: .leakproof.yaml in the scan root)')
    .option('--baseline <file>', 'baseline file to write', undefined)
    .option('--max-file-size <size>', 'skip files larger than this', '10MiB')
    .option('--debug', 'print stack traces for internal errors')
    .action((paths: string[], options: { config?: string; baseline?: string; maxFileSize?: string; debug?: boolean }) =>
      run(async () => (await import('./commands/baseline.js')).runBaseline(paths, options), options.debug === true),
    );

  addReportOptions(
    program
      .command('staged')
      .description('the pre-commit check: scan what is staged (the index), reporting only the lines the change adds')
      .option('--all-lines', 'report findings anywhere in the staged files, not only on added lines'),
  ).action((options: OutputOptions & { allLines?: boolean }) =>
    run(async () => (await import('./commands/staged.js')).runStaged(options), options.debug === true),
  );

  addReportOptions(
    program
      .command('history')
      .description('scan every commit reachable from all refs (or a range), each unique blob once')
      .argument('[range]', 'revision range, e.g. main..feature or HEAD~50..HEAD (default: all refs)')
      .option('--since <date>', 'only commits after this date (e.g. 2024-01-01, "3 months ago")')
      .option('--git-dir <dir>', 'the repository to scan (e.g. a bare repository)')
      .option('-j, --jobs <n>', 'detection threads (default: one per core)')
      .option('--cache', 'skip the blobs (by path and blob id) that a history scan with the same rules found nothing in; remember the clean ones'),
  ).action((range: string | undefined, options: OutputOptions & { since?: string; gitDir?: string; cache?: boolean }) =>
    run(async () => (await import('./commands/history.js')).runHistory(range, options), options.debug === true),
  );

  program
    .command('init')
    .description('set up the pre-commit hook: husky where there is a package.json, else a git hook (core.hooksPath honoured)')
    .option('--force', 'replace an existing hook leakproof cannot add to (kept as .bak)')
    .option('--debug', 'print stack traces for internal errors')
    .action((options: { force?: boolean; debug?: boolean }) =>
      run(async () => (await import('./commands/init.js')).runInit(options), options.debug === true),
    );

  program
    .command('fix')
    .description('move hard-coded secrets into .env (git-ignored) and reference them from the environment; a dry run unless --write')
    .argument('[paths...]', 'files and folders to fix (default: the current folder)')
    .option('--write', 'apply the changes (default: print the diff and change nothing)')
    .option('-c, --config <file>', 'config file (default: .leakproof.yaml in the scan root)')
    .option('--max-file-size <size>', 'skip files larger than this (e.g. 10MiB, 500KB)', '10MiB')
    .option('--show-secrets', 'show secrets in the diff instead of redacting them')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .option('--debug', 'print stack traces for internal errors')
    .action((paths: string[], options: { write?: boolean; config?: string; maxFileSize?: string; showSecrets?: boolean; color: boolean; debug?: boolean }) =>
      run(async () => (await import('./commands/fix.js')).runFix(paths, options), options.debug === true),
    );

  // More commands register here, one block each (implementation modules are imported lazily).
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  let debug = argv.includes('--debug');
  const program = buildProgram(async (task, wantsDebug) => {
    debug = wantsDebug;
    exitCode = await task();
  });
  try {
    if (argv.length === 0) {
      process.stdout.write(program.helpInformation());
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      process.stderr.write(`leakproof: ${error.message.replace(/^error: /, '')} (see leakproof --help)\n`);
      return 2;
    }
    if (isKnownError(error)) {
      for (const line of error.message.split('\n')) process.stderr.write(`leakproof: ${line}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`leakproof: internal error: ${message.split('\n')[0]}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

// A reader that stops early (`leakproof scan -f json | head`) closes the pipe: the rest of the report
// has nowhere to go, which is not an error of the scan (its exit code still says what it found).
// Any other failure to write (a full disk) loses the report: one line, exit 2.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  process.stderr.write(`leakproof: cannot write the report to stdout (${error.code ?? error.message})\n`);
  process.exit(2);
});

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
