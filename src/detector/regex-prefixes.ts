/**
 * The literal prefixes of a regex: strings one of which every match starts with. A rule whose
 * matches all start with known literals need not be searched for everywhere: the keyword pass
 * finds where the literals occur, and the regex is tried only there (sticky). V8 scans fast only
 * for a regex that starts with one literal; an alternation (`key|secret|token…`) or a leading
 * class it tries at every position, 5–20× slower.
 *
 * The parser is conservative: anything it does not fully understand ends a prefix, and a regex
 * where some match could start with anything gives `undefined`. A prefix that is too short is
 * still correct (more places are tried); one that is too long would lose findings, so every rule
 * is also checked against its own examples with and without this (test/rules.test.ts).
 */

/** Beyond this many prefixes (alternations multiply), stop extending. */
const MAX_PREFIXES = 64;

/** The prefixes an expression can start with. `open`: every string is the whole text so far, so the next atom may extend it. */
interface Prefixes {
  strings: Set<string>;
  open: boolean;
}

/** Zero-width: `^`, `$`, `\b`, `\B` and lookarounds consume nothing, so prefixes run on past them. */
const ZERO_WIDTH = 'zero-width';

/**
 * Lowercase-insensitive prefixes, or undefined when some match may start anywhere. Only ASCII
 * prefixes are returned (the keyword pass matches ASCII, case-insensitively).
 */
export function regexPrefixes(source: string, flags = ''): string[] | undefined {
  if (flags.includes('u') || flags.includes('v')) return undefined; // other escape rules; none of ours
  let i = 0;

  const fail = (): never => {
    throw new Unparsed();
  };

  // Skips to the `)` closing the current group (or the end), honouring escapes and classes.
  const skipGroupRest = (): void => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i];
      if (c === '\\') i += 2;
      else if (c === '[') i = classEnd(i);
      else if (c === '(') {
        depth++;
        i++;
      } else if (c === ')') {
        if (depth === 0) return;
        depth--;
        i++;
      } else i++;
    }
  };

  const classEnd = (start: number): number => classEndIn(source, start) ?? fail();

  const alternation = (): Prefixes => {
    const strings = new Set<string>();
    let open = true;
    for (;;) {
      const alt = sequence();
      for (const s of alt.strings) strings.add(s);
      open &&= alt.open;
      if (source[i] !== '|') break;
      i++;
    }
    return { strings, open };
  };

  const sequence = (): Prefixes => {
    let strings = new Set(['']);
    let open = true;
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const atom = parseAtom();
      if (atom === ZERO_WIDTH) continue;
      const { min, max } = quantifier();
      if (!open) continue;
      if (atom === undefined || min === 0) {
        open = false;
        continue;
      }
      const next = new Set<string>();
      for (const a of strings) for (const b of atom.strings) next.add(a + b);
      if (next.size > MAX_PREFIXES) {
        open = false;
        continue;
      }
      strings = next;
      if (!atom.open || max !== 1) open = false;
    }
    return { strings, open };
  };

  const quantifier = (): { min: number; max: number } => {
    let min = 1;
    let max = 1;
    const c = source[i];
    if (c === '?') {
      min = 0;
      i++;
    } else if (c === '*') {
      min = 0;
      max = Infinity;
      i++;
    } else if (c === '+') {
      max = Infinity;
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
      if (m) {
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
        i += m[0].length;
      }
    }
    if (source[i] === '?' && (min !== 1 || max !== 1)) i++; // lazy
    return { min, max };
  };

  /** One atom: its prefixes, `ZERO_WIDTH`, or undefined for "consumes something unknown". */
  const parseAtom = (): Prefixes | typeof ZERO_WIDTH | undefined => {
    const c = source[i];
    if (c === '(') {
      i++;
      let zeroWidth = false;
      if (source.startsWith('?:', i)) i += 2;
      else if (source.startsWith('?=', i) || source.startsWith('?!', i)) {
        i += 2;
        zeroWidth = true;
      } else if (source.startsWith('?<=', i) || source.startsWith('?<!', i)) {
        i += 3;
        zeroWidth = true;
      } else if (source.startsWith('?<', i)) {
        const close = source.indexOf('>', i);
        if (close === -1) fail();
        i = close + 1;
      } else if (source[i] === '?') fail(); // a group syntax this parser does not know
      if (zeroWidth) {
        skipGroupRest();
        if (source[i] !== ')') fail();
        i++;
        return ZERO_WIDTH;
      }
      const inner = alternation();
      if (source[i] !== ')') fail();
      i++;
      return inner;
    }
    if (c === '[') {
      const end = classEnd(i);
      const body = source.slice(i + 1, end - 1);
      i = end;
      // A few listed letters or digits (`[Dd]`, `[sr]`): each is a prefix; anything else is unknown.
      return /^[A-Za-z0-9]{1,5}$/.test(body) ? { strings: new Set(body), open: true } : undefined;
    }
    if (c === '\\') {
      const d = source[i + 1];
      if (d === undefined) fail();
      i += 2;
      if (d === 'b' || d === 'B') return ZERO_WIDTH;
      if (/[^A-Za-z0-9]/.test(d)) return { strings: new Set([d]), open: true }; // escaped punctuation is itself
      // Classes, back-references and code escapes consume something: skip their payload.
      if (d === 'x') i += 2;
      else if (d === 'u') i += 4;
      else if (d === 'c') i += 1;
      else if (d === 'k') {
        const close = source.indexOf('>', i);
        i = close === -1 ? i : close + 1;
      } else if (d === 'p' || d === 'P') {
        const close = source.indexOf('}', i);
        i = close === -1 ? i : close + 1;
      }
      return undefined;
    }
    if (c === '^' || c === '$') {
      i++;
      return ZERO_WIDTH;
    }
    if (c === '.' || c === '*' || c === '+' || c === '?') {
      if (c !== '.') fail();
      i++;
      return undefined;
    }
    i++;
    return { strings: new Set([c]), open: true };
  };

  try {
    const result = alternation();
    if (i !== source.length) return undefined;
    const prefixes = [...new Set([...result.strings].map((s) => s.toLowerCase()))];
    // eslint-disable-next-line no-control-regex
    if (prefixes.length === 0 || prefixes.some((s) => s.length === 0 || /[^\x00-\x7f]/.test(s))) return undefined;
    // A prefix that contains another adds nothing: where it occurs, the shorter one does.
    return prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q))).sort();
  } catch (error) {
    if (error instanceof Unparsed) return undefined;
    throw error;
  }
}

class Unparsed extends Error {}

/** The index after the character class that starts at `start` (a `[`), or undefined if it never ends. */
function classEndIn(source: string, start: number): number | undefined {
  let j = start + 1;
  if (source[j] === '^') j++;
  if (source[j] === ']') j++;
  while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
  return j < source.length ? j + 1 : undefined;
}

/** Where a regex's matches start, relative to where one of its prefixes occurs. */
export interface RegexAnchoring {
  prefixes: string[];
  /** 1 when a match may start one character before its prefix (a leading `(?:^|[^A-Za-z0-9_])`). */
  lookback: 0 | 1;
}

/**
 * `regexPrefixes`, or for a regex that starts with a group taking at most one character before
 * its literal, the group's characters (`(?:^|[^A-Za-z0-9_])(ghp_…)`: boundary, then `ghp_`),
 * the prefixes after that group with a lookback of one: every match starts at a prefix or at the
 * character before it.
 */
export function regexAnchoring(source: string, flags = ''): RegexAnchoring | undefined {
  const prefixes = regexPrefixes(source, flags);
  if (prefixes) return { prefixes, lookback: 0 };
  const rest = afterOneCharacterGroup(source);
  if (rest === undefined) return undefined;
  // Cutting the group off the first alternative leaves the others whole: their matches start at
  // their prefix, which is among the places tried too.
  const after = regexPrefixes(source.slice(rest), flags);
  return after ? { prefixes: after, lookback: 1 } : undefined;
}

/** One character at most: a literal, an escape, a class or `.`, or nothing but `^`/`$`/`\b`. */
const AT_MOST_ONE_CHARACTER = /^(?:\^|\$|\\[bB])*(?:\\[^bBkcux0-9]|\[(?:\\.|[^\]\\])*\]|[^\\()[\]|?*+{}^$])?(?:\^|\$|\\[bB])*$/;

/** The index after a leading `(?:…|…)` whose every alternative takes at most one character, unquantified. */
function afterOneCharacterGroup(source: string): number | undefined {
  if (!source.startsWith('(?:')) return undefined;
  const alternatives: string[] = [];
  let start = 3;
  for (let i = 3; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const end = classEndIn(source, i);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (c === '(') return undefined; // nested groups: not this simple shape
    else if (c === '|' || c === ')') {
      alternatives.push(source.slice(start, i));
      start = i + 1;
      if (c === ')') {
        if (/^[?*+{]/.test(source.slice(i + 1))) return undefined;
        return alternatives.every((a) => AT_MOST_ONE_CHARACTER.test(a)) ? i + 1 : undefined;
      }
    }
  }
  return undefined;
}
