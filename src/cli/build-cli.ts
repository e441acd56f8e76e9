/**
 * Build step: bundles the CLI into one CommonJS file (dist/cli/main.cjs), and the detection worker
 * (dist/workers/detect-worker.cjs), and writes V8's code cache for the CLI (see bin/leakproof.cjs).
 * One file with no module resolution, loaded from a code cache, is what keeps the pre-commit
 * hook's start-up small. Dependencies that only some commands
 * need stay external and load on first use; the ones every run needs are bundled.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    define: { 'import.meta.url': '__bundleUrl', LEAKPROOF_GLOBS: JSON.stringify(globs) },
    banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
  });
}

// The code cache: one scan of a small folder, so it holds what a scan compiles. The folder holds a
// key made up here, so the cache also holds what a finding costs (fingerprint, redaction, report):
// without it, a commit that is stopped compiles that code on the spot (~5 ms). Its config file
// runs yaml and zod, so dist/cli/parsers.cjs gets its cache in the same run.
const sample = mkdtempSync(join(tmpdir(), 'leakproof-cache-'));
try {
  const alnum = (n: number): string => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');
  writeFileSync(join(sample, '.leakproof.yaml'), 'allow:\n  paths:\n    - "vendor/**"\n');
  writeFileSync(join(sample, 'config.js'), `export const apiKey = process.env.API_KEY;\nconst resendKey = 're_${alnum(8)}_${alnum(24)}';\n`);
  const run = spawnSync(process.execPath, [join(root, 'bin/leakproof.cjs'), 'scan', '.'], { cwd: sample, env: { ...process.env, LEAKPROOF_WRITE_CODE_CACHE: '1' }, encoding: 'utf8' });
  // Exit 1: the made-up key was found, as it must be for the cache to hold the reporting code.
  if (run.status !== 1) throw new Error(`code cache run failed (exit ${run.status}, expected 1 for its sample key): ${run.stderr}`);
} finally {
  rmSync(sample, { recursive: true, force: true });
}
console.log('leakproof: bundled dist/cli/main.cjs with its code cache');
