/**
 * Change sources (the staged index, a pull-request range): which files a change touches, the
 * lines it adds to each, and their new content, all from one streamed `git diff --raw -p -z`.
 *
 * The `-z` raw part gives exact paths, modes and blob ids. The patch, with a context as long as
 * any file, holds each changed file's whole new content (its context and added lines) and says
 * which lines are added. So the pre-commit hook needs no `git cat-file` process, and a large
 * change is read file by file as git writes it, in bounded memory. Patch sections come in the raw
 * part's order, so they are matched by position and never by parsing the (quoted) paths in patch
 * headers; a count mismatch is an error, never a guess. Where the patch does not show a file's
 * content (git calls it binary, or it is over git's size limit), the blob is read with cat-file.
 */
import type { Origin, RawFragment } from './fragment.js';
import { CatFile, type BlobContent } from './cat-file.js';
import { looksBinary } from './directory.js';
import { GitError, runGit, streamGit } from './git.js';
import { LineRanges } from './line-ranges.js';
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
}

/** One changed file as its patch shows it. */
export interface FilePatch {
  file: ChangedFile;
  /**
   * Lines (1-based) of the new content that the change adds or modifies. Undefined when git shows
   * no text diff for the file (its attributes call it binary): then every line counts as added.
   */
  added: LineRanges | undefined;
  /** The file's whole new content; undefined when the patch does not show it (binary, no hunk). */
  content: Buffer | undefined;
}

/** A change being read: its files first, then each file's patch as git writes it. */
export interface Change {
  /** The work tree's top folder; paths are relative to it. */
  top: string;
  files: ChangedFile[];
  patches: AsyncIterable<FilePatch>;
  /** Stops git if the patches were not read to the end. */
  close(): Promise<void>;
}

/**
 * Flags that make the output independent of user config: no colour, external diff, textconv or
 * submodule log; full blob ids; no blank context line printed without its space; renames
 * followed, so a moved file adds only the lines it changed. `-c` because older gits lack
 * `--no-relative`.
 */
const DIFF_ARGS = ['-c', 'diff.relative=false', '-c', 'diff.suppressBlankEmpty=false', 'diff', '--raw', '-p', '-z', '--inter-hunk-context=0', '-M', '--no-abbrev', '--no-color', '--no-ext-diff', '--no-textconv', '--submodule=short'];
/**
 * A context longer than any file, so each file's hunk spans its whole content. 2^30, not 2^31 - 1:
 * git adds it to line numbers in a C `long`, which has 32 bits on Windows. A hunk that does not
 * span its file is noticed, and the blob read with cat-file instead.
 */
const WHOLE_FILE_CONTEXT = `-U${2 ** 30}`;

/** The git arguments of `openDiff` (the bench times a bare node process running them too). */
export function diffArgs(revisions: readonly string[], pathspecs: readonly string[], options: { maxFileSize: number; content: boolean }): string[] {
  return ['-c', `core.bigFileThreshold=${options.maxFileSize}`, ...DIFF_ARGS, options.content ? WHOLE_FILE_CONTEXT : '-U0', ...revisions, '--', ...pathspecs];
}

/**
 * Starts `git diff <revisions> -- <pathspecs>` and reads its file list. `content`: the patches
 * carry each file's new content (else only the added lines, `-U0`). Files over `maxFileSize` are
 * skipped later anyway, so git is told to treat them as binary (`core.bigFileThreshold`) instead
 * of printing their whole patch.
 */
export async function openDiff(cwd: string, revisions: readonly string[], pathspecs: readonly string[], options: { maxFileSize: number; content: boolean }): Promise<DiffStream> {
  const output = new OutputWindow(streamGit(diffArgs(revisions, pathspecs, options), { cwd }));
  try {
    return new DiffStream(await readRawEntries(output), output, options.content);
  } catch (error) {
    await output.close();
    throw error;
  }
}

/** Waits for a diff being opened and another git question asked at the same time; if either fails, the diff is closed. */
export async function alongside<T>(opening: Promise<DiffStream>, other: Promise<T>): Promise<[DiffStream, T]> {
  try {
    return await Promise.all([opening, other]);
  } catch (error) {
    await (await opening.catch(() => undefined))?.close();
    throw error;
  }
}

/** The whole of `git diff <revisions>`: each changed file with its added lines (no content). */
export async function changedFiles(cwd: string, revisions: readonly string[], pathspecs: readonly string[], maxFileSize: number): Promise<(ChangedFile & { added: LineRanges | undefined })[]> {
  const diff = await openDiff(cwd, revisions, pathspecs, { maxFileSize, content: false });
  const files: (ChangedFile & { added: LineRanges | undefined })[] = [];
  for await (const { file, added } of diff.patches()) files.push({ ...file, added });
  return files;
}

/**
 * Git's output as one contiguous window, however its writes were cut: a record or a whole patch
 * section is always in one piece. Bytes handed out are valid until the next `more()`.
 */
class OutputWindow {
  private buffer = Buffer.allocUnsafe(256 * 1024);
  private start = 0;
  private end = 0;
  private ended = false;

  constructor(private readonly chunks: AsyncGenerator<Buffer>) {}

  /** The bytes read and not consumed yet. */
  get bytes(): Buffer {
    return this.buffer.subarray(this.start, this.end);
  }

  consume(count: number): void {
    this.start += count;
  }

  /** Reads git's next write into the window; false once git's output has ended. */
  async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    this.append(next.value);
    return true;
  }

  private append(chunk: Buffer): void {
    if (this.end + chunk.length > this.buffer.length) {
      // Move what is left to the front, into a larger buffer if it must grow.
      const live = this.end - this.start;
      const target = live + chunk.length > this.buffer.length ? Buffer.allocUnsafe(Math.max(live + chunk.length, 2 * this.buffer.length)) : this.buffer;
      if (target === this.buffer) this.buffer.copyWithin(0, this.start, this.end);
      else this.buffer.copy(target, 0, this.start, this.end);
      this.buffer = target;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.buffer, this.end);
    this.end += chunk.length;
  }

  async close(): Promise<void> {
    await this.chunks.return(undefined);
  }
}

const COLON = 0x3a;

/** Reads the raw part: `:<old mode> <new mode> <old blob> <new blob> <status>\0<path>\0[<new path>\0]`, then a NUL. */
async function readRawEntries(output: OutputWindow): Promise<ChangedFile[]> {
  const files: ChangedFile[] = [];
  for (;;) {
    const view = output.bytes;
    let pos = 0;
    while (pos < view.length && view[pos] === COLON) {
      const header = view.indexOf(0, pos);
      const first = header === -1 ? -1 : view.indexOf(0, header + 1);
      if (first === -1) break;
      const [, mode, , blob, status] = view.toString('utf8', pos + 1, header).split(' ');
      const renamed = status[0] === 'R' || status[0] === 'C';
      const second = renamed ? view.indexOf(0, first + 1) : first;
      if (second === -1) break;
      const firstPath = view.toString('utf8', header + 1, first);
      files.push({ status: status[0], path: renamed ? view.toString('utf8', first + 1, second) : firstPath, oldPath: renamed ? firstPath : undefined, mode, blob });
      pos = second + 1;
    }
    output.consume(pos);
    if (pos < view.length && view[pos] !== COLON) {
      if (view[pos] === 0) output.consume(1); // the NUL between the raw part and the patch
      return files;
    }
    if (!(await output.more())) {
      if (output.bytes.length > 0) throw new GitError('unexpected output from git diff (truncated raw entry)');
      return files;
    }
  }
}

const SECTION_STARTS = [Buffer.from('\ndiff --git '), Buffer.from('\n* Unmerged path ')];
const LF = 0x0a;

/** What the sections of one file's patch showed (a type change has two: a deletion, a creation). */
class PatchReading {
  added: LineRanges | undefined = new LineRanges();
  readonly parts: Buffer[] = [];
  hunks = 0;
  /** Every hunk seen spans its side's whole file: the parts are the whole new content. */
  whole = true;

  content(): Buffer | undefined {
    if (this.added === undefined || this.hunks === 0 || !this.whole) return undefined;
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
  }
}

export class DiffStream {
  constructor(
    readonly files: ChangedFile[],
    private readonly output: OutputWindow,
    private readonly withContent: boolean,
  ) {}

  /** Each file's patch, in the order of `files`. Once: the patches are read as git writes them. */
  async *patches(): AsyncGenerator<FilePatch> {
    // Each raw entry has one section (`diff --git` or `* Unmerged path`), except a type change,
    // which git shows as a deletion plus a creation.
    const owners = this.files.flatMap((f) => (f.status === 'T' ? [f, f] : [f]));
    const starts = this.files.some((f) => f.status === 'U') ? SECTION_STARTS : SECTION_STARTS.slice(0, 1);
    let section = 0;
    let reading = new PatchReading();
    try {
      for (;;) {
        const length = await this.nextSection(starts);
        if (length === 0) break;
        if (section >= owners.length) throw new GitError(`could not match git diff's patch to its file list (more than ${owners.length} sections)`);
        readSection(this.output.bytes.subarray(0, length), reading, this.withContent);
        this.output.consume(length);
        const file = owners[section++];
        if (owners[section] === file) continue; // the second section of a type change follows
        yield { file, added: reading.added, content: reading.content() };
        reading = new PatchReading();
      }
    } catch (error) {
      throw this.explain(error);
    }
    if (section !== owners.length) throw new GitError(`could not match git diff's patch to its file list (${section} sections for ${owners.length} entries)`);
  }

  /** The length of the next section at the front of the window (0 at the end of the patch). */
  private async nextSection(starts: readonly Buffer[]): Promise<number> {
    let from = 1; // the section's own header is at 0
    for (;;) {
      const view = this.output.bytes;
      let next = -1;
      for (const start of starts) {
        const at = view.indexOf(start, from);
        if (at !== -1 && (next === -1 || at < next)) next = at;
      }
      if (next !== -1) return next + 1;
      from = Math.max(1, view.length - SECTION_STARTS[1].length + 1);
      if (!(await this.output.more())) return this.output.bytes.length;
    }
  }

  /** Git names a blob it cannot read by its id: say which file it is. */
  private explain(error: unknown): unknown {
    if (!(error instanceof GitError)) return error;
    const id = /\b([0-9a-f]{40}|[0-9a-f]{64})\b/.exec(error.message)?.[1];
    const file = id === undefined ? undefined : this.files.find((f) => f.blob === id);
    return file ? new GitError(`cannot read ${file.path}: ${error.message}`) : error;
  }

  async close(): Promise<void> {
    await this.output.close();
  }
}

/**
 * Reads one patch section into `reading`: its added lines and, with `withContent`, its new content,
 * which is the context and added lines without their one-character prefix. The content is
 * compacted in place, over the section's own bytes, then copied out once.
 */
function readSection(bytes: Buffer, reading: PatchReading, withContent: boolean): void {
  let pos = bytes.indexOf(LF) + 1; // past the section's first line
  if (pos === 0) return;
  let inHunks = false;
  let line = 0;
  let out = 0;
  let lastWasContent = false;
  let expected = 0;
  let seen = 0;
  while (pos < bytes.length) {
    const lf = bytes.indexOf(LF, pos);
    const end = lf === -1 ? bytes.length : lf + 1;
    const first = bytes[pos];
    let content = false;
    if (first === 0x40 /* @ */ && bytes[pos + 1] === 0x40) {
      // @@ -a[,b] +c[,d] @@: the new side starts at line c and has d lines (1 when d is absent).
      const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(bytes.toString('latin1', pos, Math.min(end, pos + 80)));
      if (hunk === null) throw new GitError(`unexpected hunk header from git diff: ${bytes.toString('latin1', pos, Math.min(end, pos + 80)).trim()}`);
      line = Number(hunk[1]);
      const lines = hunk[2] === undefined ? 1 : Number(hunk[2]);
      // With a context longer than the file, the section's one hunk starts at line 1 (0 for an empty side).
      if (inHunks || line > 1 || (line === 0 && lines !== 0)) reading.whole = false;
      expected = lines;
      inHunks = true;
      reading.hunks++;
    } else if (!inHunks) {
      // Headers: the only one that matters says git shows no text for the file.
      if (startsWith(bytes, pos, 'Binary files ') || startsWith(bytes, pos, 'GIT binary patch')) reading.added = undefined;
    } else if (first === 0x2b /* + */) {
      reading.added?.add(line);
      content = true;
    } else if (first === 0x20 /* context */ || first === LF /* a blank context line without its space */) {
      content = true;
    } else if (first === 0x5c /* \ No newline at end of file */) {
      // About the line before: if that was a line of the new side, it has no line feed.
      if (lastWasContent && withContent && out > 0 && bytes[out - 1] === LF) out--;
    }
    // '-' lines are the old side.
    if (content) {
      line++;
      seen++;
      if (withContent) {
        const from = first === LF ? pos : pos + 1;
        bytes.copyWithin(out, from, end);
        out += end - from;
      }
    }
    lastWasContent = content;
    pos = end;
  }
  if (!inHunks) return;
  if (seen !== expected) reading.whole = false;
  if (withContent) reading.parts.push(Buffer.from(bytes.subarray(0, out)));
}

function startsWith(bytes: Buffer, pos: number, text: string): boolean {
  return bytes.toString('latin1', pos, pos + text.length) === text;
}

/**
 * A merge being concluded: a line counts as added only when it is new against every parent.
 * Lines that come from the merged branch were checked when they were committed there.
 */
export async function* intersectAdded(patches: AsyncIterable<FilePatch>, againstOtherParent: readonly (ChangedFile & { added: LineRanges | undefined })[]): AsyncGenerator<FilePatch> {
  const other = new Map(againstOtherParent.map((f) => [f.path, f]));
  for await (const patch of patches) {
    const theirs = other.get(patch.file.path);
    // Not in the diff against the other parent: the file is exactly that parent's version.
    if (theirs === undefined) yield { ...patch, added: new LineRanges() };
    else if (theirs.added === undefined) yield patch;
    else if (patch.added === undefined) yield { ...patch, added: theirs.added };
    else yield { ...patch, added: patch.added.intersect(theirs.added) };
  }
}

export interface ReadChangesOptions {
  /** Where git runs, for the blobs the patch does not show. */
  cwd: string;
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
 * symlinks, unmerged paths, binaries and oversized files are skipped and counted. A file whose
 * patch does not show its content is read with `git cat-file`, started only if one needs it.
 */
export async function* readChanges(patches: AsyncIterable<FilePatch>, options: ReadChangesOptions): AsyncGenerator<RawFragment> {
  const { stats } = options;
  let catFile: CatFile | undefined;
  try {
    for await (const { file, added, content } of patches) {
      if (file.status === 'D') continue;
      if (file.status === 'U') stats.skip(file.path, 'unmerged (resolve the conflict and stage the file)');
      else if (file.mode === '160000') stats.skip(file.path, 'submodule');
      else if (file.mode === '120000') stats.skip(file.path, 'symlink');
      else if (!options.allLines && added !== undefined && added.size === 0) stats.filesScanned++; // adds no line: nothing to report
      else {
        let bytes = content;
        if (bytes === undefined) {
          const blob = await readBlob((catFile ??= new CatFile(options.cwd)), file, options.maxFileSize);
          if (blob.kind !== 'text') {
            stats.skip(file.path, blob.kind === 'too-large' ? `larger than ${options.maxFileSize} bytes` : 'binary');
            continue;
          }
          bytes = blob.content;
        } else if (bytes.length > options.maxFileSize) {
          stats.skip(file.path, `larger than ${options.maxFileSize} bytes`);
          continue;
        } else if (looksBinary(bytes)) {
          stats.skip(file.path, 'binary');
          continue;
        }
        stats.filesScanned++;
        stats.bytesScanned += bytes.length;
        yield { bytes, path: file.path, startLine: 1, origin: options.origin, blob: file.blob, addedLines: options.allLines ? undefined : added };
      }
    }
  } finally {
    await catFile?.close();
  }
}

async function readBlob(catFile: CatFile, file: ChangedFile, maxSize: number): Promise<BlobContent> {
  for await (const [, blob] of catFile.read([{ blob: file.blob, path: file.path }], maxSize)) return blob;
  throw new GitError(`cannot read ${file.path}: git cat-file gave no answer`);
}

/**
 * What the commits from the merge base of `base` and HEAD up to HEAD add: the pull-request view
 * (`git diff base...HEAD`). Lines that already existed on the base are not part of it.
 */
export async function branchChange(cwd: string, base: string, pathspecs: readonly string[], maxFileSize: number): Promise<Change> {
  const [diff, info] = await alongside(openDiff(cwd, [`${base}...HEAD`], pathspecs, { maxFileSize, content: true }), runGit(['rev-parse', '--show-toplevel'], { cwd }));
  return { top: info.stdout.toString('utf8').trim(), files: diff.files, patches: diff.patches(), close: () => diff.close() };
}
