/**
 * JUnit XML for CI test-report viewers (GitLab, Jenkins, Azure DevOps, …): one `<testsuite>` per
 * file, one failing `<testcase>` per finding. A clean scan is one passing test case, so viewers
 * show that the check ran rather than an empty report.
 */
import type { ReportedFinding } from '../findings/finding.js';
import type { Reporter, RuleInfo } from './types.js';
import { findingList } from './stream.js';

// XML 1.0 cannot hold these even as character references: C0 controls other than tab/LF/CR,
// U+FFFE/U+FFFF and unpaired surrogates. File names can contain them, so they become U+FFFD.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also escape quotes and keep line breaks and tabs (parsers turn raw ones into spaces). */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

function failureBody(f: ReportedFinding, rule: RuleInfo | undefined): string {
  const lines = [`Severity: ${f.severity}`, `Rule: ${f.ruleId} (${rule?.description ?? f.message})`, `Location: ${f.file}:${f.line}:${f.column}`];
  if (f.redacted.length > 0) lines.push(`Value: ${f.redacted}`);
  if (f.commit) {
    const head = f.presentAtHead === undefined ? '' : f.presentAtHead ? ', still at HEAD' : ', removed since';
    lines.push(`Commit: ${f.commit.sha} (${f.commit.date}, ${f.commit.author}${head})`);
  }
  if (f.verified !== undefined) lines.push(`Verified: ${f.verified}${f.access ? ` (${f.access} access)` : ''}`);
  if (rule?.remediation) lines.push(`How to fix: ${oneLine(rule.remediation)}`);
  return lines.join('\n');
}

function testcase(f: ReportedFinding, rule: RuleInfo | undefined): string {
  // `found:` rather than `key: value`, so the report does not read as an assignment to secret scanners.
  const message = f.redacted.length > 0 ? `${f.message} found: ${f.redacted.split(/\r?\n/)[0]}` : f.message;
  return [
    `    <testcase classname="${xmlAttr(f.file)}" name="${xmlAttr(`${f.ruleId} at ${f.line}:${f.column}`)}" file="${xmlAttr(f.file)}" line="${f.line}" time="0">`,
    `      <failure type="${xmlAttr(f.ruleId)}" message="${xmlAttr(message)}">${xmlText(failureBody(f, rule))}</failure>`,
    '    </testcase>',
  ].join('\n');
}

export const junitReporter: Reporter = function* (input) {
  const { stats } = input;
  const findings = findingList(input.findings);
  const ruleById = new Map(input.rules.map((r) => [r.id, r]));
  const byFile = new Map<string, number[]>();
  for (let i = 0; i < findings.length; i++) {
    const { file } = findings.head(i);
    const list = byFile.get(file);
    if (list === undefined) byFile.set(file, [i]);
    else list.push(i);
  }
  const total = seconds(stats.durationMs);
  const tests = Math.max(findings.length, 1);
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="leakproof" tests="${tests}" failures="${findings.length}" errors="0" time="${total}">\n`;
  if (findings.length === 0) {
    yield `  <testsuite name="leakproof" tests="1" failures="0" errors="0" skipped="0" time="${total}">\n`;
    yield `    <testcase classname="leakproof" name="no secrets found (${stats.filesScanned} files scanned)" time="${total}"/>\n`;
    yield '  </testsuite>\n';
  }
  for (const [file, list] of byFile) {
    yield `  <testsuite name="${xmlAttr(file)}" tests="${list.length}" failures="${list.length}" errors="0" skipped="0" time="0">\n`;
    for (const i of list) {
      const f = findings.at(i);
      yield `${testcase(f, ruleById.get(f.ruleId))}\n`;
    }
    yield '  </testsuite>\n';
  }
  yield '</testsuites>\n';
};
