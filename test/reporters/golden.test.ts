/**
 * Golden files: every reporter on the fixed input of ./fixture.ts, compared byte for byte with
 * fixtures/expected/. The goldens hold only redacted output.
 *
 * To regenerate them after an intended change (and review the diff before committing):
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/reporters
 *
 * Without UPDATE_GOLDEN, a missing or different golden file fails the test.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORTERS, renderReport } from '../../src/reporters/index.js';
import { REPO_ROOT } from '../helpers/index.js';
import { reportedFindings } from '../../src/findings/finding.js';
import { cleanInput, fixtureFindings, fixtureInput, SECRETS } from './fixture.js';

const EXTENSION: Record<string, string> = { text: 'txt', json: 'json', sarif: 'sarif', junit: 'xml', github: 'txt' };

function expectGolden(name: string, actual: string): void {
  const file = join(REPO_ROOT, 'fixtures/expected', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file fixtures/expected/${name} is missing; create it with UPDATE_GOLDEN=1 npx vitest run test/reporters`);
  expect(actual, `fixtures/expected/${name} (regenerate with UPDATE_GOLDEN=1 if the change is intended)`).toBe(readFileSync(file, 'utf8'));
}

/** Every 8-character slice of each raw secret: a redacted report must contain none of them. */
function secretSlices(): string[] {
  const slices: string[] = [];
  for (const secret of Object.values(SECRETS)) {
    const flat = secret.replace(/\s+/g, '');
    for (let i = 0; i + 8 <= flat.length; i += 4) slices.push(flat.slice(i, i + 8));
  }
  return slices;
}

describe('reporter golden files', () => {
  for (const [format, reporter] of Object.entries(REPORTERS)) {
    it(`${format}: findings`, () => {
      expectGolden(`report.${format}.${EXTENSION[format]}`, renderReport(reporter, fixtureInput()));
    });
    it(`${format}: clean run`, () => {
      expectGolden(`clean.${format}.${EXTENSION[format]}`, renderReport(reporter, cleanInput()));
    });
    it(`${format}: the same bytes from the list the CLI passes (views built one at a time)`, () => {
      const lazy = reportedFindings(fixtureFindings(), { showSecrets: false });
      expect(renderReport(reporter, { ...fixtureInput(), findings: lazy })).toBe(renderReport(reporter, fixtureInput()));
      expect(renderReport(reporter, { ...cleanInput(), findings: reportedFindings([], { showSecrets: false }) })).toBe(renderReport(reporter, cleanInput()));
    });
  }

  it('has a golden extension for every format', () => {
    expect(Object.keys(REPORTERS).sort()).toEqual(Object.keys(EXTENSION).sort());
  });
});

describe('redaction in every format', () => {
  const slices = secretSlices();

  for (const [format, reporter] of Object.entries(REPORTERS)) {
    it(`${format}: no raw secret without --show-secrets`, () => {
      const out = renderReport(reporter, fixtureInput({ verbose: true }));
      const leaked = slices.filter((s) => out.includes(s));
      expect(leaked).toEqual([]);
      // The redacted form is there instead.
      expect(out).toContain(`${SECRETS.resend.slice(0, 5)}…(36 chars)`);
    });

    it(`${format}: the secret is printed with --show-secrets`, () => {
      const out = renderReport(reporter, fixtureInput({ showSecrets: true }));
      expect(out).toContain(SECRETS.resend);
      expect(out).toContain(SECRETS.generic);
    });
  }
});
