/**
 * Modules loaded on first use. node:crypto, node:worker_threads, yaml, zod or fast-glob each cost
 * milliseconds to load, and a pre-commit hook that finds nothing needs none of them. Packages are
 * loaded with `require` (all of them ship CommonJS), which works alike from dist/ and the bundle.
 */
import { createRequire } from 'node:module';

/** `make()`'s value, made on the first call and kept (undefined too) for every later call. */
export function onFirstUse<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

const load = createRequire(import.meta.url);
const once = <T>(id: string): (() => T) => onFirstUse(() => load(id) as T);

export const lazyCrypto = once<typeof import('node:crypto')>('node:crypto');
export const lazyWorkerThreads = once<typeof import('node:worker_threads')>('node:worker_threads');
export const lazyOs = once<typeof import('node:os')>('node:os');
export const lazyFastGlob = once<typeof import('fast-glob')>('fast-glob');

/** What reading a config, rule or baseline file needs (see src/config/parsers.ts). */
export interface Parsers {
  parseYaml: typeof import('yaml').parse;
  z: typeof import('zod').z;
}

/** Set by bin/leakproof.cjs: runs dist/cli/parsers.cjs from its code cache. */
const LENT_PARSERS = Symbol.for('leakproof.loadParsers');

/**
 * yaml and zod. The CLI gets them from their own bundle, run from its code cache by
 * bin/leakproof.cjs (~10 ms instead of ~70 ms); dist/ used as a library, and the tests, load them
 * from node_modules. Detection workers need neither: they get the config parsed.
 */
export const lazyParsers = onFirstUse((): Parsers => {
  const lent = (globalThis as Record<symbol, (() => Parsers) | undefined>)[LENT_PARSERS];
  return lent ? lent() : { parseYaml: (load('yaml') as typeof import('yaml')).parse, z: (load('zod') as typeof import('zod')).z };
});

/** Set by bin/leakproof.cjs: an `import()` that works (see importModule). */
const LENT_IMPORT = Symbol.for('leakproof.importModule');

/**
 * `import()` for user plugins (ES modules). The bundled CLI runs from V8's code cache, where
 * `import()` has no module loader to call; bin/leakproof.cjs, a plain module, lends its own.
 */
export function importModule(url: string): Promise<unknown> {
  const lent = (globalThis as Record<symbol, ((url: string) => Promise<unknown>) | undefined>)[LENT_IMPORT];
  return lent ? lent(url) : import(url);
}
