/** The keyword prefilter must pick exactly the rules whose keywords occur (case-insensitively). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSettings, loadConfig } from '../../src/config/load.js';
import { builtinRuleDefs } from '../../src/config/rules.js';
import { decodeTables, encodeTables, Prefilter } from '../../src/detector/prefilter.js';
import { expandExample } from '../../src/examples.js';

const naive = (keywordsByRule: string[][], text: string): number[] => {
  const lower = text.toLowerCase();
  return keywordsByRule.flatMap((keywords, i) => (keywords.length === 0 || keywords.some((k) => lower.includes(k.toLowerCase())) ? [i] : []));
};

describe('Prefilter', () => {
  it('agrees with a naive substring search on the whole catalogue', async () => {
    const keywords = (await builtinRuleDefs()).map((d) => d.keywords);
    const prefilter = new Prefilter(keywords);
    // Texts made of keyword fragments, overlapping keywords, upper case and noise.
    const all = [...new Set(keywords.flat())];
    for (let seed = 0; seed < 300; seed++) {
      const parts = Array.from({ length: 12 }, (_, i) => {
        const k = all[(seed * 31 + i * 17) % all.length];
        const cut = i % 3 === 0 ? k.slice(0, Math.max(1, k.length - 1)) : k;
        return i % 4 === 0 ? cut.toUpperCase() : cut;
      });
      const text = `${expandExample('{{alnum 20}}', seed)} ${parts.join(seed % 2 ? '' : ' x')} é`;
      expect(prefilter.candidates(text), text).toEqual(naive(keywords, text));
    }
  });

  it('rebuilt from its precomputed tables (as bytes), picks the same rules; tables for other keywords are ignored', async () => {
    const keywords = (await builtinRuleDefs()).map((d) => d.keywords);
    const built = new Prefilter(keywords);
    const bytes = encodeTables(built.toTables());
    const tables = decodeTables(bytes)!;
    expect(decodeTables(bytes.subarray(0, bytes.length - 4))).toBeUndefined();
    expect(decodeTables(new Uint8Array([1, 2, 3]))).toBeUndefined();
    const loaded = new Prefilter(keywords, { tables });
    const stale = new Prefilter([["abc"], ["zz"]], { tables });
    for (let seed = 0; seed < 50; seed++) {
      const text = `${keywords[seed % keywords.length][0]} ${expandExample('{{alnum 40}}', seed)} ${keywords[(seed * 7) % keywords.length][0].toUpperCase()}`;
      expect(loaded.candidates(text)).toEqual(built.candidates(text));
      expect(stale.candidates(text)).toEqual(naive([['abc'], ['zz']], text));
    }
  });

  it("the build's precomputed tables (dist/prefilter.bin) are what these sources build for the default rule set", async () => {
    // A build reuses the tables it finds when their key matches: a change to how tables are built
    // that kept the key would ship the old tables (prefilterKey's version).
    const dir = mkdtempSync(join(tmpdir(), 'leakproof-tables-'));
    try {
      const settings = await compileSettings(await loadConfig(dir), dir, { baseline: false });
      const fresh = settings.ruleSet.prefilterTables();
      const shipped = decodeTables(readFileSync(new URL('../../dist/prefilter.bin', import.meta.url)))!;
      expect(shipped.key).toBe(fresh.key);
      expect(shipped.classOf).toEqual(fresh.classOf);
      expect(shipped.delta).toEqual(fresh.delta);
      expect(shipped.outputAt).toEqual(fresh.outputAt);
      expect(shipped.outputData).toEqual(fresh.outputData);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the WebAssembly loop (dist/prefilter.wasm) picks what the JS loop and a naive search pick, across its 64 KB chunks', async () => {
    const keywords = (await builtinRuleDefs()).map((d) => d.keywords);
    const kernel = readFileSync(new URL('../../dist/prefilter.wasm', import.meta.url));
    const inJs = new Prefilter(keywords);
    const inWasm = new Prefilter(keywords, { kernel });
    const all = [...new Set(keywords.flat())];
    for (let seed = 0; seed < 60; seed++) {
      // 0.5–200 KB of noise with a few keywords, one of them straddling the first chunk boundary.
      const size = 512 + ((seed * 7919) % 200_000);
      const noise = expandExample(`{{alnum ${size}}}`, seed).replace(/(.{97})/g, '$1\n');
      const k = all[(seed * 13) % all.length];
      const cut = 65_536 - Math.floor(k.length / 2);
      let text = noise.length > cut ? noise.slice(0, cut) + k.toUpperCase() + noise.slice(cut) : noise + k;
      text += ` ${all[(seed * 29) % all.length]} é`;
      const expected = naive(keywords, text);
      expect(inWasm.candidates(text), `seed ${seed}`).toEqual(expected);
      expect(inJs.candidates(text), `seed ${seed}`).toEqual(expected);
    }
  });

  it('records where anchors start, as offsets into the decoded text (non-ASCII, byte-order mark), and none for invalid UTF-8', () => {
    const kernel = readFileSync(new URL('../../dist/prefilter.wasm', import.meta.url));
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    for (const options of [{}, { kernel }]) {
      const prefilter = new Prefilter([['abc'], ['zz'], ['q']], { ...options, anchorsByRule: [['ab'], undefined, ['x']] });
      // Short text (the JS loop) and long text (the kernel, across chunks).
      // Mostly ASCII, with non-ASCII characters on both sides of where 4 KB blocks meet (a block
      // that is all ASCII is skipped when leads are looked for).
      const sparse = ['ab', '.'.repeat(4094), 'é', 'ab', '-'.repeat(4091), '😀ab', ' '.repeat(9000), '中', 'AB'].join('');
      // Characters that straddle where the 256-byte small blocks within a 4 KB block meet.
      const straddling = ['.'.repeat(255), 'é', 'ab', '.'.repeat(251), '😀', 'ab', '.'.repeat(250), '中', 'ab', '.'.repeat(6000)].join('');
      for (const text of ['é ab 😀 AB 中ab', 'é ab 😀 AB 中ab —\n'.repeat(5_000), sparse, straddling]) {
        const expected = [...text.matchAll(/ab/gi)].map((m) => m.index);
        for (const bytes of [Buffer.from(text), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])]) {
          prefilter.markBytes(bytes);
          expect([...prefilter.startsOf(0, decode(bytes))!]).toEqual(expected);
          expect(prefilter.startsOf(1, decode(bytes)), 'no anchors').toBeUndefined();
          expect([...prefilter.startsOf(2, decode(bytes))!], 'anchors that do not occur').toEqual([]);
        }
        const invalid = Buffer.concat([Buffer.from([0xe2, 0x82]), Buffer.from(text)]);
        prefilter.markBytes(invalid);
        expect(prefilter.startsOf(0, decode(invalid))).toBeUndefined();
      }
    }
  });

  it('maps anchor starts to text offsets on fuzzed non-ASCII text, across block boundaries, with and without a byte-order mark', () => {
    const kernel = readFileSync(new URL('../../dist/prefilter.wasm', import.meta.url));
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const pieces = ['ab', 'AB', 'é', '中', '😀', '.', ' ', '\n', '.'.repeat(200), 'ñandú', '—', 'x'.repeat(4000)];
    let seed = 17;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const options of [{}, { kernel }]) {
      const prefilter = new Prefilter([['ab'], ['zz']], { ...options, anchorsByRule: [['ab'], ['q']] });
      for (let n = 0; n < 300; n++) {
        const text = Array.from({ length: 1 + Math.floor(random() * 120) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
        const expected = [...text.matchAll(/ab/gi)].map((m) => m.index);
        for (const bytes of [Buffer.from(text), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])]) {
          prefilter.markBytes(bytes);
          expect([...prefilter.startsOf(0, decode(bytes))!], JSON.stringify(text.slice(0, 80))).toEqual(expected);
        }
      }
    }
  });

  it('the WebAssembly loop finds a keyword and an anchor, once, at every offset around where it splits a chunk in four', () => {
    const kernel = readFileSync(new URL('../../dist/prefilter.wasm', import.meta.url));
    const keyword = 'a-long-keyword-of-thirty-seven-chars!';
    const prefilter = new Prefilter([[keyword], ['zz']], { kernel, anchorsByRule: [[keyword], ['q']] });
    for (const n of [400, 3_000, 65_536 + 3_000]) {
      // The four parts of each 64 KB chunk meet near its quarters: sweep a window around each.
      const quarters = (from: number, size: number) => [1, 2, 3].map((q) => from + Math.round((q * size) / 4));
      const middles = n > 65_536 ? [...quarters(0, 65_536), ...quarters(65_536, n - 65_536)] : quarters(0, n);
      for (const middle of middles) {
        for (let at = middle - 80; at <= middle + 80; at++) {
          const text = `${'.'.repeat(at)}${keyword.toUpperCase()}${'.'.repeat(n - at)}`;
          const bytes = Buffer.from(text);
          expect(prefilter.markBytes(bytes)[0], `keyword at ${at} of ${n}`).toBe(1);
          expect([...prefilter.startsOf(0, text)!], `anchor at ${at} of ${n}`).toEqual([at]);
          expect([...prefilter.startsOf(1, text)!]).toEqual([]);
        }
      }
    }
  });

  it('runs keyword-less rules everywhere and stops early when every rule is in', () => {
    const prefilter = new Prefilter([['abc'], [], ['bcd', 'zz']]);
    expect(prefilter.candidates('xx')).toEqual([1]);
    expect(prefilter.candidates('xABCDx')).toEqual([0, 1, 2]);
    expect(prefilter.candidates('xaBc')).toEqual([0, 1]);
  });
});
