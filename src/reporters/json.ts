import type { Reporter } from './types.js';

/**
 * The stable machine format (documented in the README): `{"version":1,"findings":[…],"stats":{…}}`.
 * Fields are only ever added, never renamed.
 */
export const jsonReporter: Reporter = ({ findings, stats }) => {
  const out = {
    version: 1,
    findings: findings.map((f) => {
      const { snippet: _snippet, ...rest } = f;
      return rest;
    }),
    stats: {
      filesScanned: stats.filesScanned,
      bytesScanned: stats.bytesScanned,
      filesSkipped: stats.filesSkipped,
      durationMs: Math.round(stats.durationMs),
    },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
};
