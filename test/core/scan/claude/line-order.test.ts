import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { Rng } from "../../../../bench/corpus";
import { UsageLineSchema } from "../../../../src/core/scan/claude/line-schema";
import { endsHashOf, HEAD_BYTES, scanFile, TAIL_BYTES } from "../../../../src/core/scan/claude/read-file";
import { EV, EVENT_USAGE, keyFor, type FileScan } from "../../../../src/core/usage-event";
import { tempDir } from "../../../helpers/transcripts";

/**
 * The scan reads assistant lines without parsing their content. Whatever order a line's keys come
 * in, and whatever other `usage` objects it nests before or after `message.usage`, the scan must count
 * exactly what a full JSON.parse of the line, judged by UsageLineSchema, says — or count the line in
 * `skipped`. Lines here are generated from a seed, so a failure names a line that can be replayed.
 */

type Json = Record<string, unknown>;

function shuffled(rng: Rng, value: Json): Json {
  const keys = Object.keys(value);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  return Object.fromEntries(keys.map((k) => [k, value[k]]));
}

function decoyUsage(rng: Rng): Json {
  return {
    input_tokens: rng.int(1000, 9999),
    output_tokens: rng.int(1000, 9999),
    cache_read_input_tokens: rng.int(0, 99),
    cache_creation_input_tokens: rng.int(0, 99),
  };
}

/** Text that looks like the keys the scan searches for, as people quote transcripts in transcripts. */
function trickyText(rng: Rng): string {
  return rng.pick([
    "plain text",
    '{"usage":{"input_tokens":5}}',
    '"content": [1, 2] } ] "usage": {',
    'back\\slash \\" quote',
    "今天的用量 ✓",
    '"requestId": null, "type": "assistant"',
  ]);
}

function contentBlocks(rng: Rng): unknown {
  switch (rng.int(0, 5)) {
    case 0:
      return [{ type: "text", text: trickyText(rng) }];
    case 1:
      return [
        { type: "tool_use", id: "t1", name: "Task", input: { usage: decoyUsage(rng), content: [trickyText(rng)] } },
      ];
    case 2:
      return [{ type: "tool_result", content: [{ type: "text", text: trickyText(rng) }], usage: decoyUsage(rng) }];
    case 3:
      return trickyText(rng);
    case 4:
      return [];
    default:
      return [
        { type: "thinking", thinking: trickyText(rng), signature: "c2ln" },
        { type: "text", text: "{[" },
      ];
  }
}

function assistantLine(rng: Rng, index: number): Json {
  const usage: Json = shuffled(rng, {
    input_tokens: rng.int(0, 5000),
    output_tokens: rng.int(0, 5000),
    cache_read_input_tokens: rng.chance(0.1) ? null : rng.int(0, 90_000),
    cache_creation_input_tokens: rng.int(0, 9000),
    ...(rng.chance(0.5) ? { cache_creation: { ephemeral_5m_input_tokens: 1 }, service_tier: "standard" } : {}),
  });
  if (rng.chance(0.05)) delete usage.output_tokens;
  if (rng.chance(0.03)) usage.input_tokens = -1;
  const message: Json = {
    id: `msg_${index % 40}`,
    type: "message",
    role: "assistant",
    model: rng.chance(0.05) ? "<synthetic>" : rng.pick(["mimo-v2.5-pro", "mimo-v2.5"]),
    stop_reason: rng.pick([null, "end_turn", "tool_use"]),
  };
  if (!rng.chance(0.1)) message.content = contentBlocks(rng);
  if (!rng.chance(0.04)) message.usage = usage;
  // Other objects called usage, before or after the message's own (or standing in for a missing one).
  if (rng.chance(0.3)) message.context_management = { usage: decoyUsage(rng) };
  const line: Json = {
    parentUuid: rng.chance(0.5) ? null : `p-${index}`,
    isSidechain: false,
    cwd: rng.pick(["/work/app", "/Users/李/代码", 'C:\\dev\\"quoted"']),
    sessionId: `s-${index % 3}`,
    type: "assistant",
    message: shuffled(rng, message),
    requestId: rng.chance(0.15) ? null : `req_${index % 40}`,
    uuid: `u-${index}`,
    timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, index)).toISOString(),
  };
  if (rng.chance(0.1)) delete line.requestId;
  if (rng.chance(0.05)) line.isApiErrorMessage = true;
  if (rng.chance(0.3)) line.meta = { usage: decoyUsage(rng) };
  if (rng.chance(0.2)) line.toolUseResult = { usage: decoyUsage(rng), content: contentBlocks(rng) };
  if (rng.chance(0.1)) line.content = { usage: decoyUsage(rng) };
  return shuffled(rng, line);
}

function otherLine(rng: Rng, index: number): Json {
  return shuffled(rng, {
    type: rng.pick(["user", "progress", "system"]),
    sessionId: "s-0",
    timestamp: new Date(Date.UTC(2026, 10, 20, 11, 0, index)).toISOString(),
    message: { role: "user", content: contentBlocks(rng), usage: decoyUsage(rng) },
    data: { message: { type: "assistant", message: { usage: decoyUsage(rng) } } },
  });
}

interface Expected {
  usage: { at: number; input: number; output: number; cacheRead: number; cacheWrite: number; model: string }[];
  keys: string[];
  skipped: Record<string, number>;
}

/** What a full parse of each line says, judged by the schema: the definition the scan must match. */
function byFullParse(lines: string[], file: string): Expected {
  const out: Expected = { usage: [], keys: [], skipped: {} };
  const skip = (reason: string) => (out.skipped[reason] = (out.skipped[reason] ?? 0) + 1);
  for (const text of lines) {
    const value = JSON.parse(text) as Json;
    // An assistant line is a usage line when its message has a usage key, whatever else it nests.
    const message = value.message;
    if (value.type !== "assistant" || typeof message !== "object" || message === null || !("usage" in message))
      continue;
    const parsed = UsageLineSchema.safeParse(value);
    if (!parsed.success) {
      skip("invalid");
      continue;
    }
    const line = parsed.data;
    if (line.isApiErrorMessage) skip("apiError");
    else if (line.message.model === "<synthetic>") skip("synthetic");
    else {
      const u = line.message.usage;
      out.usage.push({
        at: Date.parse(line.timestamp),
        input: u.input_tokens,
        output: u.output_tokens,
        cacheRead: u.cache_read_input_tokens ?? 0,
        cacheWrite: u.cache_creation_input_tokens ?? 0,
        model: line.message.model ?? "unknown",
      });
      const key = keyFor(
        { messageId: line.message.id, requestId: line.requestId, sessionId: line.sessionId },
        file,
        () => text,
      );
      out.keys.push(`${key.hi}:${key.lo}`);
    }
  }
  return out;
}

function fromScan(scan: FileScan): Expected {
  const out: Expected = { usage: [], keys: [], skipped: { ...scan.skipped } };
  for (let i = 0; i < scan.eventCount; i++) {
    const at = i * 11;
    const ev = scan.events;
    if (ev[at + EV.KIND] !== EVENT_USAGE) continue;
    out.usage.push({
      at: ev[at + EV.AT],
      input: ev[at + EV.INPUT],
      output: ev[at + EV.OUTPUT],
      cacheRead: ev[at + EV.CACHE_READ],
      cacheWrite: ev[at + EV.CACHE_WRITE],
      model: scan.strings[ev[at + EV.MODEL]],
    });
    out.keys.push(`${ev[at + EV.KEY_HI]}:${ev[at + EV.KEY_LO]}`);
  }
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir("mimo-line-order-");
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function scanLines(name: string, body: Buffer): Promise<FileScan> {
  const file = path.join(dir, name);
  await fs.writeFile(file, body);
  return scanFile({ path: file, from: 0, shared: false, ends: "" }, /mimo/i);
}

describe("assistant lines in any key order, with decoy usage objects", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("counts what a full parse counts (seed %i)", async (seed) => {
    const rng = new Rng(seed);
    const lines: string[] = [];
    for (let i = 0; i < 400; i++)
      lines.push(JSON.stringify(rng.chance(0.8) ? assistantLine(rng, i) : otherLine(rng, i)));
    const file = path.join(dir, `seed-${seed}.jsonl`);
    const scan = await scanLines(`seed-${seed}.jsonl`, Buffer.from(`${lines.join("\n")}\n`));
    const expected = byFullParse(lines, file);
    expect(expected.usage.length).toBeGreaterThan(100);
    expect(fromScan(scan)).toEqual(expected);
  });

  it("takes message.usage when another usage object follows it", async () => {
    const line = JSON.stringify({
      type: "assistant",
      timestamp: "2026-11-20T10:00:00Z",
      message: { id: "m", model: "mimo-v2.5", content: [], usage: { input_tokens: 7, output_tokens: 3 } },
      requestId: "r",
      meta: { usage: { input_tokens: 1000, output_tokens: 1000 } },
    });
    const scan = await scanLines("after.jsonl", Buffer.from(`${line}\n`));
    expect(fromScan(scan).usage).toEqual([
      { at: Date.parse("2026-11-20T10:00:00Z"), input: 7, output: 3, cacheRead: 0, cacheWrite: 0, model: "mimo-v2.5" },
    ]);
    expect(scan.skipped).toEqual({});
  });

  it("passes over long user lines, but only where type user stands at the top level", async () => {
    const usage = { input_tokens: 5, output_tokens: 1 };
    const long = "x".repeat(5000);
    const lines = [
      // A user line with a tool result nesting a usage object: not a usage line.
      {
        type: "user",
        message: { role: "user", content: [{ type: "tool_result", content: long }] },
        toolUseResult: { usage },
      },
      // Assistant lines quoting or nesting the user pattern near their start still count.
      {
        note: '"type":"user","message":{"role":"user"',
        type: "assistant",
        timestamp: "2026-11-20T10:00:00Z",
        message: { id: "a", model: "mimo-v2.5", content: long, usage },
      },
      {
        quoted: { type: "user", message: { role: "user", content: "x" } },
        type: "assistant",
        timestamp: "2026-11-20T10:00:01Z",
        message: { id: "b", model: "mimo-v2.5", content: long, usage },
      },
    ].map((line) => JSON.stringify(line));
    const scan = await scanLines("long-user.jsonl", Buffer.from(`${lines.join("\n")}\n`));
    expect(fromScan(scan)).toEqual(byFullParse(lines, path.join(dir, "long-user.jsonl")));
    expect(fromScan(scan).usage).toHaveLength(2);
  });

  it("strips a byte order mark at the start of a file", async () => {
    const rng = new Rng(9);
    const lines = [assistantLine(rng, 1), assistantLine(rng, 2)].map((l) =>
      JSON.stringify({ ...l, isApiErrorMessage: false, message: { ...(l.message as Json), model: "mimo-v2.5" } }),
    );
    const withBom = await scanLines(
      "bom.jsonl",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join("\n")}\n`)]),
    );
    const without = await scanLines("plain.jsonl", Buffer.from(`${lines.join("\n")}\n`));
    expect(withBom.skipped).toEqual(without.skipped);
    expect(fromScan(withBom).usage).toEqual(fromScan(without).usage);
    expect(withBom.skipped.malformed).toBeUndefined();
  });

  it("counts a line whose requestId is null, keyed as if it had none", async () => {
    const base = { type: "assistant", timestamp: "2026-11-20T10:00:00Z", sessionId: "s" };
    const message = { id: "m", model: "mimo-v2.5", usage: { input_tokens: 4 } };
    const nullId = JSON.stringify({ ...base, requestId: null, message });
    const noId = JSON.stringify({ ...base, message });
    const scan = await scanLines("null-request.jsonl", Buffer.from(`${nullId}\n${noId}\n`));
    const { usage, keys } = fromScan(scan);
    expect(usage.map((u) => u.input)).toEqual([4, 4]);
    expect(keys[0]).toBe(keys[1]);
    expect(scan.skipped).toEqual({});
  });
});

describe("the ends hash of a read", () => {
  const sha1 = (...parts: Buffer[]) => {
    const hash = createHash("sha1");
    for (const part of parts) hash.update(part);
    return hash.digest("hex");
  };

  it("hashes the first and last bytes of a read that a state keeps, and skips it for a headless one", async () => {
    const rng = new Rng(11);
    const body = Buffer.from(
      `${Array.from({ length: 40 }, (_, i) => JSON.stringify(assistantLine(rng, i))).join("\n")}\n`,
    );
    expect(body.length).toBeGreaterThan(HEAD_BYTES + TAIL_BYTES);
    const file = path.join(dir, "head.jsonl");
    await fs.writeFile(file, body);
    const kept = scanFile({ path: file, from: 0, shared: false, ends: "" }, /mimo/i);
    const headless = scanFile({ path: file, from: 0, shared: false, ends: "", headless: true }, /mimo/i);
    expect(kept.ends).toBe(sha1(body.subarray(0, HEAD_BYTES), body.subarray(body.length - TAIL_BYTES)));
    expect(headless.ends).toBe("");
    // Nothing else about the read depends on it.
    expect({ ...headless, ends: kept.ends }).toEqual(kept);
  });

  it("gives a read continued from an offset the hash a whole read has, and the head hash up to HEAD_BYTES", async () => {
    const rng = new Rng(12);
    const lines = Array.from({ length: 60 }, (_, i) => `${JSON.stringify(assistantLine(rng, i))}\n`);
    const body = Buffer.from(lines.join(""));
    const file = path.join(dir, "continued.jsonl");
    await fs.writeFile(file, body);
    const whole = scanFile({ path: file, from: 0, shared: false, ends: "" }, /mimo/i);
    for (const cut of [1, 5, 20, 59]) {
      await fs.writeFile(file, body.subarray(0, Buffer.byteLength(lines.slice(0, cut).join(""))));
      const first = scanFile({ path: file, from: 0, shared: false, ends: "" }, /mimo/i);
      await fs.writeFile(file, body);
      expect(first.ends).toBe(endsHashOf(file, first.end));
      const rest = scanFile({ path: file, from: first.end, shared: false, ends: first.ends }, /mimo/i);
      expect(rest.ends).toBe(whole.ends);
    }
    // States before format 4 kept the hash of the first bytes: the same thing for a short read.
    expect(endsHashOf(file, 100)).toBe(sha1(body.subarray(0, 100)));
    expect(endsHashOf(file, HEAD_BYTES)).toBe(sha1(body.subarray(0, HEAD_BYTES)));
    expect(endsHashOf(file, HEAD_BYTES + 10)).not.toBe(sha1(body.subarray(0, HEAD_BYTES)));
  });
});
