/**
 * The public plugin API, shaped like ESLint's: a rule is `{ meta, create(context) }` and `create`
 * returns handlers. Built-in rules (declarative YAML rules and our code rules) use this same shape.
 * A rule never formats a secret into a message: it reports ranges, the core redacts.
 */
import type { Fragment } from '../sources/fragment.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/**
 * How specific a rule is. When findings overlap on the same text, only the most specific stay:
 * a provider's key format (`re_…`) beats a shape shared by many providers (`format`: a JWT, a
 * connection string), which beats a generic name-plus-random-value rule.
 */
export type Specificity = 'provider' | 'format' | 'generic';
export const SPECIFICITY_RANK: Record<Specificity, number> = { provider: 2, format: 1, generic: 0 };

export interface RuleMeta {
  /** One-line description, shown by `leakproof rules` and in reports. */
  description: string;
  /** Provider or family name (e.g. "Resend", "Project"). */
  provider?: string;
  severity?: Severity;
  /**
   * Lowercase literals; the fragment handler runs only on fragments containing one of them.
   * Omit (or leave empty) for a rule that must see every fragment: that costs speed.
   */
  keywords?: string[];
  /**
   * ASCII literals one of which every match of the fragment handler starts with (matched
   * case-insensitively). The keyword pass then also finds where they occur, and the handler gets
   * those offsets as `context.starts`: trying a regex there (sticky) is much faster than searching
   * the whole text with one whose start is not a single literal. Declarative rules get theirs
   * from their regex. The handler is not called on a fragment where none of them occurs. A wrong
   * anchor loses findings: omit it when unsure.
   */
  anchors?: string[];
  specificity?: Specificity;
  /** Message templates with `{{placeholders}}`, chosen by `messageId`. */
  messages?: Record<string, string>;
  /** What to do about a finding: rotation and clean-up steps. */
  remediation?: string;
  docs?: string;
}

export interface FragmentReport {
  /** Offsets into `fragment.text` of the whole match. */
  range: [number, number];
  /** Offsets of the secret itself (defaults to `range`). Used for redaction and fingerprints. */
  secretRange?: [number, number];
  messageId?: string;
  /** Template data. Must not contain the secret. */
  data?: Record<string, string | number>;
  /** A literal message (instead of messageId). Must not contain the secret. */
  message?: string;
}

export interface ProjectReport {
  /** File the finding is about, relative to the project root. */
  path: string;
  line?: number;
  messageId?: string;
  data?: Record<string, string | number>;
  message?: string;
}

/** What a project handler sees: the file set and git facts, never raw git. */
export interface Project {
  /** Absolute path of the scan root. */
  root: string;
  /** Whether the root is inside a git work tree. */
  isGit: boolean;
  /** Files the scan covers, relative to root. */
  files: readonly string[];
  /** Files git tracks (or stages, for the pre-commit check), relative to root; empty outside git. */
  tracked: ReadonlySet<string>;
  /** Which of `paths` git's ignore rules cover (asks `git check-ignore`). */
  ignored(paths: readonly string[]): Promise<ReadonlySet<string>>;
}

export interface RuleContext {
  /** The rule's full id (`plugin/rule` for plugin rules). */
  id: string;
  options: Record<string, unknown>;
  cwd: string;
}

export interface FragmentRuleContext extends RuleContext {
  report(descriptor: FragmentReport): void;
  /**
   * For a rule with `meta.anchors`: the offsets into `fragment.text` where one of them starts,
   * ascending (an offset may repeat). Undefined when they are not known (non-ASCII text, too many
   * to record, the prefilter off): then search the whole text.
   */
  starts?: Int32Array;
}
export interface ProjectRuleContext extends RuleContext {
  report(descriptor: ProjectReport): void;
}

export interface RuleHandlers {
  fragment?(fragment: Fragment, context: FragmentRuleContext): void;
  project?(project: Project, context: ProjectRuleContext): void | Promise<void>;
}

export interface CodeRule {
  meta: RuleMeta;
  create(context: RuleContext): RuleHandlers;
}

export interface PluginMeta {
  name: string;
  version?: string;
  /** Prefix for the plugin's rule ids: `namespace/rule-id`. */
  namespace: string;
}

export interface Plugin {
  meta: PluginMeta;
  rules: Record<string, CodeRule>;
}

/** Identity helper that gives plugin authors type checking. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}

/** Identity helper for a single code rule. */
export function defineRule(rule: CodeRule): CodeRule {
  return rule;
}
