#!/usr/bin/env node
'use strict';
/**
 * The `leakproof` command. It runs the bundled CLI (dist/cli/main.cjs) from V8's code cache,
 * which the build writes next to it, so a pre-commit hook does not parse and compile ~300 KB of
 * JavaScript on every commit. A cache from another Node version is rejected by V8 and the bundle
 * compiles as usual. Code compiled this way has no `import()`, so this plain module lends its
 * own for loading user plugins (see src/lazy.ts), and its loader for the second bundle,
 * dist/cli/parsers.cjs (yaml and zod: only runs with a config, rule or baseline file load it).
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

const dist = join(__dirname, '..', 'dist', 'cli');

/** Runs a CommonJS bundle from its code cache (`<bundle>.cache`) and returns its exports. */
function runCached(bundle) {
  const cacheFile = `${bundle}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache (a development build): compile as usual
  }
  let source;
  try {
    source = readFileSync(bundle, 'utf8');
  } catch {
    process.stderr.write(`leakproof: ${bundle} is missing: run \`npm run build\` in ${join(__dirname, '..')}\n`);
    process.exit(2);
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const bundleModule = { exports: {}, filename: bundle };
  script.runInThisContext()(bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, join(bundle, '..'));
  // The build runs a scan with this naming the bundle, so its cache holds what a scan compiles.
  if ((process.env.LEAKPROOF_WRITE_CODE_CACHE ?? '').split(',').includes(basename(bundle))) {
    process.once('beforeExit', () => writeFileSync(cacheFile, script.createCachedData()));
  }
  return bundleModule.exports;
}

globalThis[Symbol.for('leakproof.importModule')] = (url) => import(url);
globalThis[Symbol.for('leakproof.loadParsers')] = () => runCached(join(dist, 'parsers.cjs'));
runCached(join(dist, 'main.cjs'));
