/** JUnit XML: one test case per finding, grouped by file, well-formed even for hostile paths. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/reporters/index.js';
import { junitReporter, xmlAttr, xmlText } from '../../src/reporters/junit.js';
import type { ReportedFinding } from '../../src/findings/finding.js';
import { cleanInput, fixtureInput } from './fixture.js';

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(value: string): string {
  return value.replace(/&(#\d+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    if (!(name in ENTITIES)) throw new Error(`unknown entity ${whole}`);
    return ENTITIES[name];
  });
}

/**
 * A strict little parser for the XML subset a JUnit report uses (declaration, elements,
 * attributes, text): it throws on anything not well-formed, e.g. a raw `<` or `&` in text, an
 * unquoted or duplicate attribute, a mismatched tag or a character XML 1.0 forbids.
 */
function parseXml(xml: string): Element {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) throw new Error('character not allowed in XML 1.0');
  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  const root: Element = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  while (rest.length > 0) {
    const top = stack[stack.length - 1];
    const text = /^[^<]+/.exec(rest);
    if (text) {
      if (/&(?!(#\d+|amp|lt|gt|quot|apos);)/.test(text[0]) || text[0].includes('>')) throw new Error(`bad text: ${text[0]}`);
      top.text += decode(text[0]);
      rest = rest.slice(text[0].length);
      continue;
    }
    const close = /^<\/([A-Za-z]+)>/.exec(rest);
    if (close) {
      if (close[1] !== top.name) throw new Error(`</${close[1]}> closes <${top.name}>`);
      stack.pop();
      rest = rest.slice(close[0].length);
      continue;
    }
    const open = /^<([A-Za-z]+)((?:\s+[A-Za-z]+="[^"<]*")*)\s*(\/?)>/.exec(rest);
    if (!open) throw new Error(`not well-formed at: ${rest.slice(0, 60)}`);
    const attrs: Record<string, string> = {};
    for (const [, key, value] of open[2].matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
      if (key in attrs) throw new Error(`duplicate attribute ${key}`);
      if (/&(?!(#\d+|amp|lt|gt|quot|apos);)/.test(value)) throw new Error(`bad attribute value: ${value}`);
      attrs[key] = decode(value);
    }
    const element: Element = { name: open[1], attrs, children: [], text: '' };
    top.children.push(element);
    if (open[3] !== '/') stack.push(element);
    rest = rest.slice(open[0].length);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  const elements = root.children;
  if (elements.length !== 1 || root.text.trim() !== '') throw new Error('expected exactly one root element');
  return elements[0];
}

describe('junit reporter', () => {
  it('groups findings by file, one failing test case each', () => {
    const root = parseXml(renderReport(junitReporter, fixtureInput()));
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '5', failures: '5', errors: '0', time: '0.912' });
    const suites = root.children.map((s) => [s.attrs.name, s.attrs.tests, s.children.map((c) => c.attrs.name)]);
    expect(suites).toEqual([
      ['.env', '1', ['dotenv-not-ignored at 1:1']],
      ['config/old settings.js', '1', ['resend-api-key at 4:15']],
      ['deploy/id_rsa', '1', ['private-key at 2:1']],
      ['src/email.ts', '2', ['resend-api-key at 2:28', 'generic-secret-assignment at 9:23']],
    ]);
    const failure = root.children[3].children[0].children[0];
    expect(failure.name).toBe('failure');
    expect(failure.attrs.type).toBe('resend-api-key');
    expect(failure.text).toMatch(/^Severity: critical\nRule: resend-api-key \(Resend API key\)\nLocation: src\/email\.ts:2:28\nValue: re_\w\w…\(36 chars\)\nVerified: live \(full access\)\nHow to fix: Create a new Resend API key/);
  });

  it('says which commit added a history finding', () => {
    const root = parseXml(renderReport(junitReporter, fixtureInput()));
    const failure = root.children[1].children[0].children[0];
    expect(failure.text).toContain('Commit: 4b825dc642cb6eb9a060e54bf8d69288fbee4904 (2024-03-01T10:00:00+00:00, Ada Lovelace, removed since)');
  });

  it('reports a clean scan as one passing test case', () => {
    const root = parseXml(renderReport(junitReporter, cleanInput()));
    expect(root.attrs).toMatchObject({ tests: '1', failures: '0' });
    expect(root.children[0].children.map((c) => [c.name, c.attrs.name, c.children.length])).toEqual([['testcase', 'no secrets found (1204 files scanned)', 0]]);
  });

  it('escapes markup, quotes, line breaks and characters XML cannot hold', () => {
    expect(xmlText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(xmlAttr(`"it's"\n\t<x>`)).toBe('&quot;it&apos;s&quot;&#10;&#9;&lt;x&gt;');
    expect(xmlText('bell\u0007 nul\u0000 lone\uD800 pair\uD83D\uDE00')).toBe('bell\uFFFD nul\uFFFD lone\uFFFD pair\uD83D\uDE00');

    const base = fixtureInput();
    const hostile: ReportedFinding = { ...base.findings[0], file: `we<ird> & "quoted" 'dir'/new\nline\u0001.env`, message: '<script>alert("x")</script> & more' };
    const root = parseXml(renderReport(junitReporter, { ...base, findings: [hostile] }));
    const testcase = root.children[0].children[0];
    expect(testcase.attrs.file).toBe(`we<ird> & "quoted" 'dir'/new\nline\uFFFD.env`);
    expect(testcase.children[0].attrs.message).toBe('<script>alert("x")</script> & more');
  });

  it('the well-formedness check can fail', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow(/closes/);
    expect(() => parseXml('<a>x & y</a>')).toThrow(/bad text/);
    expect(() => parseXml('<a b="1" b="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a>\u0001</a>')).toThrow(/not allowed/);
  });
});
