/** Helpers for reporters that write their report piece by piece. */
import { reportedList, type ReportedFinding, type ReportedFindings } from '../findings/finding.js';
import type { Reporter, ReportInput } from './types.js';

/** The input's findings as a list, whether it came as an array of views or as a lazy list. */
export function findingList(findings: ReportInput['findings']): ReportedFindings {
  return Array.isArray(findings) ? reportedList(findings as readonly ReportedFinding[]) : (findings as ReportedFindings);
}

/** The whole report as one string (tests, and callers that want it in memory). */
export function renderReport(reporter: Reporter, input: ReportInput): string {
  return [...reporter(input)].join('');
}

/** Stands for the streamed array inside a `streamJson` document; no real value is this string. */
export const ITEMS_HERE: unknown = '\u0000leakproof:items\u0000';

/**
 * `JSON.stringify(document, null, 2)` with `items` in place of the one `ITEMS_HERE` value, written
 * one item at a time: the same bytes, without the whole document in memory.
 */
export function* streamJson(document: unknown, items: Iterable<unknown>): Generator<string> {
  const text = JSON.stringify(document, null, 2);
  const marker = JSON.stringify(ITEMS_HERE);
  const at = text.indexOf(marker);
  const indent = text.slice(text.lastIndexOf('\n', at) + 1).match(/^ */)![0];
  const itemIndent = `${indent}  `;
  yield `${text.slice(0, at)}[`;
  let count = 0;
  for (const item of items) {
    // JSON escapes line breaks inside strings, so every '\n' here is the layout's own.
    yield `${count++ === 0 ? '\n' : ',\n'}${itemIndent}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${itemIndent}`)}`;
  }
  yield `${count === 0 ? '' : `\n${indent}`}]${text.slice(at + marker.length)}\n`;
}
