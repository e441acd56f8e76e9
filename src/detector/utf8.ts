/** Decoding the bytes sources read (files, blobs) into the text rules run on. */
import { isAscii, isUtf8, transcode } from 'node:buffer';

const UTF8 = new TextDecoder('utf-8', { fatal: false });
/** Node built without ICU has no `transcode`: then V8's decoder does it all. */
const CAN_TRANSCODE = typeof transcode === 'function';
/** Small files are left to V8 (bench/detect-pass.mjs over the work tree: 4.69 G instructions from 1,024 bytes, 4.74 G from 0, 4.75 G from 4,096). */
const TRANSCODE_MIN_BYTES = 1024;
/**
 * Large files are left to V8 too: the detour holds the UTF-16 twice for a moment (a buffer, then
 * the string), so a 50 MB file of non-ASCII text peaked at 263 MB instead of 188 MB.
 */
const TRANSCODE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * UTF-8 bytes as text, exactly as `TextDecoder` makes it: invalid bytes become U+FFFD, and a
 * leading byte-order mark is dropped. V8's decoder walks text that is not all ASCII twice, byte
 * by byte; `buffer.transcode` (simdutf, in Node 20) and one copy take ~2/3 of that time (all files
 * of the bench work tree: 111 → 75 ms), and a detection pass over it needs 11% fewer
 * instructions. Decoders differ on invalid bytes, so only valid UTF-8 (checked by simdutf, at
 * memory speed) goes that way.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  if (!CAN_TRANSCODE || bytes.length < TRANSCODE_MIN_BYTES || bytes.length > TRANSCODE_MAX_BYTES || isAscii(bytes) || !isUtf8(bytes)) return UTF8.decode(bytes);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return transcode(bytes.subarray(bom), 'utf8', 'utf16le').toString('utf16le');
}
