/** The detector on its own: overlap handling, locations, and no quadratic blow-up in findings. */
import { describe, expect, it } from 'vitest';
import { detached, RuleSet } from '../../src/detector/detector.js';
import { compilePatternRule } from '../../src/detector/pattern-rule.js';
import type { CodeRule } from '../../src/plugins/api.js';
import { isPlaceholder } from '../../src/detector/secret-checks.js';
import { reportedFindings, type Finding, type ReportedFinding } from '../../src/findings/finding.js';
import type { Fragment } from '../../src/sources/fragment.js';
import { generate } from '../helpers/index.js';

const rule = (id: string, regex: string, specificity: 'provider' | 'format' | 'generic') =>
  [id, compilePatternRule({ id, description: id, provider: 'T', severity: 'high', keywords: ['tok'], regex, specificity })] as const;
const fragment = (text: string, path = 'a.txt'): Fragment => ({ text, path, startLine: 1, origin: 'directory' });

describe('detector', () => {
  const ruleSet = new RuleSet(
    new Map([rule('t-provider', '(tok_[a-z0-9]{12})', 'provider'), rule('t-format', '(tok_[a-z0-9_]{12,})', 'format'), rule('t-generic', 'key=(\\S+)', 'generic')]),
    { cwd: '.' },
  );

  it('keeps only the most specific of overlapping findings, and all of equal rank', () => {
    const found = ruleSet.detect(fragment('key=tok_a1b2c3d4e5f6 and tok_z9y8x7w6v5u4_extra'));
    expect(found.map((f) => `${f.ruleId}@${f.column}`)).toEqual(['t-provider@5', 't-provider@26']);
    const lone = ruleSet.detect(fragment('key=tokQ8Lm3Xv'));
    expect(lone.map((f) => f.ruleId)).toEqual(['t-generic']);
  });

  it('a subset of the rules (a config that disables some) reuses the prefilter tables of the whole set, and finds the same as tables built for it', () => {
    const kw = (id: string, keyword: string, regex: string) =>
      [id, compilePatternRule({ id, description: id, provider: 'T', severity: 'high', keywords: [keyword], regex, specificity: 'provider' })] as const;
    const all = [kw('t-a', 'aaa_', '(aaa_[a-z0-9]{12})'), kw('t-b', 'bbb_', '(bbb_[a-z0-9]{12})'), kw('t-c', 'ccc_', '(ccc_[a-z0-9]{12})')];
    const tables = new RuleSet(new Map(all), { cwd: '.' }).prefilterTables();
    const subset = new Map([all[0], all[2]]);
    const reusing = new RuleSet(subset, { cwd: '.', prefilter: tables });
    const fresh = new RuleSet(subset, { cwd: '.' });
    expect(reusing.prefilterTables()).toBe(tables);
    expect(fresh.prefilterTables()).not.toBe(tables);
    const texts = ['x aaa_q8lm3xv0k2zt y', 'bbb_q8lm3xv0k2zt only the left-out rule', 'ccc_q8lm3xv0k2zt and aaa_w1lm3xv0k2zt', ''];
    for (const text of texts) {
      const bytes = Buffer.from(text);
      const byReuse = reusing.detect({ bytes, path: 'a.txt', startLine: 1, origin: 'directory' });
      expect(byReuse.map((f) => f.ruleId), text).toEqual(fresh.detect({ bytes, path: 'a.txt', startLine: 1, origin: 'directory' }).map((f) => f.ruleId));
    }
    expect(reusing.detect(fragment('ccc_q8lm3xv0k2zt and aaa_w1lm3xv0k2zt')).map((f) => f.ruleId).sort()).toEqual(['t-a', 't-c']);
    // A config that keeps only a few of the rules: its own, smaller automaton is built.
    const few = new RuleSet(new Map([all[1]]), { cwd: '.', prefilter: tables });
    expect(few.prefilterTables()).not.toBe(tables);
    expect(few.detect(fragment('bbb_q8lm3xv0k2zt')).map((f) => f.ruleId)).toEqual(['t-b']);
    // Rules the tables do not hold (a config's own rule folders): tables are built for them.
    const extra = new RuleSet(new Map([all[0], kw('t-d', 'ddd_', '(ddd_[a-z0-9]{12})')]), { cwd: '.', prefilter: tables });
    expect(extra.prefilterTables()).not.toBe(tables);
    expect(extra.detect(fragment('ddd_q8lm3xv0k2zt')).map((f) => f.ruleId)).toEqual(['t-d']);
  });

  it('handles 100k findings in one fragment without quadratic work', () => {
    const id = (i: number) => `${i.toString(36).padStart(6, 'q')}x${((i * 7919) % 1e7).toString(36).padStart(5, 'k')}`;
    const tokens = Array.from({ length: 100_000 }, (_, i) => `tok_${id(i)}`);
    const started = performance.now();
    const found = ruleSet.detect(fragment(tokens.join(' ')));
    // A few generated ids look like placeholders (a run of six identical characters) and are dropped.
    expect(found).toHaveLength(tokens.filter((t) => !isPlaceholder(t)).length);
    expect(found.length).toBeGreaterThan(99_000);
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  /** Every finding's redacted view, built one at a time as a reporter does. */
  function views(found: readonly Finding[], options: { alsoOnLines?: readonly Finding[]; order?: number[] } = {}): ReportedFinding[] {
    const list = reportedFindings(found, { showSecrets: false, alsoOnLines: options.alsoOnLines });
    return (options.order ?? found.map((_, i) => i)).map((i) => list.at(i));
  }

  it('masks the secrets of dropped findings and of other findings on the line, whichever file the views are asked for first', () => {
    const [a, b, c] = [1, 2, 3].map((seed) => generate('tok_{{lowernum 12}}', seed));
    const inA = ruleSet.detect(fragment(`${a} ${b}\n`, 'a.txt'));
    const inB = ruleSet.detect(fragment(`${c} ${a}\n`, 'b.txt'));
    // b's finding in a.txt was dropped (say, allowed); it must still be masked in a's snippet.
    const dropped = inA.filter((f) => f.secret === b);
    const reported = [...inA.filter((f) => f.secret !== b), ...inB];
    for (const order of [[0, 1, 2], [1, 0, 2], [2, 0, 1, 2, 0]]) {
      for (const view of views(reported, { alsoOnLines: dropped, order })) {
        for (const secret of [a, b, c]) expect(view.snippet).not.toContain(secret);
      }
    }
  });

  it('computes line and column across CRLF and masks every secret on a line in snippets', () => {
    const a = generate('tok_{{lowernum 12}}', 1);
    const b = generate('tok_{{lowernum 12}}', 2);
    const found = ruleSet.detect(fragment(`first\r\nsecond ${a} ${b}\r\n`));
    expect(found.map((f) => [f.line, f.column, f.endColumn])).toEqual([
      [2, 8, 24],
      [2, 25, 41],
    ]);
    for (const reported of views(found)) {
      expect(reported.snippet).not.toContain(a);
      expect(reported.snippet).not.toContain(b);
    }
  });

  it('masks every secret in the snippets of a line with 20k distinct findings (no partial one where the line is cut), without quadratic work', () => {
    // 12 characters, no run of six alike (that would be a placeholder, not a finding).
    const id = (i: number) => `${i.toString(36).padStart(4, 'a')}x${((i * 7919) % 1e7).toString(36).padStart(5, 'k')}z9`;
    const tokens = Array.from({ length: 20_000 }, (_, i) => `tok_${id(i)}`);
    const found = ruleSet.detect(fragment(tokens.join(' ')));
    expect(found).toHaveLength(20_000);
    const started = performance.now();
    const reported = views(found);
    // A quadratic masking (every secret of the line replaced in every snippet) takes minutes here.
    expect(performance.now() - started).toBeLessThan(15_000);
    // Not a whole secret, nor the tail of one the cut went through (`…` marks the cut).
    for (const r of reported) expect(r.snippet, r.snippet).not.toMatch(/tok_[a-z0-9]{12}|^…[a-z0-9]/);
    expect(reported[500].snippet).toMatch(/^… tok_…\(16 chars\) tok_…\(16 chars\)/);
  });

  it('shows a finding on a long line in its snippet: the window starts just before it', () => {
    const token = generate('tok_{{lowernum 12}}', 7);
    const line = `${'word '.repeat(3000)}${token}${' more'.repeat(1000)}`;
    const [found] = ruleSet.detect(fragment(`${line}\n`));
    expect(found.column).toBe(15_001);
    const [view] = views([found]);
    expect(view.snippet).toMatch(/^… (word ){10,25}tok_…\(16 chars\)( more){10}/);
    expect(view.snippet).not.toContain(token);
  });

  it('shows a finding in the middle of a line of a few hundred characters in its snippet, and never part of a secret at the cut', () => {
    const [a, b] = [8, 9].map((seed) => generate('tok_{{lowernum 12}}', seed));
    const line = `${'alpha '.repeat(60)}${a} ${'beta '.repeat(40)}${b} tail`;
    const found = ruleSet.detect(fragment(`${line}\n`));
    expect(found.map((f) => f.column)).toEqual([361, 578]);
    const [first, second] = views(found);
    // The first finding's line shown from 100 characters before it, at a word's start.
    expect(first.snippet).toMatch(/^…alpha (alpha ){15}tok_…\(16 chars\) (beta )+/);
    // The second's window starts inside the first secret's reach: that secret shows masked, whole, or not at all.
    expect(second.snippet).toMatch(/^…(beta ){18,21}tok_…\(16 chars\) tail$/);
    // No part of a secret past its prefix, at either end of a cut.
    const parts = [a, b].flatMap((secret) => Array.from({ length: secret.length - 5 }, (_, k) => [secret.slice(0, k + 6), secret.slice(-(k + 6))]).flat());
    for (const view of [first, second]) for (const part of parts) expect(view.snippet).not.toContain(part);
    // A window that starts inside a secret shows it masked and whole, or not at all: a word-like
    // secret is skipped at the cut; one with a dash (this generic value) is masked.
    const snippetOf = (text: string, secret: string): string => {
      const found = ruleSet.detect(fragment(text));
      return views(found)[found.findIndex((f) => f.secret === secret)].snippet;
    };
    expect(snippetOf(`${'gamma '.repeat(50)}${a}${' '.repeat(90)}${b}\n`, b)).toBe('…tok_…(16 chars)');
    const dashed = generate('{{lower 4}}-{{lower 4}}-{{lower 4}}-{{lower 4}}', 10);
    const masked = snippetOf(`${'gamma '.repeat(50)}key=${dashed}${' '.repeat(90)}${b}\n`, b);
    expect(masked).toMatch(/^…[a-z]{4}…\(19 chars\) {90}tok_…\(16 chars\)$/);
    expect(masked).not.toContain(dashed.slice(9));
  });

  it('builds a view without its snippet when a report shows none: the same fields, no masking', () => {
    const [a, b] = [11, 12].map((seed) => generate('tok_{{lowernum 12}}', seed));
    const found = ruleSet.detect(fragment(`x ${a} y ${b}\n`));
    const list = reportedFindings(found, { showSecrets: false });
    for (let i = 0; i < found.length; i++) {
      const { snippet, ...rest } = list.at(i);
      expect(snippet).toContain('tok_…(16 chars)');
      expect(list.at(i, { snippet: false })).toEqual({ ...rest, snippet: '' });
    }
    const shown = reportedFindings(found, { showSecrets: true });
    expect(shown.at(0, { snippet: false }).secret).toBe(a);
  });

  it('runs a rule with anchors only where one occurs, from bytes and from text alike', () => {
    const calls: string[] = [];
    const anchored: CodeRule = {
      meta: { description: 'code', keywords: ['tok'], anchors: ['tok_'] },
      create: () => ({ fragment: (f) => void calls.push(f.path) }),
    };
    const ruleSet = new RuleSet(new Map([['t-code', anchored], rule('t-token', '(tok_[a-z0-9]{12})', 'provider')]), { cwd: '.' });
    const both = (text: string, path: string) => [
      ...ruleSet.detect(fragment(text, path)),
      ...ruleSet.detect({ bytes: Buffer.from(text), path, startLine: 1, origin: 'directory' }),
    ];
    // The keyword occurs, no anchor does: the handler is not called.
    expect(both('a token, tokens', 'keyword-only.txt')).toEqual([]);
    expect(calls).toEqual([]);
    // An anchor occurs: it is.
    expect(both('a token: tok_q8lm3xv0k2zt', 'anchor.txt').map((f) => `${f.ruleId}@${f.column}`)).toEqual(['t-token@10', 't-token@10']);
    expect(calls).toEqual(['anchor.txt', 'anchor.txt']);
  });

  it('secretFrom: a regex that starts at the literal middle reports the whole token, from the lookbehind group', () => {
    const head = generate('{{hex 32}}', 3);
    const midRule = compilePatternRule({ id: 't-mid', description: 'mid', provider: 'T', severity: 'high', keywords: ['-us'], regex: '-us(?<=(?<![A-Za-z0-9])(?<head>[a-f0-9]{32})-us)[0-9]{1,2}(?![A-Za-z0-9])', secretGroup: 0, secretFrom: 'head' });
    const mid = new RuleSet(new Map([['t-mid', midRule]]), { cwd: '.' });
    const found = mid.detect(fragment(`key: ${head}-us12\nnot: x${head}-us12`));
    expect(found.map((f) => [f.line, f.column, f.endColumn, f.secret])).toEqual([[1, 6, 6 + 37, `${head}-us12`]]);
  });
});

describe('detached', () => {
  it('copies every code unit: ASCII, Latin-1, other BMP characters, astral characters and lone surrogates', () => {
    const file = `${'x'.repeat(1000)}re_secret_ascii ÿé-latin1 €中文 𝄞astral \ud800lone \udfffhigh`;
    for (const [start, end] of [
      [1000, 1015],
      [1016, 1025],
      [1016, 1031],
      [1032, 1040],
      [1041, 1055],
      [0, file.length],
      [5, 5],
    ]) {
      const slice = file.slice(start, end);
      expect(detached(slice)).toBe(slice);
    }
  });
});

describe('isPlaceholder', () => {
  const real = 'Qz7kPw2mRt9vXb4n'; // no marker, no run, no sequence
  it('finds each kind of marker anywhere in the value, in any case, and nothing in a plain value', () => {
    expect(isPlaceholder(real)).toBe(false);
    for (const marker of ['EXAMPLE', 'xXxX', 'Your_', 'changeme', 'TODO', '${', '{{', '}}', '<', '>', '%s', '%(', '...', '***', '•', 'lorem', 'abcdefgh', 'QWERTYUIOP', '0123456789']) {
      expect(isPlaceholder(`${real.slice(0, 8)}${marker}${real.slice(8)}`), marker).toBe(true);
    }
  });

  it('takes the markers literally: a lone "." or "*" or "$" is not "...", "***" or "${"', () => {
    for (const near of ['.', '..', '*', '**', '$', '{', '%', '(']) expect(isPlaceholder(`${real.slice(0, 8)}${near}${real.slice(8)}`), near).toBe(false);
  });
});
