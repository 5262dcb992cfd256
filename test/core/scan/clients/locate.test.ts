import { promises as fs } from "node:fs";
import path from "node:path";
import { locateClients } from "../../../../src/core/scan/clients/locate";
import { tempDir } from "../../../helpers/transcripts";

let home: string;
beforeEach(async () => {
  home = await tempDir("mimo-locate-");
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

async function touch(...parts: string[]): Promise<string> {
  const file = path.join(...parts);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, "");
  return file;
}

const byClient = (env: Record<string, string> = {}) =>
  Object.fromEntries(locateClients({ home, env }).map((l) => [l.client, l]));

describe("finding the clients", () => {
  it("reports every client as not found in an empty home, with its default place", () => {
    const found = byClient();
    expect(Object.keys(found)).toEqual(["opencode", "kilo", "openclaw", "codex"]);
    expect(Object.values(found).every((l) => !l.found)).toBe(true);
    expect(found.opencode.path).toBe(path.join(home, ".local", "share", "opencode"));
    expect(found.kilo.path).toBe(path.join(home, ".local", "share", "kilo"));
    expect(found.openclaw.path).toBe(path.join(home, ".openclaw"));
    expect(found.codex.path).toBe(path.join(home, ".codex"));
  });

  it("finds the default places: databases with channel builds first the main one, logs and archives", async () => {
    const share = path.join(home, ".local", "share");
    const main = await touch(share, "opencode", "opencode.db");
    const beta = await touch(share, "opencode", "opencode-beta.db");
    await touch(share, "opencode", "opencode.db-wal");
    await touch(share, "opencode", "storage", "message", "ses_1", "msg_1.json");
    const kilo = await touch(share, "kilo", "kilo.db");
    const live = await touch(home, ".openclaw", "agents", "main", "sessions", "s1.jsonl");
    const reset = await touch(
      home,
      ".openclaw",
      "agents",
      "main",
      "sessions",
      "s0.jsonl.reset.2026-11-20T10-00-00.000Z",
    );
    await touch(home, ".openclaw", "agents", "main", "sessions", "sessions.json");
    const agentDb = await touch(home, ".openclaw", "agents", "main", "agent", "openclaw-agent.sqlite");
    const rollout = await touch(
      home,
      ".codex",
      "sessions",
      "2026",
      "11",
      "20",
      "rollout-2026-11-20T10-00-00-abc.jsonl",
    );
    const archived = await touch(home, ".codex", "archived_sessions", "rollout-2026-11-01T10-00-00-def.jsonl");
    await touch(home, ".codex", "sessions", "2026", "11", "20", "notes.jsonl");
    const config = await touch(home, ".codex", "config.toml");

    const found = byClient();
    expect(found.opencode.sources).toEqual({
      client: "opencode",
      path: path.join(share, "opencode"),
      databases: [main, beta],
      legacyDir: path.join(share, "opencode", "storage"),
    });
    expect(found.kilo.sources).toMatchObject({ databases: [kilo], legacyDir: null });
    expect(found.openclaw.sources).toMatchObject({ logs: [reset, live], databases: [agentDb] });
    expect(found.codex.sources).toMatchObject({ logs: [archived, rollout].sort(), config });
    expect(Object.values(found).every((l) => l.found)).toBe(true);
  });

  it("honours each client's own environment overrides", async () => {
    const xdg = path.join(home, "xdg");
    const opencode = await touch(home, "elsewhere", "my-opencode.db");
    const kilo = await touch(xdg, "kilo", "kilo.db");
    const state = path.join(home, "claw-state");
    const log = await touch(state, "agents", "a", "sessions", "x.jsonl");
    const codexHome = path.join(home, "codex-home");
    const rollout = await touch(codexHome, "sessions", "rollout-1.jsonl");

    const found = byClient({
      OPENCODE_DB: opencode,
      XDG_DATA_HOME: xdg,
      OPENCLAW_STATE_DIR: state,
      CODEX_HOME: codexHome,
    });
    expect(found.opencode.sources).toMatchObject({ path: opencode, databases: [opencode] });
    expect(found.kilo.sources).toMatchObject({ databases: [kilo] });
    expect(found.openclaw.sources).toMatchObject({ path: state, logs: [log] });
    expect(found.codex.sources).toMatchObject({ path: codexHome, logs: [rollout] });
  });

  it("resolves a relative OPENCODE_DB or KILO_DB inside the client's data folder, as the clients do", async () => {
    // anomalyco/opencode packages/core/src/database/database.ts path(): an OPENCODE_DB that is not
    // absolute is joined to Global.Path.data (<data home>/opencode), not to home or the working folder.
    const opencode = await touch(home, ".local", "share", "opencode", "work", "mine.db");
    const kilo = await touch(home, "xdg", "kilo", "k.db");
    await touch(home, "work", "mine.db");
    const found = byClient({ OPENCODE_DB: "work/mine.db", KILO_DB: "k.db", XDG_DATA_HOME: path.join(home, "xdg") });
    expect(found.opencode.sources).toMatchObject({ path: path.join(home, "xdg", "opencode", "work", "mine.db") });
    expect(byClient({ OPENCODE_DB: "work/mine.db" }).opencode.sources).toMatchObject({ databases: [opencode] });
    expect(found.kilo.sources).toMatchObject({ databases: [kilo] });
  });

  it("ignores a relative XDG_DATA_HOME, as the clients do", async () => {
    const db = await touch(home, ".local", "share", "opencode", "opencode.db");
    expect(byClient({ XDG_DATA_HOME: "relative/dir" }).opencode.sources).toMatchObject({ databases: [db] });
  });

  it("names a missing override without finding anything", () => {
    const found = byClient({ KILO_DB: path.join(home, "nope.db") });
    expect(found.kilo).toMatchObject({ found: false, path: path.join(home, "nope.db") });
  });
});
