/** SARIF output: valid against the official 2.1.0 schema, and shaped the way GitHub code scanning reads it. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/reporters/index.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { cleanInput, fixtureInput, RULES } from './fixture.js';
import { errorsOf, sarifValidator } from './schemas.js';

interface Sarif {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; name: string; help: { text: string; markdown: string }; properties: Record<string, unknown> }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[];
      partialFingerprints: Record<string, string>;
      properties: Record<string, unknown>;
    }[];
  }[];
}

const validate = sarifValidator();

describe('sarif reporter', () => {
  it('validates against the SARIF 2.1.0 schema, with and without findings', () => {
    for (const input of [fixtureInput(), fixtureInput({ showSecrets: true }), cleanInput()]) {
      const log: unknown = JSON.parse(renderReport(sarifReporter, input));
      expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
    }
  });

  it('the schema check can fail: a broken log is rejected', () => {
    const log = JSON.parse(renderReport(sarifReporter, fixtureInput())) as Sarif;
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(log)).toBe(false);
    const noVersion = { ...JSON.parse(renderReport(sarifReporter, fixtureInput())), version: '2.0.0' };
    expect(validate(noVersion)).toBe(false);
  });

  it('has one run, the rules with results, and results that point at them', () => {
    const log = JSON.parse(renderReport(sarifReporter, fixtureInput())) as Sarif;
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    expect(run.tool.driver.name).toBe('leakproof');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['dotenv-not-ignored', 'resend-api-key', 'private-key', 'generic-secret-assignment']);
    expect(run.results).toHaveLength(5);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
  });

  it('describes each rule: name, help with remediation, security-severity as a number string', () => {
    const log = JSON.parse(renderReport(sarifReporter, fixtureInput())) as Sarif;
    const resend = log.runs[0].tool.driver.rules.find((r) => r.id === 'resend-api-key')!;
    expect(resend.name).toBe('ResendApiKey');
    expect(resend.help.text).toContain('Create a new Resend API key with the same permission and domain scope');
    expect(resend.help.markdown).toContain('**How to fix:**');
    expect(resend.properties).toMatchObject({ 'security-severity': '9.5', tags: ['security', 'secret'] });
    const severities = Object.fromEntries(log.runs[0].tool.driver.rules.map((r) => [r.id, Number(r.properties['security-severity'])]));
    expect(severities).toEqual({ 'dotenv-not-ignored': 5.5, 'resend-api-key': 9.5, 'private-key': 9.5, 'generic-secret-assignment': 8 });
  });

  it('gives results relative URIs under %SRCROOT%, regions, levels and fingerprints', () => {
    const log = JSON.parse(renderReport(sarifReporter, fixtureInput())) as Sarif;
    const byUri = new Map(log.runs[0].results.map((r) => [r.locations[0].physicalLocation.artifactLocation.uri, r]));
    expect([...byUri.keys()].sort()).toEqual(['.env', 'config/old%20settings.js', 'deploy/id_rsa', 'src/email.ts']);
    for (const r of log.runs[0].results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(r.partialFingerprints['leakproofFingerprint/v1']).toMatch(/^[0-9a-f]{32}$/);
    }
    const key = byUri.get('deploy/id_rsa')!;
    expect(key.level).toBe('error');
    expect(key.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 1, endLine: 10, endColumn: 23 });
    expect(byUri.get('.env')!.level).toBe('warning');
    expect(byUri.get('.env')!.message.text).toBe('.env file not covered by .gitignore');
  });

  it('keeps commit and presentAtHead of history findings in properties', () => {
    const log = JSON.parse(renderReport(sarifReporter, fixtureInput())) as Sarif;
    const old = log.runs[0].results.find((r) => r.locations[0].physicalLocation.artifactLocation.uri === 'config/old%20settings.js')!;
    expect(old.properties).toMatchObject({ presentAtHead: false, commit: { sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', author: 'Ada Lovelace' } });
    expect(old.message.text).toMatch(/\(commit 4b825dc642cb, removed since\)$/);
  });

  it('keeps the --verify verdict in properties and says so when a key is live', () => {
    const log = JSON.parse(renderReport(sarifReporter, fixtureInput())) as Sarif;
    const live = log.runs[0].results.find((r) => r.locations[0].physicalLocation.artifactLocation.uri === 'src/email.ts' && r.ruleId === 'resend-api-key')!;
    expect(live.properties).toMatchObject({ verified: 'live', access: 'full' });
    expect(live.message.text).toMatch(/\(verified live: rotate it now\)$/);
  });

  it('describes a rule missing from the rule list from the finding itself', () => {
    const input = fixtureInput();
    const log = JSON.parse(renderReport(sarifReporter, { ...input, rules: RULES.filter((r) => r.id !== 'private-key') })) as Sarif;
    const rule = log.runs[0].tool.driver.rules.find((r) => r.id === 'private-key')!;
    expect(rule.name).toBe('PrivateKey');
    expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
  });
});
