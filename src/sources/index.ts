/**
 * Sources: the only layer that reads files or talks to git. Each yields Fragments; swapping the
 * source (directory, staged, history) changes nothing downstream.
 */
export type { Fragment, Origin, CommitInfo } from './fragment.js';
export { ScanStats, type SkippedFile } from './stats.js';
export { listFiles, readFiles, scanRoot, PathError, type FileSet } from './directory.js';
export { GitError } from './git.js';
