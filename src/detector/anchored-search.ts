/**
 * A regex search that, when the keyword pass found where the regex's prefixes occur
 * (`FragmentRuleContext.starts`), tries the regex only there (sticky) instead of at every offset.
 * Both ways give the same matches in the same order: every match starts at a prefix, or
 * `lookback` characters before one (see regex-prefixes.ts), and the places are tried in order
 * from where the last match ended, as a global search goes on.
 */

export interface AnchoredRegex {
  /** The regex with the `g` flag (the search over the whole text). */
  global: RegExp;
  /** The same regex with the `y` flag (tried at one offset). */
  sticky: RegExp;
  /** How many characters before its prefix a match may start (0 or 1). */
  lookback: number;
  /**
   * Lowercase prefixes of this regex, when `starts` may hold other rules' anchors too: only the
   * starts where one of these occurs are tried.
   */
  prefixes?: readonly string[];
}

/** Both flavours of `source` (`flags` without `g`, `y` or `d`; `d` is added when `indices` is asked for). */
export function anchoredRegex(source: string, flags: string, options: { lookback?: number; prefixes?: readonly string[]; indices?: boolean } = {}): AnchoredRegex {
  const base = flags.replace(/[gyd]/g, '') + (options.indices ? 'd' : '');
  return { global: new RegExp(source, `g${base}`), sticky: new RegExp(source, `y${base}`), lookback: options.lookback ?? 0, prefixes: options.prefixes };
}

/**
 * Calls `visit` with each match of `regex` in `text`, in order, as `String.prototype.matchAll`
 * would find them. `visit` may return the offset where the search goes on (by default, the end of
 * the match). With `starts` (ascending offsets where a prefix occurs), only those places are tried.
 */
export function forEachMatch(text: string, regex: AnchoredRegex, starts: Int32Array | undefined, visit: (match: RegExpExecArray) => number | void): void {
  if (starts === undefined) {
    const { global } = regex;
    global.lastIndex = 0;
    for (let match = global.exec(text); match !== null; match = global.exec(text)) {
      const resume = visit(match);
      if (resume !== undefined) global.lastIndex = resume;
      else if (match[0].length === 0) global.lastIndex = advance(text, match.index, global.unicode);
    }
    return;
  }
  const { sticky, lookback, prefixes } = regex;
  let next = 0;
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k];
    if (start < next) continue;
    if (prefixes !== undefined && !prefixes.some((prefix) => startsWithFolded(text, start, prefix))) continue;
    for (let at = Math.max(next, start - lookback); at <= start; at++) {
      sticky.lastIndex = at;
      const match = sticky.exec(text);
      if (match === null) {
        next = at + 1;
        continue;
      }
      next = visit(match) ?? at + Math.max(1, match[0].length);
      break;
    }
  }
}

/** Where a global search goes on after an empty match at `index` (the spec's AdvanceStringIndex). */
function advance(text: string, index: number, unicode: boolean): number {
  return unicode && (text.codePointAt(index) ?? 0) > 0xffff ? index + 2 : index + 1;
}

/** Whether `text` has `lower` (lowercase ASCII) at `offset`, in any case. */
function startsWithFolded(text: string, offset: number, lower: string): boolean {
  if (offset + lower.length > text.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = text.charCodeAt(offset + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}
