import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir, StartupCache } from '../../src/config/startup-cache.js';
import { tempDir } from '../helpers/index.js';

/** A parse that counts its calls. */
function counting<T>(value: T): { parse: () => T; calls: () => number } {
  let calls = 0;
  return {
    parse: () => {
      calls++;
      return structuredClone(value);
    },
    calls: () => calls,
  };
}

const entries = (dir: string, type = '.json'): string[] => readdirSync(dir).filter((name) => name.endsWith(type));

describe('StartupCache', () => {
  it('parses a text once: the next run gets the value from the entry', () => {
    const dir = tempDir();
    const value = { config: { allow: { stopwords: ['dummy'] } }, globs: { 'a/**': ['^a$', ''] } };
    const first = counting(value);
    expect(new StartupCache(dir, 'build-1').remember('config', 'allow: {}', first.parse)).toEqual(value);
    expect(first.calls()).toBe(1);
    expect(entries(dir)).toHaveLength(1);

    // A new process: a new cache object over the same folder.
    const second = counting({ other: true });
    expect(new StartupCache(dir, 'build-1').remember('config', 'allow: {}', second.parse)).toEqual(value);
    expect(second.calls()).toBe(0);
  });

  it('parses again for an edited text, another kind or another build', () => {
    const dir = tempDir();
    new StartupCache(dir, 'build-1').remember('config', 'a: 1', () => 1);
    const again = counting(2);
    expect(new StartupCache(dir, 'build-1').remember('config', 'a: 2', again.parse)).toBe(2);
    expect(new StartupCache(dir, 'build-1').remember('rules', 'a: 1', again.parse)).toBe(2);
    expect(new StartupCache(dir, 'build-2').remember('config', 'a: 1', again.parse)).toBe(2);
    expect(again.calls()).toBe(3);
    expect(entries(dir)).toHaveLength(4);
  });

  it('keeps nothing for a text that fails: the error comes on every run', () => {
    const dir = tempDir();
    const cache = new StartupCache(dir, 'build-1');
    const fail = (): never => {
      throw new Error('field x: unknown');
    };
    expect(() => cache.remember('config', 'x: 1', fail)).toThrow('field x: unknown');
    expect(() => cache.remember('config', 'x: 1', fail)).toThrow('field x: unknown');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats a damaged entry, or one that names another text, as none, and writes it anew', () => {
    const dir = tempDir();
    new StartupCache(dir, 'build-1').remember('baseline', '{}', () => true);
    const [name] = entries(dir);
    for (const damage of ['{"key":', JSON.stringify({ key: 'not-this-one', value: false }), JSON.stringify({ key: name.slice(9, -5) })]) {
      writeFileSync(join(dir, name), damage);
      const reparse = counting(true);
      expect(new StartupCache(dir, 'build-1').remember('baseline', '{}', reparse.parse)).toBe(true);
      expect(reparse.calls()).toBe(1);
      expect(JSON.parse(readFileSync(join(dir, name), 'utf8'))).toEqual({ key: name.slice(9, -5), value: true });
    }
  });

  it('hashes a large text (a baseline) the same way, and finds it again', () => {
    const dir = tempDir();
    const big = JSON.stringify({ entries: Array.from({ length: 2000 }, (_, i) => ({ rule: 'r', path: `f${i}`, hash: 'ab'.repeat(32) })) });
    new StartupCache(dir, 'build-1').remember('baseline', big, () => true);
    const again = counting(true);
    new StartupCache(dir, 'build-1').remember('baseline', big, again.parse);
    expect(again.calls()).toBe(0);
    expect(entries(dir)[0]).toMatch(/^baseline-[0-9a-f]{64}\.json$/);
  });

  it('keeps bytes (a prefilter automaton) under their key, and refuses bytes kept under another', () => {
    const dir = tempDir();
    const cache = new StartupCache(dir, 'build-1');
    expect(cache.readBytes('prefilter', 'keywords')).toBeUndefined();
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    cache.keepBytes('prefilter', 'keywords', bytes);
    expect(new StartupCache(dir, 'build-1').readBytes('prefilter', 'keywords')).toEqual(Buffer.from(bytes));
    expect(new StartupCache(dir, 'build-2').readBytes('prefilter', 'keywords')).toBeUndefined();
    expect(cache.readBytes('prefilter', 'other keywords')).toBeUndefined();
    // An entry whose first line names another key (a file copied over it) is not used.
    const [name] = entries(dir, '.bin');
    writeFileSync(join(dir, name), Buffer.concat([Buffer.from(`${'0'.repeat(64)}\n`), bytes]));
    expect(cache.readBytes('prefilter', 'keywords')).toBeUndefined();
  });

  it('still returns the value when the folder cannot be written', () => {
    const parent = tempDir();
    const blocked = join(parent, 'file');
    writeFileSync(blocked, 'not a folder');
    expect(new StartupCache(join(blocked, 'cache'), 'build-1').remember('config', 'a: 1', () => 'parsed')).toBe('parsed');
    if (process.getuid?.() !== 0) {
      // A read-only folder (root writes anyway, so only as another user).
      const readOnly = tempDir();
      chmodSync(readOnly, 0o555);
      expect(new StartupCache(readOnly, 'build-1').remember('config', 'a: 1', () => 'parsed')).toBe('parsed');
      expect(readdirSync(readOnly)).toEqual([]);
      chmodSync(readOnly, 0o755);
    }
  });

  it('stays small: past 256 entries the oldest go, never the one just written', () => {
    const dir = tempDir();
    const cache = new StartupCache(dir, 'build-1');
    for (let i = 0; i < 256; i++) cache.remember('rules', `text ${i}`, () => i);
    expect(entries(dir)).toHaveLength(256);
    cache.remember('rules', 'the newest', () => 'newest');
    expect(entries(dir)).toHaveLength(128);
    const again = counting('again');
    expect(cache.remember('rules', 'the newest', again.parse)).toBe('newest');
    expect(again.calls()).toBe(0);
    // Files of other tools in the folder are left alone.
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    for (let i = 0; i < 200; i++) cache.remember('rules', `more ${i}`, () => i);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('stays small in bytes too: large automatons push out the oldest entries', () => {
    const dir = tempDir();
    const cache = new StartupCache(dir, 'build-1', { entries: 256, bytes: 100_000 });
    const automaton = new Uint8Array(30_000);
    for (const keywords of ['a', 'b', 'c']) cache.keepBytes('prefilter', keywords, automaton);
    expect(entries(dir, '.bin')).toHaveLength(3); // 90 KB: within the limit
    cache.keepBytes('prefilter', 'd', automaton); // 120 KB: down to half the limit, the newest kept
    expect(entries(dir, '.bin')).toHaveLength(1);
    expect(cache.readBytes('prefilter', 'd')).toBeDefined();
    expect(cache.readBytes('prefilter', 'a')).toBeUndefined();
    // One entry over the whole limit is still kept: it is the one in use.
    cache.keepBytes('prefilter', 'huge', new Uint8Array(150_000));
    expect(cache.readBytes('prefilter', 'huge')).toBeDefined();
  });
});

describe('cacheDir', () => {
  it('follows LEAKPROOF_CACHE_DIR, then XDG_CACHE_HOME, then the home folder; LEAKPROOF_CACHE=0 turns it off', () => {
    const home = { HOME: '/home/dev' };
    expect(cacheDir({ ...home }, 'linux')).toBe(join('/home/dev', '.cache', 'leakproof'));
    expect(cacheDir({ ...home, XDG_CACHE_HOME: '/var/cache/dev' }, 'linux')).toBe(join('/var/cache/dev', 'leakproof'));
    // The XDG spec: a relative path is to be ignored.
    expect(cacheDir({ ...home, XDG_CACHE_HOME: 'relative/cache' }, 'linux')).toBe(join('/home/dev', '.cache', 'leakproof'));
    expect(cacheDir({ ...home, XDG_CACHE_HOME: '/var/cache/dev', LEAKPROOF_CACHE_DIR: '/tmp/lp' }, 'linux')).toBe('/tmp/lp');
    expect(cacheDir({ USERPROFILE: 'C:\\Users\\dev', LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local' }, 'win32')).toBe(join('C:\\Users\\dev\\AppData\\Local', 'leakproof', 'cache'));
    for (const off of ['0', 'false', 'OFF', 'no']) expect(cacheDir({ ...home, LEAKPROOF_CACHE_DIR: '/tmp/lp', LEAKPROOF_CACHE: off }, 'linux')).toBeUndefined();
    expect(cacheDir({ ...home, LEAKPROOF_CACHE: '1' }, 'linux')).toBe(join('/home/dev', '.cache', 'leakproof'));
    expect(cacheDir({}, 'linux')).toBeUndefined();
  });
});
