/**
 * `testRule()`: the rule tester for plugin authors (and for our own rules). Call it inside a test
 * (`it('my rule', () => testRule(rule, cases))`); it throws an Error describing the first case
 * that fails. It also checks that no message contains the secret it reports.
 */
import { RuleSet } from './detector/detector.js';
import type { CodeRule } from './plugins/api.js';
import type { Fragment } from './sources/fragment.js';

export interface RuleTestCase {
  code: string;
  /** Path the text is scanned as (default `test.txt`). */
  path?: string;
}
export interface InvalidRuleTestCase extends RuleTestCase {
  /** Expected number of findings (default 1). */
  count?: number;
}
export interface RuleTestCases {
  valid: (string | RuleTestCase)[];
  invalid: (string | InvalidRuleTestCase)[];
}

export function testRule(rule: CodeRule, cases: RuleTestCases, id = 'rule-under-test'): void {
  const ruleSet = new RuleSet(new Map([[id, rule]]), { cwd: process.cwd() });
  const run = (c: RuleTestCase, usePrefilter: boolean) => {
    const fragment: Fragment = { text: c.code, path: c.path ?? 'test.txt', startLine: 1, origin: 'directory' };
    return ruleSet.detect(fragment, usePrefilter);
  };
  const normalize = (c: string | RuleTestCase): InvalidRuleTestCase => (typeof c === 'string' ? { code: c } : c);
  for (const raw of cases.valid) {
    const c = normalize(raw);
    for (const usePrefilter of [true, false]) {
      const found = run(c, usePrefilter);
      if (found.length > 0) throw new Error(`${id}: valid case reported ${found.length} finding(s) (prefilter ${usePrefilter ? 'on' : 'off'}): ${c.code.slice(0, 120)}`);
    }
  }
  for (const raw of cases.invalid) {
    const c = normalize(raw);
    const expected = c.count ?? 1;
    for (const usePrefilter of [true, false]) {
      const found = run(c, usePrefilter);
      if (found.length !== expected) {
        throw new Error(`${id}: invalid case expected ${expected} finding(s), got ${found.length} (prefilter ${usePrefilter ? 'on' : 'off'}): ${c.code.slice(0, 120)}`);
      }
      for (const f of found) {
        if (f.secret.length >= 4 && f.message.includes(f.secret)) throw new Error(`${id}: the message contains the secret it reports`);
      }
    }
  }
}
