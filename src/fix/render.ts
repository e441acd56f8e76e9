/**
 * The fix report: diffs of every change, what is left for a person, and how to rotate. Secrets are
 * redacted everywhere (diff lines included) unless the user asked for `--show-secrets`.
 */
import { createColors } from 'picocolors';
import { isDotenvFile } from '../builtin/dotenv.js';
import { redact, type Finding } from '../findings/finding.js';
import { maskDotenvLine } from './env.js';
import { LOAD_HINT, type Language } from './languages.js';
import { unifiedDiff } from './lines.js';
import type { FileChange, FixPlan, ManualFix, SourceFix, SupportPlan } from './plan.js';

export interface RenderOptions {
  write: boolean;
  showSecrets: boolean;
  color: boolean;
}

/** What was (or would be) done: the plan's, or what `applyFix` reports. */
export interface Outcome {
  sources: SourceFix[];
  support: SupportPlan;
  changed: FixPlan['changed'];
  notes: string[];
}

const where = (f: Finding): string => `${f.path}:${f.line}:${f.column}`;

/** Replaces every line of every found secret with its redacted form. */
function secretMask(findings: readonly Finding[]): (line: string) => string {
  const parts = new Map<string, string>();
  for (const f of findings) {
    for (const part of f.secret.split(/\r?\n/)) if (part.length >= 8) parts.set(part, redact(f.secret));
  }
  const ordered = [...parts].sort((a, b) => b[0].length - a[0].length);
  return (line) => ordered.reduce((text, [part, masked]) => text.split(part).join(masked), line);
}

export function renderFix(plan: FixPlan, outcome: Outcome, options: RenderOptions): { text: string; fixedAll: boolean } {
  const c = createColors(options.color);
  const out: string[] = [];
  const mask = options.showSecrets ? (line: string) => line : secretMask(plan.findings);
  const maskEnv = options.showSecrets ? (line: string) => line : (line: string) => mask(maskDotenvLine(line));

  const diff = (change: FileChange, show: (line: string) => string): void => {
    for (const line of unifiedDiff(change.file.path, change.file.lines, change.edits, { isNew: change.file.before === undefined, show })) {
      if (line.startsWith('---') || line.startsWith('+++')) out.push(c.bold(line));
      else if (line.startsWith('@@')) out.push(c.cyan(line));
      else if (line.startsWith('+')) out.push(c.green(line));
      else if (line.startsWith('-')) out.push(c.red(line));
      else out.push(line);
    }
  };
  for (const source of outcome.sources) diff(source.change, mask);
  if (outcome.support.gitignore) diff(outcome.support.gitignore, mask);
  if (outcome.support.env) diff(outcome.support.env, maskEnv);
  if (outcome.support.example) diff(outcome.support.example, maskEnv);
  for (const path of outcome.support.untrack) {
    out.push(`${options.write ? 'ran' : 'would run'}: git rm --cached -- ${path}   (the file stays on disk; git stops tracking it)`);
  }
  if (out.length > 0) out.push('');

  if (!plan.isGit && (outcome.support.gitignore || outcome.support.env)) {
    out.push(c.yellow('Not inside a git work tree (or git is not installed): .gitignore was checked by its lines only, and nothing was untracked.'), '');
  }
  const manual: ManualFix[] = plan.manual;
  if (manual.length > 0) {
    out.push(c.bold('Needs a manual fix'));
    for (const m of manual) out.push(`  ${where(m.finding)}  ${m.finding.ruleId}  ${m.reason}`);
    out.push('');
  }
  if (outcome.changed.length > 0) {
    out.push(c.bold('Left untouched: changed since the scan'));
    for (const ch of outcome.changed) out.push(`  ${ch.path}  the file no longer matches what the scan read; run leakproof fix again`);
    out.push('');
  }
  for (const note of outcome.notes) out.push(c.yellow(note));
  if (outcome.notes.length > 0) out.push('');

  // Every found key must be rotated: it was on disk, and maybe in git history.
  const withSecret = plan.findings.filter((f) => f.secret.length > 0 || f.ruleId === 'dotenv-committed');
  if (withSecret.length > 0) {
    const names = new Map<string, Set<string>>();
    for (const source of outcome.sources) for (const move of source.moves) for (const f of move.findings) names.set(f.ruleId, (names.get(f.ruleId) ?? new Set()).add(move.name));
    out.push(c.bold(options.write ? 'Now rotate these keys (they were on disk, and may be in git history)' : 'After fixing, rotate these keys (they were on disk, and may be in git history)'));
    const ruleById = new Map(plan.rules.map((r) => [r.id, r]));
    for (const id of [...new Set(withSecret.map((f) => f.ruleId))].sort()) {
      const rule = ruleById.get(id);
      const vars = names.has(id) ? ` (${[...names.get(id)!].join(', ')})` : '';
      const steps = (rule?.remediation ?? 'Create a new key with the provider, deploy it, then revoke the old one.').trim().replace(/\s*\n\s*/g, ' ');
      out.push(`  ${c.bold(id)}${vars}: ${steps}`);
    }
    for (const path of plan.committed) {
      out.push(`  ${c.red(path)}: ${isDotenvFile(path) ? 'this file was' : 'a key in it was'} committed to git, so removing it from the files does not remove it from history. Run \`leakproof history\` to list every commit that holds it, and rotate the key.`);
    }
    out.push('');
  }
  const languages = new Set<Language>(outcome.sources.flatMap((s) => s.moves.map((m) => m.language)));
  if (languages.size > 0) {
    out.push(c.bold('Load .env at start-up'));
    for (const language of languages) out.push(`  ${LOAD_HINT[language]}`);
    out.push('');
  }

  const fixed = outcome.sources.reduce((n, s) => n + s.moves.reduce((k, m) => k + m.findings.length, 0), 0) + plan.guarded.length;
  const unfixed = plan.manual.length + outcome.changed.reduce((n, ch) => n + ch.findings.length, 0);
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const rest = unfixed > 0 ? `; ${count(unfixed, 'finding')} ${unfixed === 1 ? 'needs' : 'need'} a manual fix` : '';
  if (options.write) out.push(`${c.bold(`Fixed ${count(fixed, 'finding')}`)}${rest}.`);
  else out.push(`${c.bold(`Dry run: ${count(fixed, 'finding')} can be fixed`)}${rest}. Nothing was written: run \`leakproof fix --write\` to apply.`);
  return { text: `${out.join('\n')}\n`, fixedAll: unfixed === 0 };
}
