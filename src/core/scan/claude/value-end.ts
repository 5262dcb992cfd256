/**
 * Stepping over one JSON value in a line's bytes without decoding it: the scan uses it to prove that
 * the bytes it leaves out of a parse (an assistant message's content) are exactly one whole value.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Where the object or array starting at `start` ends (the index just past its closing bracket), or -1
 * when `start` holds no object or array or it does not close before `end`. Brackets inside strings
 * are passed over; quotes are found natively, since most content bytes are plain text. Only
 * brackets and quotes are checked: what lies between them is left to whoever reads it.
 */
export function containerEnd(buf: Buffer, start: number, end: number): number {
  const first = buf[start];
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return -1;
  let depth = 0;
  let pos = start;
  while (pos < end) {
    const c = buf[pos];
    if (c === QUOTE) {
      const close = stringEnd(buf, pos + 1, end);
      if (close < 0) return -1;
      pos = close + 1;
      continue;
    }
    pos++;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return pos;
  }
  return -1;
}

/**
 * How deeply nested `at` is within the value starting at `start` (1 directly inside its outer braces),
 * or -1 when `at` falls inside a string.
 */
export function depthAt(buf: Buffer, start: number, at: number): number {
  let depth = 0;
  let pos = start;
  while (pos < at) {
    const c = buf[pos];
    if (c === QUOTE) {
      const close = stringEnd(buf, pos + 1, at);
      if (close < 0) return -1;
      pos = close + 1;
      continue;
    }
    pos++;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return depth;
}

/** Index of the quote that closes a string whose first content byte is at `start`, or -1. */
function stringEnd(buf: Buffer, start: number, end: number): number {
  let from = start;
  for (;;) {
    const quote = buf.indexOf(QUOTE, from);
    if (quote < 0 || quote >= end) return -1;
    // Escaped when an odd number of backslashes precede it.
    let slashes = 0;
    while (quote - slashes - 1 >= start && buf[quote - slashes - 1] === BACKSLASH) slashes++;
    if ((slashes & 1) === 0) return quote;
    from = quote + 1;
  }
}
