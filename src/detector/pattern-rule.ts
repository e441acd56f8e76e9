/**
 * Turns a declarative rule (from `rules/*.yaml` or a user's rule folder) into the common code-rule
 * shape, so the detector sees one kind of rule.
 */
import { globMatcher } from './globs.js';
import type { CodeRule, Severity, Specificity } from '../plugins/api.js';
import { shannonEntropy } from './entropy.js';
import { forEachMatch } from './anchored-search.js';
import { regexAnchoring, type RegexAnchoring } from './regex-prefixes.js';
import { isPlaceholder, SECRET_CHECKS, type SecretCheck } from './secret-checks.js';

/** An example text, scanned as `example.txt` unless it names its own path. */
export type RuleExample = string | { path: string; text: string };

export interface RuleExamples {
  positive?: RuleExample[];
  negative?: RuleExample[];
}

export interface PatternRuleDef {
  id: string;
  description: string;
  provider: string;
  severity: Severity;
  keywords: string[];
  regex: string;
  /** Extra regex flags (`i`, `s`, `m`); `g` and `d` are always on. */
  flags?: string;
  /** The capture group holding the secret: a number or name, or a list (the first that matched). */
  secretGroup?: number | string | (number | string)[];
  /**
   * A group (in a lookbehind) where the secret starts; it ends where the secret group ends. V8
   * scans fast only for a regex that starts with a literal, so a token whose fixed part is in the
   * middle (Mailchimp's `<32 hex>-us<dc>`) is matched from that literal and looks back for the rest:
   * `-us(?<=(?<head>[a-f0-9]{32})-us)\d{1,2}` with `secretGroup: 0, secretFrom: head`.
   */
  secretFrom?: number | string;
  /** Minimum Shannon entropy (bits per char) of the secret. */
  entropy?: number;
  /** Named checks from `SECRET_CHECKS` the secret must pass. */
  checks?: string[];
  specificity?: Specificity;
  allow?: { stopwords?: string[]; regexes?: string[]; paths?: string[] };
  remediation?: string;
  /**
   * Text that must occur just before the match, on the same line, within `before` characters. A
   * regex that starts with the token's literal prefix runs far faster than one that starts with
   * its context (`facebook…EAA…`), so rules put the context here.
   */
  context?: { pattern: string; before: number; flags?: string };
  /** Environment variable `leakproof fix` moves the secret into (e.g. `RESEND_API_KEY`). */
  env?: string;
  /** How `--verify` asks the provider whether a key is live. */
  verify?: VerifierDef;
  examples?: RuleExamples;
  /** Where the rule was loaded from, for error messages. */
  source?: string;
  /**
   * Not a rule-file field: where matches start (`ruleAnchoring`; null when unknown or not worth
   * recording), which the build stores in dist/rules.json so the CLI need not derive it at start-up.
   */
  anchoring?: RegexAnchoring | null;
}

/** One kind of provider answer: a status (or several) and, optionally, a word the body must hold. */
export interface ResponseMatch {
  status: number | number[];
  bodyIncludes?: string;
  /** For live keys: what the key can do (`full`, `sending`, …). */
  access?: string;
}

/** An HTTPS request template (`{{secret}}` in the URL, a header or the body) and how to read the answer. */
export interface VerifierDef {
  method: 'GET' | 'POST' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Checked first, in order: the first match means the key works. */
  live: ResponseMatch[];
  /** Then these: a match means the provider rejects the key. Anything else is `unknown`. */
  revoked: ResponseMatch[];
}

/** A compiled declarative rule: the common rule shape plus the data only declarative rules carry. */
export interface PatternRule extends CodeRule {
  env?: string;
  verify?: VerifierDef;
}

export class RuleDefinitionError extends Error {}

const NO_GROUPS: Record<string, string | undefined> = Object.freeze({});

function compileRegex(source: string, flags: string, where: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new RuleDefinitionError(`${where}: invalid regex: ${(error as Error).message}`);
  }
}

/**
 * Where the keyword pass should record the rule's match starts, or undefined for a whole-text
 * search. Every occurrence of an anchor costs the pass an event, in every file, whether or not the
 * rule's keyword is there. An anchor shorter than 3 characters that is not also a keyword (`"` of
 * docker-config-auth, `ac` of twilio-auth-token) occurs all over ordinary code: on the bench work
 * tree those two gave 1.6M of 2.5M events. When every keyword is 4 characters or longer, and so
 * rare, the whole-text search runs on few files and costs less than those events. A rule with a
 * short, common keyword (the generic rule's `key`) runs on most files: it keeps its anchors, which
 * save far more there.
 */
export function ruleAnchoring(def: Pick<PatternRuleDef, 'regex' | 'flags' | 'keywords'>): RegexAnchoring | undefined {
  const anchoring = regexAnchoring(def.regex, (def.flags ?? '').replace(/[gd]/g, ''));
  if (anchoring === undefined) return undefined;
  const keywords = def.keywords.map((k) => k.toLowerCase());
  const commonAnchor = anchoring.prefixes.some((p) => p.length < 3 && !keywords.includes(p.toLowerCase()));
  const rareKeywords = keywords.every((k) => k.length >= 4);
  return commonAnchor && rareKeywords ? undefined : anchoring;
}

/**
 * `validated`: the definition was checked already (the build checked the built-in rules,
 * `parseRuleFile` a user's), so its regexes are compiled on the rule's first fragment: a
 * pre-commit hook then compiles only the few rules whose keywords occur in what it scans.
 */
export function compilePatternRule(def: PatternRuleDef, options: { validated?: boolean } = {}): PatternRule {
  const where = `${def.source ?? 'rule'}: rule ${def.id}`;
  const extraFlags = (def.flags ?? '').replace(/[gd]/g, '');
  const anchoring = def.anchoring === undefined ? ruleAnchoring(def) : (def.anchoring ?? undefined);
  const compileRegexes = () => ({
    // The search, and the same regex tried at one offset: where the keyword pass found a prefix.
    regex: {
      global: compileRegex(def.regex, `gd${extraFlags}`, `${where}: field regex`),
      sticky: compileRegex(def.regex, `yd${extraFlags}`, `${where}: field regex`),
      lookback: anchoring?.lookback ?? 0,
    },
    precededBy: def.context ? { regex: compileRegex(def.context.pattern, (def.context.flags ?? '').replace(/[gdy]/g, ''), `${where}: field context.pattern`), before: def.context.before } : undefined,
    allowRegexes: (def.allow?.regexes ?? []).map((r, i) => compileRegex(r, '', `${where}: field allow.regexes[${i}]`)),
  });
  let regexes = options.validated ? undefined : compileRegexes();
  const groups = def.secretGroup === undefined ? [1] : Array.isArray(def.secretGroup) ? def.secretGroup : [def.secretGroup];
  const checks: SecretCheck[] = (def.checks ?? []).map((name) => {
    const check = SECRET_CHECKS[name];
    if (!check) throw new RuleDefinitionError(`${where}: field checks: unknown check "${name}" (known: ${Object.keys(SECRET_CHECKS).join(', ')})`);
    return check;
  });
  const stopwords = (def.allow?.stopwords ?? []).map((s) => s.toLowerCase());
  // The path matcher is built on the rule's first fragment: compiling every rule at start-up stays cheap.
  const allowPaths = def.allow?.paths?.length ? def.allow.paths : undefined;
  let allowPathMatcher: ((path: string) => boolean) | undefined;
  const allowPath = allowPaths ? (path: string) => (allowPathMatcher ??= globMatcher(allowPaths))(path) : undefined;

  return {
    meta: {
      description: def.description,
      provider: def.provider,
      severity: def.severity,
      keywords: def.keywords.map((k) => k.toLowerCase()),
      anchors: anchoring?.prefixes,
      specificity: def.specificity ?? 'provider',
      remediation: def.remediation,
    },
    env: def.env,
    verify: def.verify,
    create: () => ({
      fragment(fragment, context) {
        if (allowPath?.(fragment.path)) return;
        const { regex, precededBy, allowRegexes } = (regexes ??= compileRegexes());
        const text = fragment.text;
        const consider = (match: RegExpExecArray): void => {
          const indices = match.indices!;
          let secretRange: [number, number] | undefined;
          for (const group of groups) {
            const span = typeof group === 'number' ? indices[group] : indices.groups?.[group];
            if (span) {
              secretRange = [span[0], span[1]];
              break;
            }
          }
          if (!secretRange) {
            const whole = indices[0];
            secretRange = [whole[0], whole[1]];
          }
          if (def.secretFrom !== undefined) {
            const from = typeof def.secretFrom === 'number' ? indices[def.secretFrom] : indices.groups?.[def.secretFrom];
            if (!from) return;
            secretRange[0] = from[0];
          }
          const secret = text.slice(secretRange[0], secretRange[1]);
          if (secret.length === 0) return;
          // Where the match begins, counting a secret that starts in a lookbehind (`secretFrom`).
          const start = Math.min(indices[0][0], secretRange[0]);
          if (precededBy) {
            const window = text.slice(Math.max(0, start - precededBy.before), start);
            if (!precededBy.regex.test(window.slice(window.lastIndexOf('\n') + 1))) return;
          }
          if (def.entropy !== undefined && shannonEntropy(secret) < def.entropy) return;
          const lower = secret.toLowerCase();
          if (stopwords.some((w) => lower.includes(w))) return;
          if (allowRegexes.some((r) => r.test(secret))) return;
          if (checks.length > 0) {
            // The match's own groups object: a copy (spread) cost ~6 us a candidate, more than all the checks.
            const input = { secret, groups: match.groups ?? NO_GROUPS, before: text.slice(Math.max(0, start - 100), start), path: fragment.path };
            if (!checks.every((check) => check(input))) return;
          }
          // Last: the generic rule's name checks drop ~98% of its candidates, at less cost.
          if (isPlaceholder(secret)) return;
          context.report({ range: [start, indices[0][1]], secretRange });
        };
        forEachMatch(text, regex, context.starts, consider);
      },
    }),
  };
}
