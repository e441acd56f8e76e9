/**
 * What the bundles give @noble/hashes for its `@noble/hashes/crypto` import (see build-cli.ts).
 * The library uses it only for random bytes, which leakproof never asks of it, and the real module
 * loads node:crypto as the bundle starts: the ~3.5 ms that hashing in pure JS is there to save.
 */
export const crypto = undefined;
