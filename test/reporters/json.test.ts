/** The JSON report against its published schema (schema/report.schema.json). */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/reporters/index.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { cleanInput, fixtureInput } from './fixture.js';
import { errorsOf, reportValidator } from './schemas.js';

const validate = reportValidator();
const parse = (text: string) => JSON.parse(text) as { findings: Record<string, unknown>[]; stats: Record<string, unknown> };

describe('json reporter', () => {
  it('matches the published schema, with findings, with --show-secrets, and clean', () => {
    for (const input of [fixtureInput(), fixtureInput({ showSecrets: true }), cleanInput()]) {
      const report = parse(renderReport(jsonReporter, input));
      expect(validate(report), errorsOf(validate).join('\n')).toBe(true);
    }
  });

  it('keeps the optional history fields as they are', () => {
    const old = parse(renderReport(jsonReporter, fixtureInput())).findings.find((f) => f.file === 'config/old settings.js')!;
    expect(old.presentAtHead).toBe(false);
    expect(old.commit).toMatchObject({ sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', date: '2024-03-01T10:00:00+00:00' });
  });

  it('accepts fields added later, and rejects a report missing a required field or with a wrong type', () => {
    const report = parse(renderReport(jsonReporter, fixtureInput()));
    report.findings[0].verified = 'live';
    report.findings[0].access = 'full';
    report.findings[1].someFutureField = { any: 'shape' };
    expect(validate(report), errorsOf(validate).join('\n')).toBe(true);
    report.findings[0].verified = 'maybe';
    expect(validate(report)).toBe(false);

    const missing = parse(renderReport(jsonReporter, fixtureInput()));
    delete missing.findings[0].fingerprint;
    expect(validate(missing)).toBe(false);
    expect(errorsOf(validate).join('\n')).toMatch(/fingerprint/);

    const badSeverity = parse(renderReport(jsonReporter, fixtureInput()));
    badSeverity.findings[0].severity = 'urgent';
    expect(validate(badSeverity)).toBe(false);

    const badLine = parse(renderReport(jsonReporter, fixtureInput()));
    badLine.findings[0].line = 0;
    expect(validate(badLine)).toBe(false);

    const noStats = parse(renderReport(jsonReporter, fixtureInput())) as Partial<ReturnType<typeof parse>>;
    delete noStats.stats;
    expect(validate(noStats)).toBe(false);
  });
});
