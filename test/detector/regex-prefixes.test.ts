/** Literal prefixes of a regex: every match must start with one, or the answer is undefined. */
import { describe, expect, it } from 'vitest';
import { ruleAnchoring } from '../../src/detector/pattern-rule.js';
import { regexAnchoring, regexPrefixes } from '../../src/detector/regex-prefixes.js';

/** Calls `visit` with each match of `source` (any case) in `texts` random texts over `alphabet`. */
function forEachFuzzedMatch(source: string, alphabet: string, options: { seed: number; texts: number; length: number }, visit: (text: string, index: number) => void): void {
  let seed = options.seed;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const regex = new RegExp(source, 'gi');
  for (let n = 0; n < options.texts; n++) {
    const text = Array.from({ length: options.length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (const match of text.matchAll(regex)) visit(text, match.index);
  }
}

function startsWithOne(text: string, index: number, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => text.slice(index).toLowerCase().startsWith(p));
}

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
    for (const source of sources) {
      const prefixes = regexPrefixes(source)!;
      expect(prefixes, source).toBeDefined();
      forEachFuzzedMatch(source, alphabet, { seed: 7, texts: 300, length: 40 }, (text, index) => {
        expect(startsWithOne(text, index, prefixes), `${source} at ${index} in ${JSON.stringify(text)}`).toBe(true);
      });
    }
  });
});

describe('regexAnchoring', () => {
  it.each([
    ['re_[A-Za-z0-9]{8}', { prefixes: ['re_'], lookback: 0 }],
    ['(?:^|[^A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})', { prefixes: ['ghp_'], lookback: 1 }],
    ['(?:^|[^A-Za-z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})', { prefixes: ['akia', 'asia'], lookback: 1 }],
    ['(?:^|\\s)key', { prefixes: ['key'], lookback: 1 }],
    ['(?:^|[^a])abc|def', { prefixes: ['abc', 'def'], lookback: 1 }],
  ])('%s → %j', (source, expected) => {
    expect(regexAnchoring(source)).toEqual(expected);
  });

  it.each([
    ['(?:^|[\\r\\n])[ \\t]*x', 'a class with a quantifier after the group'],
    ['(?:^|x)?abc', 'a quantified group'],
    ['(?:^|ab)[a-z]', 'two characters in one alternative'],
    ['(?:^|(?<=x)y)[a-z]', 'a nested group'],
    ['(?:^|\\1)[a-z]', 'a back-reference'],
  ])('%s → undefined (%s)', (source) => {
    expect(regexAnchoring(source)).toBeUndefined();
  });

  it('every match starts at a prefix or the character before it, on fuzzed inputs', () => {
    const sources = ['(?:^|[^A-Za-z0-9_])(tok_[a-z0-9]{3})(?![a-z0-9])', '(?:\\s|^|=)(?:key|sec)\\d', '(?:^|[^a-z])ab|cd'];
    const alphabet = 'abcdektos_=01 \nKEYSEC';
    for (const source of sources) {
      const { prefixes, lookback } = regexAnchoring(source)!;
      expect(lookback, source).toBe(1);
      forEachFuzzedMatch(source, alphabet, { seed: 11, texts: 400, length: 30 }, (text, index) => {
        expect(startsWithOne(text, index, prefixes) || startsWithOne(text, index + 1, prefixes), `${source} at ${index} in ${JSON.stringify(text)}`).toBe(true);
      });
    }
  });
});

describe('ruleAnchoring: which rules record their anchors', () => {
  it.each([
    // A one-character anchor that is not a keyword, with a rare keyword: whole-text search.
    ['"[a-z.]+"\\s*:\\s*\\{\\s*"auth"\\s*:\\s*"([A-Za-z0-9+/]{12,})"', ['"auth"'], undefined],
    // A common keyword (runs on most files): keeps even a one-character anchor.
    ['(?:<[a-z]*secret>([^<]{8,})|key=(\\S{8,}))', ['key', 'secret'], ['<', 'key=']],
    // A short anchor that is a keyword costs nothing extra.
    ['sk[a-z0-9]{16}', ['sk'], ['sk']],
    ['(?:twilio|AC)[a-f0-9]{8}', ['twilio'], undefined],
    ['ghp_[A-Za-z0-9]{36}', ['ghp_'], ['ghp_']],
  ])('%s with keywords %j: %j', (regex, keywords, prefixes) => {
    expect(ruleAnchoring({ regex, keywords })?.prefixes).toEqual(prefixes);
  });
});
