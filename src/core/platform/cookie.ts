import type { PlatformError } from "./schema";

/**
 * Turns whatever a person pastes from their browser into the one Cookie header the MiMo platform
 * needs. People paste bare headers, "Cookie: …" lines, raw request-header blocks and whole
 * "Copy as cURL" commands (bash, Windows cmd, with -H or -b), all full of unrelated cookies.
 */

export const REQUIRED_COOKIES = ["api-platform_serviceToken", "userId"] as const;
export const OPTIONAL_COOKIES = ["api-platform_ph", "api-platform_slh"] as const;
/** Also the order the output header uses, so the same paste always yields the same header. */
export const MIMO_COOKIES: readonly string[] = [...REQUIRED_COOKIES, ...OPTIONAL_COOKIES];

export type CookieResult = { ok: true; header: string } | { ok: false; error: PlatformError };

export type CookiePair = { name: string; value: string };

// Printable ASCII without separators a header value cannot carry; anything else would either be
// rejected by fetch (whose error could quote the value) or smuggle a second header line.
const COOKIE_VALUE = /^[\x21-\x7e]*$/;
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** What happened when no cookie is set; what to do about it is the kind's (chain/failures.ts). */
export const NO_COOKIE: PlatformError = { kind: "noCookie", message: "No MiMo platform cookie is set." };

export function normalizeCookie(raw: string): CookieResult {
  const text = raw.trim();
  if (text === "") return { ok: false, error: NO_COOKIE };
  const headerText = extractCookieText(text);
  if (headerText === null) return fail("invalidCookie", "The pasted text has no Cookie header.");
  return buildHeader(parseCookiePairs(headerText));
}

/** Every name=value pair in a cookie string; tolerates newlines and stray spaces between pairs. */
export function parseCookiePairs(text: string): CookiePair[] {
  const pairs: CookiePair[] = [];
  for (const part of text.split(/[;\r\n]+/)) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!COOKIE_NAME.test(name)) continue;
    pairs.push({ name, value: part.slice(eq + 1).trim() });
  }
  return pairs;
}

/** All cookie values in a paste, kept only so error messages can be checked against them. */
export function cookieValues(raw: string): string[] {
  const text = extractCookieText(raw.trim()) ?? raw;
  return parseCookiePairs(text)
    .map((pair) => pair.value)
    .filter((value) => value !== "");
}

function buildHeader(pairs: CookiePair[]): CookieResult {
  const kept = new Map<string, string>();
  for (const { name, value } of pairs) {
    // The browser lists the most specific cookie first when names repeat across paths.
    if (MIMO_COOKIES.includes(name) && value !== "" && !kept.has(name)) kept.set(name, value);
  }
  const missing = REQUIRED_COOKIES.filter((name) => !kept.has(name));
  if (missing.length > 0) {
    return fail("invalidCookie", `The cookie is missing ${missing.join(" and ")}.`);
  }
  const malformed = MIMO_COOKIES.filter((name) => kept.has(name) && !COOKIE_VALUE.test(kept.get(name) ?? ""));
  if (malformed.length > 0) {
    return fail("invalidCookie", `The cookie ${malformed.join(" and ")} holds characters a cookie cannot contain.`);
  }
  const header = MIMO_COOKIES.filter((name) => kept.has(name))
    .map((name) => `${name}=${kept.get(name)}`)
    .join("; ");
  return { ok: true, header };
}

/** The cookie string inside a paste, or null when a command or header block carries none. */
export function extractCookieText(text: string): string | null {
  if (looksLikeCommand(text)) return cookieFromCommand(text);
  const fromBlock = cookieFromHeaderBlock(text);
  if (fromBlock !== null) return fromBlock;
  return looksLikeHeaderBlock(text) ? null : unquote(text);
}

function unquote(text: string): string {
  const match = /^(['"])(.*)\1$/s.exec(text);
  return match ? match[2] : text;
}

function looksLikeCommand(text: string): boolean {
  return /^(curl(\.exe)?\s|-)/i.test(text);
}

// "Name: value" lines with no '=' before the colon: a raw request-header block, not a cookie string.
function looksLikeHeaderBlock(text: string): boolean {
  return text.split(/\r?\n/).some((line) => /^\s*[A-Za-z][\w-]*\s*:\s/.test(line) && !line.includes("="));
}

/** A "Cookie: …" line in a pasted header block; DevTools sometimes puts the value on the next line. */
function cookieFromHeaderBlock(text: string): string | null {
  const lines = text.split(/\r?\n/);
  const values: string[] = [];
  lines.forEach((line, i) => {
    const match = /^\s*cookie\s*(?::(.*)|$)/i.exec(line);
    if (!match) return;
    const value = (match[1] ?? "").trim() || (lines[i + 1] ?? "").trim();
    if (value !== "") values.push(value);
  });
  return values.length > 0 ? values.join("; ") : null;
}

function cookieFromCommand(command: string): string | null {
  const args = shellWords(joinContinuations(command));
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const found = cookieFromArg(args[i], args[i + 1]);
    if (found === null) continue;
    if (found.value !== null) values.push(found.value);
    if (found.consumedNext) i++;
  }
  return values.length > 0 ? values.join("; ") : null;
}

type ArgCookie = { value: string | null; consumedNext: boolean };

function cookieFromArg(arg: string, next: string | undefined): ArgCookie | null {
  const header = optionValue(arg, next, ["-H", "--header"]);
  if (header !== null) {
    const match = /^\s*cookie\s*:\s*(.*)$/is.exec(header.value);
    return { value: match ? match[1].trim() : null, consumedNext: header.consumedNext };
  }
  const cookie = optionValue(arg, next, ["-b", "--cookie"]);
  if (cookie !== null) {
    // Without '=' curl reads the argument as a cookie-jar file name, which says nothing here.
    return { value: cookie.value.includes("=") ? cookie.value : null, consumedNext: cookie.consumedNext };
  }
  return null;
}

/** Handles `-H value`, `-Hvalue`, `--header value` and `--header=value`. */
function optionValue(
  arg: string,
  next: string | undefined,
  flags: [short: string, long: string],
): { value: string; consumedNext: boolean } | null {
  const [short, long] = flags;
  if (arg === short || arg === long) return { value: next ?? "", consumedNext: true };
  if (arg.startsWith(`${long}=`)) return { value: arg.slice(long.length + 1), consumedNext: false };
  if (arg.startsWith(short) && !arg.startsWith("--")) return { value: arg.slice(short.length), consumedNext: false };
  return null;
}

/**
 * Undoes line continuations: `\` (bash, zsh, Safari, Firefox) and `^` (Chrome's "Copy as cURL
 * (cmd)", which also escapes quotes and specials with `^`).
 */
export function joinContinuations(command: string): string {
  const bash = command.replace(/\\\r?\n/g, " ");
  if (!/\^\r?\n|\^"/.test(bash)) return bash;
  return bash.replace(/\^\r?\n/g, " ").replace(/\^(.)/g, "$1");
}

/** Splits a command line the way a POSIX shell would, including $'…' strings. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current: string | null = null;
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (/\s/.test(ch)) {
      if (current !== null) words.push(current);
      current = null;
      i++;
      continue;
    }
    const [piece, end] = readPiece(line, i);
    current = (current ?? "") + piece;
    i = end;
  }
  if (current !== null) words.push(current);
  return words;
}

function readPiece(line: string, start: number): [string, number] {
  const ch = line[start];
  if (ch === "'") return readUntil(line, start + 1, "'");
  if (ch === "$" && line[start + 1] === "'") return readAnsiC(line, start + 2);
  if (ch === '"') return readDoubleQuoted(line, start + 1);
  if (ch === "\\" && start + 1 < line.length) return [line[start + 1], start + 2];
  return [ch, start + 1];
}

function readUntil(line: string, start: number, quote: string): [string, number] {
  const end = line.indexOf(quote, start);
  if (end === -1) return [line.slice(start), line.length];
  return [line.slice(start, end), end + 1];
}

function readDoubleQuoted(line: string, start: number): [string, number] {
  let out = "";
  let i = start;
  while (i < line.length && line[i] !== '"') {
    if (line[i] === "\\" && '"\\$`'.includes(line[i + 1] ?? "")) {
      out += line[i + 1];
      i += 2;
    } else {
      out += line[i];
      i++;
    }
  }
  return [out, i + 1];
}

const ANSI_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'", '"': '"' };

function readAnsiC(line: string, start: number): [string, number] {
  let out = "";
  let i = start;
  while (i < line.length && line[i] !== "'") {
    if (line[i] !== "\\") {
      out += line[i];
      i++;
      continue;
    }
    const [text, next] = readAnsiEscape(line, i + 1);
    out += text;
    i = next;
  }
  return [out, i + 1];
}

function readAnsiEscape(line: string, start: number): [string, number] {
  const ch = line[start] ?? "";
  if (ch in ANSI_ESCAPES) return [ANSI_ESCAPES[ch], start + 1];
  const hex = /^(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/.exec(line.slice(start));
  if (hex) return [String.fromCodePoint(parseInt(hex[0].slice(1), 16)), start + hex[0].length];
  return [`\\${ch}`, start + 1];
}

function fail(kind: PlatformError["kind"], message: string): CookieResult {
  return { ok: false, error: { kind, message } };
}
