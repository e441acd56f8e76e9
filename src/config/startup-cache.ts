/**
 * What the CLI would otherwise parse, validate or build at every start, remembered: the config
 * file, rule folders' files and the baseline once they validate, and the keyword automaton of a
 * rule set the build did not precompute. A pre-commit hook with a config file spent ~16 ms of its
 * ~70 ms loading yaml and zod and parsing the same few lines again; with a rule folder, ~20 ms
 * more building the automaton. With entries here it does neither.
 *
 * - An entry is named by a SHA-256 of the build, the kind of entry and the text it stands for
 *   (a file's text, or the automaton's keyword list), and holds that hash again: an edited file is
 *   a new entry, and another build never reads entries of this one. Only what validated is kept,
 *   so an invalid file is reported on every run.
 * - Entries hold what the files hold (settings, rule definitions, a baseline's hashes) or what is
 *   built from them, and for `scan --cache` and `history --cache` which files a scan found
 *   nothing in (paths and blob ids, see src/sources/clean-files.ts): never a secret, and nothing
 *   a scan found.
 * - The folder: $LEAKPROOF_CACHE_DIR, else $XDG_CACHE_HOME/leakproof, else ~/.cache/leakproof
 *   (%LOCALAPPDATA%\leakproof\cache on Windows). LEAKPROOF_CACHE=0 (or false, off, no) turns it
 *   off. It stays under 256 entries and 64 MB (see `CacheLimits`).
 * - Reading and writing are best effort: a missing, read-only or damaged cache costs the parse,
 *   never a result. Writes go through a temporary file and a rename, so concurrent hooks never
 *   read half an entry.
 * - Only the bundled CLI has a build id (see build-cli.ts); dist/ used as a library, and the
 *   tests run from src/, parse every time unless they make a cache of their own.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { sha256Hex } from '../findings/sha256.js';
import { onFirstUse } from '../lazy.js';

/** Set by the bundler (see build-cli.ts): a hash of the sources and the lockfile. */
declare const LEAKPROOF_BUILD_ID: string | undefined;

export type CachedKind = 'config' | 'rules' | 'baseline' | 'prefilter' | 'scan' | 'history';

/**
 * How large the folder may grow. Configs and rules change rarely, but every edit and every build
 * adds entries, and an automaton is 0.5–5 MB. When a write leaves more entries or bytes than
 * this, the least recently written go until half of each is left.
 */
export interface CacheLimits {
  entries: number;
  bytes: number;
}
const DEFAULT_LIMITS: CacheLimits = { entries: 256, bytes: 64 * 1024 * 1024 };

const ENTRY_NAME = /^(config|rules|baseline|prefilter|scan|history)-[0-9a-f]{64}\.(json|bin)$/;

export class StartupCache {
  constructor(
    /** Where entries live (created on the first write). */
    readonly dir: string,
    /** What produced the entries: another build's entries are never read. */
    private readonly buildId: string,
    private readonly limits: CacheLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * `parse()`'s value for `text`: from the entry for it, else parsed (and remembered if `parse`
   * returns; what it throws is thrown, and nothing is kept). The value must survive JSON.
   */
  remember<T>(kind: CachedKind, text: string, parse: () => T): T {
    const { key, file } = this.entry(kind, text, 'json');
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; value?: unknown };
      if (entry.key === key && entry.value !== undefined) return entry.value as T;
    } catch {
      // no entry (or a damaged one): parse, and write it anew
    }
    const value = parse();
    this.write(file, JSON.stringify({ key, value }));
    return value;
  }

  /** The bytes kept for `text` (see `keepBytes`), if any. */
  readBytes(kind: CachedKind, text: string): Buffer | undefined {
    const { key, file } = this.entry(kind, text, 'bin');
    try {
      const bytes = readFileSync(file);
      // The key, a newline, then the bytes.
      return bytes.toString('latin1', 0, key.length + 1) === `${key}\n` ? bytes.subarray(key.length + 1) : undefined;
    } catch {
      return undefined;
    }
  }

  keepBytes(kind: CachedKind, text: string, bytes: Uint8Array): void {
    const { key, file } = this.entry(kind, text, 'bin');
    this.write(file, Buffer.concat([Buffer.from(`${key}\n`, 'latin1'), bytes]));
  }

  private entry(kind: CachedKind, text: string, type: 'json' | 'bin'): { key: string; file: string } {
    const key = sha256Hex(`${this.buildId}\0${kind}\0${text}`);
    return { key, file: join(this.dir, `${kind}-${key}.${type}`) };
  }

  private write(file: string, content: string | Uint8Array): void {
    // Unique per writer: detection threads share the process id.
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, content);
      renameSync(temp, file);
    } catch {
      // A read-only or full disk, or no folder at all: the next run parses again.
      try {
        rmSync(temp, { force: true });
      } catch {
        // the folder is not there to clean
      }
      return;
    }
    try {
      this.prune(file);
    } catch {
      // another process pruning at the same time
    }
  }

  /** Keeps the folder within its limits (see `CacheLimits`), never removing the entry just written. */
  private prune(written: string): void {
    const entries = readdirSync(this.dir)
      .filter((name) => ENTRY_NAME.test(name))
      .map((name) => {
        const path = join(this.dir, name);
        const { size, mtimeMs } = statSync(path);
        return { path, size, mtimeMs };
      });
    let count = entries.length;
    let bytes = entries.reduce((sum, e) => sum + e.size, 0);
    if (count <= this.limits.entries && bytes <= this.limits.bytes) return;
    const oldestFirst = entries.filter((e) => e.path !== written).sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const entry of oldestFirst) {
      if (count <= this.limits.entries / 2 && bytes <= this.limits.bytes / 2) break;
      rmSync(entry.path, { force: true });
      count--;
      bytes -= entry.size;
    }
  }
}

/** The folder entries go to, from the environment; undefined when caching is off or there is no home. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (['0', 'false', 'off', 'no'].includes((env.LEAKPROOF_CACHE ?? '').trim().toLowerCase())) return undefined;
  if (env.LEAKPROOF_CACHE_DIR) return env.LEAKPROOF_CACHE_DIR;
  // The XDG spec: a relative path is invalid and to be ignored.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'leakproof');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'leakproof', 'cache');
  const home = env.HOME ?? env.USERPROFILE;
  return home ? join(home, '.cache', 'leakproof') : undefined;
}

/** The CLI's cache: none outside the bundle, or when the environment turns it off. */
export const startupCache = onFirstUse((): StartupCache | undefined => {
  const dir = cacheDir();
  return typeof LEAKPROOF_BUILD_ID === 'string' && dir !== undefined ? new StartupCache(dir, LEAKPROOF_BUILD_ID) : undefined;
});

/** `parse()`'s value, through the CLI's cache when there is one. */
export function remembered<T>(kind: CachedKind, text: string, parse: () => T): T {
  const cache = startupCache();
  return cache ? cache.remember(kind, text, parse) : parse();
}
