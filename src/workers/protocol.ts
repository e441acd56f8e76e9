/** Messages between the main thread and detection workers (plain data: structured clone). */
import type { Finding } from '../findings/finding.js';
import type { SkippedFile } from '../sources/stats.js';

export interface WorkerInit {
  root: string;
  cwd: string;
  configFile?: string;
}

export interface WorkerJob {
  id: number;
  root: string;
  files: string[];
  maxFileSize: number;
  usePrefilter: boolean;
}

export type WorkerResult =
  | { id: number; findings: Finding[]; filesScanned: number; bytesScanned: number; skipped: SkippedFile[]; error?: undefined }
  | { id: number; error: string };
