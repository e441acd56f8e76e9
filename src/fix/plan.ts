/**
 * Plans the repair of what a scan found, without writing anything: which literals become
 * environment references (and under which names), what `.env`, `.env.example` and `.gitignore`
 * gain, which `.env` files git must stop tracking, and what is left for a person.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { extname, join, posix } from 'node:path';
import { isDotenvFile } from '../builtin/dotenv.js';
import type { ActiveRule } from '../detector/detector.js';
import type { Finding } from '../findings/finding.js';
import { scan, type ScanRequest } from '../scan.js';
import { GitError, ignoredPaths, runGit, splitNul, workTreeRoot } from '../sources/git.js';
import { assignedName, dotenvLine, parseDotenv, screamingSnake } from './env.js';
import { ENV_REFERENCE, importEdit, languageOf, literalAround, type Language } from './languages.js';
import { appendEdit, splitLines, stripEol, type LineEdit } from './lines.js';

/** A problem that stops the fix before anything is written (one line, exit 2). */
export class FixError extends Error {}

/** A file as fix read it: the exact bytes (to detect later changes) and its lines. */
export interface TextFile {
  /** Relative to the scan root, `/` separators. */
  path: string;
  /** The bytes read; undefined when the file did not exist. */
  before: Buffer | undefined;
  /** A UTF-8 byte order mark, removed from `lines` and put back on write. */
  bom: boolean;
  lines: string[];
  /** Why fix must not write this file (a symlink, unreadable, not UTF-8); only an error if it needs to. */
  unusable?: string;
}

export interface FileChange {
  file: TextFile;
  edits: LineEdit[];
  /** Create the file readable by its owner only (a new `.env` holds secrets). */
  privateIfNew?: boolean;
}

/** One string literal that becomes an environment reference. */
export interface Move {
  name: string;
  /** The secret: goes into `.env` and nowhere else. */
  value: string;
  language: Language;
  /** The findings this literal carries (usually one). */
  findings: Finding[];
}

export interface SourceFix {
  change: FileChange;
  moves: Move[];
}

export interface ManualFix {
  finding: Finding;
  reason: string;
}

export interface SupportPlan {
  gitignore?: FileChange;
  env?: FileChange;
  example?: FileChange;
  /** `.env`-style files to `git rm --cached` (they stay on disk). */
  untrack: string[];
}

/** What fix read around the sources: the support files and git's answers about `.env` files. */
export interface Surroundings {
  root: string;
  isGit: boolean;
  env: TextFile;
  gitignore: TextFile;
  example: TextFile;
  /** Of the `.env` paths fix cares about: those git ignores, and those it tracks. */
  ignored: ReadonlySet<string>;
  tracked: ReadonlySet<string>;
}

export interface FixPlan {
  root: string;
  isGit: boolean;
  findings: Finding[];
  rules: readonly ActiveRule[];
  sources: SourceFix[];
  /** Findings in (or about) `.env`-style files: fixed by making git ignore and untrack the file. */
  guarded: Finding[];
  manual: ManualFix[];
  /** Files whose content no longer matches what the scan reported: left untouched. */
  changed: { path: string; findings: Finding[] }[];
  support: SupportPlan;
  surroundings: Surroundings;
  /** Files with a finding whose secret (or which, for `.env` files) was in some commit. */
  committed: string[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a file for editing; a missing file reads as empty. Returns a reason when it cannot be edited. */
export function readTextFile(root: string, path: string): TextFile | string {
  const abs = join(root, path);
  let before: Buffer;
  try {
    if (lstatSync(abs).isSymbolicLink()) return 'it is a symlink';
    before = readFileSync(abs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path, before: undefined, bom: false, lines: [] };
    return `it cannot be read (${code ?? 'error'})`;
  }
  let text: string;
  try {
    // Strips a BOM, as the scan's decoder does, so columns agree.
    text = UTF8.decode(before);
  } catch {
    return 'it is not valid UTF-8 (rewriting it could change other bytes)';
  }
  const bom = before[0] === 0xef && before[1] === 0xbb && before[2] === 0xbf;
  return { path, before, bom, lines: splitLines(text) };
}

function readSupportFile(root: string, path: string): TextFile {
  const file = readTextFile(root, path);
  return typeof file === 'string' ? { path, before: undefined, bom: false, lines: [], unusable: file } : file;
}

/** A change to a support file, refused when the file cannot be edited safely. */
function supportChange(file: TextFile, lines: string[], privateIfNew = false): FileChange {
  // The lines are not named: for .env they hold the secrets.
  if (file.unusable) throw new FixError(`${file.path}: ${file.unusable}; leakproof fix needs to append to it, so sort that out first`);
  return { file, edits: [appendEdit(file.lines, lines)], privateIfNew };
}

/** Whether the secret is still exactly where the scan saw it. */
function stillThere(file: TextFile, finding: Finding): boolean {
  const first = finding.secret.split(/\r?\n/)[0];
  const line = file.lines[finding.line - 1];
  return line !== undefined && stripEol(line).slice(finding.column - 1, finding.column - 1 + first.length) === first;
}

/**
 * The variable a secret moves into: the rule's `env` (`RESEND_API_KEY`); for generic and format
 * rules the name it was assigned to (`apiKey` → `API_KEY`); else the rule id (`acme-token` → `ACME_TOKEN`).
 */
export function envNameFor(rule: ActiveRule | undefined, ruleId: string, codeBefore: string): string {
  if (rule?.env) return rule.env;
  if (rule?.specificity !== 'provider') {
    const name = assignedName(codeBefore);
    if (name) return name;
  }
  return screamingSnake(ruleId) || 'SECRET';
}

/** Names that never collide with a different value: reuse the name a value already has, else add `_2`, `_3`, … */
function nameAllocator(existing: ReadonlyMap<string, string>): (desired: string, value: string) => string {
  const valueOf = new Map(existing);
  const nameOf = new Map<string, string>();
  for (const [name, value] of existing) if (!nameOf.has(value)) nameOf.set(value, name);
  return (desired, value) => {
    const known = nameOf.get(value);
    if (known !== undefined) return known;
    let name = desired;
    for (let i = 2; valueOf.has(name); i++) name = `${desired}_${i}`;
    valueOf.set(name, value);
    nameOf.set(value, name);
    return name;
  };
}

const CONFIG_REASON = 'config files have no environment syntax of their own, so there is no safe generic rewrite: move the value into your deployment secrets (or .env) and have the tool that reads this file take it from there';

/** `.gitignore` additions, `.env` and `.env.example` lines and untracking for a set of moves. */
export function buildSupport(s: Surroundings, moves: readonly Move[], guardedPaths: readonly string[]): SupportPlan {
  const plan: SupportPlan = { untrack: [] };
  const inEnv = parseDotenv(s.env.lines);
  const envLines = new Map<string, string>();
  for (const move of moves) if (inEnv.get(move.name) !== move.value) envLines.set(move.name, dotenvLine(move.name, move.value)!);
  if (envLines.size > 0) plan.env = supportChange(s.env, [...envLines.values()], true);

  const inExample = parseDotenv(s.example.lines);
  const exampleLines = [...new Set(moves.map((m) => m.name))].filter((name) => !inExample.has(name)).map((name) => `${name}=`);
  if (exampleLines.length > 0) plan.example = supportChange(s.example, exampleLines);

  const guard = new Set(guardedPaths);
  if (moves.length > 0) guard.add('.env');
  const entries = [...new Set([...guard].filter((p) => !s.ignored.has(p)).map((p) => posix.basename(p)))];
  if (entries.length > 0) plan.gitignore = supportChange(s.gitignore, entries);
  plan.untrack = [...guard].filter((p) => s.tracked.has(p)).sort();
  return plan;
}

/** Outside git nobody can answer with ignore rules: only an exact `.gitignore` line counts. */
function listedInGitignore(gitignore: TextFile, paths: readonly string[]): Set<string> {
  const lines = new Set(gitignore.lines.map((l) => stripEol(l).trim()));
  return new Set(paths.filter((p) => lines.has(posix.basename(p)) || lines.has(p) || lines.has(`/${p}`)));
}

async function trackedPaths(root: string, paths: readonly string[]): Promise<Set<string>> {
  const { stdout } = await runGit(['ls-files', '-z', '--', ...paths], { cwd: root });
  return new Set(splitNul(stdout));
}

/** Files whose secret (or, for findings without one, the file itself) is in some commit's patch. */
async function committedPaths(root: string, findings: readonly Finding[]): Promise<string[]> {
  const byPath = new Map<string, string[]>();
  for (const f of findings) byPath.set(f.path, [...(byPath.get(f.path) ?? []), ...(f.secret ? [f.secret.split(/\r?\n/)[0]] : [])]);
  const committed: string[] = [];
  for (const [path, secrets] of byPath) {
    let patch: string;
    try {
      // The secret is searched for here, in git's output, so it never goes on a command line.
      const { stdout } = await runGit(['log', '--all', '-p', '--format=commit %H', '--no-ext-diff', '--no-textconv', '--no-color', '--', path], { cwd: root });
      patch = stdout.toString('utf8');
    } catch (error) {
      if (error instanceof GitError) continue; // e.g. no commits yet
      throw error;
    }
    if (patch.length > 0 && (secrets.length === 0 || secrets.some((s) => patch.includes(s)))) committed.push(path);
  }
  return committed;
}

interface Candidate {
  file: TextFile;
  language: Language;
  finding: Finding;
  index: number;
  start: number;
  end: number;
  desired: string;
}

export async function planFix(request: ScanRequest = {}): Promise<FixPlan> {
  const result = await scan(request);
  const { root, findings } = result;
  const rules = new Map(result.ruleSet.rules.map((r) => [r.id, r]));
  const isGit = (await workTreeRoot(root)) !== undefined;

  const guarded: Finding[] = [];
  const manual: ManualFix[] = [];
  const changed: FixPlan['changed'] = [];
  const byPath = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (isDotenvFile(finding.path)) guarded.push(finding);
    else if (finding.secret.length === 0) manual.push({ finding, reason: 'there is no automatic fix for this rule' });
    else byPath.set(finding.path, [...(byPath.get(finding.path) ?? []), finding]);
  }

  const candidates: Candidate[] = [];
  for (const [path, list] of byPath) {
    const language = languageOf(path);
    if (language === 'config') {
      for (const finding of list) manual.push({ finding, reason: CONFIG_REASON });
      continue;
    }
    if (language === undefined) {
      const kind = extname(path) ? `${extname(path)} files` : 'files without an extension';
      for (const finding of list) manual.push({ finding, reason: `leakproof fix has no rewrite for ${kind}` });
      continue;
    }
    const file = readTextFile(root, path);
    if (typeof file === 'string') {
      for (const finding of list) manual.push({ finding, reason: file });
      continue;
    }
    if (!list.every((f) => stillThere(file, f))) {
      changed.push({ path, findings: list });
      continue;
    }
    for (const finding of list) {
      if (finding.endLine !== finding.line) {
        manual.push({ finding, reason: 'the value spans several lines' });
        continue;
      }
      const index = finding.line - 1;
      const start = finding.column - 1;
      const literal = literalAround(language, file.lines, index, start, start + finding.secret.length);
      if (!literal.ok) {
        manual.push({ finding, reason: literal.reason });
        continue;
      }
      if (dotenvLine('NAME', finding.secret) === undefined) {
        manual.push({ finding, reason: 'the value holds characters a .env file cannot keep unchanged' });
        continue;
      }
      const desired = envNameFor(rules.get(finding.ruleId), finding.ruleId, stripEol(file.lines[index]).slice(0, literal.start));
      candidates.push({ file, language, finding, index, start: literal.start, end: literal.end, desired });
    }
  }

  const surroundingsFiles = { env: readSupportFile(root, '.env'), gitignore: readSupportFile(root, '.gitignore'), example: readSupportFile(root, '.env.example') };
  const allocate = nameAllocator(parseDotenv(surroundingsFiles.env.lines));
  const sources: SourceFix[] = [];
  type Span = { start: number; end: number; move: Move };
  const fileFixes = new Map<TextFile, { moves: Move[]; at: Map<number, Span[]> }>();
  for (const c of candidates) {
    const fix = fileFixes.get(c.file) ?? { moves: [], at: new Map<number, Span[]>() };
    fileFixes.set(c.file, fix);
    const onLine = fix.at.get(c.index) ?? [];
    fix.at.set(c.index, onLine);
    const same = onLine.find((o) => o.start === c.start);
    if (same) {
      same.move.findings.push(c.finding); // two rules, one literal
      continue;
    }
    const move: Move = { name: allocate(c.desired, c.finding.secret), value: c.finding.secret, language: c.language, findings: [c.finding] };
    fix.moves.push(move);
    onLine.push({ start: c.start, end: c.end, move });
  }
  for (const [file, fix] of fileFixes) {
    const edits: LineEdit[] = [];
    for (const [index, spans] of fix.at) {
      const line = file.lines[index];
      const eol = line.slice(stripEol(line).length);
      let text = stripEol(line);
      for (const span of [...spans].sort((a, b) => b.start - a.start)) {
        text = text.slice(0, span.start) + ENV_REFERENCE[span.move.language](span.move.name) + text.slice(span.end);
      }
      edits.push({ start: index, remove: 1, insert: [text + eol] });
    }
    const extra = importEdit(fix.moves[0].language, file.lines);
    if (extra) edits.push(extra);
    sources.push({ change: { file, edits }, moves: fix.moves });
  }
  sources.sort((a, b) => (a.change.file.path < b.change.file.path ? -1 : 1));

  const watched = [...new Set(['.env', ...guarded.map((f) => f.path)])];
  const surroundings: Surroundings = {
    root,
    isGit,
    ...surroundingsFiles,
    ignored: isGit ? await ignoredPaths(root, watched) : listedInGitignore(surroundingsFiles.gitignore, watched),
    tracked: isGit ? await trackedPaths(root, watched) : new Set(),
  };
  return {
    root,
    isGit,
    findings,
    rules: result.ruleSet.rules,
    sources,
    guarded,
    manual,
    changed,
    support: buildSupport(surroundings, sources.flatMap((s) => s.moves), pathsOf(guarded)),
    surroundings,
    committed: isGit ? await committedPaths(root, findings.filter((f) => f.secret.length > 0 || isDotenvFile(f.path))) : [],
  };
}

/** The distinct paths of some findings, in order. */
export function pathsOf(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.path))];
}
