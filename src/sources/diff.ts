/**
 * Change sources (the staged index, a pull-request range): which files a change touches, the
 * lines it adds to each, and their new content read through `git cat-file --batch`.
 *
 * One `git diff --raw -p -z` run answers both questions. The `-z` raw part gives exact paths,
 * modes and blob ids; the patch part gives added line numbers. Patch sections come in the raw
 * part's order, so they are matched by position and never by parsing the (quoted) paths in patch
 * headers; a count mismatch is an error, never a guess.
 */
import type { Fragment, Origin } from './fragment.js';
import type { CatFile } from './cat-file.js';
import { decode } from './directory.js';
import { GitError, runGit } from './git.js';
import type { ScanStats } from './stats.js';

export interface ChangedFile {
  /** Git's status letter: A, M, R, C, T, D or U. */
  status: string;
  /** The path after the change (relative to the repository top, `/` separators). */
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  /** Mode after the change: 100644/100755 file, 120000 symlink, 160000 submodule, 000000 gone. */
  mode: string;
  /** Blob id after the change. */
  blob: string;
  /**
   * Lines (1-based) of the new content that the change adds or modifies. Undefined when git shows
   * no text diff for the file (its attributes call it binary): then every line counts as added.
   */
  added?: Set<number>;
}

/**
 * Flags that make the output independent of user config: no colour, external diff, textconv or
 * submodule log; full blob ids; `-U0` so hunks hold only changed lines; renames followed, so a
 * moved file adds only the lines it changed. `diff.relative=false` via `-c` because older gits
 * lack `--no-relative`.
 */
const DIFF_ARGS = ['-c', 'diff.relative=false', 'diff', '--raw', '-p', '-z', '-U0', '--inter-hunk-context=0', '-M', '--no-abbrev', '--no-color', '--no-ext-diff', '--no-textconv', '--submodule=short'];

/**
 * `git diff <revisions> -- <pathspecs>` parsed into changed files with their added lines. Files
 * over `maxFileSize` are skipped later anyway, so git is told to treat them as binary
 * (`core.bigFileThreshold`) instead of printing their whole patch.
 */
export async function changedFiles(cwd: string, revisions: readonly string[], pathspecs: readonly string[], maxFileSize: number): Promise<ChangedFile[]> {
  const { stdout } = await runGit(['-c', `core.bigFileThreshold=${maxFileSize}`, ...DIFF_ARGS, ...revisions, '--', ...pathspecs], { cwd });
  return parseDiff(stdout);
}

/** Parses the output of `git diff --raw -p -z` (raw entries, a NUL, then the patch). */
export function parseDiff(output: Buffer): ChangedFile[] {
  const files: ChangedFile[] = [];
  let pos = 0;
  const token = (): string => {
    const end = output.indexOf(0, pos);
    if (end === -1) throw new GitError('unexpected output from git diff (truncated raw entry)');
    const text = output.toString('utf8', pos, end);
    pos = end + 1;
    return text;
  };
  while (pos < output.length && output[pos] === 0x3a /* : */) {
    // :<old mode> <new mode> <old blob> <new blob> <status>
    const [, mode, , blob, status] = token().slice(1).split(' ');
    const first = token();
    const renamed = status[0] === 'R' || status[0] === 'C';
    const path = renamed ? token() : first;
    files.push({ status: status[0], path, oldPath: renamed ? first : undefined, mode, blob, added: new Set() });
  }
  if (pos < output.length && output[pos] === 0) pos++;
  // latin1 keeps one char per byte, so nothing in the patch can break the line split.
  addPatchLines(output.toString('latin1', pos), files);
  return files;
}

/**
 * Fills `added` from the patch. Each raw entry has one section (`diff --git` or `* Unmerged
 * path`), except a type change, which git shows as a deletion plus a creation. Hunk bodies are
 * skipped by their line counts, so no content line is ever mistaken for a header.
 */
function addPatchLines(patch: string, files: ChangedFile[]): void {
  const owners: ChangedFile[] = files.flatMap((f) => (f.status === 'T' ? [f, f] : [f]));
  const lines = patch.split('\n');
  let section = -1;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++];
    if (line.startsWith('diff --git ') || line.startsWith('* Unmerged path ')) {
      section++;
      if (section >= owners.length) break;
      continue;
    }
    const file = owners[section];
    if (file === undefined) continue;
    if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
      file.added = undefined;
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk === null) continue;
    let oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
    let newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    let lineNo = Number(hunk[2]);
    while ((oldLeft > 0 || newLeft > 0) && i < lines.length) {
      const body = lines[i++];
      const kind = body[0];
      if (kind === '+') {
        file.added?.add(lineNo++);
        newLeft--;
      } else if (kind === '-') {
        oldLeft--;
      } else if (kind === ' ') {
        lineNo++;
        oldLeft--;
        newLeft--;
      }
      // '\ No newline at end of file' counts for neither side.
    }
  }
  if (section + 1 !== owners.length) {
    throw new GitError(`could not match git diff's patch to its file list (${section + 1} sections for ${owners.length} entries)`);
  }
}

/**
 * A merge being concluded: a line counts as added only when it is new against every parent.
 * Lines that come from the merged branch were checked when they were committed there.
 */
export function intersectAdded(files: ChangedFile[], againstOtherParent: ChangedFile[]): ChangedFile[] {
  const other = new Map(againstOtherParent.map((f) => [f.path, f]));
  return files.map((file) => {
    const theirs = other.get(file.path);
    // Not in the diff against the other parent: the file is exactly that parent's version.
    if (theirs === undefined) return { ...file, added: new Set<number>() };
    if (theirs.added === undefined) return file;
    if (file.added === undefined) return { ...file, added: theirs.added };
    return { ...file, added: new Set([...file.added].filter((n) => theirs.added!.has(n))) };
  });
}

export interface ReadChangesOptions {
  origin: Origin;
  /** Report findings on every line of the touched files, not only the added ones. */
  allLines: boolean;
  maxFileSize: number;
  stats: ScanStats;
}

/** Files a change leaves in the tree (deletions have nothing to scan). */
export function presentFiles(files: readonly ChangedFile[]): ChangedFile[] {
  return files.filter((f) => f.status !== 'D' && f.status !== 'U');
}

/**
 * The new content of each changed file as a fragment carrying its added lines. Submodules,
 * symlinks, unmerged paths, binaries and oversized blobs are skipped and counted.
 */
export async function* readChanges(catFile: CatFile, files: readonly ChangedFile[], options: ReadChangesOptions): AsyncGenerator<Fragment> {
  const { stats } = options;
  const toRead: { blob: string; path: string; file: ChangedFile }[] = [];
  for (const file of files) {
    if (file.status === 'D') continue;
    if (file.status === 'U') stats.skip(file.path, 'unmerged (resolve the conflict and stage the file)');
    else if (file.mode === '160000') stats.skip(file.path, 'submodule');
    else if (file.mode === '120000') stats.skip(file.path, 'symlink');
    else if (!options.allLines && file.added !== undefined && file.added.size === 0) stats.filesScanned++; // adds no line: nothing to report
    else toRead.push({ blob: file.blob, path: file.path, file });
  }
  for await (const [{ file }, blob] of catFile.read(toRead, options.maxFileSize)) {
    if (blob.kind === 'too-large') {
      stats.skip(file.path, `larger than ${options.maxFileSize} bytes`);
      continue;
    }
    if (blob.kind === 'binary') {
      stats.skip(file.path, 'binary');
      continue;
    }
    stats.filesScanned++;
    stats.bytesScanned += blob.content.length;
    yield {
      text: decode(blob.content),
      path: file.path,
      startLine: 1,
      origin: options.origin,
      blob: file.blob,
      addedLines: options.allLines ? undefined : file.added,
    };
  }
}

/**
 * What the commits from the merge base of `base` and HEAD up to HEAD add: the pull-request view
 * (`git diff base...HEAD`). Lines that already existed on the base are not part of it.
 */
export async function branchChange(cwd: string, base: string, pathspecs: readonly string[], maxFileSize: number): Promise<{ top: string; files: ChangedFile[] }> {
  const [info, files] = await Promise.all([runGit(['rev-parse', '--show-toplevel'], { cwd }), changedFiles(cwd, [`${base}...HEAD`], pathspecs, maxFileSize)]);
  return { top: info.stdout.toString('utf8').trim(), files };
}
