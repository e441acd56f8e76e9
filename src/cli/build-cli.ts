/**
 * Build step: bundles the CLI into one CommonJS file (dist/cli/main.cjs), and the detection worker
 * (dist/workers/detect-worker.cjs), and writes V8's code cache for the CLI (see bin/leakproof.cjs).
 * One file with no module resolution, loaded from a code cache, is what keeps the pre-commit
 * hook's start-up small. Dependencies that only some commands
 * need stay external and load on first use; the ones every run needs are bundled.
 */
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { builtinGlobs } from '../builtin/index.js';
import { builtinRuleDefs } from '../config/rules.js';
import { precompileGlobs } from '../detector/globs.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLED = new Set(['@noble/hashes', 'commander', 'picocolors', 'picomatch']);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

// The built-in rules' path globs, as regexes: the bundles skip picomatch's parser for them.
const globs = precompileGlobs(builtinGlobs(await builtinRuleDefs()));

// What the start-up cache names its entries by (src/config/startup-cache.ts): a hash of every source
// file and of the lockfile, so a build with other validation code never reads another's entries.
const buildHash = createHash('sha256');
for (const file of ['package-lock.json', ...readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).sort().map((f) => join('src', f))]) {
  if (!statSync(join(root, file)).isFile()) continue;
  buildHash.update(`${file}\0`).update(readFileSync(join(root, file))).update('\0');
}
const buildId = buildHash.digest('hex');

// The CLI, and the detection worker (one file starts in about half the time of the module tree);
// yaml and zod in a bundle of their own, which bin/leakproof.cjs runs when a config, rule or
// baseline file needs them (see src/lazy.ts).
for (const [entry, outfile] of [
  ['src/cli/main.ts', 'dist/cli/main.cjs'],
  ['src/workers/detect-worker.ts', 'dist/workers/detect-worker.cjs'],
  ['src/config/parsers.ts', 'dist/cli/parsers.cjs'],
]) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: entry === 'src/config/parsers.ts' ? [] : Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
    // SHA-256 only: keep @noble/hashes from loading node:crypto for randomness it is never asked for.
    alias: { '@noble/hashes/crypto': join(root, 'src/cli/noble-crypto-stub.ts') },
    // The sources locate dist/ files from import.meta.url; in CommonJS that is the bundle's own URL.
    define: { 'import.meta.url': '__bundleUrl', LEAKPROOF_GLOBS: JSON.stringify(globs), LEAKPROOF_BUILD_ID: JSON.stringify(buildId) },
    banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
  });
  // esbuild escapes non-ASCII in code, but keeps some comments as they are. One such character makes
  // V8 hold the whole source as UTF-16: twice the memory, and ~2 ms more to load on every run.
  const text = readFileSync(join(root, outfile));
  if (!isAscii(text)) {
    const at = text.findIndex((byte) => byte > 0x7f);
    const line = text.subarray(0, at).toString('latin1').split('\n').length;
    throw new Error(`${outfile}:${line}: a non-ASCII character (in a comment of the sources, most likely): keep the bundle ASCII`);
  }
}

// The code caches, each written by one run on a small sample (bin/leakproof.cjs writes the cache
// of each bundle named in LEAKPROOF_WRITE_CODE_CACHE). V8 caches what the run compiled, so each
// sample runs what matters most at start-up:
// - main.cjs: `staged` in a new repository with a file staged, the pre-commit hook (functions
//   compiled on the spot cost a hook ~5 ms more). The file holds a key made up here, so the cache
//   also holds what a finding costs (fingerprint, redaction, report). No config file: what only
//   some configs run (picomatch's glob parser) would make every run's cache larger to load.
// - parsers.cjs: a scan with a config file, which runs yaml and zod.
const alnum = (n: number): string => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');
writeCodeCache('main.cjs', ['staged'], { 'config.js': `export const apiKey = process.env.API_KEY;\nconst resendKey = 're_${alnum(8)}_${alnum(24)}';\n` }, 1);
writeCodeCache('parsers.cjs', ['scan', '.'], { '.leakproof.yaml': 'rules:\n  severity: { dotenv-not-ignored: low }\nallow:\n  paths: ["vendor/**"]\n  stopwords: [dummy]\n', 'config.js': 'export const apiKey = process.env.API_KEY;\n' }, 0);

function writeCodeCache(bundle: string, args: string[], files: Record<string, string>, expectedExit: number): void {
  // Without the old cache: one V8 accepts would carry over what earlier samples compiled.
  rmSync(join(root, 'dist/cli', `${bundle}.cache`), { force: true });
  const sample = mkdtempSync(join(tmpdir(), 'leakproof-cache-'));
  // The sample's own repository, whatever git repository or hook the build runs in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_')));
  const git = (...gitArgs: string[]): void => {
    const run = spawnSync('git', gitArgs, { cwd: sample, env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`code cache sample for ${bundle}: git ${gitArgs[0]} failed: ${run.error?.message ?? run.stderr}`);
  };
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(sample, name), text);
    if (args[0] === 'staged') {
      git('init', '-q');
      git('add', '.');
    }
    // Without the start-up cache: an entry from an earlier build would spare the run the parsing whose code the cache is for.
    const run = spawnSync(process.execPath, [join(root, 'bin/leakproof.cjs'), ...args], { cwd: sample, env: { ...env, LEAKPROOF_WRITE_CODE_CACHE: bundle, LEAKPROOF_CACHE: '0' }, encoding: 'utf8' });
    // The exit code shows the sample ran as meant (1: its key was found).
    if (run.status !== expectedExit) throw new Error(`code cache run for ${bundle} failed (exit ${run.status}, expected ${expectedExit}): ${run.stderr}`);
  } finally {
    rmSync(sample, { recursive: true, force: true });
  }
}
console.log('leakproof: bundled dist/cli/main.cjs and dist/cli/parsers.cjs with their code caches');
