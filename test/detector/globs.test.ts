import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { builtinGlobs } from '../../src/builtin/index.js';
import { builtinRuleDefs } from '../../src/config/rules.js';
import { globMatcher, precompileGlobs } from '../../src/detector/globs.js';

/** Paths around every built-in glob: each glob's own text, nested and dotted folders, many extensions. */
function pathCorpus(globs: readonly string[]): string[] {
  const folders = ['', 'src/', 'apps/web/', 'packages/ui/', 'a/b/c/', '.next/static/chunks/', 'out/_next/static/', 'dist/', 'web/dist/assets/', 'build/', 'public/', 'static/img/', '.github/workflows/', '.circleci/', 'node_modules/x/dist/', './', '../', 'a/../dist/', '.hidden/dist/'];
  const names = ['main', 'index', 'app.client', 'page', 'config', 'google-services', 'GoogleService-Info', '.env', 'x.min', 'bundle.js', 'styles.css', 'netlify', 'amplify', 'bitbucket-pipelines', 'azure-pipelines', '.gitlab-ci'];
  const exts = ['', '.js', '.mjs', '.cjs', '.ts', '.tsx', '.jsx', '.vue', '.svelte', '.html', '.map', '.json', '.txt', '.yml', '.yaml', '.toml', '.plist', '.css', '.webmanifest', '.xml', '.js.map'];
  const paths = new Set<string>(['', ...globs]);
  for (const folder of folders) for (const name of names) for (const ext of exts) paths.add(`${folder}${name}${ext}`);
  return [...paths];
}

/** Checks each glob's precompiled matcher against picomatch on every path; returns how many matched. */
function expectSameAsPicomatch(globs: readonly string[], paths: readonly string[]): number {
  const table = precompileGlobs(globs);
  let matches = 0;
  for (const glob of globs) {
    const ours = globMatcher([glob], table);
    const theirs = picomatch(glob, { dot: true });
    for (const path of paths) {
      expect(ours(path), `${glob} on ${JSON.stringify(path)}`).toBe(theirs(path));
      if (theirs(path)) matches++;
    }
  }
  return matches;
}

describe('globMatcher', () => {
  it('matches exactly as picomatch does for every built-in glob, from the precompiled regexes', async () => {
    const globs = builtinGlobs(await builtinRuleDefs());
    expect(globs.length).toBeGreaterThan(10);
    const matches = expectSameAsPicomatch(globs, pathCorpus(globs));
    expect(matches).toBeGreaterThan(globs.length); // the corpus exercises matches, not only misses
  });

  it('matches as picomatch does for allow-list globs users write (compiled with the config)', () => {
    const globs = ['fixtures/**', 'test/**/*.txt', '**/vendor/**', '*.min.js', 'docs/*.md', '**/__snapshots__/**', '{test,spec}/**', 'src/**/!(*.d).ts', '**/*.{pem,key,txt}', '.env.example', 'config/*.y?(a)ml', 'a/b/c/**/main.*'];
    const paths = [...pathCorpus(globs), 'fixtures/keys.txt', 'fixtures/.env', 'test/unit/a.txt', 'vendor/x/y.js', 'a/vendor/b.js', 'src/types.d.ts', 'src/a/b.ts', 'spec/x.json', '__snapshots__/a.snap', 'config/app.yml', 'config/app.yaml', 'key.pem'];
    expect(expectSameAsPicomatch(globs, paths)).toBeGreaterThan(globs.length * 3);
  });

  it('matches when any glob of a list matches', () => {
    const globs = ['**/*.min.js', 'public/**'];
    const match = globMatcher(globs, precompileGlobs(globs));
    expect(['a/b.min.js', 'public/x.txt'].map(match)).toEqual([true, true]);
    expect(match('src/b.js')).toBe(false);
  });

  it('uses the table when it holds every glob, and picomatch otherwise', () => {
    // A table entry that disagrees with picomatch shows which one answered.
    const table = { 'a.txt': ['^b\\.txt$', ''] } as const;
    expect(globMatcher(['a.txt'], table)('b.txt')).toBe(true);
    expect(globMatcher(['a.txt', 'c.txt'], table)('b.txt')).toBe(false);
    expect(globMatcher(['a.txt', 'c.txt'], table)('c.txt')).toBe(true);
    expect(globMatcher(['**/*.ts'], undefined)('src/x.ts')).toBe(true);
  });
});
