/**
 * `scan --cache`: the files a scan found nothing in, remembered by path and git blob id, so the
 * next scan with the same rules skips reading and detecting them. Only tracked files whose
 * work-tree content is the index's have a blob id (git says which: see `listWorkTreeBlobs`);
 * every other file is scanned every time, and so is every file that had a finding, even one a
 * filter dropped.
 *
 * - One entry per scan root and rule set, in the start-up cache's folder (see startup-cache.ts):
 *   named by a hash of the build, the root, the config, the extra rule folders' rules and the
 *   size limit, so a change to any of them starts from nothing. Plugins are code that can change
 *   without the config changing: with plugins, nothing is cached.
 * - An entry holds paths and blob ids, never a secret or a finding.
 * - Best effort, like the rest of that cache: an entry that cannot be read or written costs a
 *   full scan, never a result.
 */
import type { CompiledSettings } from '../config/load.js';
import { startupCache, type StartupCache } from '../config/startup-cache.js';

/** An entry never grows past this many files (a long-lived folder scanned in many parts): it starts over. */
const MAX_ENTRIES = 1_000_000;

export class CleanFiles {
  private constructor(
    private readonly cache: StartupCache,
    private readonly identity: string,
    /** Path to blob id, for each clean file. */
    private readonly known: Map<string, string>,
  ) {}

  /** The clean files remembered for `identity` (none yet: an empty set). */
  static open(cache: StartupCache, identity: string): CleanFiles {
    const known = new Map<string, string>();
    const bytes = cache.readBytes('scan', identity);
    // Entries "<blob> <path>", each ended by a NUL.
    if (bytes) {
      const text = bytes.toString('utf8');
      for (let at = 0, end = text.indexOf('\0'); end !== -1; at = end + 1, end = text.indexOf('\0', at)) {
        const space = text.indexOf(' ', at);
        if (space !== -1 && space < end) known.set(text.slice(space + 1, end), text.slice(at, space));
      }
    }
    return new CleanFiles(cache, identity, known);
  }

  has(path: string, blob: string): boolean {
    return this.known.get(path) === blob;
  }

  /**
   * Remembers `clean` (path to blob id) as what is known of `listed`: entries for paths this scan
   * did not list stay (another part of the folder), those it listed are replaced.
   */
  save(listed: readonly string[], clean: ReadonlyMap<string, string>): void {
    // A scan that changed nothing (the usual rerun) does not write the entry again.
    if (listed.every((path) => this.known.get(path) === clean.get(path))) return;
    const entries = new Map(this.known);
    for (const path of listed) entries.delete(path);
    if (entries.size + clean.size > MAX_ENTRIES) entries.clear();
    for (const [path, blob] of clean) entries.set(path, blob);
    let text = '';
    for (const [path, blob] of entries) text += `${blob} ${path}\0`;
    this.cache.keepBytes('scan', this.identity, Buffer.from(text, 'utf8'));
  }
}

/**
 * The clean files of earlier scans of `root` with these settings, or why there are none to use
 * (a note for the report).
 */
export function openCleanFiles(root: string, settings: CompiledSettings, maxFileSize: number, cache = startupCache()): { clean: CleanFiles } | { note: string } {
  const { config, userRuleDefs } = settings.source;
  if (config.config.plugins?.length) return { note: '--cache is off with plugins: their code can change what they find without the config changing.' };
  if (cache === undefined) return { note: '--cache found no cache folder (LEAKPROOF_CACHE turns it off; LEAKPROOF_CACHE_DIR names one): every file was scanned.' };
  const identity = JSON.stringify({ root, config: config.config, userRuleDefs, maxFileSize });
  return { clean: CleanFiles.open(cache, identity) };
}
