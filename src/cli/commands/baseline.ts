/**
 * `leakproof baseline [paths...]`: accept the current findings. Writes `.leakproof-baseline.json`
 * (or `--baseline FILE`): sorted {rule, path, hash} entries, HMAC-hashed secrets, no line numbers,
 * no timestamps. The salt of an existing file is kept so rewriting it changes only what changed.
 */
import { join } from 'node:path';
import { BASELINE_NAME, displayPath, newSalt, readBaseline, writeBaseline } from '../../config/baseline-file.js';
import { entryOf } from '../../filters/baseline.js';
import { scan } from '../../scan.js';
import { parseMaxFileSize } from '../output.js';

export interface BaselineOptions {
  config?: string;
  baseline?: string;
  maxFileSize?: string;
}

export async function runBaseline(paths: string[], options: BaselineOptions): Promise<number> {
  const maxFileSize = parseMaxFileSize(options.maxFileSize);
  // Scan without any baseline: the new file lists everything that is there now.
  const result = await scan({ paths, configFile: options.config, maxFileSize, baseline: false });
  const file = options.baseline ?? join(result.root, BASELINE_NAME);
  const salt = readBaseline(file, false)?.salt ?? newSalt();
  const entries = result.findings.map((f) => entryOf(salt, f));
  writeBaseline(file, { salt, entries });
  const count = new Set(entries.map((e) => `${e.rule}\0${e.path}\0${e.hash}`)).size;
  process.stderr.write(`leakproof: wrote ${count} ${count === 1 ? 'entry' : 'entries'} to ${displayPath(file, process.cwd())}; scans now report only new findings\n`);
  return 0;
}
