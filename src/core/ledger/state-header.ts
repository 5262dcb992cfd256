/**
 * The JSON headers of the state file and their validation: format 3's and 4's small one (settings,
 * models, counts and checksums; files and sessions are columns, see state-front.ts), and format 2's, which
 * held every file entry and session and is read only to carry an older state over. They are
 * checked by hand rather than with zod so the command-line scan does not load zod at all (about
 * 30 ms of its start).
 */

export interface FileEntry {
  path: string;
  /** The configured folder it was found under: kept usage belongs to that folder. */
  root: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  /**
   * When the file's inode last changed (content, links or metadata), as discovery saw it at the last
   * read; -1 when not known (a state saved before format 4). `utimes` can put an mtime back but
   * never a ctime, so a file whose size and mtime are as read but whose ctime moved is read again.
   */
  ctimeMs: number;
  /** Bytes consumed up to and including the last complete line. */
  offset: number;
  /**
   * Hash of the bytes at both ends of what was read (see read-file.ts, endsHashOf), to notice a file
   * replaced or rewritten in place; "" before anything was read. Format 3 and older hashed the
   * first bytes alone, which is the same hash while the offset is at most HEAD_BYTES.
   */
  ends: string;
  /** Tokens and messages currently counted from this file (after de-duplication). */
  tokens: number;
  messages: number;
  skipped: Record<string, number>;
  /** Not found any more (deleted, or its folder left the settings); its usage is kept. */
  gone: boolean;
}

export interface SessionMeta {
  id: string;
  /** The client that wrote the session ("claude-code", "opencode", …); older states hold Claude Code only. */
  client: string;
  cwd: string | null;
  file: string | null;
  summary: string | null;
  firstAt: number;
  lastAt: number;
}

/** Format 2's header: every file entry and session in JSON. */
export interface StateHeader {
  version: number;
  configKey: string;
  files: FileEntry[];
  sessions: SessionMeta[];
  models: string[];
  /** Where each other client's reader stopped (opaque JSON, checked by the reader when it resumes). */
  clients: Record<string, unknown>;
  cellCount: number;
  keyCount: number;
  /** Rows kept but not counted under the current settings (see UsageState.uncounted). */
  uncountedCount: number;
  bodyBytes: number;
  /** SHA-1 of the cell columns, and of the key and uncounted columns, checked separately so a
   * refresh that reads nothing new need not read the keys at all. */
  cellsDigest: string;
  keysDigest: string;
}

/** Format 3's and 4's header; the files and sessions follow it as columns (see state-front.ts). */
export interface StateMeta {
  version: number;
  configKey: string;
  /**
   * Wall-clock time of the last full check (see chain/local.ts), in the clock of file times; 0 when
   * none was made yet (always so in format 3, which had no such check).
   */
  checkedAt: number;
  models: string[];
  clients: Record<string, unknown>;
  /**
   * The version of each other client's reader that counted what the state holds of that client
   * (see scan/clients/reader-versions.ts). Missing in states saved before it was kept, and read
   * as `{}` when it is not a table of counts: those clients are then read again, nothing else.
   */
  readers: Record<string, number>;
  /** The skip counts of the files that have any, by file index. */
  skipped: Record<string, Record<string, number>>;
  fileCount: number;
  sessionCount: number;
  stringCount: number;
  stringBytes: number;
  cellCount: number;
  keyCount: number;
  uncountedCount: number;
  bodyBytes: number;
  /** SHA-1 of files, sessions, cells and strings, and of the key and uncounted columns, checked
   * separately so a refresh that reads nothing new need not check or decode the keys at all. */
  frontDigest: string;
  keysDigest: string;
}

const META_COUNTS = [
  "fileCount",
  "sessionCount",
  "stringCount",
  "stringBytes",
  "cellCount",
  "keyCount",
  "uncountedCount",
  "bodyBytes",
] as const;

/** Format 3's or 4's header from the parsed JSON, or null when any field is missing or out of range. */
export function readStateMeta(value: unknown, version: number): StateMeta | null {
  if (!isObject(value) || value.version !== version || typeof value.configKey !== "string") return null;
  const checkedAt = version >= 4 ? value.checkedAt : 0;
  if (!isNumber(checkedAt) || checkedAt < 0) return null;
  const models = arrayOf(value.models, (m) => (typeof m === "string" ? m : null));
  const { clients, skipped, frontDigest, keysDigest } = value;
  if (!models || !isObject(clients) || !isObject(skipped)) return null;
  if (typeof frontDigest !== "string" || typeof keysDigest !== "string") return null;
  const counts = {} as Record<(typeof META_COUNTS)[number], number>;
  for (const name of META_COUNTS) {
    const n = value[name];
    if (!isCount(n)) return null;
    counts[name] = n;
  }
  const skippedByFile: Record<string, Record<string, number>> = {};
  for (const [index, entry] of Object.entries(skipped)) {
    const checked = readCounts(entry);
    if (!checked || !/^(0|[1-9]\d*)$/.test(index) || Number(index) >= counts.fileCount) return null;
    skippedByFile[index] = checked;
  }
  return {
    version,
    configKey: value.configKey,
    checkedAt,
    models,
    clients,
    readers: readCounts(value.readers) ?? {},
    skipped: skippedByFile,
    ...counts,
    frontDigest,
    keysDigest,
  };
}

type Fields = Record<string, unknown>;

/** Format 2's header built from the parsed JSON, or null when any field is missing or out of range. */
export function readStateHeader(value: unknown, version: number): StateHeader | null {
  if (!isObject(value) || value.version !== version || typeof value.configKey !== "string") return null;
  const files = arrayOf(value.files, readFileEntry);
  const sessions = arrayOf(value.sessions, readSessionMeta);
  const models = arrayOf(value.models, (m) => (typeof m === "string" ? m : null));
  const { cellCount, keyCount, uncountedCount, bodyBytes, cellsDigest, keysDigest } = value;
  if (!files || !sessions || !models || typeof cellsDigest !== "string" || typeof keysDigest !== "string") return null;
  if (!isCount(cellCount) || !isCount(keyCount) || !isCount(uncountedCount) || !isCount(bodyBytes)) return null;
  const clients = value.clients === undefined ? {} : value.clients;
  if (!isObject(clients)) return null;
  return {
    version,
    configKey: value.configKey,
    files,
    sessions,
    models,
    clients,
    cellCount,
    keyCount,
    uncountedCount,
    bodyBytes,
    cellsDigest,
    keysDigest,
  };
}

function readFileEntry(value: unknown): FileEntry | null {
  if (!isObject(value)) return null;
  const { path, root, dev, ino, size, mtimeMs, offset, head, tokens, messages, skipped, gone } = value;
  if (typeof path !== "string" || typeof root !== "string") return null;
  if (typeof head !== "string" || typeof gone !== "boolean") return null;
  if (!isNumber(dev) || !isNumber(ino) || !isNumber(mtimeMs)) return null;
  if (!isNumber(size) || size < 0 || !isNumber(tokens) || tokens < 0) return null;
  if (!isCount(offset) || !isCount(messages)) return null;
  const counts = readCounts(skipped);
  if (!counts) return null;
  // Format 2 knew no ctime; its head hash is the ends hash of a short read (see FileEntry.ends).
  return {
    path,
    root,
    dev,
    ino,
    size,
    mtimeMs,
    ctimeMs: -1,
    offset,
    ends: head,
    tokens,
    messages,
    skipped: counts,
    gone,
  };
}

function readSessionMeta(value: unknown): SessionMeta | null {
  if (!isObject(value)) return null;
  const { id, cwd, file, summary, firstAt, lastAt } = value;
  if (typeof id !== "string" || !isNumber(firstAt) || !isNumber(lastAt)) return null;
  if (!isNullableString(cwd) || !isNullableString(file) || !isNullableString(summary)) return null;
  const client = value.client === undefined ? "claude-code" : value.client;
  if (typeof client !== "string") return null;
  return { id, client, cwd, file, summary, firstAt, lastAt };
}

function readCounts(value: unknown): Record<string, number> | null {
  if (!isObject(value)) return null;
  const counts: Record<string, number> = {};
  for (const [key, n] of Object.entries(value)) {
    if (!isCount(n)) return null;
    counts[key] = n;
  }
  return counts;
}

function arrayOf<T>(value: unknown, read: (item: unknown) => T | null): T[] | null {
  if (!Array.isArray(value)) return null;
  const out: T[] = [];
  for (const item of value) {
    const checked = read(item);
    if (checked === null) return null;
    out.push(checked);
  }
  return out;
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isNullableString(value: unknown): value is string | null {
  return value === null || typeof value === "string";
}
