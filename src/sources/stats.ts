/** Counts of what a scan read and what it skipped (and why): no file is passed over silently. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export class ScanStats {
  filesScanned = 0;
  bytesScanned = 0;
  readonly skipped: SkippedFile[] = [];
  skip(path: string, reason: string): void {
    this.skipped.push({ path, reason });
  }
}
