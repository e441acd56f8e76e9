/**
 * ReDoS check of every built-in rule regex with the recheck analyser. V8's regex engine
 * backtracks, so a catastrophic regex would hang scans on hostile or unlucky input. recheck
 * reports bounded repeats (`{0,40}`) as polynomial even when they are linear in practice, and its
 * fuzzer's verdict varies from run to run (the same regex came back "4th degree polynomial" here and
 * "exponential" on a loaded CI machine). So any report is confirmed (or refuted) by timing its own
 * attack string at two sizes, each under a hard time limit so that a truly catastrophic regex fails
 * instead of hanging the suite.
 */
import vm from 'node:vm';
import { check } from 'recheck';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR, loadRuleDir } from '../src/config/rules.js';

const defs = await loadRuleDir(BUILTIN_RULES_DIR, { checkSpeed: false });

type Attack = { pumps: { prefix: string; pump: string }[]; suffix: string };

function attackString(attack: Attack, targetLength: number): string {
  const pumpLength = attack.pumps.reduce((n, p) => n + p.pump.length, 0) || 1;
  const count = Math.max(1, Math.round(targetLength / pumpLength));
  return attack.pumps.map((p) => p.prefix + p.pump.repeat(count)).join('') + attack.suffix;
}

const TIME_LIMIT_MS = 5_000;

/** Best of three runs consuming every match (as a scan does); Infinity past TIME_LIMIT_MS. */
function timeMs(regex: RegExp, text: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    try {
      // vm's timeout interrupts V8 inside a backtracking regex; a plain loop could not be stopped.
      vm.runInNewContext('for (const _ of text.matchAll(regex));', { regex, text }, { timeout: TIME_LIMIT_MS });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return Infinity;
      throw error;
    }
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('built-in rule regexes have no catastrophic backtracking', () => {
  it.concurrent.each(defs.map((d) => [d.id, d] as const))('%s', async (_, def) => {
    const flags = (def.flags ?? '').replace(/[gd]/g, '');
    // The automaton checker is exact and fast, but gives up on lookbehinds and some bounded
    // repeats; those regexes go to recheck's fuzzer.
    let result = await check(def.regex, flags, { checker: 'automaton', timeout: 10_000 });
    if (result.status === 'unknown') result = await check(def.regex, flags, { checker: 'fuzz', timeout: 60_000 });
    if (result.status !== 'vulnerable') return;
    const regex = new RegExp(def.regex, `g${flags}`);
    const small = timeMs(regex, attackString(result.attack, 20_000));
    expect(small, `${def.id}: over ${TIME_LIMIT_MS} ms on a 20k-character attack (${result.complexity.summary})`).toBeLessThan(Infinity);
    const large = timeMs(regex, attackString(result.attack, 80_000));
    expect(large, `${def.id}: over ${TIME_LIMIT_MS} ms on an 80k-character attack (${result.complexity.summary})`).toBeLessThan(Infinity);
    // Linear grows ×4 from 20k to 80k characters, quadratic ×16; allow noise on tiny timings.
    expect(large < 40 || large / Math.max(small, 0.5) < 8, `${def.id}: ${small.toFixed(1)} ms → ${large.toFixed(1)} ms (${result.complexity.summary})`).toBe(true);
    // Beyond both checkers' budgets (10 s + 60 s) and the timings (at most 6 × 5 s): a slow fuzz on
    // a loaded machine is not a failure.
  }, 120_000);
});
