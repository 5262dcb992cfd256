import { isUtf8 } from "node:buffer";

/**
 * File names that are not valid UTF-8. Linux (and a foreign volume on macOS) lets a name hold any
 * bytes but "/" and NUL, while Node's string paths are UTF-8: such a name read as a string comes
 * back with U+FFFD where its bad bytes were, and a path built from it names no file at all, so the
 * transcript (or a whole folder of them) would vanish without a word.
 *
 * Such a name is carried as a string all the same, so the state, the keys and the snapshot keep
 * one kind of path: each byte that is not part of a valid UTF-8 sequence becomes NUL followed by
 * the character of that byte's value (0x80-0xFF). No real name holds a NUL, so the form cannot be
 * confused with one, it survives UTF-8 and JSON as it is, and Node refuses it as a path outright
 * rather than open some other file. `fsPath` turns it back into the bytes for the file system.
 */

const NUL = "\u0000";

/** Whether a name read as a string may have lost bytes (U+FFFD is also a valid character). */
export function mayHaveLostBytes(name: string): boolean {
  return name.includes("\uFFFD");
}

/** A name or path as a string: plain UTF-8 when valid, else with its bad bytes escaped as above. */
export function nameFromBytes(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString("utf8");
  let out = "";
  let at = 0;
  while (at < bytes.length) {
    const length = validSequenceAt(bytes, at);
    if (length > 0) {
      out += bytes.toString("utf8", at, at + length);
      at += length;
    } else {
      out += NUL + String.fromCharCode(bytes[at]);
      at++;
    }
  }
  return out;
}

/** A path as the file system takes it: the string itself, or its bytes when it holds escaped ones. */
export function fsPath(file: string): string | Buffer {
  return file.includes(NUL) ? pathBytes(file) : file;
}

function pathBytes(file: string): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = file.indexOf(NUL); at >= 0; at = file.indexOf(NUL, from)) {
    parts.push(Buffer.from(file.slice(from, at), "utf8"), Buffer.from([file.charCodeAt(at + 1) & 0xff]));
    from = at + 2;
  }
  parts.push(Buffer.from(file.slice(from), "utf8"));
  return Buffer.concat(parts);
}

/** The length of the valid UTF-8 sequence starting at `at`, or 0 (RFC 3629: no overlongs, no surrogates). */
function validSequenceAt(bytes: Buffer, at: number): number {
  const first = bytes[at];
  if (first < 0x80) return 1;
  let length: number;
  let min: number;
  let max = 0xbf;
  if (first >= 0xc2 && first <= 0xdf) {
    length = 2;
    min = 0x80;
  } else if (first >= 0xe0 && first <= 0xef) {
    length = 3;
    min = first === 0xe0 ? 0xa0 : 0x80;
    if (first === 0xed) max = 0x9f;
  } else if (first >= 0xf0 && first <= 0xf4) {
    length = 4;
    min = first === 0xf0 ? 0x90 : 0x80;
    if (first === 0xf4) max = 0x8f;
  } else {
    return 0;
  }
  if (at + length > bytes.length) return 0;
  if (bytes[at + 1] < min || bytes[at + 1] > max) return 0;
  for (let i = 2; i < length; i++) if ((bytes[at + i] & 0xc0) !== 0x80) return 0;
  return length;
}
