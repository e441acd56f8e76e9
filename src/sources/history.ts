/**
 * The history source: every blob that commits in a range introduced, each scanned once.
 *
 * One `git log --reverse --raw -z` lists (commit, path, blob) oldest first, so the first time a
 * blob id shows up is the commit that introduced it. Unique blobs stream through the one
 * `git cat-file --batch` process into the detector; memory holds blob ids (the dedupe set) and the
 * few entries in flight, never contents. Merges show their combined diff (`-c`): a blob that only a
 * merge introduces (a conflict resolution) is scanned too, blobs merged in from a branch are not
 * scanned twice.
 */
import type { CatFile } from './cat-file.js';
import type { CleanBlobs } from './clean-files.js';
import { decodeUtf8 } from '../detector/utf8.js';
import type { CommitInfo, Fragment, RawFragment } from './fragment.js';
import { GitError, runGit, splitNul, streamGit } from './git.js';
import type { ScanStats } from './stats.js';

export interface HistoryRequest {
  cwd: string;
  /** Global git options, e.g. `--git-dir=…` for a bare repository. */
  gitArgs: readonly string[];
  /** A revision range (`main..feature`); none means every ref (`--all`). */
  range?: string;
  /** `--since` date, passed to git as is. */
  since?: string;
}

export interface HistoryCounts {
  commits: number;
  /** Unique blobs seen (scanned or skipped). */
  blobs: number;
}

interface HistoryBlob {
  blob: string;
  path: string;
  commit: CommitInfo;
}

const FORMAT = '--format=%x01%H%x00%an%x00%ae%x00%aI%x00%s';

/** Where the repository is: its work-tree top, or none for a bare repository. */
export async function historyRepo(cwd: string, gitArgs: readonly string[]): Promise<{ top?: string }> {
  const { stdout } = await runGit([...gitArgs, 'rev-parse', '--is-inside-work-tree'], { cwd });
  if (stdout.toString('utf8').trim() !== 'true' || gitArgs.length > 0) return {};
  const top = await runGit(['rev-parse', '--show-toplevel'], { cwd });
  return { top: top.stdout.toString('utf8').trim() };
}

/**
 * (commit, path, blob) for each blob the range introduces, oldest commit first, each blob once;
 * not those `clean` has (counted in `stats.filesFromCache`).
 */
async function* introducedBlobs(request: HistoryRequest, counts: HistoryCounts, stats: ScanStats, onCommit?: () => void, clean?: CleanBlobs): AsyncGenerator<HistoryBlob> {
  const revisions = request.range === undefined ? ['--all'] : [request.range];
  const since = request.since === undefined ? [] : [`--since=${request.since}`];
  const args = [
    ...request.gitArgs,
    'log',
    '--reverse',
    '--date-order', // parents before children, so "first seen" is "introduced"
    '--raw',
    '-z',
    '-c',
    '--root',
    '--no-renames',
    '--no-abbrev',
    '--no-color',
    '--no-show-signature',
    FORMAT,
    ...since,
    ...revisions,
    '--',
  ];
  const seen = new Set<string>();
  let rest: Buffer = Buffer.alloc(0);
  let header: string[] | undefined;
  let commit: CommitInfo | undefined;
  let pathsLeft = 0;
  let entry: { mode: string; blob: string } | undefined;
  for await (const chunk of streamGit(args, { cwd: request.cwd })) {
    const buffer = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(0, start); end !== -1; start = end + 1, end = buffer.indexOf(0, start)) {
      const token = buffer.toString('utf8', start, end);
      if (header !== undefined) {
        header.push(token);
        if (header.length === 5) {
          const [sha, author, email, date, subject] = header;
          commit = { sha, author, email, date, subject };
          header = undefined;
          counts.commits++;
          onCommit?.();
        }
        continue;
      }
      if (pathsLeft > 0) {
        // A rename or copy names two paths; the blob belongs to the last one.
        if (--pathsLeft > 0) continue;
        const { mode, blob } = entry!;
        if (mode === '000000' || seen.has(blob)) continue;
        seen.add(blob);
        counts.blobs++;
        if (mode === '160000') stats.skip(token, 'submodule');
        else if (mode === '120000') stats.skip(token, 'symlink');
        else if (clean?.has(token, blob)) stats.filesFromCache = (stats.filesFromCache ?? 0) + 1;
        else yield { blob, path: token, commit: commit! };
        continue;
      }
      const text = token.startsWith('\n') ? token.slice(1) : token;
      if (text === '') continue;
      if (text.startsWith('\x01')) {
        header = [text.slice(1)];
      } else if (text.startsWith(':') && commit !== undefined) {
        // ":<modes…> <blobs…> <status>", with one colon per parent (several for a merge's combined diff).
        const parents = text.length - text.replace(/^:+/, '').length;
        const fields = text.slice(parents).split(' ');
        const status = fields[fields.length - 1];
        entry = { mode: fields[parents], blob: fields[2 * parents + 1] };
        pathsLeft = /^[RC]/.test(status) ? 2 : 1;
      } else {
        throw new GitError(`unexpected output from git log: ${JSON.stringify(text.slice(0, 40))}`);
      }
    }
    rest = buffer.subarray(start);
  }
}

export interface ReadHistoryOptions {
  maxFileSize: number;
  stats: ScanStats;
  counts: HistoryCounts;
  /** Called after each commit is listed (for a progress line). */
  onCommit?: () => void;
  /** `history --cache`: the (path, blob) pairs an earlier scan found nothing in, not read again. */
  clean?: CleanBlobs;
  /**
   * Called for each blob read: handed on for detection, or skipped as binary or over the size
   * limit (nothing can be found in it with these settings, so `--cache` need not read it again).
   */
  onRead?: (path: string, blob: string) => void;
}

/** Fragments for every blob the range introduced, with the commit that introduced it. */
export async function* readHistory(catFile: CatFile, request: HistoryRequest, options: ReadHistoryOptions): AsyncGenerator<RawFragment> {
  const { stats } = options;
  const blobs = introducedBlobs(request, options.counts, stats, options.onCommit, options.clean);
  for await (const [{ blob, path, commit }, content] of catFile.read(blobs, options.maxFileSize)) {
    const where = `${path} (${commit.sha.slice(0, 8)})`;
    options.onRead?.(path, blob);
    if (content.kind === 'too-large') {
      stats.skip(where, `larger than ${options.maxFileSize} bytes`);
      continue;
    }
    if (content.kind === 'binary') {
      stats.skip(where, 'binary');
      continue;
    }
    stats.filesScanned++;
    stats.bytesScanned += content.content.length;
    // Bytes: decoded (if at all) by the detector, on a worker thread for large histories.
    yield { bytes: content.content, path, startLine: 1, origin: 'history', commit, blob };
  }
}

/**
 * The blob at each of `paths` in HEAD's tree (paths absent at HEAD are missing from the map; no
 * HEAD at all gives an empty map).
 */
export async function headBlobs(cwd: string, gitArgs: readonly string[], paths: readonly string[]): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  if (paths.length === 0) return blobs;
  const head = await runGit([...gitArgs, 'rev-parse', '--verify', '-q', 'HEAD^{tree}'], { cwd, okCodes: [1] });
  if (head.code !== 0) return blobs;
  // Past a few thousand paths the command line could outgrow the OS limit: list the whole tree.
  const pathspecs = paths.length > 1000 ? [] : ['--', ...paths];
  const { stdout } = await runGit([...gitArgs, '--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', 'HEAD', ...pathspecs], { cwd });
  for (const line of splitNul(stdout)) {
    // "<mode> <type> <blob>\t<path>"
    const tab = line.indexOf('\t');
    const [, type, blob] = line.slice(0, tab).split(' ');
    if (type === 'blob') blobs.set(line.slice(tab + 1), blob);
  }
  return blobs;
}

/** Fragments for given (path, blob) pairs; binaries and oversized blobs are left out. */
export async function* readBlobs(catFile: CatFile, requests: readonly { path: string; blob: string }[], maxFileSize: number): AsyncGenerator<Fragment> {
  for await (const [{ path, blob }, content] of catFile.read(requests, maxFileSize)) {
    if (content.kind === 'text') yield { text: decodeUtf8(content.content), path, startLine: 1, origin: 'history', blob };
  }
}

/**
 * For each commit, whether a remote-tracking ref (`refs/remotes/*`) contains it: a pushed leak is
 * public to everyone who can fetch, a local one can still be rewritten before anyone sees it.
 * Undefined when the repository has no remote-tracking refs at all (nothing to tell).
 */
export async function pushedCommits(cwd: string, gitArgs: readonly string[], shas: readonly string[]): Promise<Map<string, boolean> | undefined> {
  const any = await runGit([...gitArgs, 'for-each-ref', '--count=1', '--format=%(refname)', 'refs/remotes/'], { cwd });
  if (any.stdout.toString('utf8').trim() === '') return undefined;
  const pushed = new Map<string, boolean>();
  await Promise.all(
    [...new Set(shas)].map(async (sha) => {
      const { stdout } = await runGit([...gitArgs, 'for-each-ref', '--count=1', `--contains=${sha}`, '--format=%(refname)', 'refs/remotes/'], { cwd });
      pushed.set(sha, stdout.toString('utf8').trim() !== '');
    }),
  );
  return pushed;
}
