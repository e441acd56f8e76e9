/**
 * A load-time guard against catastrophic backtracking in user rules. V8's regex engine
 * backtracks (unlike RE2), so one bad user regex could make every scan hang. We run the regex on
 * near-miss inputs built from its keywords, growing them slowly (an exponential regex shows itself
 * at a few dozen characters, before it can hang us), and refuse it once a run exceeds the budget.
 * Built-in rules are also checked with the recheck ReDoS analyser in the test suite.
 */
import { nowMs } from '../clock.js';

const FILLERS = ['a', 'A', '0', 'aA0', ' ', '\t', '-', '_', '=', '/', '+', '.', ':', '"', "'", '\n', 'a=', 'a ', 'a-', 'a_', '\\n'];
const BUDGET_MS = 100;

/** Input lengths: +2 up to 48 (where exponential blow-up shows), then doubling up to 16k. */
const LENGTHS = [...Array.from({ length: 21 }, (_, i) => 8 + i * 2), 96, 192, 384, 768, 1536, 3072, 6144, 16384];

/** How long finding every match of `regex` (global) in `text` takes, as a scan finds them. */
function runMs(regex: RegExp, text: string): number {
  const started = nowMs();
  // exec on the one regex: matchAll clones it at every call, which was most of this check's cost
  // (~1.6 ms a rule, paid at every run by each rule of the config's rule folders).
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    if (match[0].length === 0) regex.lastIndex++;
  }
  return nowMs() - started;
}

/** Whether some near-miss input of up to 16k characters takes longer than the budget. */
export function isTooSlow(regex: RegExp, keywords: readonly string[]): boolean {
  const global = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
  const heads = keywords.length > 0 ? keywords.slice(0, 3) : [''];
  for (const head of heads) {
    for (const filler of [...FILLERS, `${head}=`]) {
      for (const length of LENGTHS) {
        const text = `${head}${filler.repeat(Math.ceil(length / filler.length))}`;
        // A second run confirms: one slow run can be the machine, not the regex.
        if (runMs(global, text) > BUDGET_MS && runMs(global, text) > BUDGET_MS) return true;
      }
    }
  }
  return false;
}
