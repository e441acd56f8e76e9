/**
 * One schema module for rule files and the user config. Validation errors become one line each,
 * naming the file and the field (`.leakproof.yaml: allow.paths[0]: expected string`).
 */
import type { z as Zod } from 'zod';
import { lazyParsers, onFirstUse } from '../lazy.js';
import { SEVERITIES, type Severity } from '../plugins/api.js';

/**
 * zod is loaded on first use (a synchronous require), not at start-up: a scan with no config file,
 * no user rules and no baseline (the usual pre-commit hook) never needs it.
 */
function buildSchemas(z: typeof Zod) {

  const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);
  const stringList = z.array(z.string());

  /** How a verifier reads one kind of answer: a status (or several), optionally a word in the body. */
  const responseMatch = z
    .object({
      status: z.union([z.number().int().min(100).max(599), z.array(z.number().int().min(100).max(599)).min(1)]),
      bodyIncludes: z.string().min(1).optional(),
      /** For live keys: what the key can do (e.g. `full`, `sending`). */
      access: z.string().min(1).optional(),
    })
    .strict();

  /** `verify:` in a rule: one HTTPS request with `{{secret}}` in the URL, a header or the body. */
  const verifierSchema = z
    .object({
      method: z.enum(['GET', 'POST', 'HEAD']).default('GET'),
      // Keys only travel encrypted; tests point the request at 127.0.0.1 with an override.
      url: z.string().regex(/^https:\/\/[^/\s]+/, 'must be an https:// URL'),
      headers: z.record(z.string()).optional(),
      body: z.string().optional(),
      live: z.array(responseMatch).min(1),
      revoked: z.array(responseMatch).default([]),
    })
    .strict()
    .refine((v) => [v.url, v.body ?? '', ...Object.values(v.headers ?? {})].some((s) => s.includes('{{secret}}')), {
      message: 'the request must use {{secret}} in the url, a header or the body',
    });

  /** An example: text scanned as `example.txt`, or `{ path, text }` for rules that depend on the file. */
  const example = z.union([z.string(), z.object({ path: z.string().min(1), text: z.string() }).strict()]);

  const ruleDefSchema = z
    .object({
      id: z.string().regex(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/, 'rule ids are lowercase words joined by "-"'),
      description: z.string().min(1),
      severity: severity.default('high'),
      keywords: z.array(z.string().min(2, 'keywords must be at least 2 characters')),
      regex: z.string().min(1),
      flags: z.string().regex(/^[imsu]*$/, 'allowed flags: i, m, s, u').optional(),
      secretGroup: z.union([z.number().int().min(0), z.string(), z.array(z.union([z.number().int().min(0), z.string()])).min(1)]).optional(),
      /** A group whose start is where the secret starts (a group in a lookbehind after the token's literal middle). */
      secretFrom: z.union([z.number().int().min(1), z.string()]).optional(),
      entropy: z.number().min(0).max(8).optional(),
      checks: stringList.optional(),
      specificity: z.enum(['provider', 'format', 'generic']).optional(),
      allow: z.object({ stopwords: stringList.optional(), regexes: stringList.optional(), paths: stringList.optional() }).strict().optional(),
      remediation: z.string().optional(),
      /** What must precede the match (within `before` characters, on the same line): lets a rule anchor its regex on the token itself. */
      context: z.object({ pattern: z.string().min(1), before: z.number().int().min(1).max(500), flags: z.string().regex(/^[imsu]*$/).optional() }).strict().optional(),
      /** Environment variable name `leakproof fix` moves the secret into (default: from the rule id). */
      env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'environment variable names are SCREAMING_SNAKE_CASE').optional(),
      verify: verifierSchema.optional(),
      examples: z.object({ positive: z.array(example).default([]), negative: z.array(example).default([]) }).strict().optional(),
    })
    .strict();

  const ruleFileSchema = z
    .object({
      provider: z.string().min(1),
      /** Shared remediation for the file's rules (a rule's own `remediation` wins). */
      remediation: z.string().optional(),
      rules: z.array(ruleDefSchema).min(1),
    })
    .strict();


  const configSchema = z
    .object({
      rules: z
        .object({
          /** Rule ids to turn off. */
          disable: stringList.optional(),
          /** Run only these rule ids. */
          only: stringList.optional(),
          /** Severity overrides by rule id. */
          severity: z.record(severity).optional(),
          /** Extra folders of rule files (same format as `rules/`), relative to the config file. */
          dirs: stringList.optional(),
        })
        .strict()
        .optional(),
      /** Plugin modules: package names or paths relative to the config file. */
      plugins: stringList.optional(),
      allow: z
        .object({
          /** picomatch globs, relative to the scan root. */
          paths: stringList.optional(),
          /** Regexes tested against the secret. */
          regexes: stringList.optional(),
          /** Case-insensitive words; a secret containing one is dropped. */
          stopwords: stringList.optional(),
        })
        .strict()
        .optional(),
      /** Files larger than this are skipped (and counted): bytes, or "10MiB", "500KB". */
      maxFileSize: z.union([z.number().int().positive(), z.string()]).optional(),
    })
    .strict();
  return { ruleDefSchema, ruleFileSchema, configSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
/** The schemas, built on first use (zod loads with them). */
export const schemas: () => Schemas = onFirstUse(() => buildSchemas(lazyParsers().z));

export type RuleFile = Zod.infer<Schemas['ruleFileSchema']>;
export type UserConfig = Zod.infer<Schemas['configSchema']>;

/** Formats zod issues as one line each: `<file>: <field>: <problem>`. */
export function issueLines(file: string, error: Zod.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : String(part)), '');
    let problem = issue.message;
    if (issue.code === 'unrecognized_keys') problem = `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${file}: ${field || '(top level)'}: ${problem}`;
  });
}

/** Parses `10MiB`, `500KB`, `2mb`, `1048576` into bytes. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$/i.exec(value);
  if (!m) return undefined;
  const units: Record<string, number> = { b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3 };
  const bytes = Math.floor(Number(m[1]) * units[(m[2] ?? 'b').toLowerCase()]);
  return bytes > 0 ? bytes : undefined;
}
