import type { Reporter } from './types.js';
import { findingList, ITEMS_HERE, streamJson } from './stream.js';

/**
 * The stable machine format (documented in the README): `{"version":1,"findings":[…],"stats":{…}}`.
 * Fields are only ever added, never renamed.
 */
export const jsonReporter: Reporter = (input) => {
  const { stats } = input;
  const findings = findingList(input.findings);
  const document = {
    version: 1,
    findings: ITEMS_HERE,
    stats: {
      filesScanned: stats.filesScanned,
      bytesScanned: stats.bytesScanned,
      filesSkipped: stats.filesSkipped,
      ...(stats.filesFromCache === undefined ? {} : { filesFromCache: stats.filesFromCache }),
      durationMs: Math.round(stats.durationMs),
    },
  };
  return streamJson(document, withoutSnippets());

  function* withoutSnippets() {
    for (let i = 0; i < findings.length; i++) {
      const { snippet: _snippet, ...rest } = findings.at(i, { snippet: false });
      yield rest;
    }
  }
};
