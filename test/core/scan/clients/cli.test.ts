import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { expectedDays, requestPlan, writeCodexHome, writeOpenClaw, writeOpenCodeDb } from "../../../helpers/clients";
import { builtCli } from "../../../helpers/cli-build";
import { assistant, tempDir, writeTranscript } from "../../../helpers/transcripts";

/** The scan CLI reads the other clients too: `--client NAME` picks them, `clients[]` reports them. */

const run = promisify(execFile);
const plan = requestPlan();
let home: string;
let cli: string;

beforeAll(async () => {
  home = await tempDir("mimo-cli-clients-");
  cli = await builtCli();
  await writeTranscript(path.join(home, ".claude-envs", "mimo", ".claude"), "c1.jsonl", [
    assistant({ id: "a", req: "a", session: "c1", ts: "2026-11-20T08:00:00Z", input: 1000, output: 100 }),
  ]);
  const share = path.join(home, ".local", "share");
  await writeOpenCodeDb(share, "opencode", plan);
  await writeCodexHome(path.join(home, ".codex"), plan, { reemit: true });
  await writeOpenClaw(path.join(home, ".openclaw"), plan, { archived: ["oc1"], databaseOnly: ["oc3"], both: ["oc2"] });
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

/** Only PATH and HOME: no client override of this machine's environment can leak in. */
function scan(...args: string[]) {
  return run(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? "", HOME: home } });
}

const total = (client: "opencode" | "codex" | "openclaw") =>
  Object.values(expectedDays(plan, client)).reduce(
    (sum, d) => sum + d.input + d.output + d.cacheRead + d.cacheWrite,
    0,
  );

describe("scan CLI with other clients", () => {
  it("reads every client found and reports clients[] with name, path, found and figures", async () => {
    const { stdout } = await scan("--json", "--tz", "UTC");
    const snapshot = JSON.parse(stdout);
    const clients = Object.fromEntries(
      snapshot.clients.map(
        (c: { name: string; path: string; found: boolean; read: boolean; lifetime: { total: number } }) => [
          c.name,
          { path: c.path, found: c.found, read: c.read, lifetime: c.lifetime.total },
        ],
      ),
    );
    expect(clients).toEqual({
      "claude-code": {
        path: path.join(home, ".claude-envs", "mimo", ".claude"),
        found: true,
        read: true,
        lifetime: 1100,
      },
      opencode: {
        path: path.join(home, ".local", "share", "opencode"),
        found: true,
        read: true,
        lifetime: total("opencode"),
      },
      kilo: { path: path.join(home, ".local", "share", "kilo"), found: false, read: false, lifetime: 0 },
      openclaw: { path: path.join(home, ".openclaw"), found: true, read: true, lifetime: total("openclaw") },
      codex: { path: path.join(home, ".codex"), found: true, read: true, lifetime: total("codex") },
    });
    expect(snapshot.lifetime.total).toBe(1100 + total("opencode") + total("openclaw") + total("codex"));
  });

  it("reads only the clients named with --client", async () => {
    const { stdout } = await scan("--json", "--tz", "UTC", "--client", "codex", "--client", "OpenClaw");
    const snapshot = JSON.parse(stdout);
    expect(snapshot.lifetime.total).toBe(total("codex") + total("openclaw"));
    expect(snapshot.clients.filter((c: { read: boolean }) => c.read).map((c: { name: string }) => c.name)).toEqual([
      "openclaw",
      "codex",
    ]);
  });

  it("prints each client's share in the summary", async () => {
    const { stdout } = await scan("--tz", "UTC");
    expect(stdout).toMatch(/By client/);
    expect(stdout).toMatch(/OpenCode\s+\S+\s+\S+\s+\d+(\.\d)?K/);
    expect(stdout).toMatch(/Kilo\s+not found \(/);
  });

  it("refuses an unknown client with exit code 2", async () => {
    await expect(scan("--client", "cline")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--client: unknown client "cline"; expected one of claude-code, opencode/),
    });
  });
});
