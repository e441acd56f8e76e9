/**
 * Applies a fix plan. Every file is compared with the bytes the plan read and skipped if it
 * changed; every write goes to a temp file in the same folder and is renamed over the original,
 * so a file is either the old or the new version, never half of each. Order: the secret's new
 * home and its protection (.gitignore, untracking, .env) before any source loses the secret.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ignoredPaths, runGit } from '../sources/git.js';
import { applyEdits } from './lines.js';
import { buildSupport, FixError, pathsOf, type FileChange, type FixPlan, type SourceFix, type SupportPlan, type TextFile } from './plan.js';

export interface ApplyResult {
  /** Source files rewritten. */
  sources: SourceFix[];
  /** Files left untouched because they changed since the scan. */
  changed: FixPlan['changed'];
  /** What was done to .gitignore, .env, .env.example and git's index. */
  support: SupportPlan;
  /** Things the user should know (e.g. a `.env` that git still does not ignore). */
  notes: string[];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function currentBytes(root: string, file: TextFile): Buffer | undefined {
  try {
    return readFileSync(join(root, file.path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FixError(`${file.path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** True when the file holds exactly the bytes the plan read (or is still absent). */
export function unchanged(root: string, file: TextFile): boolean {
  const now = currentBytes(root, file);
  if (now === undefined || file.before === undefined) return now === file.before;
  return now.equals(file.before);
}

/** Writes `data` to a temp file next to `abs`, then renames it over `abs`. */
function atomicWrite(abs: string, data: Buffer, mode: { keep?: number; create: number }): void {
  const temp = join(dirname(abs), `.${basename(abs)}.leakproof-${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, data, { mode: mode.keep ?? mode.create, flag: 'wx' });
    // An existing file keeps its exact mode (writeFileSync's mode is narrowed by the umask).
    if (mode.keep !== undefined) chmodSync(temp, mode.keep);
    renameSync(temp, abs);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new FixError(`${basename(abs)}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function write(root: string, change: FileChange): void {
  const abs = join(root, change.file.path);
  const text = applyEdits(change.file.lines, change.edits).join('');
  const data = change.file.bom ? Buffer.concat([BOM, Buffer.from(text, 'utf8')]) : Buffer.from(text, 'utf8');
  const keep = change.file.before === undefined ? undefined : statSync(abs).mode & 0o7777;
  atomicWrite(abs, data, { keep, create: change.privateIfNew ? 0o600 : 0o644 });
}

export async function applyFix(plan: FixPlan): Promise<ApplyResult> {
  const { root } = plan;
  const sources: SourceFix[] = [];
  const changed = [...plan.changed];
  for (const source of plan.sources) {
    if (unchanged(root, source.change.file)) sources.push(source);
    else changed.push({ path: source.change.file.path, findings: source.moves.flatMap((m) => m.findings) });
  }
  // Without the skipped files, .env and .env.example need only the remaining names.
  const support = sources.length === plan.sources.length ? plan.support : buildSupport(plan.surroundings, sources.flatMap((s) => s.moves), pathsOf(plan.guarded));
  const supportChanges = [support.gitignore, support.env, support.example].filter((c): c is FileChange => c !== undefined);
  for (const change of supportChanges) {
    if (!unchanged(root, change.file)) throw new FixError(`${change.file.path} changed while leakproof fix was running; nothing was written: run it again`);
  }

  if (support.gitignore) write(root, support.gitignore);
  if (support.untrack.length > 0) await runGit(['rm', '--cached', '--quiet', '--', ...support.untrack], { cwd: root });
  if (support.env) write(root, support.env);
  if (support.example) write(root, support.example);

  const written: SourceFix[] = [];
  for (const source of sources) {
    // Checked again right before writing: the file may have changed while the others were written.
    if (unchanged(root, source.change.file)) {
      write(root, source.change);
      written.push(source);
    } else {
      changed.push({ path: source.change.file.path, findings: source.moves.flatMap((m) => m.findings) });
    }
  }

  const notes: string[] = [];
  const guarded = [...new Set([...pathsOf(plan.guarded), ...(written.length > 0 ? ['.env'] : [])])];
  if (plan.isGit && guarded.length > 0) {
    const ignored = await ignoredPaths(root, guarded);
    for (const path of guarded.filter((p) => !ignored.has(p))) {
      notes.push(`${path} is still not ignored by git (a later rule un-ignores it): see \`git check-ignore -v --no-index ${path}\``);
    }
  }
  return { sources: written, changed, support, notes };
}
