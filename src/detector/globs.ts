/**
 * Path globs of the rules (`allow.paths`, the built-in rules' file conventions), matched as
 * `picomatch(globs, { dot: true })` does. Parsing globs is ~0.3 ms each, which the pre-commit
 * hook would pay on every run, so the build turns the built-in globs into regex sources and the
 * bundles carry them (`LEAKPROOF_GLOBS`). Any other glob, or any run outside the bundles,
 * compiles with picomatch on first use.
 */
import picomatch from 'picomatch';

/** A glob's regex, as picomatch makes it for `{ dot: true }` on POSIX: [source, flags]. */
export type GlobTable = Readonly<Record<string, readonly [source: string, flags: string]>>;

/** Set by the bundler (see build-cli.ts); undeclared outside the bundles. */
declare const LEAKPROOF_GLOBS: GlobTable | undefined;
const BUNDLED_GLOBS: GlobTable | undefined = typeof LEAKPROOF_GLOBS === 'undefined' ? undefined : LEAKPROOF_GLOBS;

const OPTIONS = { dot: true };

/** The regexes of `globs`, for the build to embed. Paths are always `/`-separated, so POSIX regexes. */
export function precompileGlobs(globs: Iterable<string>): GlobTable {
  const table: Record<string, readonly [string, string]> = {};
  for (const glob of globs) {
    const regex = picomatch.makeRe(glob, { ...OPTIONS, windows: false });
    table[glob] = [regex.source, regex.flags];
  }
  return table;
}

/** True when any of `globs` matches `path` (relative to the scan root, `/` separators). */
export function globMatcher(globs: readonly string[], table: GlobTable | undefined = BUNDLED_GLOBS): (path: string) => boolean {
  if (table === undefined || !globs.every((glob) => Object.hasOwn(table, glob))) return picomatch(globs as string[], OPTIONS);
  const regexes = globs.map((glob) => new RegExp(table[glob][0], table[glob][1]));
  // picomatch's own test: the empty path matches nothing, a path equal to the glob matches it.
  return (path) => path !== '' && globs.some((glob, i) => path === glob || regexes[i].test(path));
}
