// The line reader's hot loop, in AssemblyScript, compiled to WebAssembly by scripts/build-embedded.mjs
// into src/core/scan/claude/line-fields-wasm.ts. See src/core/scan/claude/line-fields.ts for how it is used.
//
// It splits the bytes JavaScript read a file into, passes over the lines that carry no usage, and
// for a usage line in the usual form (what Claude Code writes) gives what counting needs: the time
// in milliseconds, the four token counts, the de-duplication key, and where the session, folder and
// model strings are. Anything else (summaries, broken lines, escapes, unusual values) it hands back
// to the JavaScript reader, whose rules (classify-line.ts, usage-record.ts, ledger/keys.ts) are the
// definition this module is tested against. Quotes and brackets are found with 16-byte vector
// compares, sixteen bytes at a time instead of one.
//
// Memory layout: static tables below, then from `inputBase()` the bytes JavaScript reads files into.

// What a line is.
const NONE: i32 = 0; // nothing to count
const USAGE: i32 = 1; // a usage line, in the record
const FALLBACK: i32 = 2; // for the JavaScript reader

// Kinds of a field's value, as JSON.parse would see it.
const ABSENT: i32 = 0;
const STRING: i32 = 1; // plain ASCII, no escapes: its bytes are the string
const STRING_ESCAPED: i32 = 2; // escapes, control or UTF-8 bytes
const INTEGER: i32 = 3; // digits only, at most 15
const NUMBER: i32 = 4; // any other number
const TRUE: i32 = 5;
const FALSE: i32 = 6;
const NULL: i32 = 7;
const OBJECT: i32 = 8; // for message and usage: walked, its fields follow
const ARRAY: i32 = 9;

// Field numbers: the line's, then the message's, then the usage's.
const F_TYPE: i32 = 0;
const F_TIMESTAMP: i32 = 1;
const F_SESSION: i32 = 2;
const F_CWD: i32 = 3;
const F_REQUEST: i32 = 4;
const F_API_ERROR: i32 = 5;
const F_MESSAGE: i32 = 6;
const F_ID: i32 = 7;
const F_MODEL: i32 = 8;
const F_USAGE: i32 = 9;
const F_INPUT: i32 = 10;
const FIELD_COUNT: i32 = 14;
const LEVEL_FIRST: StaticArray<i32> = [0, 7, 10];
const LEVEL_END: StaticArray<i32> = [7, 10, 14];

// The walk's fields for the line being read: per field i32 kind, start, end (a string's inside its
// quotes), and its value as f64 when INTEGER.
const FIELDS: usize = memory.data(FIELD_COUNT * 16, 16);
const VALUES: usize = memory.data(FIELD_COUNT * 8, 16);

// One record per line that is not NONE (the layout line-fields.ts reads):
//   i32  0 answer, 1 line start, 2 line end (before any trimming), 3 flags;
//   i32  4..15 session id, cwd, model: kind (ABSENT or STRING), start, end, intern word;
//   i32 16 key hi, 17 key lo;
//   f64  9 time (ms), 10..13 input, output, cache read, cache write.
const RECORD_BYTES: usize = 112;
const RECORD_CAPACITY: i32 = 512;
const RECORDS: usize = memory.data(<i32>RECORD_BYTES * RECORD_CAPACITY, 16);
// Flags of a record.
const HIGH_BYTES: i32 = 1; // the line holds bytes >= 0x80: JavaScript checks it is valid UTF-8
const API_ERROR: i32 = 2; // isApiErrorMessage is true
const KEY_FROM_LINE: i32 = 4; // no ids to key it by: JavaScript keys it by its bytes and file

// The record of the line being read.
let record: usize = 0;
// Where the last run of lines stopped: the start of the first line not read.
let stoppedAt: usize = 0;

// Strings kept from line to line, by a hash of their bytes: session ids, folders and models repeat
// on every line. JavaScript keeps the decoded string of each slot; both update their table in the
// same order (session id, cwd, model of each usage record), so SAME always names the same string.
const INTERN_SLOTS: i32 = 1024;
const INTERN_BYTES: i32 = 63;
const INTERN_TABLE: usize = memory.data(INTERN_SLOTS * 64, 16);
const SAME: i32 = 0x10000;
const NOT_INTERNED: i32 = -1;

// The key names, one byte per character.
const KEYS: StaticArray<string> = [
  "type",
  "timestamp",
  "sessionId",
  "cwd",
  "requestId",
  "isApiErrorMessage",
  "message",
  "id",
  "model",
  "usage",
  "input_tokens",
  "output_tokens",
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
];

const QUOTE: u8 = 0x22;
const BACKSLASH: u8 = 0x5c;
const OPEN_BRACE: u8 = 0x7b;
const CLOSE_BRACE: u8 = 0x7d;
const OPEN_BRACKET: u8 = 0x5b;
const CLOSE_BRACKET: u8 = 0x5d;
const COLON: u8 = 0x3a;
const COMMA: u8 = 0x2c;

// Where the bytes of a line end; every search stops there.
let lineEnd: usize = 0;

export function records(): usize {
  return RECORDS;
}

export function recordBytes(): usize {
  return RECORD_BYTES;
}

export function resumeAt(): usize {
  return stoppedAt;
}

export function inputBase(): usize {
  return (__heap_base + 65535) & ~65535;
}

/**
 * Reads the complete lines in [start, end): every line up to the last newline. Writes a record for
 * each line that is not NONE and returns how many; stops early when the records are full, and
 * `resumeAt` then says where to go on.
 */
export function readLines(start: usize, end: usize): i32 {
  let count = 0;
  let line = start;
  while (line < end) {
    const newline = findByte(line, end, 0x0a);
    if (newline >= end) break;
    if (count == RECORD_CAPACITY) break;
    record = RECORDS + <usize>count * RECORD_BYTES;
    const answer = classify(line, newline);
    if (answer != NONE) {
      store<i32>(record, answer);
      store<i32>(record, <i32>line, 4);
      store<i32>(record, <i32>newline, 8);
      count++;
    }
    line = newline + 1;
  }
  stoppedAt = line;
  return count;
}

/** Classifies the line in [start, end) (no newline) and fills its record for USAGE. */
function classify(start: usize, end: usize): i32 {
  if (end > start && load<u8>(end - 1) == 0x0d) end--;
  while (start < end && isSpace(load<u8>(start))) start++;
  if (start == end) return NONE;
  if (load<u8>(start) != OPEN_BRACE || load<u8>(end - 1) != CLOSE_BRACE) return FALLBACK;
  // Summaries are rare and parsed by the JavaScript reader.
  if (startsWithText(start, end, '{"type":"summary"')) return FALLBACK;
  lineEnd = end;
  if (end - start > USER_HEAD_BYTES && isUserLine(start)) return NONE;
  const after = walkObject(start, 0);
  if (after < 0) return FALLBACK;
  if (skipSpace(<usize>after) != end) return FALLBACK;
  // Only a line whose message has a usage key is a usage line (the same test as classify-line.ts).
  if (kindOf(F_MESSAGE) != OBJECT || kindOf(F_USAGE) == ABSENT) return NONE;
  return judge(start, end);
}

// ---- the usage record (the same verdicts as usage-record.ts for the forms taken here) ----

/**
 * Fills the record of a usage line in the usual form, or answers FALLBACK for any other. A line
 * whose type is a plain string other than "assistant" is no usage line.
 */
function judge(start: usize, end: usize): i32 {
  const type = kindOf(F_TYPE);
  if (type != STRING) return type == STRING_ESCAPED ? FALLBACK : NONE;
  if (!fieldIs(F_TYPE, "assistant")) return NONE;
  if (kindOf(F_USAGE) != OBJECT) return FALLBACK;
  if (!optionalString(F_SESSION) || !optionalString(F_CWD) || !optionalString(F_ID) || !optionalString(F_MODEL))
    return FALLBACK;
  const request = kindOf(F_REQUEST);
  if (request != ABSENT && request != STRING && request != NULL) return FALLBACK;
  const apiError = kindOf(F_API_ERROR);
  if (apiError != ABSENT && apiError != TRUE && apiError != FALSE) return FALLBACK;
  for (let f = F_INPUT; f < FIELD_COUNT; f++) {
    const kind = kindOf(f);
    // Cache counts may be null; every count may be missing (0).
    if (kind == NULL && f >= F_INPUT + 2) store<f64>(VALUES + ((<usize>f) << 3), 0);
    else if (kind == ABSENT) store<f64>(VALUES + ((<usize>f) << 3), 0);
    else if (kind != INTEGER) return FALLBACK;
  }
  if (kindOf(F_TIMESTAMP) != STRING) return FALLBACK;
  const at = isoMillis(fieldStart(F_TIMESTAMP), fieldEnd(F_TIMESTAMP));
  if (isNaN(at)) return FALLBACK;
  store<f64>(record + 72, at);
  for (let f = 0; f < 4; f++)
    store<f64>(record + 80 + ((<usize>f) << 3), load<f64>(VALUES + ((<usize>(F_INPUT + f)) << 3)));
  let flags = apiError == TRUE ? API_ERROR : 0;
  if (anyHighByte(start, end)) flags |= HIGH_BYTES;
  if (!writeKey(request)) flags |= KEY_FROM_LINE;
  store<i32>(record, flags, 12);
  keepString(F_SESSION, 16);
  keepString(F_CWD, 32);
  keepString(F_MODEL, 48);
  return USAGE;
}

function optionalString(field: i32): bool {
  const kind = kindOf(field);
  return kind == ABSENT || kind == STRING;
}

/**
 * The key as ledger/keys.ts makes it: message id with request id, else message id with session id
 * (hashKey of "r\0id\0request" or "s\0id\0session"). False when the line has neither pair.
 * For ASCII, the bytes are the UTF-16 code units keys.ts hashes.
 */
function writeKey(request: i32): bool {
  if (kindOf(F_ID) != STRING || fieldEnd(F_ID) == fieldStart(F_ID)) return false;
  let tag: u32;
  let other: i32;
  if (request == STRING && fieldEnd(F_REQUEST) > fieldStart(F_REQUEST)) {
    tag = 0x72; // r
    other = F_REQUEST;
  } else if (kindOf(F_SESSION) == STRING && fieldEnd(F_SESSION) > fieldStart(F_SESSION)) {
    tag = 0x73; // s
    other = F_SESSION;
  } else return false;
  const idLength = fieldEnd(F_ID) - fieldStart(F_ID);
  const otherLength = fieldEnd(other) - fieldStart(other);
  hashStart(<u32>(3 + idLength + otherLength));
  hashUnit(tag);
  hashUnit(0);
  hashBytes(fieldStart(F_ID), fieldEnd(F_ID));
  hashUnit(0);
  hashBytes(fieldStart(other), fieldEnd(other));
  store<u32>(record, hashA, 64);
  store<u32>(record, hashFinish(), 68);
  return true;
}

let hashA: u32 = 0;
let hashB: u32 = 0;

function hashStart(length: u32): void {
  hashA = 0x811c9dc5;
  hashB = 0x9747b28c ^ length;
}

function hashUnit(c: u32): void {
  hashA = (hashA ^ c) * 0x01000193;
  let k = c * 0xcc9e2d51;
  k = (k << 15) | (k >>> 17);
  hashB ^= k * 0x1b873593;
  hashB = (hashB << 13) | (hashB >>> 19);
  hashB = hashB * 5 + 0xe6546b64;
}

function hashBytes(start: usize, end: usize): void {
  for (let p = start; p < end; p++) hashUnit(<u32>load<u8>(p));
}

function hashFinish(): u32 {
  let b = hashB;
  b ^= b >>> 16;
  b *= 0x85ebca6b;
  b ^= b >>> 13;
  b *= 0xc2b2ae35;
  b ^= b >>> 16;
  return b;
}

/**
 * Milliseconds since the epoch of an RFC 3339 time in the form Claude Code writes,
 * `YYYY-MM-DDTHH:MM:SS.sssZ` or without the fraction; NaN for any other form or a date that does
 * not exist (the JavaScript reader then judges it).
 */
function isoMillis(start: usize, end: usize): f64 {
  const length = end - start;
  if (length != 24 && length != 20) return NaN;
  if (load<u8>(start + 4) != 0x2d || load<u8>(start + 7) != 0x2d || load<u8>(start + 10) != 0x54) return NaN;
  if (load<u8>(start + 13) != 0x3a || load<u8>(start + 16) != 0x3a || load<u8>(end - 1) != 0x5a) return NaN;
  if (length == 24 && load<u8>(start + 19) != 0x2e) return NaN;
  const year = digits(start, 4);
  const month = digits(start + 5, 2);
  const day = digits(start + 8, 2);
  const hour = digits(start + 11, 2);
  const minute = digits(start + 14, 2);
  const second = digits(start + 17, 2);
  const millis = length == 24 ? digits(start + 20, 3) : 0;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) return NaN;
  const days = daysFromCivil(year, month, day);
  return <f64>days * 86400000 + <f64>(hour * 3600000 + minute * 60000 + second * 1000 + millis);
}

/** The number in `count` ASCII digits at `p`, or -1. */
function digits(p: usize, count: i32): i32 {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const c = load<u8>(p + <usize>i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + <i32>(c - 0x30);
  }
  return n;
}

function daysIn(year: i32, month: i32): i32 {
  if (month == 2) return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/** Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
function daysFromCivil(year: i32, month: i32, day: i32): i32 {
  const y = month <= 2 ? year - 1 : year;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yearOfEra = y - era * 400;
  const dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Puts a string field into the record at `offset`, keeping it in the intern table. */
function keepString(field: i32, offset: usize): void {
  const at = record + offset;
  const kind = kindOf(field);
  store<i32>(at, kind);
  if (kind != STRING) return;
  const start = fieldStart(field);
  const end = fieldEnd(field);
  store<i32>(at, <i32>start, 4);
  store<i32>(at, <i32>end, 8);
  store<i32>(at, intern(start, end), 12);
}

/**
 * The intern word for these bytes: the slot, with SAME set when it held them already, or
 * NOT_INTERNED for a long string. The slot now holds them.
 */
function intern(start: usize, end: usize): i32 {
  const length = <i32>(end - start);
  if (length > INTERN_BYTES) return NOT_INTERNED;
  let hash: u32 = <u32>length;
  for (let p = start; p < end; p++) hash = (hash ^ (<u32>load<u8>(p))) * 0x01000193;
  const slot = <i32>(hash & (<u32>(INTERN_SLOTS - 1)));
  const at = INTERN_TABLE + ((<usize>slot) << 6);
  if (<i32>load<u8>(at) == length && memory.compare(at + 1, start, <usize>length) == 0) return slot | SAME;
  store<u8>(at, <u8>length);
  memory.copy(at + 1, start, <usize>length);
  return slot;
}

function kindOf(field: i32): i32 {
  return load<i32>(FIELDS + ((<usize>field) << 4));
}

function fieldStart(field: i32): usize {
  return <usize>load<i32>(FIELDS + ((<usize>field) << 4), 4);
}

function fieldEnd(field: i32): usize {
  return <usize>load<i32>(FIELDS + ((<usize>field) << 4), 8);
}

function fieldIs(field: i32, text: string): bool {
  return <i32>(fieldEnd(field) - fieldStart(field)) == text.length && sameText(fieldStart(field), text);
}

// ---- user lines (the same test as classify-line.ts) ----

const USER_HEAD_BYTES: usize = 2048;

/** `"type":"user","message":{"role":"user"` in the first bytes, directly inside the line's braces. */
function isUserLine(start: usize): bool {
  const pattern = '"type":"user","message":{"role":"user"';
  const limit = start + USER_HEAD_BYTES;
  let p = findByte(start, limit, QUOTE);
  while (p < limit) {
    if (startsWithText(p, limit, pattern)) return depthAt(start, p) == 1;
    p = findByte(p + 1, limit, QUOTE);
  }
  return false;
}

/** How deeply `at` is nested in the value at `start`, or -1 inside a string. */
function depthAt(start: usize, at: usize): i32 {
  let depth = 0;
  let p = start;
  while (p < at) {
    const c = load<u8>(p);
    if (c == QUOTE) {
      const close = closingQuote(p + 1, at);
      if (close < 0) return -1;
      p = <usize>close + 1;
      continue;
    }
    p++;
    if (c == OPEN_BRACE || c == OPEN_BRACKET) depth++;
    else if (c == CLOSE_BRACE || c == CLOSE_BRACKET) depth--;
  }
  return depth;
}

// ---- the walk ----

/** Walks the object at `p` at `level` (0 line, 1 message, 2 usage); returns where it ends, or -1. */
function walkObject(p: usize, level: i32): isize {
  const first = LEVEL_FIRST[level];
  const last = LEVEL_END[level];
  for (let f = first; f < last; f++) store<i32>(FIELDS + ((<usize>f) << 4), ABSENT);
  p = skipSpace(p + 1);
  if (p < lineEnd && load<u8>(p) == CLOSE_BRACE) return <isize>(p + 1);
  while (true) {
    if (p >= lineEnd || load<u8>(p) != QUOTE) return -1;
    const keyStart = p + 1;
    const keyEnd = closingQuote(keyStart, lineEnd);
    if (keyEnd < 0) return -1;
    const key = keyIndex(keyStart, <usize>keyEnd, first, last);
    // An escape can spell any key: only a full parse can tell which.
    if (key < 0 && hasByte(keyStart, <usize>keyEnd, BACKSLASH)) return -1;
    p = skipSpace(<usize>keyEnd + 1);
    if (p >= lineEnd || load<u8>(p) != COLON) return -1;
    p = skipSpace(p + 1);
    let next: isize;
    if (key < 0) next = skipValue(p);
    else if ((key == F_MESSAGE || key == F_USAGE) && p < lineEnd && load<u8>(p) == OPEN_BRACE) {
      next = walkObject(p, level + 1);
      setField(key, OBJECT, p, next < 0 ? p : <usize>next);
    } else next = readValue(p, key);
    if (next < 0) return -1;
    p = skipSpace(<usize>next);
    if (p >= lineEnd) return -1;
    const c = load<u8>(p);
    if (c == CLOSE_BRACE) return <isize>(p + 1);
    if (c != COMMA) return -1;
    p = skipSpace(p + 1);
  }
}

function keyIndex(start: usize, end: usize, first: i32, last: i32): i32 {
  const length = <i32>(end - start);
  for (let k = first; k < last; k++) {
    const name = unchecked(KEYS[k]);
    if (name.length == length && sameText(start, name)) return k;
  }
  return -1;
}

/** Records the value at `p` in field `key`; returns where it ends, or -1. */
function readValue(p: usize, key: i32): isize {
  if (p >= lineEnd) return -1;
  const c = load<u8>(p);
  if (c == QUOTE) {
    const close = closingQuote(p + 1, lineEnd);
    if (close < 0) return -1;
    const end = <usize>close;
    setField(key, plainAscii(p + 1, end) ? STRING : STRING_ESCAPED, p + 1, end);
    return <isize>(end + 1);
  }
  if (c == OPEN_BRACE || c == OPEN_BRACKET) {
    const end = containerEnd(p);
    if (end >= 0) setField(key, c == OPEN_BRACE ? OBJECT : ARRAY, p, <usize>end);
    return end;
  }
  return readScalar(p, key);
}

const NUMBER_GRAMMAR_FAIL: isize = -1;

/** A number, true, false or null. */
function readScalar(p: usize, key: i32): isize {
  if (startsWithText(p, lineEnd, "true")) return scalarField(key, TRUE, p, 4);
  if (startsWithText(p, lineEnd, "false")) return scalarField(key, FALSE, p, 5);
  if (startsWithText(p, lineEnd, "null")) return scalarField(key, NULL, p, 4);
  const end = numberEnd(p);
  if (end < 0) return NUMBER_GRAMMAR_FAIL;
  const stop = <usize>end;
  const length = stop - p;
  if (key >= 0) {
    let digitsOnly = length <= 15;
    for (let q = p; q < stop && digitsOnly; q++) digitsOnly = isDigit(load<u8>(q));
    if (digitsOnly) {
      let n: f64 = 0;
      for (let q = p; q < stop; q++) n = n * 10 + <f64>(load<u8>(q) - 0x30);
      store<f64>(VALUES + ((<usize>key) << 3), n);
      setField(key, INTEGER, p, stop);
    } else setField(key, NUMBER, p, stop);
  }
  return end;
}

function scalarField(key: i32, kind: i32, p: usize, length: usize): isize {
  if (key >= 0) setField(key, kind, p, p + length);
  return <isize>(p + length);
}

/** Where the JSON number at `p` ends, or -1 when the bytes there are not one. */
function numberEnd(p: usize): isize {
  let q = p;
  if (q < lineEnd && load<u8>(q) == 0x2d) q++;
  if (q >= lineEnd || !isDigit(load<u8>(q))) return -1;
  if (load<u8>(q) == 0x30) q++;
  else while (q < lineEnd && isDigit(load<u8>(q))) q++;
  if (q < lineEnd && load<u8>(q) == 0x2e) {
    q++;
    if (q >= lineEnd || !isDigit(load<u8>(q))) return -1;
    while (q < lineEnd && isDigit(load<u8>(q))) q++;
  }
  if (q < lineEnd && (load<u8>(q) | 0x20) == 0x65) {
    q++;
    if (q < lineEnd && (load<u8>(q) == 0x2b || load<u8>(q) == 0x2d)) q++;
    if (q >= lineEnd || !isDigit(load<u8>(q))) return -1;
    while (q < lineEnd && isDigit(load<u8>(q))) q++;
  }
  return <isize>q;
}

function skipValue(p: usize): isize {
  if (p >= lineEnd) return -1;
  const c = load<u8>(p);
  if (c == QUOTE) {
    const close = closingQuote(p + 1, lineEnd);
    return close < 0 ? -1 : close + 1;
  }
  if (c == OPEN_BRACE || c == OPEN_BRACKET) return containerEnd(p);
  return readScalar(p, -1);
}

/** Just past the object or array at `p`, or -1; brackets inside strings do not count. */
function containerEnd(p: usize): isize {
  let depth = 0;
  while (p < lineEnd) {
    p = findStructural(p, lineEnd);
    if (p >= lineEnd) return -1;
    const c = load<u8>(p);
    if (c == QUOTE) {
      const close = closingQuote(p + 1, lineEnd);
      if (close < 0) return -1;
      p = <usize>close + 1;
      continue;
    }
    p++;
    if (c == OPEN_BRACE || c == OPEN_BRACKET) depth++;
    else if (--depth == 0) return <isize>p;
  }
  return -1;
}

/** The quote closing a string whose first byte is at `start`, or -1. */
function closingQuote(start: usize, end: usize): isize {
  let p = findByte(start, end, QUOTE);
  while (p < end) {
    // Escaped when an odd number of backslashes precede it.
    let slashes: usize = 0;
    while (p - slashes > start && load<u8>(p - slashes - 1) == BACKSLASH) slashes++;
    if ((slashes & 1) == 0) return <isize>p;
    p = findByte(p + 1, end, QUOTE);
  }
  return -1;
}

// ---- vector searches ----

/** The first `byte` in [p, end), or `end`. */
function findByte(p: usize, end: usize, byte: u8): usize {
  const needle = i8x16.splat(byte);
  while (p + 16 <= end) {
    const mask = i8x16.bitmask(i8x16.eq(v128.load(p), needle));
    if (mask != 0) return p + <usize>ctz<i32>(mask);
    p += 16;
  }
  while (p < end && load<u8>(p) != byte) p++;
  return p;
}

/** The first quote or bracket in [p, end), or `end`. */
function findStructural(p: usize, end: usize): usize {
  const quote = i8x16.splat(QUOTE);
  const openBrace = i8x16.splat(OPEN_BRACE);
  const closeBrace = i8x16.splat(CLOSE_BRACE);
  const openBracket = i8x16.splat(OPEN_BRACKET);
  const closeBracket = i8x16.splat(CLOSE_BRACKET);
  while (p + 16 <= end) {
    const block = v128.load(p);
    const braces = v128.or(i8x16.eq(block, openBrace), i8x16.eq(block, closeBrace));
    const brackets = v128.or(i8x16.eq(block, openBracket), i8x16.eq(block, closeBracket));
    const mask = i8x16.bitmask(v128.or(i8x16.eq(block, quote), v128.or(braces, brackets)));
    if (mask != 0) return p + <usize>ctz<i32>(mask);
    p += 16;
  }
  while (p < end) {
    const c = load<u8>(p);
    if (c == QUOTE || c == OPEN_BRACE || c == CLOSE_BRACE || c == OPEN_BRACKET || c == CLOSE_BRACKET) return p;
    p++;
  }
  return end;
}

function anyHighByte(p: usize, end: usize): bool {
  while (p + 16 <= end) {
    if (i8x16.bitmask(v128.load(p)) != 0) return true;
    p += 16;
  }
  while (p < end) {
    if (load<u8>(p) >= 0x80) return true;
    p++;
  }
  return false;
}

// ---- small helpers ----

function setField(key: i32, kind: i32, start: usize, end: usize): void {
  const at = FIELDS + ((<usize>key) << 4);
  store<i32>(at, kind);
  store<i32>(at, <i32>start, 4);
  store<i32>(at, <i32>end, 8);
}

function plainAscii(start: usize, end: usize): bool {
  for (let p = start; p < end; p++) {
    const c = load<u8>(p);
    if (c < 0x20 || c >= 0x80 || c == BACKSLASH) return false;
  }
  return true;
}

function hasByte(start: usize, end: usize, byte: u8): bool {
  for (let p = start; p < end; p++) if (load<u8>(p) == byte) return true;
  return false;
}

/** Whether the bytes at `p` spell `text` (ASCII) without running past `end`. */
function startsWithText(p: usize, end: usize, text: string): bool {
  const length = <usize>text.length;
  if (p + length > end) return false;
  return sameText(p, text);
}

function sameText(p: usize, text: string): bool {
  const chars = changetype<usize>(text);
  const length = text.length;
  for (let i = 0; i < length; i++) {
    if (<u16>load<u8>(p + <usize>i) != load<u16>(chars + ((<usize>i) << 1))) return false;
  }
  return true;
}

function skipSpace(p: usize): usize {
  while (p < lineEnd && isSpace(load<u8>(p))) p++;
  return p;
}

function isSpace(c: u8): bool {
  return c == 0x20 || c == 0x09 || c == 0x0d || c == 0x0a;
}

function isDigit(c: u8): bool {
  return c >= 0x30 && c <= 0x39;
}
