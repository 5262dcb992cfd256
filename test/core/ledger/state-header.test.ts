import * as z from "zod";
import { readStateHeader, readStateMeta } from "../../../src/core/ledger/state-header";

// The state header used to be validated with this schema; the hand-written check that replaced it
// (so the scan need not load zod) must accept and produce exactly the same headers.
const count = z.number().int().nonnegative();
const HeaderSchema = z.object({
  version: z.literal(2),
  configKey: z.string(),
  files: z.array(
    z
      .object({
        path: z.string(),
        root: z.string(),
        dev: z.number(),
        ino: z.number(),
        size: z.number().nonnegative(),
        mtimeMs: z.number(),
        offset: count,
        head: z.string(),
        tokens: z.number().nonnegative(),
        messages: count,
        skipped: z.record(z.string(), count),
        gone: z.boolean(),
      })
      // Format 4 renamed the head hash (it is the ends hash of a short read) and added the ctime,
      // not known in format 2.
      .transform(({ path, root, dev, ino, size, mtimeMs, offset, head, ...rest }) => ({
        path,
        root,
        dev,
        ino,
        size,
        mtimeMs,
        ctimeMs: -1,
        offset,
        ends: head,
        ...rest,
      })),
  ),
  sessions: z.array(
    z.object({
      id: z.string(),
      client: z.string().default("claude-code"),
      cwd: z.string().nullable(),
      file: z.string().nullable(),
      summary: z.string().nullable(),
      firstAt: z.number(),
      lastAt: z.number(),
    }),
  ),
  models: z.array(z.string()),
  clients: z.record(z.string(), z.unknown()).default({}),
  cellCount: count,
  keyCount: count,
  uncountedCount: count,
  bodyBytes: count,
  cellsDigest: z.string(),
  keysDigest: z.string(),
});

const header = {
  version: 2,
  configKey: "{}",
  files: [
    {
      path: "/a.jsonl",
      root: "/",
      dev: 1,
      ino: 2,
      size: 10,
      mtimeMs: 1.5,
      offset: 10,
      head: "abc",
      tokens: 7,
      messages: 1,
      skipped: { malformed: 1, otherModel: 2 },
      gone: false,
    },
  ],
  sessions: [{ id: "s", client: "opencode", cwd: null, file: "/a.jsonl", summary: null, firstAt: 1, lastAt: 2 }],
  models: ["m"],
  clients: { opencode: { databases: {}, legacyMtime: 0 } },
  cellCount: 1,
  keyCount: 1,
  uncountedCount: 0,
  bodyBytes: 120,
  cellsDigest: "d",
  keysDigest: "e",
};

type Json = Record<string, unknown>;
const at = (value: Json, path: string[]): Json => path.reduce((v, key) => v[key] as Json, value);

const odd: unknown[] = [undefined, null, -1, 1.5, -0, 1e300, "1", "", true, [], {}];
const places: [string[], string][] = [
  [[], "version"],
  [[], "configKey"],
  [[], "files"],
  [[], "sessions"],
  [[], "models"],
  [[], "clients"],
  [[], "cellCount"],
  [[], "keyCount"],
  [[], "uncountedCount"],
  [[], "bodyBytes"],
  [[], "cellsDigest"],
  [[], "keysDigest"],
  ...["path", "root", "dev", "ino", "size", "mtimeMs", "offset", "head", "tokens", "messages", "skipped", "gone"].map(
    (key): [string[], string] => [["files", "0"], key],
  ),
  [["files", "0", "skipped"], "malformed"],
  ...["id", "client", "cwd", "file", "summary", "firstAt", "lastAt"].map((key): [string[], string] => [
    ["sessions", "0"],
    key,
  ]),
  [["models"], "0"],
];

const cases: [string, Json][] = [["as saved", header]];
for (const [path, key] of places) {
  for (const value of odd) {
    const changed = structuredClone(header) as Json;
    const target = at(changed, path);
    if (value === undefined) delete target[key];
    else target[key] = value;
    cases.push([`${[...path, key].join(".")} = ${JSON.stringify(value) ?? "missing"}`, changed]);
  }
}
cases.push(["an unknown key", { ...header, extra: 1 }]);

describe("state header check", () => {
  it.each(cases)("agrees with the former schema: %s", (_name, value) => {
    const parsed = HeaderSchema.safeParse(value);
    expect(readStateHeader(value, 2)).toEqual(parsed.success ? parsed.data : null);
  });

  it("keeps the field order the schema gave, so a saved state is byte for byte the same", () => {
    const parsed = HeaderSchema.parse(header);
    expect(JSON.stringify(readStateHeader(header, 2))).toBe(JSON.stringify(parsed));
  });
});

// Format 3's header holds settings, counts and checksums; the same odd values must fail the hand check
// where this schema fails them.
const MetaShape = z.object({
  version: z.literal(3),
  configKey: z.string(),
  models: z.array(z.string()),
  clients: z.record(z.string(), z.unknown()),
  // Reader versions came later: missing or not a table of counts, they read as none (the clients are
  // read again), never as a damaged state.
  readers: z.record(z.string(), count).catch({}),
  skipped: z.record(z.string().regex(/^(0|[1-9]\d*)$/), z.record(z.string(), count)),
  fileCount: count,
  sessionCount: count,
  stringCount: count,
  stringBytes: count,
  cellCount: count,
  keyCount: count,
  uncountedCount: count,
  bodyBytes: count,
  frontDigest: z.string(),
  keysDigest: z.string(),
});
const skipsInRange = (m: { skipped: Record<string, unknown>; fileCount: number }) =>
  Object.keys(m.skipped).every((index) => Number(index) < m.fileCount);
const MetaSchema = MetaShape.refine(skipsInRange);

const meta = {
  version: 3,
  configKey: "{}",
  models: ["m"],
  clients: { opencode: { databases: {}, legacyMtime: 0 } },
  skipped: { "1": { malformed: 1 } },
  fileCount: 2,
  sessionCount: 1,
  stringCount: 4,
  stringBytes: 40,
  cellCount: 1,
  keyCount: 1,
  uncountedCount: 0,
  bodyBytes: 240,
  frontDigest: "d",
  keysDigest: "e",
};

const metaCases: [string, Json][] = [["as saved", meta]];
for (const key of Object.keys(meta)) {
  for (const value of odd) {
    const changed = structuredClone(meta) as Json;
    if (value === undefined) delete changed[key];
    else changed[key] = value;
    metaCases.push([`${key} = ${JSON.stringify(value) ?? "missing"}`, changed]);
  }
}
for (const value of odd) {
  metaCases.push([`skipped["1"] = ${JSON.stringify(value)}`, { ...meta, skipped: { "1": value } }]);
  metaCases.push([`readers = ${JSON.stringify(value) ?? "missing"}`, { ...meta, readers: value }]);
  metaCases.push([`readers.codex = ${JSON.stringify(value) ?? "missing"}`, { ...meta, readers: { codex: value } }]);
}
metaCases.push(["reader versions", { ...meta, readers: { codex: 2, opencode: 1 } }]);
metaCases.push(["skip counts of file 01", { ...meta, skipped: { "01": { malformed: 1 } } }]);

describe("state header check, format 3", () => {
  it.each(metaCases)("agrees with the schema: %s", (_name, value) => {
    const parsed = MetaSchema.safeParse(value);
    // Format 3 made no full checks (see StateMeta.checkedAt).
    expect(readStateMeta(value, 3)).toEqual(parsed.success ? { ...parsed.data, checkedAt: 0 } : null);
  });

  it("refuses skip counts of a file past the file count", () => {
    expect(readStateMeta({ ...meta, skipped: { "2": { malformed: 1 } } }, 3)).toBeNull();
  });
});

// Format 4 adds the time of the last full check.
const Meta4Schema = MetaShape.extend({ version: z.literal(4), checkedAt: z.number().nonnegative() }).refine(
  skipsInRange,
);
const meta4 = { ...meta, version: 4, checkedAt: 1764064800123.5 };
const meta4Cases: [string, Json][] = [
  ["as saved", meta4],
  ["no check yet", { ...meta4, checkedAt: 0 }],
  ["format 3's header", meta],
];
for (const value of odd) {
  const changed = structuredClone(meta4) as Json;
  if (value === undefined) delete changed.checkedAt;
  else changed.checkedAt = value;
  meta4Cases.push([`checkedAt = ${JSON.stringify(value) ?? "missing"}`, changed]);
}

describe("state header check, format 4", () => {
  it.each(meta4Cases)("agrees with the schema: %s", (_name, value) => {
    const parsed = Meta4Schema.safeParse(value);
    expect(readStateMeta(value, 4)).toEqual(parsed.success ? parsed.data : null);
  });
});
