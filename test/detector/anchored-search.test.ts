/** Trying a regex only where its prefixes occur finds what a search of the whole text finds. */
import { describe, expect, it } from 'vitest';
import { anchoredRegex, forEachMatch } from '../../src/detector/anchored-search.js';
import { regexAnchoring } from '../../src/detector/regex-prefixes.js';

/** Where any of `prefixes` starts in `text`, case-insensitively, ascending: what the keyword pass records. */
const startsOf = (text: string, prefixes: readonly string[]): Int32Array => {
  const lower = text.toLowerCase();
  const out: number[] = [];
  for (const prefix of prefixes) for (let i = lower.indexOf(prefix); i !== -1; i = lower.indexOf(prefix, i + 1)) out.push(i);
  return Int32Array.from(out).sort();
};

describe('forEachMatch', () => {
  const sources: [string, string][] = [
    ['tok_[a-z0-9]{3}(?![a-z0-9])', ''],
    ['(?:^|[^A-Za-z0-9_])(tok_[a-z0-9]{2,4})', ''],
    ['(?:key|sec)[a-z_]{0,3}=[a-z0-9]+', 'i'],
    ['(?:\\s|^)ab|cd', ''],
  ];
  const alphabet = 'tok_abcdeky=sec01 \nKEYSECTOK';
  let seed = 3;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;

  it.each(sources)('%s: same matches with and without starts, on fuzzed text', (source, flags) => {
    const { prefixes, lookback } = regexAnchoring(source, flags)!;
    const regex = anchoredRegex(source, flags, { lookback });
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: 60 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const collect = (starts: Int32Array | undefined, resumeAfterFirstChar: boolean) => {
        const found: string[] = [];
        forEachMatch(text, regex, starts, (m) => {
          found.push(`${m.index}:${m[0]}`);
          // Some callers go on from the next character instead of the end of the match.
          return resumeAfterFirstChar ? m.index + 1 : undefined;
        });
        return found;
      };
      for (const resume of [false, true]) {
        expect(collect(startsOf(text, prefixes), resume), JSON.stringify(text)).toEqual(collect(undefined, resume));
      }
      expect(collect(undefined, false)).toEqual([...text.matchAll(new RegExp(source, `g${flags}`))].map((m) => `${m.index}:${m[0]}`));
    }
  });

  it('with prefixes, skips starts that belong to other anchors', () => {
    const regex = anchoredRegex('re_[a-z]{3}', '', { prefixes: ['re_'] });
    const text = 'sk_abc re_xyz SK_x re_abc';
    const found: number[] = [];
    forEachMatch(text, regex, startsOf(text, ['re_', 'sk_']), (m) => void found.push(m.index));
    expect(found).toEqual([7, 19]);
  });
});
