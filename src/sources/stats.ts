/** Counts of what a scan read and what it skipped (and why): no file is passed over silently. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export class ScanStats {
  filesScanned = 0;
  bytesScanned = 0;
  /** With `scan --cache`: files not read because an earlier scan found nothing in them, unchanged since. */
  filesFromCache: number | undefined;
  readonly skipped: SkippedFile[] = [];
  skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
  }
}
