/**
 * Finds and validates the user config, then compiles everything once: the rule set (built-in
 * rules, extra rule folders, plugins; filtered and re-severitied) and the allow-list.
 * Everything downstream receives compiled objects, never strings to re-validate per file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_CODE_RULES } from '../builtin/index.js';
import { lazyParsers, onFirstUse } from '../lazy.js';
import { RuleSet } from '../detector/detector.js';
import { compilePatternRule, type PatternRuleDef } from '../detector/pattern-rule.js';
import { buildTables, decodeTables, encodeTables, prefilterKey, type PrefilterTables } from '../detector/prefilter.js';
import { precompileGlobs, type GlobTable } from '../detector/globs.js';
import { AllowListFilter, type AllowList } from '../filters/allowlist.js';
import { BaselineFilter } from '../filters/baseline.js';
import { BASELINE_NAME, readBaseline } from './baseline-file.js';
import type { CodeRule } from '../plugins/api.js';
import { ConfigError } from './errors.js';
import { remembered, startupCache } from './startup-cache.js';
import { builtinRuleDefs, loadRuleDir } from './rules.js';
import { issueLines, parseSize, schemas, type UserConfig } from './schema.js';

export const CONFIG_NAMES = ['.leakproof.yaml', '.leakproof.yml'];

export interface LoadedConfig {
  /** The config file used, if any. */
  file?: string;
  /** Folder that relative paths in the config are resolved against. */
  baseDir: string;
  config: UserConfig;
  /** The regexes of `config.allow.paths`, compiled with the config (see globMatcher). */
  globs?: GlobTable;
}

/** Reads `--config FILE`, or `.leakproof.yaml` in the scan root; no file means the defaults. */
export async function loadConfig(root: string, explicitFile?: string): Promise<LoadedConfig> {
  let file: string | undefined;
  if (explicitFile !== undefined) {
    file = resolve(explicitFile);
    if (!existsSync(file)) throw new ConfigError(`config file ${explicitFile} does not exist`);
    if (statSync(file).isDirectory()) throw new ConfigError(`config file ${explicitFile} is a directory`);
  } else {
    file = CONFIG_NAMES.map((n) => join(root, n)).find((f) => existsSync(f));
  }
  if (file === undefined) return { baseDir: root, config: {} };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`config file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // Validated once per text (see startup-cache.ts): with an entry, the hook loads neither yaml nor zod.
  const { config, globs } = remembered('config', text, () => parseConfig(file, text));
  return { file, baseDir: dirname(file), config, globs };
}

/** The config file's text, parsed and validated, with its allow-list's path globs compiled. */
function parseConfig(file: string, text: string): { config: UserConfig; globs: GlobTable } {
  let data: unknown;
  try {
    data = lazyParsers().parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = schemas().configSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(issueLines(file, parsed.error));
  return { config: parsed.data, globs: precompileGlobs(parsed.data.allow?.paths ?? []) };
}

export interface CompiledSettings {
  ruleSet: RuleSet;
  /** The config's allow-list, compiled; created per settings, so it can report which entries were used. */
  allowFilter: AllowListFilter;
  /** The baseline in force (default `.leakproof-baseline.json` beside the config or in the root). */
  baseline?: { file: string; filter: BaselineFilter };
  maxFileSize?: number;
  /**
   * What the rule set was compiled from, as plain data: detection workers compile the same one
   * from it, without reading and validating the config and rule files again.
   */
  source: { config: LoadedConfig; userRuleDefs: readonly PatternRuleDef[] };
}

/**
 * The built-in declarative rules, compiled once per process. They hold no per-run state (regexes
 * compile on first use), so every settings object shares them. `staged` starts this while git
 * lists the change (see `scanChange`), so the work overlaps git's.
 */
export const compiledBuiltinRules = onFirstUse(
  async (): Promise<ReadonlyMap<string, CodeRule>> => new Map((await builtinRuleDefs()).map((def) => [def.id, compilePatternRule(def, { validated: true })])),
);

/** The rules of the config's extra rule folders (`rules.dirs`), read and validated. */
async function loadUserRuleDefs(loaded: LoadedConfig): Promise<PatternRuleDef[]> {
  const defs: PatternRuleDef[] = [];
  for (const dir of loaded.config.rules?.dirs ?? []) defs.push(...(await loadRuleDir(resolve(loaded.baseDir, dir))));
  return defs;
}

/** All rules the run could use: built-in YAML rules, built-in code rules, extra folders, plugins. */
async function availableRules(loaded: LoadedConfig, userRuleDefs: readonly PatternRuleDef[]): Promise<Map<string, CodeRule>> {
  const rules = new Map<string, CodeRule>(await compiledBuiltinRules());
  for (const def of userRuleDefs) {
    if (rules.has(def.id)) throw new ConfigError(`${def.source}: rule ${def.id}: field id: duplicate rule id`);
    rules.set(def.id, compilePatternRule(def, { validated: true }));
  }
  for (const [id, rule] of Object.entries(BUILTIN_CODE_RULES)) rules.set(id, rule);
  if (loaded.config.plugins?.length) {
    const { loadPlugins } = await import('../plugins/load.js');
    for (const [id, rule] of await loadPlugins(loaded.config.plugins, loaded.baseDir)) {
      if (rules.has(id)) throw new ConfigError(`plugins: rule id ${id} is defined twice`);
      rules.set(id, rule);
    }
  }
  return rules;
}

export interface CompileOptions {
  /** A baseline file to use (`--baseline FILE`), or false for none (`--no-baseline`). */
  baseline?: string | false;
  /** The extra folders' rules, already read (a worker gets them from `CompiledSettings.source`). */
  userRuleDefs?: readonly PatternRuleDef[];
}

export async function compileSettings(loaded: LoadedConfig, cwd: string, options: CompileOptions = {}): Promise<CompiledSettings> {
  const where = loaded.file ?? 'config';
  const userRuleDefs = options.userRuleDefs ?? (await loadUserRuleDefs(loaded));
  const available = await availableRules(loaded, userRuleDefs);
  const { disable = [], only, severity = {} } = loaded.config.rules ?? {};
  const unknown = (field: string, ids: readonly string[]): string[] =>
    ids.flatMap((id, i) => (available.has(id) ? [] : [`${where}: ${field}${field.endsWith('severity') ? `.${id}` : `[${i}]`}: unknown rule "${id}"`]));
  const problems = [...unknown('rules.disable', disable), ...unknown('rules.only', only ?? []), ...unknown('rules.severity', Object.keys(severity))];
  if (problems.length > 0) throw new ConfigError(problems);

  const selected = new Map<string, CodeRule>();
  for (const [id, rule] of available) {
    if (only && !only.includes(id)) continue;
    if (disable.includes(id)) continue;
    selected.set(id, rule);
  }
  if (selected.size === 0) throw new ConfigError(`${where}: rules: the config leaves no rule active, so nothing would be checked`);

  const allow = loaded.config.allow ?? {};
  const regexes = (allow.regexes ?? []).map((source, i) => {
    try {
      return new RegExp(source);
    } catch (error) {
      throw new ConfigError(`${where}: allow.regexes[${i}]: invalid regex: ${(error as Error).message}`);
    }
  });
  let maxFileSize: number | undefined;
  if (loaded.config.maxFileSize !== undefined) {
    maxFileSize = parseSize(loaded.config.maxFileSize);
    if (maxFileSize === undefined) throw new ConfigError(`${where}: maxFileSize: expected a size such as 10MiB`);
  }
  const allowList: AllowList = { paths: allow.paths ?? [], regexes, stopwords: (allow.stopwords ?? []).map((s) => s.toLowerCase()) };
  let baseline: CompiledSettings['baseline'];
  if (options.baseline !== false) {
    const file = options.baseline !== undefined ? resolve(cwd, options.baseline) : join(loaded.baseDir, BASELINE_NAME);
    const data = readBaseline(file, options.baseline !== undefined);
    if (data) baseline = { file, filter: new BaselineFilter(data) };
  }
  return {
    ruleSet: new RuleSet(selected, { cwd, severity, prefilter: precomputedPrefilter(), buildPrefilter: cachedPrefilter, prefilterKernel: prefilterKernel() }),
    allowFilter: new AllowListFilter(allowList, loaded.globs),
    baseline,
    maxFileSize,
    source: { config: loaded, userRuleDefs },
  };
}

const PRECOMPUTED_PREFILTER = fileURLToPath(new URL('../prefilter.bin', import.meta.url));
const PREFILTER_KERNEL = fileURLToPath(new URL('../prefilter.wasm', import.meta.url));

/** The prefilter's loop in WebAssembly (`dist/prefilter.wasm`); without it (running from src/) the JS loop runs. Read once. */
const prefilterKernel = onFirstUse((): Uint8Array | undefined => {
  try {
    return readFileSync(PREFILTER_KERNEL);
  } catch {
    return undefined;
  }
});

/**
 * The prefilter the build computed for the default rule set (`dist/prefilter.bin`). The rule
 * set uses it only when its keywords are exactly those; any other config builds its own.
 */
const precomputedPrefilter = onFirstUse((): PrefilterTables | undefined => {
  if (!existsSync(PRECOMPUTED_PREFILTER)) return undefined;
  try {
    return decodeTables(readFileSync(PRECOMPUTED_PREFILTER));
  } catch {
    return undefined; // a damaged cache costs a rebuild, never a wrong result (keys are checked)
  }
});

/**
 * The prefilter of a rule set the build did not precompute (a rule folder's rules, a plugin's, or
 * only a few rules): built once (~20 ms), then read from the start-up cache.
 */
function cachedPrefilter(keywordsByRule: readonly (readonly string[])[], anchorsByRule: readonly (readonly string[] | undefined)[]): PrefilterTables {
  const cache = startupCache();
  if (cache === undefined) return buildTables(keywordsByRule, anchorsByRule);
  const key = prefilterKey(keywordsByRule, anchorsByRule);
  const bytes = cache.readBytes('prefilter', key);
  const kept = bytes && decodeTables(bytes);
  if (kept && kept.key === key) return kept;
  const tables = buildTables(keywordsByRule, anchorsByRule);
  cache.keepBytes('prefilter', key, encodeTables(tables));
  return tables;
}
