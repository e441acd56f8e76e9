#!/usr/bin/env node
/**
 * `npm run eval`: detection quality of the built-in rules, measured on the labeled cases in
 * eval/cases/<family>.yaml (precision, recall and F1 per family), then noise on third-party code
 * in node_modules/ (findings per MB: a precision proxy on code nobody on this project wrote).
 *
 *   node eval/run.mjs [--min-f1 X] [--cases DIR] [--no-noise] [--json]
 *
 * A measurement, not a gate: exit 0, unless --min-f1 is given and the overall F1 is below it.
 * Never prints a generated secret: cases are described by their template line, findings by rule
 * id and the library's redaction. Needs the built library (`npm run build`).
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { compileSettings, redact, runPipeline } from '../dist/index.js';
import { expandExample } from '../dist/examples.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CASES_DIR = join(REPO, 'eval', 'cases');
/** Printed in this order; a case file with another name is printed after these. */
const FAMILIES = [
  'cloud', 'vcs-ci', 'registries', 'payments', 'communication', 'ai', 'data', 'observability', 'identity',
  'generic-password', 'generic-token', 'negatives',
];
/**
 * Noise is measured on every installed package except other secret scanners, whose rule code and
 * tests hold key examples on purpose (a finding there is right, not noise).
 */
const NOISE_EXCLUDE = /^(?:secretlint|@secretlint\/.*)$/;
const MAX_FILE_SIZE = 10 * 1024 * 1024; // the scan default

// ---------------------------------------------------------------------------------------------
// Cases

/**
 * Reads every `<family>.yaml` in `dir`. Each case: `text`, `path`, `label` (secret | none), and
 * optionally `provider` (the rule-id prefix expected to find it) and `note` (printed instead of the text).
 */
export function loadCases(dir = CASES_DIR) {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const cases = [];
  for (const file of files) {
    const family = basename(file).replace(/\.ya?ml$/, '');
    const data = parse(readFileSync(join(dir, file), 'utf8'));
    if (!data || !Array.isArray(data.cases)) throw new Error(`${file}: expected a top-level "cases" list`);
    data.cases.forEach((c, index) => {
      const where = `${file}: cases[${index}]`;
      if (typeof c?.text !== 'string' || c.text.trim() === '') throw new Error(`${where}: "text" must be a non-empty string`);
      if (typeof c.path !== 'string' || c.path === '') throw new Error(`${where}: "path" must be a file name`);
      if (c.label !== 'secret' && c.label !== 'none') throw new Error(`${where}: "label" must be secret or none`);
      if (c.provider !== undefined && typeof c.provider !== 'string') throw new Error(`${where}: "provider" must be a string`);
      const unknown = Object.keys(c).filter((k) => !['text', 'path', 'label', 'provider', 'note'].includes(k));
      if (unknown.length > 0) throw new Error(`${where}: unknown field ${unknown.join(', ')}`);
      cases.push({ family, index, file, template: c.text, path: c.path, label: c.label, provider: c.provider, note: c.note });
    });
  }
  return cases;
}

const TOKEN = /\{\{[^{}]*\}\}/g;

/**
 * Expands the generator tokens, seeded with the case's index in its file. Template syntax that is
 * part of the case (`{{ db_password }}` in Ansible, `${{ secrets.X }}` in Actions) is not a
 * generator: expandExample rejects it, so it is set aside and put back unchanged. Then
 * `<<base64:TEXT>>` becomes TEXT in base64, because many credentials are base64 of something
 * (Basic auth and docker `auth` of `user:password`, kubeconfig key data of a PEM) and random
 * base64 would not decode like the real thing.
 */
export function expandCase(template, seed) {
  const kept = [];
  const guarded = template.replace(TOKEN, (token) => {
    try {
      expandExample(token);
      return token;
    } catch {
      kept.push(token);
      return `\uE000${kept.length - 1}\uE000`;
    }
  });
  return expandExample(guarded, seed)
    .replace(/\uE000(\d+)\uE000/g, (_, i) => kept[Number(i)])
    .replace(/<<base64:([\s\S]*?)>>/g, (_, text) => Buffer.from(text).toString('base64'));
}

// ---------------------------------------------------------------------------------------------
// Detection: the scan's own pipeline (detector + inline/allow-list filters), built-in rules only.

export async function builtinSettings() {
  // No user config and no baseline: the out-of-the-box rule set is what is measured.
  return compileSettings({ baseDir: REPO, config: {} }, REPO, { baseline: false });
}

async function* one(fragment) {
  yield fragment;
}

async function detect(settings, text, path) {
  const { findings } = await runPipeline({ fragments: one({ text, path, startLine: 1, origin: 'directory' }), settings });
  return findings;
}

/** A case's outcome: TP/FN for secrets, FP/TN for the rest; with `provider`, whether a rule of that provider fired. */
export async function evaluate(cases, settings) {
  const results = [];
  for (const c of cases) {
    const text = expandCase(c.template, c.index);
    const findings = await detect(settings, text, c.path);
    const found = findings.length > 0;
    const outcome = c.label === 'secret' ? (found ? 'TP' : 'FN') : found ? 'FP' : 'TN';
    const ruleIds = [...new Set(findings.map((f) => f.ruleId))];
    const providerMatched = c.label === 'secret' && c.provider !== undefined ? ruleIds.some((id) => id === c.provider || id.startsWith(`${c.provider}-`)) : undefined;
    // Template lines match expanded lines unless a generator emits newlines ({{pem}}).
    const sameLines = text.split('\n').length === c.template.split('\n').length;
    results.push({ ...c, outcome, ruleIds, providerMatched, line: found && sameLines ? findings[0].line : undefined });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Scoring

const ratio = (a, b) => (b === 0 ? null : a / b);

export function score(results) {
  const count = (o) => results.filter((r) => r.outcome === o).length;
  const tp = count('TP');
  const fp = count('FP');
  const fn = count('FN');
  const tn = count('TN');
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const withProvider = results.filter((r) => r.providerMatched !== undefined);
  return {
    cases: results.length,
    positives: tp + fn,
    negatives: fp + tn,
    tp,
    fp,
    fn,
    tn,
    precision,
    recall,
    f1,
    // Share of `none` cases flagged: the noise a user sees, defined even where there are no positives.
    fpRate: ratio(fp, fp + tn),
    providerCases: withProvider.length,
    providerMatched: withProvider.filter((r) => r.providerMatched).length,
  };
}

export function scoreByFamily(results) {
  const names = [...new Set(results.map((r) => r.family))].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return { families: names.map((family) => ({ family, ...score(results.filter((r) => r.family === family)) })), overall: score(results) };
}

const order = (family) => (FAMILIES.includes(family) ? FAMILIES.indexOf(family) : FAMILIES.length);

// ---------------------------------------------------------------------------------------------
// Output

const num = (x) => (x === null ? '-' : x.toFixed(3));

export function formatTable({ families, overall }) {
  const header = ['family', 'cases', 'pos', 'neg', 'TP', 'FP', 'FN', 'TN', 'precision', 'recall', 'F1', 'FP rate', 'rule=provider'];
  const row = (name, s) => [
    name, s.cases, s.positives, s.negatives, s.tp, s.fp, s.fn, s.tn, num(s.precision), num(s.recall), num(s.f1), num(s.fpRate),
    s.providerCases ? `${s.providerMatched}/${s.providerCases}` : '-',
  ];
  const rows = [header, ...families.map((f) => row(f.family, f)), row('overall', overall)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1, -1).map(line), rule, line(rows.at(-1))].join('\n');
}

/** One line of the template (never the expanded text): where the finding is, else the first line with a generator. */
function describe(r) {
  if (r.note) return r.note;
  const lines = r.template.split('\n');
  const pick = r.line !== undefined ? lines[r.line - 1] : (lines.find((l) => /\{\{\s*\w+/.test(l)) ?? lines.find((l) => l.trim() !== ''));
  const text = (pick ?? '').trim();
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

export function formatDetails(results) {
  const out = [];
  const list = (title, rows, fmt) => {
    if (rows.length === 0) return;
    out.push('', `${title} (${rows.length}):`);
    for (const r of rows) out.push(`  ${fmt(r)}`);
  };
  const where = (r) => `${r.family.padEnd(16)} ${r.path.padEnd(28)}`;
  list('False positives', results.filter((r) => r.outcome === 'FP'), (r) => `FP  ${where(r)} ${r.ruleIds.join(',')}  ${describe(r)}`);
  list('False negatives', results.filter((r) => r.outcome === 'FN'), (r) => `FN  ${where(r)} ${r.provider ? `(${r.provider}) ` : ''}${describe(r)}`);
  list(
    'Found by a rule of another provider (counted as TP)',
    results.filter((r) => r.outcome === 'TP' && r.providerMatched === false),
    (r) => `ID  ${where(r)} expected ${r.provider}, got ${r.ruleIds.join(',')}  ${describe(r)}`,
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Noise on third-party code

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.git') yield* walk(full);
    } else if (entry.isFile()) yield full;
  }
}

/** Same skip rule as the scan: a NUL byte in the first 8000 bytes means binary. */
function isBinary(file) {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(8000);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

/** Top-level packages in node_modules/ (scoped ones as `@scope/name`), minus NOISE_EXCLUDE. */
export function installedPackages(nodeModules = join(REPO, 'node_modules')) {
  const names = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) for (const sub of readdirSync(join(nodeModules, entry.name))) names.push(`${entry.name}/${sub}`);
    else names.push(entry.name);
  }
  return names.filter((n) => !NOISE_EXCLUDE.test(n)).map((n) => join(nodeModules, n));
}

export async function measureNoise(settings, roots) {
  let bytes = 0;
  let files = 0;
  const findings = [];
  for (const root of roots) {
    for (const file of walk(root)) {
      const size = statSync(file).size;
      if (size > MAX_FILE_SIZE || isBinary(file)) continue;
      files++;
      bytes += size;
      // Rules read the path (client bundles, env files): keep node_modules/<pkg>/… as a scan would.
      const rel = file.startsWith(REPO) ? relative(REPO, file) : relative(dirname(root), file);
      findings.push(...(await detect(settings, readFileSync(file, 'utf8'), rel.split('\\').join('/'))));
    }
  }
  const byRule = new Map();
  for (const f of findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  return { files, bytes, findings, byRule: [...byRule].sort((a, b) => b[1] - a[1]) };
}

function formatNoise(noise, label) {
  const mb = noise.bytes / (1024 * 1024);
  const out = [
    '',
    `Noise on third-party code (${label}): ${noise.files} text files, ${mb.toFixed(1)} MB, ` +
      `${noise.findings.length} findings = ${(noise.findings.length / mb).toFixed(2)} per MB`,
  ];
  for (const [id, n] of noise.byRule) out.push(`  ${String(n).padStart(5)}  ${id}`);
  // A few of each rule, redacted, so a reader can judge them without opening the files.
  for (const [id] of noise.byRule) {
    for (const f of noise.findings.filter((x) => x.ruleId === id).slice(0, 3)) out.push(`    ${id}  ${f.path}:${f.line}  ${redact(f.secret)}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const { values } = parseArgs({
    options: {
      'min-f1': { type: 'string' },
      cases: { type: 'string' },
      'no-noise': { type: 'boolean', default: false },
      // Other third-party code to measure noise on, instead of node_modules/ (e.g. /usr/lib/python3).
      'noise-dir': { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  const minF1 = values['min-f1'] === undefined ? undefined : Number(values['min-f1']);
  if (minF1 !== undefined && !(minF1 >= 0 && minF1 <= 1)) throw new Error('--min-f1 expects a number between 0 and 1');
  const settings = await builtinSettings();
  const cases = loadCases(values.cases ? resolve(values.cases) : CASES_DIR);
  const results = await evaluate(cases, settings);
  const scores = scoreByFamily(results);
  const noiseRoots = values['noise-dir']?.map((d) => resolve(d)) ?? installedPackages();
  const noiseLabel = values['noise-dir'] ? values['noise-dir'].join(', ') : `${noiseRoots.length} packages in node_modules/, secret scanners excluded`;
  const noise = values['no-noise'] ? undefined : await measureNoise(settings, noiseRoots);

  if (values.json) {
    // Outcomes only: no expanded text, no secrets.
    const strip = ({ family, index, path, label, provider, outcome, ruleIds, providerMatched }) => ({ family, index, path, label, provider, outcome, ruleIds, providerMatched });
    const noiseOut = noise && { corpus: noiseLabel, files: noise.files, bytes: noise.bytes, findings: noise.findings.length, byRule: Object.fromEntries(noise.byRule) };
    console.log(JSON.stringify({ rules: settings.ruleSet.size, ...scores, results: results.map(strip), noise: noiseOut }, null, 2));
  } else {
    const positives = new Set(results.filter((r) => r.label === 'secret' && r.provider).map((r) => r.provider));
    console.log(`leakproof eval: ${results.length} cases (${scores.overall.positives} secret, ${scores.overall.negatives} none; ` +
      `${positives.size} providers named) against ${settings.ruleSet.size} built-in rules\n`);
    console.log(formatTable(scores));
    console.log(formatDetails(results));
    if (noise) console.log(formatNoise(noise, noiseLabel));
  }
  const f1 = scores.overall.f1 ?? 0;
  if (minF1 !== undefined && f1 < minF1) {
    console.error(`overall F1 ${f1.toFixed(3)} is below --min-f1 ${minF1}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(`eval: ${error.message}`);
    process.exitCode = 2;
  });
}
