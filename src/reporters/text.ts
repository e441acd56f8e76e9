import { createColors } from 'picocolors';
import type { Severity } from '../plugins/api.js';
import type { ReportedFinding } from '../findings/finding.js';
import type { Reporter } from './types.js';
import { plural, thousands } from './format.js';
import { findingList } from './stream.js';

const ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** `512 B`, `4.2 KB`, `48 MB`: one decimal only below 10, where it still says something. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : bytes < 1024 ** 3 ? [bytes / 1024 ** 2, 'MB'] : [bytes / 1024 ** 3, 'GB'];
  return `${value < 9.95 ? value.toFixed(1) : thousands(value)} ${unit}`;
}

/** `0.9 s`, `12.3 s`; below 0.1 s in milliseconds, so a fast scan does not read `0.0 s`. */
export function formatDuration(ms: number): string {
  return ms < 100 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Human output: grouped by file, `path:line:col`, the masked line, remediation once per rule, a summary. */
export const textReporter: Reporter = function* (input) {
  const { stats, skipped, rules, color, verbose, notes } = input;
  const findings = findingList(input.findings);
  const c = createColors(color);
  const paint: Record<Severity, (s: string) => string> = { critical: c.red, high: c.red, medium: c.yellow, low: c.cyan, info: c.dim };
  const byFile = new Map<string, number[]>();
  const ruleIds = new Set<string>();
  const counts = new Map<Severity, number>();
  for (let i = 0; i < findings.length; i++) {
    const { file, ruleId, severity } = findings.head(i);
    const list = byFile.get(file);
    if (list === undefined) byFile.set(file, [i]);
    else list.push(i);
    ruleIds.add(ruleId);
    counts.set(severity, (counts.get(severity) ?? 0) + 1);
  }
  for (const [file, list] of byFile) {
    yield `${c.underline(c.bold(file))}\n`;
    for (const i of list) {
      const f = findings.at(i);
      const where = `${file}:${f.line}:${f.column}`;
      const commit = f.commit ? `  ${c.dim(`${f.commit.sha.slice(0, 8)} ${f.commit.date.slice(0, 10)}`)}` : '';
      const head = f.presentAtHead === undefined ? '' : f.presentAtHead ? c.red('  still at HEAD') : c.dim('  removed since');
      let text = `  ${where}  ${paint[f.severity](f.severity)}  ${c.bold(f.ruleId)}  ${f.message}${commit}${head}\n`;
      if (f.commit && (f.occurrences || f.pushed !== undefined)) text += `    ${c.dim('│')} ${c.dim(timelineOf(f))}\n`;
      if (f.snippet.trim().length > 0) text += `    ${c.dim('│')} ${f.snippet.trim()}\n`;
      yield text;
    }
    yield '\n';
  }
  const lines: string[] = [];
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const fixes = [...ruleIds].map((id) => ruleById.get(id)).filter((r) => r?.remediation);
  if (fixes.length > 0) {
    lines.push(c.bold('How to fix'));
    for (const rule of fixes) lines.push(`  ${c.bold(rule!.id)}: ${rule!.remediation!.trim().replace(/\s*\n\s*/g, ' ')}`);
    lines.push('');
  }
  if (verbose && skipped.length > 0) {
    lines.push(c.bold('Skipped'));
    for (const s of skipped) lines.push(`  ${s.path}  ${c.dim(s.reason)}`);
    lines.push('');
  }
  for (const note of notes ?? []) lines.push(note);
  const present = ORDER.filter((s) => counts.has(s));
  const head =
    findings.length === 0
      ? c.green('No secrets found')
      : `${c.bold(plural(findings.length, 'secret'))} in ${plural(byFile.size, 'file')} (${present.map((s) => `${counts.get(s)} ${s}`).join(', ')})`;
  const skippedText = stats.filesSkipped > 0 ? ` · ${plural(stats.filesSkipped, 'file')} skipped${verbose ? '' : ' (--verbose lists them)'}` : '';
  const cachedText = stats.filesFromCache ? ` · ${plural(stats.filesFromCache, 'file')} unchanged and clean (--cache)` : '';
  lines.push(`${head} · ${plural(stats.filesScanned, 'file')} · ${formatBytes(stats.bytesScanned)} · ${formatDuration(stats.durationMs)}${skippedText}${cachedText}`);
  yield `${lines.join('\n')}\n`;
};

/** `first committed 3f2a9c1e on 2025-03-02 by Ana · pushed · in 4 commits, 2 paths`. */
function timelineOf(f: ReportedFinding): string {
  const parts = [`first committed ${f.commit!.sha.slice(0, 8)} on ${f.commit!.date.slice(0, 10)} by ${f.commit!.author}`];
  if (f.pushed !== undefined) parts.push(f.pushed ? 'pushed' : 'not pushed');
  if (f.occurrences) parts.push(`in ${plural(f.occurrences.commits, 'commit')}, ${plural(f.occurrences.paths.length, 'path')}`);
  return parts.join(' · ');
}
