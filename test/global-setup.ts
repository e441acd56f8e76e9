/**
 * Runs once before the test files: every CLI the tests start gets a start-up cache of its own
 * (src/config/startup-cache.ts) in a temp folder, never the user's ~/.cache, and it goes at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'leakproof-test-cache-'));
  process.env.LEAKPROOF_CACHE_DIR = dir;
  delete process.env.LEAKPROOF_CACHE;
  return () => rmSync(dir, { recursive: true, force: true });
}
