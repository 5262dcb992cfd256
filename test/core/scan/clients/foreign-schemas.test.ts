import { promises as fs } from "node:fs";
import path from "node:path";
import { readCodex } from "../../../../src/core/scan/clients/codex/reader";
import { locateCodex } from "../../../../src/core/scan/clients/codex/paths";
import { locateOpenClaw } from "../../../../src/core/scan/clients/openclaw/paths";
import { readOpenClaw } from "../../../../src/core/scan/clients/openclaw/reader";
import { readOpenCode } from "../../../../src/core/scan/clients/opencode/reader";
import type { ClientUsageEvent } from "../../../../src/core/scan/clients/types";
import { CODEX_CONFIG, sqlite } from "../../../helpers/clients";
import {
  codexMeta,
  codexTurns,
  jsonl,
  OPENCODE_V2_SCHEMA,
  openClawSession,
  v2Session,
  type CodexSession,
} from "../../../helpers/current-writers";
import { tempDir } from "../../../helpers/transcripts";

/**
 * One rule for the files of other programs: strict on the fields a reader uses, indifferent to the
 * rest. Each reader is fed the same lines twice, once as the client writes them and once with
 * unused fields added, left out and given other types; it must count exactly the same.
 */

let dir: string;
beforeEach(async () => {
  dir = await tempDir("mimo-foreign-");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

/** A copy of `value` with `changes` applied at dotted paths (undefined removes the field). */
function changed(value: object, changes: Record<string, unknown>): Json {
  const copy = structuredClone(value) as Json;
  for (const [dotted, next] of Object.entries(changes)) {
    const keys = dotted.split(".");
    let target = copy;
    for (const key of keys.slice(0, -1)) target = target[key] as Json;
    const last = keys[keys.length - 1];
    if (next === undefined) delete target[last];
    else target[last] = next;
  }
  return copy;
}

const strip = (events: ClientUsageEvent[]) => events.map((e) => ({ ...e }));

describe("every reader keeps a line whose unused fields are extra, missing or of another type", () => {
  it("Codex", async () => {
    const session: CodexSession = {
      id: "0199e000-0000-7000-8000-000000000001",
      start: "2026-11-20T10:00:00.000Z",
      source: { custom: "raycast" },
      provider: "xiaomi-token-plan-sgp",
      model: "mimo-v2.5-pro",
      cwd: "/w",
      requests: [{ at: "2026-11-20T10:01:00.000Z", input: 100, cached: 40, cacheWrite: 5, output: 7, reasoning: 2 }],
    };
    const lines = [codexMeta(session), ...codexTurns(session).lines];
    const odd = lines.map((line) => {
      const type = (line as { type: string }).type;
      const extra = { ordinal: "seventh", extra: { nested: [1, 2] } };
      if (type === "session_meta")
        return changed(
          { ...line, ...extra },
          { "payload.cli_version": 153, "payload.git": "none", "payload.originator": undefined, "payload.source": 42 },
        );
      if (type === "turn_context")
        return changed(
          { ...line, ...extra },
          { "payload.sandbox_policy": "strict", "payload.effort": 3, "payload.summary": undefined },
        );
      if (type === "event_msg")
        return changed(
          { ...line, ...extra },
          {
            "payload.rate_limits": "n/a",
            "payload.info.model_context_window": "big",
            "payload.info.last_token_usage": undefined,
            "payload.info.total_token_usage.extra_tokens": "x",
          },
        );
      return changed(line, { "payload.content": 5 });
    });
    const read = async (name: string, content: object[]) => {
      const home = path.join(dir, name);
      await fs.mkdir(path.join(home, "sessions"), { recursive: true });
      await fs.writeFile(path.join(home, "config.toml"), CODEX_CONFIG);
      await fs.writeFile(
        path.join(home, "sessions", "rollout-2026-11-20T10-00-00-0199e000-0000-7000-8000-00000000ffff.jsonl"),
        jsonl(content),
      );
      return readCodex({ sources: locateCodex({ home, env: { CODEX_HOME: home } }), cursor: null });
    };
    const plain = await read("plain", lines);
    const oddly = await read("odd", odd);
    // The session is named by its session_meta, not by the file.
    expect(plain.events.map((e) => e.sessionId)).toEqual([session.id]);
    expect(strip(oddly.events)).toEqual(strip(plain.events));
    expect(oddly.skipped).toEqual(plain.skipped);
  });

  it("OpenClaw", async () => {
    const events = openClawSession("s", "/w", [
      {
        id: "e1",
        at: "2026-11-20T10:00:00.000Z",
        model: "mimo-v2.5-pro",
        provider: "xiaomi-token-plan-sgp",
        usage: { input: 10, output: 5, cacheRead: 100, cacheWrite: 1 },
      },
    ]);
    const odd = events.map((event) =>
      changed(
        { ...event, extra: true },
        (event as { type: string }).type === "session"
          ? { version: "four" }
          : { parentId: 7, "message.content": "plain", "message.api": undefined, "message.stopReason": {} },
      ),
    );
    const read = async (name: string, content: object[]) => {
      const state = path.join(dir, name);
      await fs.mkdir(path.join(state, "agents", "main", "sessions"), { recursive: true });
      await fs.writeFile(path.join(state, "agents", "main", "sessions", "s.jsonl"), jsonl(content));
      return readOpenClaw({
        sources: locateOpenClaw({ home: "/nonexistent", env: { OPENCLAW_STATE_DIR: state } }),
        cursor: null,
      });
    };
    const plain = await read("plain", events);
    const oddly = await read("odd", odd);
    expect(plain.events).toHaveLength(1);
    expect(strip(oddly.events)).toEqual(strip(plain.events));
  });

  it("OpenCode 2 and its older JSON files", async () => {
    const data = {
      agent: "build",
      model: { id: "mimo-v2.5-pro", providerID: "xiaomi-token-plan-sgp" },
      content: [{ type: "text", id: "t", text: "ok" }],
      finish: "stop",
      cost: 0,
      tokens: { input: 10, output: 5, reasoning: 1, cache: { read: 100, write: 2 } },
      time: { created: 1_763_632_800_000, completed: 1_763_632_801_000 },
    };
    const odd = changed(
      { ...data, summary: true },
      { agent: 5, content: "x", finish: {}, cost: "free", "model.variant": 9 },
    );
    const legacy = {
      id: "msg_l",
      sessionID: "ses_l",
      role: "assistant",
      modelID: "mimo-v2.5-pro",
      providerID: "xiaomi-token-plan-sgp",
      mode: "build",
      path: { cwd: "/w", root: "/w" },
      time: { created: 1_763_632_900_000, completed: 1_763_632_901_000 },
      tokens: { input: 3, output: 2, reasoning: 0, cache: { read: 0, write: 0 } },
    };
    const oddLegacy = changed({ ...legacy, extra: [1] }, { mode: 3, path: "x", parentID: undefined });
    const read = async (name: string, message: object, file: object) => {
      const root = path.join(dir, name);
      await fs.mkdir(path.join(root, "storage", "message", "ses_l"), { recursive: true });
      await fs.writeFile(path.join(root, "storage", "message", "ses_l", "msg_l.json"), JSON.stringify(file));
      const db = path.join(root, "opencode.db");
      sqlite(
        db,
        `${OPENCODE_V2_SCHEMA}\n${v2Session("ses", "/w", 1)}
INSERT INTO session_message VALUES ('msg_1', 'ses', 'assistant', 1, 1763632800000, 1763632801000, '${JSON.stringify(message)}');`,
      );
      return readOpenCode({
        sources: { client: "opencode", path: root, databases: [db], legacyDir: path.join(root, "storage") },
        cursor: null,
        now: Date.parse("2026-11-29T12:00:00Z"),
        sqlite: { backend: "sqlite3" },
      });
    };
    const plain = await read("plain", data, legacy);
    const oddly = await read("odd", odd, oddLegacy);
    expect(plain.events.map((e) => e.key)).toEqual(["opencode:message:msg_1", "opencode:message:msg_l"]);
    expect(strip(oddly.events)).toEqual(strip(plain.events));
    expect(oddly.problems).toEqual([]);
  });
});
