/**
 * The shared file queue of parallel directory scans, on the built worker (dist/, which `npm test`
 * builds first): a worker takes files until the queue is empty, finds what a scan on one thread
 * finds, and takes nothing once the queue is closed to it. Driven directly, not through `scan`,
 * where whether a worker joins before the main thread is done depends on timing.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { loadRuleDir } from '../../src/config/rules.js';
import { QUEUE_CLOSED, QUEUE_JOINED, QUEUE_OPEN, type WorkerInit } from '../../src/workers/protocol.js';
import { REPO_ROOT, resendKey, tempDir, writeFiles } from '../helpers/index.js';

type PoolModule = typeof import('../../src/workers/pool.js');
const { DetectPool } = (await import(pathToFileURL(join(REPO_ROOT, 'dist/workers/pool.js')).href)) as PoolModule;

function project(): { dir: string; files: string[] } {
  const dir = tempDir();
  const contents: Record<string, string> = { 'bin.dat': '\u0000binary' };
  for (let i = 0; i < 60; i++) contents[`src/f${i}.js`] = i % 6 === 0 ? `const k = "${resendKey(300 + i)}";\n` : `export const n${i} = ${i};\n`;
  writeFiles(dir, contents);
  return { dir, files: Object.keys(contents).sort() };
}

/** One worker on a fresh queue whose state for that worker is `state`: its result, and the queue after. */
async function runOnQueue(state: number, rules: Pick<WorkerInit, 'config' | 'userRuleDefs'> = { config: { baseDir: '.', config: {} }, userRuleDefs: [] }) {
  const { dir, files } = project();
  const queue = new Int32Array(new SharedArrayBuffer(8));
  queue[1] = state;
  const pool = DetectPool.open(1, { cwd: dir, ...rules });
  try {
    const [result] = await Promise.all(
      pool.runOnEach((worker) => ({ kind: 'queue', root: dir, files, queue: queue.buffer as SharedArrayBuffer, worker, maxFileSize: 1 << 20, usePrefilter: true })),
    );
    return { dir, files, queue, result };
  } finally {
    await pool.close();
  }
}

describe('shared file queue', () => {
  it('a worker takes every file left in the queue and finds what one thread finds', async () => {
    const { dir, files, queue, result } = await runOnQueue(QUEUE_OPEN);
    expect(queue[1]).toBe(QUEUE_JOINED);
    expect(queue[0]).toBeGreaterThanOrEqual(files.length);
    expect(result.filesScanned).toBe(60);
    // Marked as a skip the content decided (scan --cache remembers such files): the mark crosses the thread boundary.
    expect(result.skipped).toEqual([{ path: 'bin.dat', reason: 'binary', byContent: true }]);
    const alone = await scan({ paths: [dir], cwd: dir, jobs: 1 });
    const where = (f: { ruleId: string; path: string; line: number; column: number }) => `${f.ruleId} ${f.path}:${f.line}:${f.column}`;
    expect(result.findings.map(where).sort()).toEqual(alone.findings.map(where).sort());
    expect(result.findings).toHaveLength(10);
  });

  it('a worker compiles its rules from the config data it is given (rules.disable, extra rules), reading no file', async () => {
    const ruleDir = tempDir();
    // An extra rule that finds the numbers the project's files export, from a folder the worker is never told about.
    writeFiles(ruleDir, {
      'acme.yaml': [
        'provider: Acme',
        'remediation: Rotate it.',
        'rules:',
        '  - id: acme-number',
        '    description: An exported number',
        '    severity: low',
        '    keywords: [export]',
        "    regex: 'export const (n[0-9]+) = [0-9]+;'",
        '    examples:',
        "      positive: ['export const n1 = 1;']",
        "      negative: ['export const x = 1;']",
        '',
      ].join('\n'),
    });
    const userRuleDefs = await loadRuleDir(ruleDir);
    const { result } = await runOnQueue(QUEUE_OPEN, { config: { baseDir: '/nonexistent', config: { rules: { disable: ['resend-api-key'] } } }, userRuleDefs });
    const rules = new Set(result.findings.map((f) => f.ruleId));
    expect(rules.has('resend-api-key')).toBe(false);
    expect(result.findings.filter((f) => f.ruleId === 'acme-number')).toHaveLength(50);
  });

  it('a worker the queue was closed to takes nothing', async () => {
    const { queue, result } = await runOnQueue(QUEUE_CLOSED);
    expect(result).toMatchObject({ findings: [], filesScanned: 0, skipped: [] });
    expect(queue[0]).toBe(0);
  });
});
