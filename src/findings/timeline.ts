/**
 * The leak timeline of a history audit: one finding per secret (per fingerprint), not one per
 * blob that carried it. The finding kept is the earliest (when the secret first entered the
 * repository); it gains how many commits and which paths carried the same secret, and is
 * `presentAtHead` if any of those paths still holds it at HEAD.
 */
import { compareFindings, type Finding } from './finding.js';

export function groupByFingerprint(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.fingerprint);
    if (group) group.push(finding);
    else groups.set(finding.fingerprint, [finding]);
  }
  const grouped: Finding[] = [];
  for (const group of groups.values()) {
    // ISO dates compare as strings; on a tie, the order git listed them (oldest first) stands.
    const first = group.reduce((a, b) => ((b.commit?.date ?? '') < (a.commit?.date ?? '') ? b : a));
    grouped.push({
      ...first,
      presentAtHead: group.some((f) => f.presentAtHead === true) ? true : first.presentAtHead,
      occurrences: {
        commits: new Set(group.map((f) => f.commit?.sha).filter((sha) => sha !== undefined)).size,
        paths: [...new Set(group.map((f) => f.path))].sort(),
        blobs: new Set(group.map((f) => f.blob).filter((blob) => blob !== undefined)).size,
      },
    });
  }
  return grouped.sort(compareFindings);
}
