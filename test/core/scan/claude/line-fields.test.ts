import { promises as fs } from "node:fs";
import path from "node:path";
import { Rng } from "../../../../bench/corpus";
import { acquireLineReader, releaseLineReader } from "../../../../src/core/scan/claude/line-fields";
import { scanFile } from "../../../../src/core/scan/claude/read-file";
import type { FileScan } from "../../../../src/core/usage-event";
import { assistant, tempDir, user } from "../../../helpers/transcripts";

/**
 * The WebAssembly line reader (assembly/line-fields.ts) must count exactly what the JavaScript
 * reader counts (classify-line.ts and usage-record.ts, themselves held to the zod schema): every
 * file here is scanned both ways and the condensed results compared whole.
 */

let dir: string;
beforeAll(async () => {
  dir = await tempDir("mimo-line-fields-");
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function scanWith(file: string, wasm: boolean, shared = false): FileScan {
  const before = process.env.MIMO_SCAN_WASM;
  process.env.MIMO_SCAN_WASM = wasm ? "1" : "0";
  try {
    return scanFile({ path: file, from: 0, shared, ends: "" }, /mimo/i);
  } finally {
    if (before === undefined) delete process.env.MIMO_SCAN_WASM;
    else process.env.MIMO_SCAN_WASM = before;
  }
}

/** A scan as plain data: events resolved to their strings, so the two ways compare whole. */
function plain(scan: FileScan): unknown {
  const events: unknown[] = [];
  for (let i = 0; i < scan.eventCount; i++) {
    const row = Array.from(scan.events.subarray(i * 11, i * 11 + 11));
    // Session, model and cwd (and a summary's text) are indexes into the scan's own strings.
    events.push(row.map((v, k) => (((k === 1 && row[0] === 2) || k >= 8) && v >= 0 ? scan.strings[v] : v)));
  }
  return { end: scan.end, bytesRead: scan.bytesRead, ends: scan.ends, skipped: scan.skipped, events };
}

async function expectBothWaysAlike(name: string, body: string | Buffer, shared = false): Promise<FileScan> {
  const file = path.join(dir, name);
  await fs.writeFile(file, body);
  const viaModule = scanWith(file, true, shared);
  const viaScript = scanWith(file, false, shared);
  expect(plain(viaModule)).toEqual(plain(viaScript));
  return viaModule;
}

const base = () => ({
  type: "assistant",
  timestamp: "2026-11-20T10:00:00.123Z",
  sessionId: "s-1",
  cwd: "/work/app",
  requestId: "req_1",
  message: {
    id: "msg_1",
    model: "mimo-v2.5",
    content: [{ type: "text", text: "hi" }],
    usage: { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 3, cache_creation_input_tokens: 4 },
  },
});

type Line = ReturnType<typeof base> & Record<string, unknown>;
const odd: unknown[] = [undefined, null, 0, -1, 1.5, 1e3, 2 ** 53, "1", "", true, false, [], {}, [1], { a: 1 }];
const times = [
  "2026-11-20T10:00:00Z",
  "2026-11-20T10:00:00.1Z",
  "2026-11-20T10:00:00.123456Z",
  "2026-11-20T10:00:00.123+08:00",
  "2026-11-20T23:59:59.999Z",
  "2024-02-29T00:00:00.000Z",
  "2023-02-29T00:00:00.000Z",
  "2000-02-29T00:00:00.000Z",
  "1900-02-29T00:00:00.000Z",
  "2026-04-31T00:00:00.000Z",
  "2026-13-01T00:00:00.000Z",
  "2026-11-20T24:00:00.000Z",
  "2026-11-20T10:60:00.000Z",
  "2026-11-20 10:00:00.000Z",
  "2026-11-20T10:00:00.000z",
  "0000-01-01T00:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
  "2026-11-20",
  "",
];

function variants(): string[] {
  const out: Line[] = [base()];
  const set = (edit: (line: Line) => void) => {
    const line = base() as Line;
    edit(line);
    out.push(line);
  };
  const message = (l: Line) => l.message as Record<string, unknown>;
  const usage = (l: Line) => message(l).usage as Record<string, unknown>;
  for (const value of odd) {
    for (const key of ["type", "timestamp", "sessionId", "cwd", "requestId", "isApiErrorMessage", "message"])
      set((l) => (l[key] = value));
    for (const key of ["id", "model", "usage"]) set((l) => (message(l)[key] = value));
    for (const key of ["input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"])
      set((l) => (usage(l)[key] = value));
  }
  for (const ts of times) set((l) => (l.timestamp = ts));
  set((l) => (l.isApiErrorMessage = true));
  set((l) => (message(l).model = "<synthetic>"));
  set((l) => (message(l).id = "msg_ü"));
  set((l) => (l.sessionId = "会话-1"));
  set((l) => (l.cwd = 'C:\\dev\\"quoted"'));
  set((l) => (l.type = "user"));
  set((l) => delete (l as Record<string, unknown>).requestId);
  set((l) => {
    delete (l as Record<string, unknown>).requestId;
    delete (l as Record<string, unknown>).sessionId;
  });
  set((l) => (usage(l).cache_read_input_tokens = Number.MAX_SAFE_INTEGER));
  set((l) => (usage(l).input_tokens = 1234567890123456));
  const lines = out.map((line) => JSON.stringify(line));
  // Forms JSON.stringify does not write but a file may hold.
  const text = lines[0];
  lines.push(
    text.replace('"usage":', '"usage" :'),
    text.replace('"timestamp"', '"time\\u0073tamp"'),
    text.replace('"type":"assistant"', '"type":"assist\\u0061nt"'),
    text.replace('"input_tokens":1', '"input_tokens":01'),
    text.replace('"input_tokens":1', '"input_tokens":1.0'),
    text.replace('"input_tokens":1', '"input_tokens":-0'),
    text.replace('"input_tokens":1', '"input_tokens":1e2'),
    text.replace('"input_tokens":1', '"input_tokens": 1 '),
    text.replace("{", "{ ").replace(/,/g, " ,\t"),
    text.replace('"type":"assistant"', '"type":"user","type":"assistant"'),
    text.replace('"type":"assistant"', '"type":"assistant","type":"user"'),
    text.replace('"message":{', '"message":{"usage":{"input_tokens":99},'),
    text.slice(0, -1),
    `${text}x`,
    `${text}}`,
    text.replace('"hi"', '"h\u0001i"'),
    text.replace('"hi"', '"h\\qi"'),
    `${text}\r`,
    `  ${text}  `,
    "",
    "not json",
    '{"type":"summary","summary":"A summary","leafUuid":"x"}',
  );
  return lines;
}

describe("the WebAssembly line reader", () => {
  it("is used where WebAssembly is available", () => {
    const reader = acquireLineReader(1024);
    expect(reader).not.toBeNull();
    if (reader) releaseLineReader(reader);
  });

  it("judges every variant of a usage line as the JavaScript reader does", async () => {
    const lines = variants();
    const scan = await expectBothWaysAlike("variants.jsonl", `${lines.join("\n")}\n`);
    expect(scan.eventCount).toBeGreaterThan(40);
    expect(Object.keys(scan.skipped).sort()).toEqual(["apiError", "invalid", "malformed", "synthetic"]);
  });

  it("reads each variant the same when it is the only line, with a byte order mark or without", async () => {
    const lines = variants();
    for (let i = 0; i < lines.length; i += 7) {
      await expectBothWaysAlike(`one-${i}.jsonl`, `${lines[i]}\n`);
      await expectBothWaysAlike(
        `bom-${i}.jsonl`,
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines[i]}\n`)]),
      );
    }
  });

  it("keeps strings apart when more of them than its table holds share slots", async () => {
    const rng = new Rng(3);
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const line = base() as Line;
      line.sessionId = `s-${rng.int(0, 3000)}`;
      line.cwd = `/work/${rng.int(0, 1500)}`;
      (line.message as Record<string, unknown>).model = `mimo-${rng.int(0, 1500)}`;
      (line.message as Record<string, unknown>).id = `m-${i >> 1}`;
      line.requestId = rng.chance(0.1) ? (null as unknown as string) : `r-${i >> 1}`;
      lines.push(JSON.stringify(line));
    }
    const scan = await expectBothWaysAlike("slots.jsonl", `${lines.join("\n")}\n`);
    expect(scan.strings.length).toBeGreaterThan(3000);
  });

  it("reads across chunk ends, long lines and more lines than one call answers", async () => {
    const rng = new Rng(5);
    const parts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const ts = `2026-11-20T10:${String(i % 60).padStart(2, "0")}:00.000Z`;
      if (rng.chance(0.2)) parts.push(user(ts, "x".repeat(rng.int(10, 9000))));
      else parts.push(assistant({ id: `m${i}`, req: `r${i}`, ts, input: i, text: "y".repeat(rng.int(0, 900)) }));
    }
    parts.push(user("2026-11-21T00:00:00Z", "z".repeat(2_500_000)));
    parts.push(
      assistant({ id: "big", req: "big", ts: "2026-11-21T00:00:01Z", output: 7, text: "w".repeat(1_200_000) }),
    );
    const scan = await expectBothWaysAlike("chunks.jsonl", `${parts.join("\n")}\n`);
    expect(scan.eventCount).toBeGreaterThan(2000);
  });

  it("leaves a line still being written for the next read", async () => {
    const done = assistant({ id: "a", req: "a", ts: "2026-11-20T10:00:00Z", input: 1 });
    const half = assistant({ id: "b", req: "b", ts: "2026-11-20T10:00:01Z", input: 2 }).slice(0, 40);
    const scan = await expectBothWaysAlike("partial.jsonl", `${done}\n${half}`);
    expect(scan.end).toBe(Buffer.byteLength(done) + 1);
  });

  it("filters models in a shared folder and keys lines without ids by their bytes", async () => {
    const lines = [
      assistant({ id: null, req: null, ts: "2026-11-20T10:00:00Z", input: 1 }),
      assistant({ id: null, req: null, ts: "2026-11-20T10:00:00Z", input: 1, model: "claude-sonnet" }),
      assistant({ id: "m", req: null, session: null, ts: "2026-11-20T10:00:01Z", input: 2 }),
      assistant({ id: "m", req: null, ts: "2026-11-20T10:00:02Z", input: 3 }),
    ];
    const scan = await expectBothWaysAlike("shared.jsonl", `${lines.join("\n")}\n`, true);
    expect(scan.skipped).toEqual({ otherModel: 1 });
  });

  it("skips a usage line that is not valid UTF-8", async () => {
    const text = assistant({ id: "a", req: "a", ts: "2026-11-20T10:00:00Z", input: 1, text: "é" });
    const bytes = Buffer.from(`${text}\n`);
    bytes[bytes.indexOf(0xc3)] = 0xff;
    const scan = await expectBothWaysAlike("utf8.jsonl", bytes);
    expect(scan.skipped).toEqual({ invalidUtf8: 1 });
  });
});
