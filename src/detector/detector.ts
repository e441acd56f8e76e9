/**
 * The detector: (Fragment, RuleSet) → Findings. Pure: no file system, no git.
 * The prefilter picks the rules whose keywords occur in the fragment, their handlers run on the
 * whole fragment (no per-line work), and line/column are computed only for what they report.
 */
import { SPECIFICITY_RANK, type CodeRule, type FragmentReport, type FragmentRuleContext, type ProjectReport, type Project, type RuleHandlers, type Severity, type Specificity } from '../plugins/api.js';
import type { Fragment, RawFragment } from '../sources/fragment.js';
import { fingerprintOf, type Finding } from '../findings/finding.js';
import { Prefilter, type PrefilterOptions, type PrefilterTables } from './prefilter.js';
import { LineIndex } from './location.js';
import { decodeUtf8 } from './utf8.js';
import type { PatternRule, VerifierDef } from './pattern-rule.js';

/** A rule ready to run: its id, resolved meta and its handlers (created once per run). */
export interface ActiveRule {
  id: string;
  description: string;
  provider: string;
  severity: Severity;
  keywords: readonly string[];
  /** Literals every match starts with (see `RuleMeta.anchors`). */
  anchors?: readonly string[];
  specificity: Specificity;
  remediation?: string;
  /** Declarative rules only: the variable `leakproof fix` moves the secret into, and the `--verify` request. */
  env?: string;
  verify?: VerifierDef;
  messages: Record<string, string>;
  handlers: RuleHandlers;
}

export interface RuleSetOptions {
  cwd: string;
  /** Severity overrides by rule id. */
  severity?: Record<string, Severity>;
  options?: Record<string, Record<string, unknown>>;
  /** A prefilter built ahead of time; used only if it was built for exactly these keywords. */
  prefilter?: PrefilterTables;
  /** Builds the prefilter when `prefilter` does not fit (see `PrefilterOptions.build`). */
  buildPrefilter?: PrefilterOptions['build'];
  /** The bytes of dist/prefilter.wasm, the prefilter's loop in WebAssembly (without: in JS). */
  prefilterKernel?: Uint8Array;
}

export class RuleSet {
  readonly rules: readonly ActiveRule[];
  private readonly fragmentRules: readonly ActiveRule[];
  private readonly prefilter: Prefilter;

  constructor(rules: ReadonlyMap<string, CodeRule>, settings: RuleSetOptions) {
    const active: ActiveRule[] = [];
    for (const [id, rule] of rules) {
      const handlers = rule.create({ id, options: settings.options?.[id] ?? {}, cwd: settings.cwd });
      active.push({
        id,
        description: rule.meta.description,
        provider: rule.meta.provider ?? id.split(/[-/]/)[0],
        severity: settings.severity?.[id] ?? rule.meta.severity ?? 'high',
        keywords: rule.meta.keywords ?? [],
        anchors: rule.meta.anchors?.length ? rule.meta.anchors : undefined,
        specificity: rule.meta.specificity ?? 'provider',
        remediation: rule.meta.remediation,
        env: (rule as PatternRule).env,
        verify: (rule as PatternRule).verify,
        messages: rule.meta.messages ?? {},
        handlers,
      });
    }
    this.rules = active;
    this.fragmentRules = active.filter((r) => r.handlers.fragment);
    this.prefilter = new Prefilter(this.keywordsByRule(), { anchorsByRule: this.anchorsByRule(), tables: settings.prefilter, build: settings.buildPrefilter, kernel: settings.prefilterKernel });
  }

  get size(): number {
    return this.rules.length;
  }

  private keywordsByRule(): (readonly string[])[] {
    return this.fragmentRules.map((r) => r.keywords);
  }

  private anchorsByRule(): (readonly string[] | undefined)[] {
    return this.fragmentRules.map((r) => r.anchors);
  }

  /** The prefilter as data, for the build to precompute (see `PrefilterTables`). */
  prefilterTables(): PrefilterTables {
    return this.prefilter.toTables();
  }

  get projectRules(): readonly ActiveRule[] {
    return this.rules.filter((r) => r.handlers.project);
  }

  /**
   * Runs the fragment rules on one fragment. `usePrefilter: false` runs every rule (the tests
   * check that both give the same findings).
   */
  detect(input: Fragment | RawFragment, usePrefilter = true): Finding[] {
    let fragment: Fragment;
    let marks: Uint8Array | undefined;
    if ('bytes' in input) {
      // Bytes: no rule's keyword in them means nothing to decode.
      marks = usePrefilter ? this.prefilter.markBytes(input.bytes) : undefined;
      if (marks !== undefined && !Prefilter.any(marks)) return [];
      const { bytes, ...meta } = input;
      fragment = { ...meta, text: decodeUtf8(bytes) };
    } else {
      fragment = input;
      marks = usePrefilter ? this.prefilter.mark(fragment.text) : undefined;
    }
    const lines = new LineIndex(fragment.text, fragment.startLine);
    const found: { rule: ActiveRule; finding: Finding; start: number; end: number }[] = [];
    // One report function for the whole fragment (not a closure per rule): `rule` is the rule running.
    let rule: ActiveRule = this.fragmentRules[0];
    let seen: Set<string> | undefined;
    const report = (descriptor: FragmentReport): void => {
      const [start, end] = descriptor.secretRange ?? descriptor.range;
      const key = `${rule.id}\0${start}:${end}`;
      seen ??= new Set();
      if (seen.has(key)) return;
      seen.add(key);
      const secret = detached(fragment.text.slice(start, end));
      const from = lines.position(start);
      const to = lines.position(Math.max(start, end - 1));
      found.push({
        rule,
        start,
        end,
        finding: {
          ruleId: rule.id,
          severity: rule.severity,
          message: messageOf(rule, descriptor),
          path: fragment.path,
          line: from.line,
          column: from.column,
          endLine: to.line,
          endColumn: to.column + 1,
          secret,
          lineText: detached(lines.snippet(start)),
          fingerprint: fingerprintOf(rule.id, secret, fragment.path, secret.length > 0 ? '' : lines.lineText(start)),
          origin: fragment.origin,
          commit: fragment.commit,
          blob: fragment.blob,
        },
      });
    };
    const context: FragmentRuleContext = { id: '', options: {}, cwd: '', report, starts: undefined };
    for (let i = 0; i < this.fragmentRules.length; i++) {
      if (marks !== undefined && marks[i] === 0) continue;
      rule = this.fragmentRules[i];
      context.id = rule.id;
      context.starts = marks !== undefined ? this.prefilter.startsOf(i, fragment.text) : undefined;
      // Marked by a keyword, but none of its anchors occurs: every match starts at one (RuleMeta.anchors).
      if (context.starts !== undefined && context.starts.length === 0) continue;
      rule.handlers.fragment!(fragment, context);
    }
    return dropGenericOverlaps(found);
  }

  /** Runs the project rules (checks on the file set and git facts). */
  async detectProject(project: Project): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const rule of this.projectRules) {
      const report = (descriptor: ProjectReport): void => {
        findings.push({
          ruleId: rule.id,
          severity: rule.severity,
          message: messageOf(rule, descriptor),
          path: descriptor.path,
          line: descriptor.line ?? 1,
          column: 1,
          endLine: descriptor.line ?? 1,
          endColumn: 1,
          secret: '',
          lineText: '',
          fingerprint: fingerprintOf(rule.id, '', descriptor.path),
          origin: 'directory',
        });
      };
      await rule.handlers.project!(project, { id: rule.id, options: {}, cwd: project.root, report });
    }
    return findings;
  }
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. V8 makes a slice of 13
 * or more characters a view into its parent, so a finding's secret, snippet or message would keep
 * its whole file's text alive until the report: 4,000 files of 70 KB with a key each peaked at
 * 385 MB. Latin-1 keeps one byte a character where it can; UTF-16 round-trips every code unit,
 * lone surrogates included.
 */
export function detached(text: string): string {
  return ONE_BYTE.test(text) ? Buffer.from(text, 'latin1').toString('latin1') : Buffer.from(text, 'utf16le').toString('utf16le');
}
const ONE_BYTE = /^[\0-\xff]*$/;

/** The rule's own text is shared by its findings; a message a rule built (it may hold parts of the text) is detached. */
function messageOf(rule: ActiveRule, descriptor: FragmentReport | ProjectReport): string {
  const template = descriptor.message ?? (descriptor.messageId ? rule.messages[descriptor.messageId] : undefined) ?? rule.description;
  if (descriptor.data) {
    return detached(template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in descriptor.data! ? String(descriptor.data![key]) : whole)));
  }
  return descriptor.message === undefined ? template : detached(template);
}

/**
 * When findings of different specificity overlap (a Resend key that the generic rule also sees),
 * only the most specific stay. Findings of equal specificity are all kept. A sweep over findings
 * sorted by start keeps this O(n log n) even with very many findings in one fragment.
 */
function dropGenericOverlaps(found: { rule: ActiveRule; finding: Finding; start: number; end: number }[]): Finding[] {
  if (found.length < 2) return found.map((f) => f.finding);
  const rank = (f: (typeof found)[number]) => SPECIFICITY_RANK[f.rule.specificity];
  const top = found.reduce((max, f) => Math.max(max, rank(f)), 0);
  if (found.every((f) => rank(f) === top)) return found.map((f) => f.finding);
  // For each rank, the spans of findings of a higher rank, merged and sorted: a finding is dropped
  // when it overlaps one of them.
  const dropped = new Set<(typeof found)[number]>();
  for (let level = 0; level < top; level++) {
    const higher = found.filter((f) => rank(f) > level).sort((a, b) => a.start - b.start);
    const merged: [number, number][] = [];
    for (const h of higher) {
      const last = merged[merged.length - 1];
      if (last && h.start <= last[1]) last[1] = Math.max(last[1], h.end);
      else merged.push([h.start, h.end]);
    }
    for (const f of found) {
      if (rank(f) !== level) continue;
      // Binary search: the last merged span starting before f ends.
      let lo = 0;
      let hi = merged.length - 1;
      let idx = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (merged[mid][0] < f.end) {
          idx = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (idx >= 0 && merged[idx][1] > f.start) dropped.add(f);
    }
  }
  return found.filter((f) => !dropped.has(f)).map((f) => f.finding);
}
