/**
 * Runs every example of every rule file: a positive gives exactly one finding of its rule, a
 * negative none; with the prefilter on and off; keywords occur in every positive; each regex
 * finishes quickly on long near-miss input (V8 backtracks: a bad regex is a ReDoS hazard).
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleDir, BUILTIN_RULES_DIR } from '../src/config/rules.js';
import { RuleSet } from '../src/detector/detector.js';
import { compilePatternRule, type RuleExample } from '../src/detector/pattern-rule.js';
import { expandExample } from '../src/examples.js';
import { BUILTIN_CODE_RULES } from '../src/builtin/index.js';
import type { CodeRule } from '../src/plugins/api.js';
import type { Fragment } from '../src/sources/fragment.js';

const defs = await loadRuleDir(BUILTIN_RULES_DIR);
const all = new Map<string, CodeRule>(defs.map((d) => [d.id, compilePatternRule(d)]));
for (const [id, rule] of Object.entries(BUILTIN_CODE_RULES)) all.set(id, rule);
const ruleSet = new RuleSet(all, { cwd: process.cwd() });

const fragment = (text: string, path = 'example.txt'): Fragment => ({ text, path, startLine: 1, origin: 'directory' });
/** An example as a fragment: generator tokens expanded, at its own path if it names one. */
const exampleFragment = (example: RuleExample): Fragment =>
  typeof example === 'string' ? fragment(expandExample(example)) : fragment(expandExample(example.text), example.path);
const exampleText = (example: RuleExample): string => (typeof example === 'string' ? example : `${example.path}: ${example.text}`);

describe('rule files', () => {
  it('have unique ids that start with the file name', () => {
    const ids = defs.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const def of defs) {
      const file = basename(def.source!).replace(/\.ya?ml$/, '');
      expect(def.id === file || def.id.startsWith(`${file}-`), `${def.id} in ${file}.yaml`).toBe(true);
    }
  });

  it('every rule file is a .yaml file that loads', () => {
    const files = readdirSync(BUILTIN_RULES_DIR);
    expect(files.every((f) => f.endsWith('.yaml'))).toBe(true);
    expect(new Set(defs.map((d) => basename(d.source!))).size).toBe(files.length);
  });
});

for (const def of defs) {
  describe(`${def.id} (${join('rules', basename(def.source!))})`, () => {
    const positives = def.examples?.positive ?? [];
    const negatives = def.examples?.negative ?? [];

    it('has at least two positive and two negative examples, none duplicated', () => {
      expect(positives.length).toBeGreaterThanOrEqual(2);
      expect(negatives.length).toBeGreaterThanOrEqual(2);
      expect(new Set([...positives, ...negatives].map(exampleText)).size).toBe(positives.length + negatives.length);
    });

    it.each(positives.map((p) => [exampleText(p), p] as const))('positive: %s', (_, example) => {
      const input = exampleFragment(example);
      expect(def.keywords.some((k) => input.text.toLowerCase().includes(k.toLowerCase())), 'a keyword occurs in the example').toBe(true);
      for (const usePrefilter of [true, false]) {
        // Exactly one finding in all, of this rule: no other rule of equal or higher specificity claims it.
        const found = ruleSet.detect(input, usePrefilter).map((f) => f.ruleId);
        expect(found, `prefilter ${usePrefilter}`).toEqual([def.id]);
      }
    });

    it.each(negatives.map((n) => [exampleText(n), n] as const))('negative: %s', (_, example) => {
      const input = exampleFragment(example);
      for (const usePrefilter of [true, false]) {
        const found = ruleSet.detect(input, usePrefilter).filter((f) => f.ruleId === def.id);
        expect(found, `prefilter ${usePrefilter}`).toHaveLength(0);
      }
    });

    it('prefilter on and off give the same findings on every example', () => {
      for (const example of [...positives, ...negatives]) {
        const input = exampleFragment(example);
        const on = ruleSet.detect(input, true).map((f) => `${f.ruleId}@${f.line}:${f.column}`);
        const off = ruleSet.detect(input, false).map((f) => `${f.ruleId}@${f.line}:${f.column}`);
        expect(on.sort(), exampleText(example)).toEqual(off.sort());
      }
    });

    it('finishes quickly on long near-miss input', () => {
      const rule = new RuleSet(new Map([[def.id, compilePatternRule(def)]]), { cwd: '.' });
      const keyword = def.keywords[0] ?? '';
      const inputs = [
        `${keyword}${'a'.repeat(50_000)}`,
        `${keyword}=${'a1'.repeat(25_000)}`,
        `${keyword} ${'-'.repeat(20_000)}${'='.repeat(20_000)}`,
        `${keyword}${'A0+/'.repeat(12_000)}\n`.repeat(2),
        `${keyword}: "${'x_'.repeat(25_000)}`,
        Array.from({ length: 2_000 }, () => `${keyword}=`).join(' '),
      ];
      for (const text of inputs) {
        for (const usePrefilter of [false, true]) {
          const started = performance.now();
          rule.detect(fragment(text), usePrefilter);
          expect(performance.now() - started, `${def.id} on ${text.slice(0, 20)}… (prefilter ${usePrefilter})`).toBeLessThan(1_000);
        }
      }
    });
  });
}

describe('anchored rules (regex tried only where the keyword pass found one of its prefixes)', () => {
  // Every positive example of every rule in one file, between characters of 1 to 4 UTF-8 bytes,
  // so that byte offsets and text offsets differ more and more along the file.
  const positives = defs.flatMap((d) => (d.examples?.positive ?? []).filter((e): e is string => typeof e === 'string').map((e) => expandExample(e)));
  const separators = [' é ', '\n— ', ' 中文 ', '\n😀 ', '\n'];
  const text = positives.map((p, i) => `${p}${separators[i % separators.length]}`).join('');
  const findings = (input: Fragment | { bytes: Uint8Array; path: string; startLine: number; origin: 'directory' }, usePrefilter: boolean) =>
    ruleSet.detect(input, usePrefilter).map((f) => `${f.ruleId}@${f.line}:${f.column}-${f.endLine}:${f.endColumn}`).sort();
  const bytes = (...parts: (string | number[])[]) => ({ bytes: Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))), path: 'all.txt', startLine: 1, origin: 'directory' as const });

  it('most rules have prefixes, the generic rule among them', () => {
    const anchored = [...all.values()].filter((r) => r.meta.anchors?.length);
    expect(anchored.length).toBeGreaterThan(90);
    expect(all.get('generic-secret-assignment')!.meta.anchors).toContain('secret');
  });

  it('find what a search of the whole text finds, in text, in UTF-8 bytes, after a byte-order mark and around invalid UTF-8', () => {
    const expected = findings(fragment(text), false);
    expect(expected.length).toBeGreaterThan(positives.length * 0.9);
    expect(findings(fragment(text), true)).toEqual(expected);
    expect(findings(bytes(text), true)).toEqual(expected);
    // The decoder drops a leading byte-order mark: offsets shift by its three bytes.
    expect(findings(bytes([0xef, 0xbb, 0xbf], text), true)).toEqual(expected);
    // A truncated sequence decodes to U+FFFD: offsets no longer map, so the rules search the whole text.
    const broken = bytes([0xe2, 0x82], ' ', text);
    expect(findings(broken, true)).toEqual(findings(broken, false));
    expect(findings(broken, true)).toHaveLength(expected.length);
  });
});
