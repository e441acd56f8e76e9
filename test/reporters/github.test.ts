/** GitHub Actions annotations: levels, locations, and escaping of `%`, `:`, `,` and line breaks. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/reporters/index.js';
import { escapeData, escapeProperty, githubReporter } from '../../src/reporters/github.js';
import type { ReportedFinding } from '../../src/findings/finding.js';
import { fixtureInput } from './fixture.js';

/** What the Actions runner does with a property value: the inverse of the escaping, in reverse order. */
function unescapeProperty(value: string): string {
  return value.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

describe('github reporter', () => {
  it('escapes percent signs, line breaks, colons and commas', () => {
    expect(escapeData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b');
    expect(escapeProperty('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext%3A a%2C b');
    // `%` goes first, so an already-escaped-looking input round-trips instead of being decoded.
    expect(escapeProperty('literal %2C and %0A')).toBe('literal %252C and %250A');
    for (const s of ['a,b:c%d\ne\rf', '%%3A,,::', 'C:\\dir\\file, v2.txt']) expect(unescapeProperty(escapeProperty(s))).toBe(s);
  });

  it('writes one escaped annotation line per finding, even for hostile paths and messages', () => {
    const base = fixtureInput();
    const hostile: ReportedFinding = {
      ...base.findings.find((f) => f.ruleId === 'generic-secret-assignment')!,
      file: 'odd dir/a,b:c%20\nd.env',
      message: 'Secret: 100% real,\nreally',
    };
    const out = renderReport(githubReporter, { ...base, findings: [hostile] });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `::error file=odd dir/a%2Cb%3Ac%2520%0Ad.env,line=9,endLine=9,col=23,endColumn=47,title=generic-secret-assignment (high)::Secret: 100%25 real,%0Areally found: ${hostile.redacted}%0AHow to fix: Rotate the secret with its provider and load it from the environment.`,
    );
    expect(lines[1]).toBe('leakproof: 1 secret in 1 file (1 high) · 1,204 files scanned');
  });

  it('maps severities to error, warning and notice', () => {
    const input = fixtureInput();
    const out = renderReport(githubReporter, { ...input, findings: (['critical', 'high', 'medium', 'low', 'info'] as const).map((severity) => ({ ...input.findings[0], severity })) });
    expect(out.split('\n').slice(0, 5).map((l) => l.split(' ')[0])).toEqual(['::error', '::error', '::warning', '::notice', '::notice']);
  });

  it('adds the commit of a history finding', () => {
    const out = renderReport(githubReporter, fixtureInput());
    const line = out.split('\n').find((l) => l.includes('file=config/old settings.js'))!;
    expect(line).toContain('%0ACommit 4b825dc642cb (2024-03-01, removed since)%0A');
  });

  it('says when --verify found the key live', () => {
    const line = renderReport(githubReporter, fixtureInput()).split('\n').find((l) => l.includes('file=src/email.ts,line=2,'))!;
    expect(line).toContain('%0AVerified live (full access): rotate it now%0A');
  });
});
