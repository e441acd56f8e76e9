/**
 * SHA-256 in hex, for fingerprints. A pre-commit run hashes a few findings, and loading
 * node:crypto costs ~3.5 ms of its start-up, so the first hashes use a pure-JS SHA-256
 * (@noble/hashes: the same digest, ~8 µs a hash). node:crypto hashes ~4× faster, so a run that
 * hashes many (an audit of a whole history) switches to it once loading it has paid off.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { lazyCrypto } from '../lazy.js';

/** After this many hashes the ~3.5 ms load of node:crypto costs less than the slower pure-JS hashes would. */
export const PURE_JS_HASHES = 512;
let hashed = 0;

export function sha256Hex(text: string): string {
  if (hashed < PURE_JS_HASHES) {
    hashed++;
    return bytesToHex(sha256(text));
  }
  const crypto = lazyCrypto();
  // The one-shot hash (Node 20.12+) is ~2x faster than a Hash object for strings this short.
  return typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}
