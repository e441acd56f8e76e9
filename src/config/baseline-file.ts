/** Reading and writing `.leakproof-baseline.json` (see filters/baseline.ts for what it holds). */
import { lazyCrypto, lazyParsers } from '../lazy.js';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { serializeBaseline, type Baseline } from '../filters/baseline.js';
import { ConfigError } from './errors.js';
import { remembered } from './startup-cache.js';

export const BASELINE_NAME = '.leakproof-baseline.json';

/** zod only when a baseline exists (loaded on first use: this module stays light at start-up). */
function baselineSchema() {
  const { z } = lazyParsers();
  return z
    .object({
      version: z.literal(1),
      salt: z.string().regex(/^[0-9a-f]{32,128}$/, 'expected hex'),
      entries: z.array(z.object({ rule: z.string().min(1), path: z.string(), hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex hash') }).strict()),
    })
    .strict();
}

/** Reads a baseline file; a missing default file is simply no baseline. */
export function readBaseline(file: string, required: boolean): Baseline | undefined {
  if (!existsSync(file)) {
    if (required) throw new ConfigError(`baseline file ${file} does not exist`);
    return undefined;
  }
  let text: string;
  let data: unknown;
  try {
    text = readFileSync(file, 'utf8');
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`baseline file ${file}: invalid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  // The schema changes nothing it accepts, so a text validated before (see startup-cache.ts) is
  // used as parsed, without loading zod.
  remembered('baseline', text, () => {
    const parsed = baselineSchema().safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(`baseline file ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    }
    return true;
  });
  return data as Baseline;
}

export function newSalt(): string {
  return lazyCrypto().randomBytes(16).toString('hex');
}

/** Writes atomically (temp file + rename) so an interrupted run never leaves half a baseline. */
export function writeBaseline(file: string, baseline: Baseline): void {
  const temp = join(dirname(file), `.${Date.now()}.${process.pid}.leakproof-baseline.tmp`);
  try {
    writeFileSync(temp, serializeBaseline(baseline));
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new ConfigError(`baseline file ${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') ? file : rel;
}
