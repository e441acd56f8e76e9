/**
 * `scan --cache` and `history --cache`: the files a scan found nothing in, remembered by path and
 * git blob id, so the next scan with the same rules skips reading and detecting them.
 *
 * - `scan`: only tracked files whose work-tree content is the index's have a blob id (git says
 *   which: see `listWorkTreeFiles`); every other file is read every time.
 * - Binary files and files over the size limit count as clean: nothing can be found in them with
 *   these settings either (a rerun counts them as from the cache, not as skipped).
 * - `history`: every blob is content-addressed, so a (path, blob) pair once found clean stays
 *   clean: the entry only grows (up to `MAX_ENTRIES`), and a rerun reads only new blobs.
 * - A file that had any finding, even one a filter dropped, is never remembered.
 * - One entry per repository or scan root and rule set, in the start-up cache's folder (see
 *   startup-cache.ts): named by a hash of the build, the root, the config, the extra rule
 *   folders' rules and the size limit, so a change to any of them starts from nothing. Plugins are
 *   code that can change without the config changing: with plugins, nothing is cached.
 * - An entry holds paths and blob ids, never a secret or a finding.
 * - Best effort, like the rest of that cache: an entry that cannot be read or written costs a
 *   full scan, never a result.
 */
import type { CompiledSettings } from '../config/load.js';
import { startupCache, type StartupCache } from '../config/startup-cache.js';

/** An entry never grows past this many files or pairs: it starts over. */
const MAX_ENTRIES = 500_000;

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
    readEntry(cache, 'scan', identity, (path, blob) => known.set(path, blob));
    return new CleanFiles(cache, identity, known);
  }

  has(path: string, blob: string): boolean {
    return this.known.get(path) === blob;
  }

  /**
   * Remembers `clean` (path to blob id) as what is known of `listed`, which replaces what the
   * entry held for those paths. The other paths' files stay only when the scan did not cover its
   * whole root (`wholeRoot`: then they are gone).
   */
  save(listed: readonly string[], clean: ReadonlyMap<string, string>, wholeRoot: boolean): void {
    // A scan that changed nothing (the usual rerun) does not write the entry again.
    if (listed.every((path) => this.known.get(path) === clean.get(path)) && (!wholeRoot || this.known.size === clean.size)) return;
    const entries = wholeRoot ? new Map<string, string>() : new Map(this.known);
    for (const path of listed) entries.delete(path);
    if (entries.size + clean.size > MAX_ENTRIES) entries.clear();
    for (const [path, blob] of clean) entries.set(path, blob);
    let text = '';
    for (const [path, blob] of entries) text += `${blob} ${path}\0`;
    this.cache.keepBytes('scan', this.identity, Buffer.from(text, 'utf8'));
  }
}

/** The history's clean (path, blob) pairs: a path has had many blobs, and each stays clean for good. */
export class CleanBlobs {
  private readonly added: string[] = [];

  private constructor(
    private readonly cache: StartupCache,
    private readonly identity: string,
    /** `${blob} ${path}` of each clean pair. */
    private readonly known: Set<string>,
  ) {}

  static open(cache: StartupCache, identity: string): CleanBlobs {
    const known = new Set<string>();
    readEntry(cache, 'history', identity, (path, blob) => known.add(`${blob} ${path}`));
    return new CleanBlobs(cache, identity, known);
  }

  has(path: string, blob: string): boolean {
    return this.known.has(`${blob} ${path}`);
  }

  /** Remembers more clean pairs (written by `save`). */
  add(path: string, blob: string): void {
    const key = `${blob} ${path}`;
    if (!this.known.has(key)) {
      this.known.add(key);
      this.added.push(key);
    }
  }

  save(): void {
    if (this.added.length === 0) return;
    const keys = this.known.size > MAX_ENTRIES ? this.added : this.known;
    let text = '';
    for (const key of keys) text += `${key}\0`;
    this.cache.keepBytes('history', this.identity, Buffer.from(text, 'utf8'));
    this.added.length = 0;
  }
}

/** Calls `each(path, blob)` for every pair of an entry ("<blob> <path>", each ended by a NUL). */
function readEntry(cache: StartupCache, kind: 'scan' | 'history', identity: string, each: (path: string, blob: string) => void): void {
  const bytes = cache.readBytes(kind, identity);
  if (!bytes) return;
  const text = bytes.toString('utf8');
  for (let at = 0, end = text.indexOf('\0'); end !== -1; at = end + 1, end = text.indexOf('\0', at)) {
    const space = text.indexOf(' ', at);
    if (space !== -1 && space < end) each(text.slice(space + 1, end), text.slice(at, space));
  }
}

/**
 * The clean files of earlier scans of `root` with these settings, or why there are none to use
 * (a note for the report).
 */
export function openCleanFiles(root: string, settings: CompiledSettings, maxFileSize: number, cache = startupCache()): { clean: CleanFiles } | { note: string } {
  const identity = cacheIdentity(root, settings, maxFileSize, cache);
  return typeof identity === 'string' ? { clean: CleanFiles.open(cache!, identity) } : identity;
}

/** The same for a history: `repository` is its work-tree top or git folder. */
export function openCleanBlobs(repository: string, settings: CompiledSettings, maxFileSize: number, cache = startupCache()): { clean: CleanBlobs } | { note: string } {
  const identity = cacheIdentity(repository, settings, maxFileSize, cache);
  return typeof identity === 'string' ? { clean: CleanBlobs.open(cache!, identity) } : identity;
}

/** What an entry stands for (everything that decides what a file's detection finds), or why there is no entry to use. */
function cacheIdentity(root: string, settings: CompiledSettings, maxFileSize: number, cache: StartupCache | undefined): string | { note: string } {
  const { config, userRuleDefs } = settings.source;
  if (config.config.plugins?.length) return { note: '--cache is off with plugins: their code can change what they find without the config changing.' };
  if (cache === undefined) return { note: '--cache found no cache folder (LEAKPROOF_CACHE turns it off; LEAKPROOF_CACHE_DIR names one): everything was scanned.' };
  return JSON.stringify({ root, config: config.config, userRuleDefs, maxFileSize });
}
