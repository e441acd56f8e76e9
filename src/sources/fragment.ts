/**
 * A piece of text to scan, with where it came from. Sources (this folder) are the only layer that
 * reads files or talks to git; each yields Fragments, so swapping the source (directory, staged,
 * history, diff) changes nothing downstream.
 */
export type Origin = 'directory' | 'staged' | 'history' | 'diff' | 'stdin';

export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  /** ISO 8601 */
  date: string;
  subject: string;
}

export interface Fragment {
  /** Decoded text (UTF-8, invalid bytes replaced). */
  text: string;
  /** Path relative to the scan root, `/` separators. */
  path: string;
  /** Line number of the first line of `text` (1-based). */
  startLine: number;
  origin: Origin;
  commit?: CommitInfo;
  /** Git blob id when the text came from git. */
  blob?: string;
  /**
   * Lines (1-based, as reported) that the change adds. When present, only findings that start
   * on one of these lines are kept (pre-commit and PR scans report what the change introduces).
   */
  addedLines?: ReadonlySet<number>;
}

/**
 * A fragment still in bytes (UTF-8). The detector runs the keyword prefilter on the bytes and
 * decodes only when a rule may match, and bytes move to a worker thread without being copied.
 */
export interface RawFragment extends Omit<Fragment, 'text'> {
  bytes: Uint8Array;
}
