/**
 * Working-tree source: the files a scan covers, read into fragments. Inside a git work tree it
 * scans what git would see (tracked + untracked-not-ignored, asked of git); outside git, every
 * file under the paths (fast-glob) minus node_modules/ and .git/. Every skip is counted.
 */
import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Project } from '../plugins/api.js';
import type { RawFragment } from './fragment.js';
import { ignoredPaths, listWorkTreeFiles, workTreeRoot } from './git.js';
import type { ScanStats } from './stats.js';
import { lazyFastGlob } from '../lazy.js';

export class PathError extends Error {}

export interface FileSet {
  /** The folder paths are reported relative to. */
  root: string;
  /** Relative paths (with `/`), sorted. */
  files: string[];
  project: Project;
  /** With `blobs` asked for: the blob id of each file whose content is git's (see `listWorkTreeFiles`). */
  blobs?: Map<string, string>;
}

const toPosix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

/**
 * Resolves the scan root: the one folder given, or the current folder when several paths (or a
 * file) are given.
 */
export function scanRoot(paths: readonly string[], cwd: string): string {
  if (paths.length === 1) {
    const abs = resolve(cwd, paths[0]);
    try {
      if (statSync(abs).isDirectory()) return abs;
    } catch {
      // reported by listFiles
    }
  }
  return cwd;
}

/** The files to scan under `paths`; `options.blobs`: with the blob ids of those git has unchanged (for `scan --cache`). */
export async function listFiles(paths: readonly string[], root: string, cwd: string, options: { blobs?: boolean } = {}): Promise<FileSet> {
  const targets = (paths.length === 0 ? ['.'] : paths).map((p) => (isAbsolute(p) ? p : resolve(cwd, p)));
  const files = new Set<string>();
  const tracked = new Set<string>();
  const blobs = options.blobs ? new Map<string, string>() : undefined;
  let gitTop: string | undefined;
  for (const target of targets) {
    let stat;
    try {
      stat = statSync(target);
    } catch {
      throw new PathError(`path does not exist: ${relative(cwd, target) || target}`);
    }
    if (!stat.isDirectory()) {
      files.add(toPosix(relative(root, target)));
      continue;
    }
    const top = await workTreeRoot(target);
    if (top !== undefined) {
      gitTop ??= top;
      const listed = await listWorkTreeFiles(target, { blobs: blobs !== undefined });
      const prefix = toPosix(relative(root, target));
      const rel = (p: string): string => (prefix ? `${prefix}/${p}` : p);
      for (const p of listed.tracked) {
        files.add(rel(p));
        tracked.add(rel(p));
      }
      for (const p of listed.untracked) files.add(rel(p));
      for (const [p, blob] of listed.blobs ?? []) blobs?.set(rel(p), blob);
    } else {
      const fg = lazyFastGlob();
      const found = await fg('**/*', {
        cwd: target,
        dot: true,
        // Not onlyFiles: that would drop symlinks silently; readFiles skips and counts them.
        onlyFiles: false,
        markDirectories: true,
        followSymbolicLinks: false,
        ignore: ['**/node_modules/**', '**/.git/**', '**/node_modules', '**/.git'],
      });
      const prefix = toPosix(relative(root, target));
      for (const p of found) if (!p.endsWith('/')) files.add(prefix ? `${prefix}/${p}` : p);
    }
  }
  const sorted = [...files].sort();
  const isGit = gitTop !== undefined;
  return {
    root,
    files: sorted,
    blobs,
    project: {
      root,
      isGit,
      files: sorted,
      tracked,
      ignored: (list) => (isGit ? ignoredPaths(root, list) : Promise.resolve(new Set())),
    },
  };
}

/** Git's own test: a NUL byte in the first 8000 bytes means binary. */
export function looksBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, 8000).includes(0);
}

const PEEK_ABOVE = 1024 * 1024;

/** Open flags: a symlink fails (ELOOP) instead of being followed, and a FIFO does not block the open. */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

/**
 * Reads each file into a fragment (as bytes: the detector decodes what it needs), skipping (and
 * counting) binaries, oversized and unreadable files. Synchronous on purpose: files come from the
 * page cache, and a promise per file costs more than the read. Three system calls for most files
 * (open, read, close): on a 17k-file tree each one saved is ~70 ms.
 *
 * A fragment's bytes are this thread's read buffer, reused for the next file: consume each
 * fragment before taking the next (as the detector does), or copy the bytes.
 */
export function* readFiles(root: string, files: readonly string[], maxFileSize: number, stats: ScanStats): Generator<RawFragment> {
  // Listed paths are normal relative paths (git's, fast-glob's): on POSIX, joining them to the
  // root needs no normalizing (path.join per file was ~3% of a scan). A file named outside the
  // root (`../x`) still goes through join, which resolves `..` as the user meant it.
  const prefix = sep === '/' ? (root.endsWith('/') ? root : `${root}/`) : undefined;
  for (const path of files) {
    const abs = prefix === undefined || path.startsWith('../') ? join(root, path) : prefix + path;
    const buffer = readFile(abs, path, maxFileSize, stats);
    if (buffer === undefined) continue;
    if (looksBinary(buffer)) {
      stats.skip(path, 'binary', true);
      continue;
    }
    stats.filesScanned++;
    stats.bytesScanned += buffer.length;
    yield { bytes: buffer, path, startLine: 1, origin: 'directory' };
  }
}

/**
 * The buffer files are read into, made on the first read (commands that read no file, such as
 * `staged`, never make it) and grown to the largest file read: no allocation (and no garbage) per
 * file. One per thread, as modules are.
 */
let readBuffer: Buffer | undefined;

/**
 * A regular file's bytes (a view of `readBuffer`), or undefined when it is skipped (counted in
 * `stats`) or gone.
 */
function readFile(abs: string, path: string, maxFileSize: number, stats: ScanStats): Buffer | undefined {
  // Without O_NOFOLLOW (Windows), ask first: a symlink is never followed.
  if (fsConstants.O_NOFOLLOW === undefined && isSymlink(abs)) {
    stats.skip(path, 'symlink');
    return undefined;
  }
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Tracked but deleted in the work tree: nothing on disk to scan.
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' && isSymlink(abs)) stats.skip(path, 'symlink');
    else stats.skip(path, `unreadable (${code ?? 'error'})`);
    return undefined;
  }
  try {
    // One read gets a file of up to PEEK_ABOVE bytes whole: a regular file reads short only at its
    // end, so no fstat is needed for its size. It asks for one byte more than the size limit at
    // most, which is enough to tell that a file is over it.
    readBuffer ??= Buffer.allocUnsafe(PEEK_ABOVE);
    let length = readSync(fd, readBuffer, 0, Math.min(PEEK_ABOVE, maxFileSize + 1), 0);
    if (length === 0) {
      // Empty, or not a file at all: ask.
      const st = fstatSync(fd);
      if (st.isFile()) return readBuffer.subarray(0, 0);
      stats.skip(path, 'not a regular file');
      return undefined;
    }
    if (length === PEEK_ABOVE && length <= maxFileSize) {
      // A large file: its size, then whether its first bytes are binary, before it is read whole.
      const { size } = fstatSync(fd);
      if (size > maxFileSize) {
        stats.skip(path, `larger than ${maxFileSize} bytes`, true);
        return undefined;
      }
      if (looksBinary(readBuffer.subarray(0, length))) {
        stats.skip(path, 'binary', true);
        return undefined;
      }
      if (size > readBuffer.length) {
        const grown = Buffer.allocUnsafe(size);
        readBuffer.copy(grown, 0, 0, length);
        readBuffer = grown;
      }
      // The size can change under us: read until the end, up to the size seen.
      while (length < size) {
        const n = readSync(fd, readBuffer, length, size - length, length);
        if (n === 0) break;
        length += n;
      }
    }
    if (length > maxFileSize) {
      stats.skip(path, `larger than ${maxFileSize} bytes`, true);
      return undefined;
    }
    return readBuffer.subarray(0, length);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') stats.skip(path, 'submodule or folder');
    // A FIFO or socket: reading at an offset fails (ESPIPE), or there is nothing yet (EAGAIN).
    else if (code === 'ESPIPE' || code === 'EAGAIN') stats.skip(path, 'not a regular file');
    else stats.skip(path, `unreadable (${code ?? 'error'})`);
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function isSymlink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}
