/** streamJson: the bytes of JSON.stringify(document, null, 2), written one array item at a time. */
import { describe, expect, it } from 'vitest';
import { ITEMS_HERE, streamJson } from '../../src/reporters/stream.js';

describe('streamJson', () => {
  const items = [{ a: 1, text: 'two\nlines and "quotes" \u2028 é' }, { nested: { list: [1, [2, { b: null }]], empty: [] } }, 'plain', 3, []];
  it.each([
    ['top level', (list: unknown) => list],
    ['in an object', (list: unknown) => ({ version: 1, findings: list, stats: { n: 2 } })],
    ['deep inside', (list: unknown) => ({ runs: [{ tool: { name: 'x' }, results: list, after: [] }] })],
  ])('%s: same bytes as JSON.stringify, with items and with none', (_, shape) => {
    for (const list of [items, []]) {
      expect([...streamJson(shape(ITEMS_HERE), list)].join('')).toBe(`${JSON.stringify(shape(list), null, 2)}\n`);
    }
  });
});
