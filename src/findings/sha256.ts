/**
 * SHA-256 in hex, for fingerprints and the start-up cache's keys. A pre-commit run hashes a few
 * short texts, and loading node:crypto costs ~3.5 ms of its start-up, so the first hashes use a
 * pure-JS SHA-256 (@noble/hashes: the same digest, ~8 µs a short hash). node:crypto hashes ~4×
 * faster, so a run that hashes many (an audit of a whole history) switches to it once loading it
 * has paid off, and so does a long text (a baseline, a rule set's keyword list), where the pure-JS
 * hash would take longer than the load.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { lazyCrypto } from '../lazy.js';

/** After this many hashes the ~3.5 ms load of node:crypto costs less than the slower pure-JS hashes would. */
export const PURE_JS_HASHES = 512;
/** From this length on, node:crypto (load included) hashes a text faster than the pure-JS hash. */
const PURE_JS_MAX_LENGTH = 4096;
let hashed = 0;

export function sha256Hex(text: string): string {
  if (hashed < PURE_JS_HASHES && text.length < PURE_JS_MAX_LENGTH) {
    hashed++;
    return bytesToHex(sha256(text));
  }
  const crypto = lazyCrypto();
  // The one-shot hash (Node 20.12+) is ~2x faster than a Hash object for strings this short.
  return typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}
