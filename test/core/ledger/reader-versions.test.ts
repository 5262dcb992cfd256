import { promises as fs } from "node:fs";
import path from "node:path";
import { refreshUsage } from "../../../src/core/chain/local";
import { applyClientEvents } from "../../../src/core/ledger/apply-clients";
import { loadState, saveState } from "../../../src/core/ledger/state-file";
import { READER_VERSIONS } from "../../../src/core/scan/clients/reader-versions";
import type { ClientUsageEvent, OtherClientName } from "../../../src/core/scan/clients/types";
import type { Snapshot } from "../../../src/core/views/schema";
import { CODEX_CONFIG, requestPlan, writeOpenCodeDb } from "../../helpers/clients";
import { writeCodexRollout, type CodexSession } from "../../helpers/current-writers";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";

/**
 * A state saved by an older reader of a client keeps what that reader counted, rows filed under
 * the wrong session included, until the reader's version moves: then that client alone is taken
 * back and read again from its start, and its figures equal a fresh scan's. Claude Code's
 * transcripts are not read again, the other clients keep what they hold, and usage kept from
 * deleted transcripts stays.
 */

const MIMO = { provider: "xiaomi-token-plan-sgp", model: "mimo-v2.5-pro", cwd: "/work/app" };
const PARENT: CodexSession = {
  ...MIMO,
  id: "0199c000-0000-7000-8000-000000000003",
  start: "2026-11-21T09:00:00.000Z",
  source: "cli",
  requests: [{ at: "2026-11-21T09:01:00.000Z", input: 1000, cached: 400, cacheWrite: 0, output: 200, reasoning: 50 }],
};
const FORK: CodexSession = {
  ...MIMO,
  id: "0199c000-0000-7000-8000-000000000004",
  start: "2026-11-22T09:00:00.000Z",
  source: "cli",
  forkedFrom: PARENT.id,
  requests: [{ at: "2026-11-22T09:05:00.000Z", input: 500, cached: 2000, cacheWrite: 0, output: 150, reasoning: 0 }],
};

/**
 * What a reader before #23 left in the state for the fork above: its own request filed under the
 * parent's session id (the copied parent session_meta renamed the session), and the parent's copied
 * count counted a second time. The keys stand in for that reader's; the current one makes neither.
 */
const OLD_CODEX_ROWS: ClientUsageEvent[] = [
  {
    client: "codex",
    key: `codex:${PARENT.id}:total:old-fork-request`,
    sessionId: PARENT.id,
    project: "/work/app",
    model: "mimo-v2.5-pro",
    timestamp: Date.parse("2026-11-22T09:05:00.000Z"),
    input: 500,
    output: 150,
    cacheRead: 2000,
    cacheWrite: 0,
  },
  {
    client: "codex",
    key: `codex:${PARENT.id}:total:old-copied-parent`,
    sessionId: PARENT.id,
    project: "/work/app",
    model: "mimo-v2.5-pro",
    timestamp: Date.parse("2026-11-22T09:00:00.000Z"),
    input: 1000,
    output: 200,
    cacheRead: 400,
    cacheWrite: 0,
  },
];
const OLD_CODEX_EXTRA = 500 + 150 + 2000 + (1000 + 200 + 400);

/** A row no OpenCode reader made: it stays as long as OpenCode's reader version stays. */
const OLD_OPENCODE_ROWS: ClientUsageEvent[] = [
  {
    client: "opencode",
    key: "opencode:stand-in-row",
    sessionId: "ses_a",
    project: "/work/opencode-ses_a",
    model: "mimo-v2.5-pro",
    timestamp: Date.parse("2026-11-20T10:00:00.000Z"),
    input: 70,
    output: 7,
    cacheRead: 0,
    cacheWrite: 0,
  },
];

let home: string;
let claude: string;
let support: string;

beforeAll(async () => {
  home = await tempDir("mimo-reader-versions-");
  claude = path.join(home, ".claude");
  support = path.join(home, "support");
  await fs.mkdir(support, { recursive: true });
  await writeTranscript(claude, "c1.jsonl", [
    assistant({ id: "a", req: "a", session: "c1", ts: "2026-11-20T08:00:00Z", input: 1000, output: 100 }),
    assistant({
      id: "b",
      req: "b",
      session: "c1",
      ts: "2026-11-22T08:00:00Z",
      input: 2000,
      output: 200,
      cacheRead: 30,
    }),
  ]);
  const codex = path.join(home, ".codex");
  await fs.mkdir(codex, { recursive: true });
  await fs.writeFile(path.join(codex, "config.toml"), CODEX_CONFIG);
  await writeCodexRollout(codex, PARENT);
  await writeCodexRollout(codex, FORK, { parent: PARENT });
  await writeOpenCodeDb(path.join(home, ".local", "share"), "opencode", requestPlan());
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

afterEach(() => {
  jest.restoreAllMocks();
});

async function refresh(statePath: string | null): Promise<Snapshot> {
  const result = await refreshUsage(
    configFor([claude], {
      statePath,
      now: () => new Date("2026-11-23T20:00:00Z"),
      clients: { home, env: {}, enabled: ["codex", "opencode"], sqlite: { backend: "sqlite3" } },
    }),
  );
  if (!result.ok) throw new Error(result.error);
  return result.snapshot;
}

/** Every figure of a snapshot; what a refresh read and how long it took are not figures. */
function figures(snapshot: Snapshot): Partial<Snapshot> {
  return { ...snapshot, stats: undefined, warnings: undefined };
}

const lifetimeOf = (snapshot: Snapshot, client: string) =>
  snapshot.clients.find((c) => c.name === client)?.lifetime.total;
const sessionTotal = (snapshot: Snapshot, id: string) => snapshot.sessions.find((s) => s.sessionId === id)?.total;

/** Adds the rows an older reader left to the state at `statePath`, as saved by reader `version`s. */
async function ageState(statePath: string, rows: Partial<Record<OtherClientName, ClientUsageEvent[]>>) {
  const loaded = await loadState(statePath);
  if (!loaded.ok) throw new Error(loaded.message);
  for (const [client, events] of Object.entries(rows) as [OtherClientName, ClientUsageEvent[]][])
    applyClientEvents(loaded.state, client, events, {});
  await saveState(statePath, loaded.state);
}

/** The state file as a build before reader versions wrote it: its JSON header has no `readers`. */
async function withoutReaderVersions(statePath: string): Promise<void> {
  const bytes = await fs.readFile(statePath);
  const headerLength = bytes.readUInt32LE(12);
  const header = JSON.parse(bytes.subarray(16, 16 + headerLength).toString("utf8")) as Record<string, unknown>;
  expect(header.readers).toEqual({ codex: READER_VERSIONS.codex, opencode: READER_VERSIONS.opencode });
  delete header.readers;
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const align8 = (n: number) => Math.ceil(n / 8) * 8;
  const prefix = Buffer.alloc(align8(16 + json.length));
  bytes.copy(prefix, 0, 0, 12);
  prefix.writeUInt32LE(json.length, 12);
  json.copy(prefix, 16);
  await fs.writeFile(statePath, Buffer.concat([prefix, bytes.subarray(align8(16 + headerLength))]));
}

describe("reader versions in the saved state", () => {
  it("reads one client again when its reader's version moves, and nothing else", async () => {
    const fresh = await refresh(null);
    const statePath = path.join(support, "bump.bin");
    await refresh(statePath);
    await ageState(statePath, { codex: OLD_CODEX_ROWS, opencode: OLD_OPENCODE_ROWS });

    // Same versions: the state is reused as saved, wrong rows and all.
    const kept = await refresh(statePath);
    expect(lifetimeOf(kept, "codex")).toBe(lifetimeOf(fresh, "codex")! + OLD_CODEX_EXTRA);
    expect(sessionTotal(kept, PARENT.id)).toBe(sessionTotal(fresh, PARENT.id)! + OLD_CODEX_EXTRA);
    expect(lifetimeOf(kept, "opencode")).toBe(lifetimeOf(fresh, "opencode")! + 77);

    jest.replaceProperty(READER_VERSIONS, "codex", READER_VERSIONS.codex + 1);
    const bumped = await refresh(statePath);
    expect(bumped.warnings).toEqual([]);
    // Codex as a fresh scan counts it: the fork's request under its own session, nothing twice.
    const codexOf = (s: Snapshot) => ({
      clients: s.clients.find((c) => c.name === "codex"),
      sessions: s.sessions.filter((x) => x.client === "codex"),
      days: s.dayClients.filter((d) => d.client === "codex"),
    });
    expect(codexOf(bumped)).toEqual(codexOf(fresh));
    expect(sessionTotal(bumped, FORK.id)).toBe(500 + 2000 + 150);
    // Claude Code's transcripts were not read again, and OpenCode kept what it held.
    expect(bumped.stats.filesRead).toBe(0);
    expect(lifetimeOf(bumped, "claude-code")).toBe(lifetimeOf(fresh, "claude-code"));
    expect(lifetimeOf(bumped, "opencode")).toBe(lifetimeOf(fresh, "opencode")! + 77);

    // Saved: the next refresh reads nothing again and counts the same.
    const again = await refresh(statePath);
    expect(figures(again)).toEqual(figures(bumped));

    jest.replaceProperty(READER_VERSIONS, "opencode", READER_VERSIONS.opencode + 1);
    expect(figures(await refresh(statePath))).toEqual(figures(fresh));
  });

  it("reads every client of a state saved before reader versions again, keeping deleted transcripts' usage", async () => {
    const statePath = path.join(support, "old.bin");
    const gone = await writeTranscript(claude, "gone.jsonl", [
      assistant({ id: "g", req: "g", session: "g1", ts: "2026-11-19T08:00:00Z", input: 4000, output: 400 }),
    ]);
    await refresh(statePath);
    await ageState(statePath, { codex: OLD_CODEX_ROWS, opencode: OLD_OPENCODE_ROWS });
    await withoutReaderVersions(statePath);
    await fs.rm(gone);
    const fresh = await refresh(null);

    const read = await refresh(statePath);
    expect(read.warnings).toEqual([]);
    expect(read.stats.filesRead).toBe(0);
    expect(lifetimeOf(read, "codex")).toBe(lifetimeOf(fresh, "codex"));
    expect(lifetimeOf(read, "opencode")).toBe(lifetimeOf(fresh, "opencode"));
    expect(read.vanished).toEqual({ files: 1, messages: 1, total: 4400 });
    expect(lifetimeOf(read, "claude-code")).toBe(lifetimeOf(fresh, "claude-code")! + 4400);
    expect(read.lifetime.total).toBe(fresh.lifetime.total + 4400);
  });
});
