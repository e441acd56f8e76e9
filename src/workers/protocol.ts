/** Messages between the main thread and detection workers (plain data: structured clone). */
import type { Finding } from '../findings/finding.js';
import type { Fragment, RawFragment } from '../sources/fragment.js';
import type { SkippedFile } from '../sources/stats.js';

export interface WorkerInit {
  root: string;
  cwd: string;
  configFile?: string;
}

/** Read these files and detect (directory scans), or detect in these fragments (history). */
export type WorkerJob =
  | { id: number; kind: 'files'; root: string; files: string[]; maxFileSize: number; usePrefilter: boolean }
  | { id: number; kind: 'fragments'; fragments: (Fragment | RawFragment)[]; usePrefilter: boolean };

export type WorkerResult =
  | { id: number; findings: Finding[]; filesScanned: number; bytesScanned: number; skipped: SkippedFile[]; error?: undefined }
  | { id: number; error: string };
