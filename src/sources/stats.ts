/** Counts of what a scan read and what it skipped (and why): no file is passed over silently. */
export interface SkippedFile {
  path: string;
  reason: string;
  /**
   * The file's content decided it (binary, over the size limit): the same content is skipped
   * again, so `scan --cache` may remember the file as one with nothing to find.
   */
  byContent?: true;
}

export class ScanStats {
  filesScanned = 0;
  bytesScanned = 0;
  /** With `--cache` (scan, history): files not read because an earlier scan found nothing in them, unchanged since. */
  filesFromCache: number | undefined;
  readonly skipped: SkippedFile[] = [];
  skip(path: string, reason: string, byContent = false): void {
    this.skipped.push(byContent ? { path, reason, byContent } : { path, reason });
  }
}
