/**
 * The staged source: what `git commit` is about to record, read from the index (never the work
 * tree), so partial staging is judged by what is staged. Works before the first commit (git diffs
 * against the empty tree) and while a merge is being concluded. Honours GIT_INDEX_FILE, which
 * git sets for hooks during `git commit <paths>`, by passing the environment through.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Project } from '../plugins/api.js';
import { changedFiles, intersectAdded, presentFiles, type ChangedFile } from './diff.js';
import { ignoredPaths, runGit } from './git.js';

export interface StagedChange {
  /** The work tree's top folder; paths are relative to it. */
  top: string;
  files: ChangedFile[];
  /** Commits being merged in (MERGE_HEAD), if a merge is in progress. */
  mergeHeads: string[];
}

export async function stagedChange(cwd: string, maxFileSize: number): Promise<StagedChange> {
  // Independent questions, asked in parallel: the pre-commit hook is the hot path. The diff,
  // which reads the whole index, is the slower one and starts first.
  const [files, info] = await Promise.all([
    changedFiles(cwd, ['--cached'], [], maxFileSize),
    runGit(['rev-parse', '--show-toplevel', '--git-path', 'MERGE_HEAD'], { cwd }),
  ]);
  const [top, mergeHeadFile] = info.stdout.toString('utf8').trim().split('\n');
  const mergeHeads = readMergeHeads(resolve(cwd, mergeHeadFile));
  let result = files;
  for (const parent of mergeHeads) result = intersectAdded(result, await changedFiles(cwd, ['--cached', parent], [], maxFileSize));
  return { top, files: result, mergeHeads };
}

function readMergeHeads(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line));
  } catch {
    return []; // no merge in progress
  }
}

/** Project checks see the staged files as the tracked set: staging a `.env` is what they catch. */
export function changeProject(top: string, files: readonly ChangedFile[]): Project {
  const paths = presentFiles(files)
    .map((f) => f.path)
    .sort();
  return { root: top, isGit: true, files: paths, tracked: new Set(paths), ignored: (list) => ignoredPaths(top, list) };
}
