/**
 * Build step: validates `rules/*.yaml` and writes them to `dist/rules.json`, so the CLI loads the
 * rule catalogue without a YAML parser or schema validation at start-up; assembles the prefilter's
 * WebAssembly loop (`dist/prefilter.wasm`) and precomputes its tables (`dist/prefilter.bin`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';
import { encodeTables } from '../detector/prefilter.js';
import { ruleAnchoring } from '../detector/pattern-rule.js';
import { ConfigError } from './errors.js';
import { BUILTIN_RULES_DIR, loadRuleDir } from './rules.js';

try {
  // No timing probe here: a build must not depend on machine load. The test suite checks the
  // built-in regexes (near-miss timing and the recheck ReDoS analyser).
  const defs = await loadRuleDir(BUILTIN_RULES_DIR, { checkSpeed: false });
  const out = fileURLToPath(new URL('../rules.json', import.meta.url));
  // With where each regex's matches start (null: unknown, or not worth recording): deriving it for ~250 rules at every start costs ~20 ms.
  const portable = defs.map((d) => ({ ...d, source: `rules/${basename(d.source ?? '')}`, examples: undefined, anchoring: ruleAnchoring(d) ?? null }));
  writeFileSync(out, JSON.stringify(portable));
  console.log(`leakproof: compiled ${defs.length} rules into dist/rules.json`);
  const watFile = fileURLToPath(new URL('../../src/detector/prefilter.wat', import.meta.url));
  const wat = (await wabt()).parseWat(watFile, readFileSync(watFile, 'utf8'));
  wat.validate();
  writeFileSync(fileURLToPath(new URL('../prefilter.wasm', import.meta.url)), wat.toBinary({}).buffer);
  wat.destroy();
  // The keyword automaton of the default rule set, so the CLI need not build it at every start.
  const { compileSettings, loadConfig } = await import('./load.js');
  const empty = mkdtempSync(join(tmpdir(), 'leakproof-build-'));
  try {
    const settings = await compileSettings(await loadConfig(empty), empty, { baseline: false });
    writeFileSync(fileURLToPath(new URL('../prefilter.bin', import.meta.url)), encodeTables(settings.ruleSet.prefilterTables()));
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
} catch (error) {
  console.error(error instanceof ConfigError ? error.lines.join('\n') : error);
  process.exitCode = 1;
}
