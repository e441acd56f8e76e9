/** Decoding bytes into text: the fast path for valid UTF-8 must give exactly what TextDecoder gives. */
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/detector/utf8.js';

const reference = new TextDecoder('utf-8', { fatal: false });

/** `size` bytes: `prefix`, then ASCII letters with `piece` every 97 bytes (only where it fits whole). */
function text(size: number, piece: Uint8Array, prefix: number[] = []): Uint8Array {
  const out = new Uint8Array(size);
  out.set(prefix.slice(0, size));
  for (let i = prefix.length; i < size; i++) out[i] = 97 + (i % 26);
  for (let at = prefix.length + 13; at + piece.length <= size; at += 97) out.set(piece, at);
  return out;
}

const BOM = [0xef, 0xbb, 0xbf];
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('decodeUtf8', () => {
  const pieces: [string, Uint8Array][] = [
    ['Latin-1 letters (é ñ)', utf8('é ñ')],
    ['other BMP characters (€ 中)', utf8('€ 中')],
    ['astral characters (😀)', utf8('😀')],
    ['U+FFFD itself, valid', utf8('\uFFFD')],
    ['a lone continuation byte', new Uint8Array([0x80])],
    ['a cut 3-byte character', new Uint8Array([0xe2, 0x82])],
    ['an overlong encoding', new Uint8Array([0xc0, 0xaf])],
    ['an encoded surrogate', new Uint8Array([0xed, 0xa0, 0x80])],
    ['a byte that is never UTF-8', new Uint8Array([0xff])],
  ];
  const sizes = [0, 3, 100, 4095, 4096, 4097, 70_000];

  it.each(pieces)('%s: the same text as TextDecoder, at every size, with and without a byte-order mark', (_, piece) => {
    for (const size of sizes) {
      for (const prefix of [[], BOM, [...BOM, ...BOM]]) {
        const bytes = text(size, piece, prefix);
        expect(decodeUtf8(bytes), `${size} bytes, prefix ${prefix.length}`).toBe(reference.decode(bytes));
      }
    }
  });

  it('a text that ends in the middle of a character', () => {
    const cut = Uint8Array.from([...text(9_000, utf8('€')), 0xe2, 0x82]);
    expect(decodeUtf8(cut)).toBe(reference.decode(cut));
    expect(decodeUtf8(cut).endsWith('\uFFFD')).toBe(true);
  });
});
