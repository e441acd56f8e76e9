/** Messages between the main thread and detection workers (plain data: structured clone), and the shared file queue. */
import type { LoadedConfig } from '../config/load.js';
import type { PatternRuleDef } from '../detector/pattern-rule.js';
import type { Finding } from '../findings/finding.js';
import type { Fragment, RawFragment } from '../sources/fragment.js';
import type { SkippedFile } from '../sources/stats.js';

export const QUEUE_OPEN = 0;
export const QUEUE_JOINED = 1;
export const QUEUE_CLOSED = 2;

/** The indexes a thread takes from the queue, until every one of `count` is taken. */
export function* queueIndexes(queue: Int32Array, count: number): Generator<number> {
  for (let i = Atomics.add(queue, 0, 1); i < count; i = Atomics.add(queue, 0, 1)) yield i;
}

/** What a worker compiles its rule set from: the main thread's `CompiledSettings.source`. */
export interface WorkerInit {
  cwd: string;
  config: LoadedConfig;
  userRuleDefs: readonly PatternRuleDef[];
}

/**
 * Take files from a queue shared by all threads, read them and detect (directory scans); or
 * detect in these fragments (history). The queue is an Int32Array over `queue`: [0] is
 * the index of the next file, advanced with Atomics.add, so no thread waits on another for work;
 * [1 + worker] is that worker's state, QUEUE_OPEN until it joins (QUEUE_JOINED) or the main thread,
 * done with the queue, closes it to a worker that has not joined yet (QUEUE_CLOSED): that worker
 * takes nothing, and the main thread need not wait for it to start.
 */
export type WorkerJob =
  | { id: number; kind: 'queue'; root: string; files: readonly string[]; queue: SharedArrayBuffer; worker: number; maxFileSize: number; usePrefilter: boolean }
  | { id: number; kind: 'fragments'; fragments: (Fragment | RawFragment)[]; usePrefilter: boolean };

export type WorkerResult =
  | { id: number; findings: Finding[]; filesScanned: number; bytesScanned: number; skipped: SkippedFile[]; error?: undefined }
  | { id: number; error: string };
