/**
 * Reads declarative rule files into validated definitions. The built-in `rules/*.yaml` are
 * precompiled to `dist/rules.json` at build time (no YAML parser on the pre-commit path); user
 * rule folders are parsed and validated at load time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PatternRuleDef } from '../detector/pattern-rule.js';
import { compilePatternRule, RuleDefinitionError } from '../detector/pattern-rule.js';
import { ConfigError } from './errors.js';
import { lazyParsers } from '../lazy.js';
import { isTooSlow } from './regex-safety.js';
import { remembered } from './startup-cache.js';
import { issueLines, schemas } from './schema.js';

/** The package's own `rules/` folder (same relative place from src/ and dist/). */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));
const PRECOMPILED = fileURLToPath(new URL('../rules.json', import.meta.url));

export function parseRuleFile(text: string, file: string, parseYaml: (text: string) => unknown, checkSpeed = true): PatternRuleDef[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: invalid YAML: ${firstLine((error as Error).message)}`);
  }
  const parsed = schemas().ruleFileSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(issueLines(file, parsed.error));
  const defs: PatternRuleDef[] = parsed.data.rules.map((rule) => ({
    ...rule,
    provider: parsed.data.provider,
    remediation: rule.remediation ?? parsed.data.remediation,
    source: file,
  }));
  const problems: string[] = [];
  for (const def of defs) {
    try {
      compilePatternRule(def);
      checkSecretGroup(def);
      if (checkSpeed && isTooSlow(new RegExp(def.regex, def.flags?.replace(/[gd]/g, '')), def.keywords)) {
        throw new RuleDefinitionError(`${def.source}: rule ${def.id}: field regex: too slow on near-miss input (catastrophic backtracking?); simplify nested or overlapping quantifiers`);
      }
    } catch (error) {
      if (error instanceof RuleDefinitionError) problems.push(error.message);
      else throw error;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return defs;
}

function checkSecretGroup(def: PatternRuleDef): void {
  const groupCount = new RegExp(`${def.regex}|`, def.flags?.replace(/[gd]/g, '')).exec('')!.length - 1;
  const wanted = def.secretGroup === undefined ? (groupCount > 0 ? [1] : [0]) : Array.isArray(def.secretGroup) ? def.secretGroup : [def.secretGroup];
  for (const group of wanted) {
    const ok = typeof group === 'number' ? group <= groupCount : def.regex.includes(`(?<${group}>`);
    if (!ok) throw new RuleDefinitionError(`${def.source}: rule ${def.id}: field secretGroup: the regex has no group ${group}`);
  }
  if (def.secretGroup === undefined && groupCount === 0) def.secretGroup = 0;
  const from = def.secretFrom;
  if (from !== undefined && !(typeof from === 'number' ? from <= groupCount : def.regex.includes(`(?<${from}>`))) {
    throw new RuleDefinitionError(`${def.source}: rule ${def.id}: field secretFrom: the regex has no group ${from}`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** All `*.yaml`/`*.yml` rule files of a folder, sorted by name. */
export async function loadRuleDir(dir: string, options: { checkSpeed?: boolean } = {}): Promise<PatternRuleDef[]> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    throw new ConfigError(`rule folder ${dir}: cannot be read`);
  }
  const checkSpeed = options.checkSpeed ?? true;
  const defs: PatternRuleDef[] = [];
  const problems: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const text = readFileSync(file, 'utf8');
      // The definitions do not depend on where the file is, so the cache keeps them without it.
      const parse = (): PatternRuleDef[] => parseRuleFile(text, file, lazyParsers().parseYaml, checkSpeed).map((def) => ({ ...def, source: undefined }));
      const parsed = checkSpeed ? remembered('rules', text, parse) : parse();
      defs.push(...parsed.map((def) => ({ ...def, source: file })));
    } catch (error) {
      if (error instanceof ConfigError) problems.push(...error.lines);
      else throw error;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return defs;
}

/** The built-in declarative rules: precompiled JSON when built, else the YAML files. */
export async function builtinRuleDefs(): Promise<PatternRuleDef[]> {
  if (existsSync(PRECOMPILED)) return JSON.parse(readFileSync(PRECOMPILED, 'utf8')) as PatternRuleDef[];
  const defs = await loadRuleDir(BUILTIN_RULES_DIR, { checkSpeed: false });
  return defs.map((d) => ({ ...d, source: `rules/${basename(d.source ?? '')}` }));
}
