/** The terminal format: grouped by file, remediation once per rule, the summary line, colours only when asked. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/reporters/index.js';
import { formatBytes, formatDuration, textReporter } from '../../src/reporters/text.js';
import { cleanInput, fixtureInput } from './fixture.js';

/** Start of an ANSI colour sequence. */
const ESC = '\u001b[';

describe('text reporter', () => {
  it('ends with the summary line', () => {
    const lines = renderReport(textReporter, fixtureInput()).trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe('5 secrets in 4 files (3 critical, 1 high, 1 medium) · 1,204 files · 48 MB · 0.9 s · 2 files skipped (--verbose lists them)');
    expect(renderReport(textReporter, cleanInput()).trimEnd().split('\n').pop()).toBe('No secrets found · 1,204 files · 48 MB · 0.9 s · 2 files skipped (--verbose lists them)');
  });

  it('groups findings under their file', () => {
    const out = renderReport(textReporter, fixtureInput());
    expect(out.indexOf('src/email.ts\n')).toBeGreaterThan(-1);
    const block = out.slice(out.indexOf('src/email.ts\n'), out.indexOf('How to fix'));
    expect(block.match(/^ {2}src\/email\.ts:\d+:\d+/gm)).toEqual(['  src/email.ts:2:28', '  src/email.ts:9:23']);
  });

  it('prints the remediation steps once per rule, not once per finding', () => {
    const out = renderReport(textReporter, fixtureInput());
    // Two resend-api-key findings, one set of steps.
    expect(out.match(/resend-api-key {2}Resend API key/g)).toHaveLength(2);
    expect(out.match(/Create a new Resend API key with the same permission and domain scope/g)).toHaveLength(1);
    const fixes = out.slice(out.indexOf('How to fix')).split('\n').filter((l) => l.startsWith('  '));
    expect(fixes.map((l) => l.split(':')[0].trim())).toEqual(['dotenv-not-ignored', 'resend-api-key', 'private-key', 'generic-secret-assignment']);
  });

  it('marks history findings with their commit and whether they are still at HEAD', () => {
    expect(renderReport(textReporter, fixtureInput())).toMatch(/config\/old settings\.js:4:\d+ {2}critical {2}resend-api-key {2}Resend API key {2}4b825dc6 2024-03-01 {2}removed since/);
  });

  it('uses colours only when told to', () => {
    expect(renderReport(textReporter, fixtureInput({ color: false }))).not.toContain(ESC);
    expect(renderReport(textReporter, fixtureInput({ color: true }))).toContain(ESC);
  });

  it('lists skipped files with --verbose', () => {
    expect(renderReport(textReporter, fixtureInput({ verbose: true }))).toMatch(/Skipped\n {2}assets\/logo\.png {2}binary\n {2}dist\/bundle\.min\.js {2}larger than/);
  });

  it('formats sizes and durations compactly', () => {
    expect([0, 1023, 1024, 4300, 10 * 1024 * 1024 - 1, 48 * 1024 * 1024 + 9e5, 3 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KB', '4.2 KB', '10 MB', '49 MB', '3.0 GB']);
    expect([0.4, 84, 99.6, 100, 912.4, 12_345].map(formatDuration)).toEqual(['0 ms', '84 ms', '100 ms', '0.1 s', '0.9 s', '12.3 s']);
  });
});
