import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PURE_JS_HASHES, sha256Hex } from '../../src/findings/sha256.js';
import { fingerprintOf } from '../../src/findings/finding.js';

const nodeSha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  // One run of this file goes through both implementations in order: pure JS first, then node:crypto.
  it('gives node:crypto’s digest before and after it switches to node:crypto', () => {
    const texts = ['', 'a', 'leakproof/v1\0secret\0resend-api-key\0re_x', 'ü€𝄞 multi-byte', 'lone \ud800 surrogate', 'x'.repeat(1000)];
    for (let i = 0; i < PURE_JS_HASHES + 50; i++) {
      const text = `${texts[i % texts.length]}${i}`;
      expect(sha256Hex(text), text).toBe(nodeSha256(text));
    }
  });

  it('gives the same digest for a long text (hashed with node:crypto at once)', () => {
    for (const text of ['k'.repeat(4095), 'k'.repeat(4096), 'ü'.repeat(70_000)]) expect(sha256Hex(text)).toBe(nodeSha256(text));
  });

  it('keeps fingerprints as they were: the first 32 hex chars of SHA-256 over the identity', () => {
    expect(fingerprintOf('resend-api-key', 're_secret', 'a.ts')).toBe(nodeSha256('leakproof/v1\0secret\0resend-api-key\0re_secret').slice(0, 32));
    expect(fingerprintOf('env-not-ignored', '', '.env')).toBe(nodeSha256('leakproof/v1\0file\0env-not-ignored\0.env').slice(0, 32));
  });
});
