/** Literal prefixes of a regex: every match must start with one, or the answer is undefined. */
import { describe, expect, it } from 'vitest';
import { regexPrefixes } from '../../src/detector/regex-prefixes.js';

describe('regexPrefixes', () => {
  it.each([
    ['re_(?<![A-Za-z0-9_]re_)[A-Za-z0-9]{8}', ['re_']],
    ['(?:key|secret|passw(?:or)?d|pwd)\\s*=', ['key', 'passw', 'pwd', 'secret']],
    ['(?<![A-Za-z0-9_])(EAA[A-Za-z0-9]{90,400})', ['eaa']],
    ['(?:[Dd]iscord|DISCORD|[Bb]ot|BOT)[\\s\\S]{0,200}?', ['bot', 'discord']],
    ['define\\(\\s*x', ['define(']],
    ['ab?c', ['a']],
    ['ab{2}c', ['ab']],
    ['ab{0,2}c', ['a']],
    ['a+?b', ['a']],
    ['a(?:bc|d)e', ['abce', 'ade']],
    ['(?:foo|)bar', ['bar', 'foobar']],
    ['ab(?=c)d', ['abd']],
    ['\\bfoo\\b', ['foo']],
    ['^abc$', ['abc']],
    ['[Aa]b[cd]e', ['abce', 'abde']],
    ['(?<n>ab)\\k<n>c', ['ab']],
    ['(ab)\\1', ['ab']],
    ['a.b', ['a']],
    ['(?:a|b)+c', ['a', 'b']],
    ['(?:key|keyboard)x', ['keyboardx', 'keyx']],
  ])('%s → %j', (source, expected) => {
    expect(regexPrefixes(source)).toEqual(expected);
  });

  it.each([
    ['(?:^|[^A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})', 'a match may start with any character'],
    ['(?:ab|c)?d', 'an optional start'],
    ['x*y', 'an optional first character'],
    ['a|', 'an empty alternative'],
    ['[a-z]x', 'a class range'],
    ['\\x41bc', 'a code escape'],
    ['\\dabc', 'a class escape'],
    ['.abc', 'any character'],
    ['é', 'non-ASCII'],
    ['(?i)x', 'an unknown group'],
    ['[abc', 'an unterminated class'],
  ])('%s → undefined (%s)', (source) => {
    expect(regexPrefixes(source)).toBeUndefined();
  });

  it('gives up under the u flag (other escape rules)', () => {
    expect(regexPrefixes('abc', 'u')).toBeUndefined();
    expect(regexPrefixes('abc', 'i')).toEqual(['abc']);
  });

  it('every prefix it gives starts every match, on fuzzed inputs', () => {
    const sources = ['(?:key|secret)[\\w.-]{0,4}=\\w+', 'a(?:bc|d)?e+', '(?:[Tt]ok|pwd)(?=\\d)\\d+', '(?<=x)ab|cd', 'q(?:r|st)u'];
    const alphabet = 'abcdeqrstuxyzKEYSECRETkeysecret=._-0123456789 TOKtokpwd';
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const source of sources) {
      const prefixes = regexPrefixes(source)!;
      expect(prefixes, source).toBeDefined();
      const regex = new RegExp(source, 'gi');
      for (let n = 0; n < 300; n++) {
        const text = Array.from({ length: 40 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
        for (const match of text.matchAll(regex)) {
          expect(prefixes.some((p) => text.slice(match.index).toLowerCase().startsWith(p)), `${source} at ${match.index} in ${text}`).toBe(true);
        }
      }
    }
  });
});
