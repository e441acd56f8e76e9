/**
 * The staged source: what `git commit` is about to record, read from the index (never the work
 * tree), so partial staging is judged by what is staged. Works before the first commit (git diffs
 * against the empty tree) and while a merge is being concluded. Honours GIT_INDEX_FILE, which
 * git sets for hooks during `git commit <paths>`, by passing the environment through.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Project } from '../plugins/api.js';
import { alongside, changedFiles, intersectAdded, openDiff, presentFiles, type Change, type ChangedFile, type FilePatch } from './diff.js';
import { ignoredPaths, runGit } from './git.js';

export interface StagedChange extends Change {
  /** Commits being merged in (MERGE_HEAD), if a merge is in progress. */
  mergeHeads: string[];
}

/** What `stagedChange` asks git besides the diff: the work tree's top, and where a merge in progress keeps its heads. */
export const STAGED_INFO_ARGS = ['rev-parse', '--show-toplevel', '--git-path', 'MERGE_HEAD'];

export async function stagedChange(cwd: string, maxFileSize: number): Promise<StagedChange> {
  // Independent questions, asked in parallel: the pre-commit hook is the hot path. The diff,
  // which reads the whole index, is the slower one and starts first.
  const [diff, info] = await alongside(openDiff(cwd, ['--cached'], [], { maxFileSize, content: true }), runGit(STAGED_INFO_ARGS, { cwd }));
  try {
    const [top, mergeHeadFile] = info.stdout.toString('utf8').trim().split('\n');
    const mergeHeads = readMergeHeads(resolve(cwd, mergeHeadFile));
    let patches: AsyncIterable<FilePatch> = diff.patches();
    for (const parent of mergeHeads) patches = intersectAdded(patches, await changedFiles(cwd, ['--cached', parent], [], maxFileSize));
    return { top, files: diff.files, mergeHeads, patches, close: () => diff.close() };
  } catch (error) {
    await diff.close();
    throw error;
  }
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
