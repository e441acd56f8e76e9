/** Messages between the main thread and detection workers (plain data: structured clone). */
import type { Finding } from '../findings/finding.js';
import type { Fragment, RawFragment } from '../sources/fragment.js';
import type { SkippedFile } from '../sources/stats.js';

export const QUEUE_OPEN = 0;
export const QUEUE_JOINED = 1;
export const QUEUE_CLOSED = 2;

export interface WorkerInit {
  root: string;
  cwd: string;
  configFile?: string;
}

/**
 * Read these files and detect; or take files from a queue shared by all threads (directory
 * scans); or detect in these fragments (history). The queue is an Int32Array over `queue`: [0] is
 * the index of the next file, advanced with Atomics.add, so no thread waits on another for work;
 * [1 + worker] is that worker's state, QUEUE_OPEN until it joins (QUEUE_JOINED) or the main thread,
 * done with the queue, closes it to a worker that has not joined yet (QUEUE_CLOSED): that worker
 * takes nothing, and the main thread need not wait for it to start.
 */
export type WorkerJob =
  | { id: number; kind: 'files'; root: string; files: string[]; maxFileSize: number; usePrefilter: boolean }
  | { id: number; kind: 'queue'; root: string; files: readonly string[]; queue: SharedArrayBuffer; worker: number; maxFileSize: number; usePrefilter: boolean }
  | { id: number; kind: 'fragments'; fragments: (Fragment | RawFragment)[]; usePrefilter: boolean };

export type WorkerResult =
  | { id: number; findings: Finding[]; filesScanned: number; bytesScanned: number; skipped: SkippedFile[]; error?: undefined }
  | { id: number; error: string };
