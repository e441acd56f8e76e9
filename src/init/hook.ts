/**
 * `leakproof init`: install the pre-commit hook the way the project already works. A project with a
 * package.json gets husky (`.husky/pre-commit`, the `prepare` script, the devDependency); any other
 * repository gets a plain git hook in the hooks folder git uses (`core.hooksPath` honoured).
 * Idempotent, and nothing is lost: an existing hook gets our lines appended, or is left alone with
 * a clear message (or kept as `.bak` under `--force`).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { GitError, runGit } from '../sources/git.js';

export interface InitOptions {
  cwd: string;
  force: boolean;
}

/** The husky version we add when the project has none. */
const HUSKY_VERSION = '^9.1.7';
const MARKER = 'leakproof staged';

const HEADER = '# leakproof: stop commits that add secrets (emergency only: git commit --no-verify)';

/**
 * Where NODE_EXTRA_CA_CERTS is set (behind a TLS-inspecting proxy, say), node loads that file and
 * its own ~140 root certificates at every start (nodejs/node#40524): measured here, 35 ms a commit
 * for one extra certificate, 70 ms for a system bundle. `leakproof staged` opens no TLS connection
 * (only `--verify` does), so the hook runs it with the variable empty, which node takes as unset.
 */
const NO_EXTRA_CA = [
  '# NODE_EXTRA_CA_CERTS= : leakproof staged makes no TLS connection, and node would load that file on every commit',
];

/** The header, a test that stops the commit with `missing` when leakproof cannot be run, then the command. */
function block(test: string, missing: string, command: string, before: readonly string[]): string {
  return [HEADER, `if ${test}; then`, `  echo "${missing}" >&2`, '  exit 1', 'fi', ...before, command, ''].join('\n');
}

function dependencyBlock(command: string, before: readonly string[] = []): string {
  const missing = 'leakproof: node_modules/.bin/leakproof not found, so staged files cannot be checked for secrets: run npm install. Commit stopped.';
  return block('[ ! -x node_modules/.bin/leakproof ]', missing, command, before);
}

function pathBlock(command: string, before: readonly string[] = []): string {
  const missing = 'leakproof: command not found on PATH, so staged files cannot be checked for secrets: install it (npm install -g leakproof). Commit stopped.';
  return block('! command -v leakproof >/dev/null 2>&1', missing, command, before);
}

const WITHOUT_EXTRA_CA = 'they run leakproof without NODE_EXTRA_CA_CERTS, which node would load on every commit (35-70 ms where it is set)';

/** Blocks earlier versions wrote, which `init` replaces with today's, and what the update gains. */
const OLD_BLOCKS: readonly { text: string; gain: string }[] = [
  {
    text: dependencyBlock('npx --no-install leakproof staged || exit $?'),
    gain: 'they run node_modules/.bin/leakproof itself, not through npx (~0.5 s less per commit), and without NODE_EXTRA_CA_CERTS',
  },
  { text: dependencyBlock('node_modules/.bin/leakproof staged || exit $?'), gain: WITHOUT_EXTRA_CA },
  { text: pathBlock('leakproof staged || exit $?'), gain: WITHOUT_EXTRA_CA },
];

/**
 * The hook lines. They fail the commit when leakproof cannot be found: a security hook that is
 * skipped without a word is worse than none. `|| exit $?` so lines appended after ours cannot
 * turn a refusal into a pass in hooks that do not run under `sh -e`.
 */
export function hookBlock(asDependency: boolean): string {
  if (asDependency) {
    // The command itself, not `npx --no-install leakproof`: npx alone costs every commit ~0.5 s,
    // more than the whole check (a git commit through husky: 0.7 s with it, 0.19 s without).
    return dependencyBlock('NODE_EXTRA_CA_CERTS= node_modules/.bin/leakproof staged || exit $?', NO_EXTRA_CA);
  }
  return pathBlock('NODE_EXTRA_CA_CERTS= leakproof staged || exit $?', NO_EXTRA_CA);
}

export async function init(options: InitOptions): Promise<string[]> {
  let top: string;
  try {
    top = (await runGit(['rev-parse', '--show-toplevel'], { cwd: options.cwd })).stdout.toString('utf8').trim();
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(`not inside a git work tree (${error.message}): run git init first`);
    throw error;
  }
  const hooksPath = (await runGit(['config', '--get', 'core.hooksPath'], { cwd: top, okCodes: [1] })).stdout.toString('utf8').trim();
  const packageFile = join(top, 'package.json');
  const huskyOwnsHooks = hooksPath === '' || /(^|\/)\.husky(\/_)?\/?$/.test(hooksPath);
  if (existsSync(packageFile) && huskyOwnsHooks) return setUpHusky(top, packageFile, options.force);
  const hooksDir = resolve(top, (await runGit(['rev-parse', '--git-path', 'hooks'], { cwd: top })).stdout.toString('utf8').trim());
  const pkg = existsSync(packageFile) ? readPackage(packageFile).data : undefined;
  const lines = installHook(join(hooksDir, 'pre-commit'), hookBlock(isDependency(pkg)), { top, force: options.force, needsShebang: true });
  if (hooksPath !== '') lines.push(`core.hooksPath is ${hooksPath}: the hook went there`);
  return lines;
}

type PackageJson = Record<string, unknown> & {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

function readPackage(file: string): { text: string; data: PackageJson } {
  const text = readFileSync(file, 'utf8');
  try {
    const data = JSON.parse(text) as unknown;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object');
    return { text, data: data as PackageJson };
  } catch (error) {
    throw new UsageError(`package.json: invalid JSON (${(error as Error).message}): fix it and run leakproof init again`);
  }
}

function isDependency(pkg: PackageJson | undefined): boolean {
  return Boolean(pkg?.dependencies?.leakproof ?? pkg?.devDependencies?.leakproof);
}

function setUpHusky(top: string, packageFile: string, force: boolean): string[] {
  const { text, data } = readPackage(packageFile);
  const lines = installHook(join(top, '.husky', 'pre-commit'), hookBlock(isDependency(data)), { top, force, needsShebang: false });

  const changes: string[] = [];
  const scripts = (data.scripts ??= {});
  if (scripts.prepare === undefined) {
    scripts.prepare = 'husky';
    changes.push('added "prepare": "husky"');
  } else if (!/\bhusky\b/.test(scripts.prepare)) {
    scripts.prepare = `${scripts.prepare} && husky`;
    changes.push('added "&& husky" to the prepare script');
  }
  const hasHusky = data.dependencies?.husky !== undefined || data.devDependencies?.husky !== undefined;
  if (!hasHusky) {
    (data.devDependencies ??= {}).husky = HUSKY_VERSION;
    changes.push(`added devDependency husky ${HUSKY_VERSION}`);
  }
  if (changes.length > 0) {
    const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
    writeFileSync(packageFile, `${JSON.stringify(data, null, indent)}\n`);
    lines.push(`package.json: ${changes.join(', ')}`);
  }

  // husky itself activates the hooks (it sets core.hooksPath); we only run it if it is installed.
  const huskyBin = join(top, 'node_modules', 'husky', 'bin.js');
  if (!existsSync(huskyBin)) {
    lines.push(`husky is not installed yet, so the hook is not active: run \`${installCommand(top)}\``);
    return lines;
  }
  const run = spawnSync(process.execPath, [huskyBin], { cwd: top, encoding: 'utf8' });
  const said = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.status !== 0 || said !== '') throw new UsageError(`husky could not activate the hook: ${said.split('\n')[0] || `exit ${run.status}`}`);
  lines.push('husky activated the hook: every git commit now runs leakproof staged');
  return lines;
}

function installCommand(top: string): string {
  if (existsSync(join(top, 'pnpm-lock.yaml'))) return 'pnpm add -D husky';
  if (existsSync(join(top, 'yarn.lock'))) return 'yarn add -D husky';
  return 'npm install -D husky';
}

/**
 * Writes the hook, or adds our block to an existing shell hook. A hook we cannot safely extend (not
 * a shell script, or one that ends in `exec`) is refused unless `force`, which keeps it as `.bak`.
 */
function installHook(file: string, block: string, options: { top: string; force: boolean; needsShebang: boolean }): string[] {
  const shown = relative(options.top, file) || file;
  if (!existsSync(file)) {
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, options.needsShebang ? `#!/bin/sh\n${block}` : block, { mode: 0o755 });
    chmodSync(file, 0o755);
    return [`wrote ${shown}: it runs leakproof staged before each commit`];
  }
  const current = readFileSync(file, 'utf8');
  const old = OLD_BLOCKS.find(({ text }) => text !== block && current.includes(text));
  if (old !== undefined) {
    writeFileSync(file, current.replace(old.text, () => block));
    return [`updated the leakproof lines in ${shown}: ${old.gain}`];
  }
  if (current.includes(MARKER)) return [`${shown} already runs leakproof staged: nothing to do`];
  const firstLine = current.split('\n')[0];
  const shell = firstLine.startsWith('#!') ? /\b(sh|bash|dash|zsh|ksh)\b/.test(firstLine) : !options.needsShebang;
  // Lines after an `exec` never run; a binary or another language cannot take our shell lines.
  if (shell && !current.includes('\0') && !/^\s*exec\s/m.test(current)) {
    writeFileSync(file, `${current}${current.endsWith('\n') || current === '' ? '' : '\n'}\n${block}`);
    chmodSync(file, 0o755);
    return [`added leakproof staged to the existing ${shown}`];
  }
  if (!options.force) {
    throw new UsageError(`${shown} already exists and leakproof cannot safely add to it: add \`leakproof staged\` to it yourself, or run leakproof init --force to replace it (the current hook is kept as ${shown}.bak)`);
  }
  let backup = `${file}.bak`;
  for (let n = 1; existsSync(backup); n++) backup = `${file}.bak.${n}`;
  renameSync(file, backup);
  writeFileSync(file, options.needsShebang ? `#!/bin/sh\n${block}` : block, { mode: 0o755 });
  chmodSync(file, 0o755);
  return [`replaced ${shown} (the previous hook is now ${relative(options.top, backup)}): it runs leakproof staged before each commit`];
}
