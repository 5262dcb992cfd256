import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { assistant, tempDir, writeTranscript } from "../helpers/transcripts";

const run = promisify(execFile);
let dir: string;
let cli: string;

beforeAll(async () => {
  dir = await tempDir("mimo-cli-");
  cli = path.join(dir, "scan.js");
  await build({
    entryPoints: [path.join(__dirname, "../../src/cli/scan.ts")],
    outfile: cli,
    bundle: true,
    platform: "node",
    format: "cjs",
    logLevel: "silent",
  });
  await writeTranscript(path.join(dir, "root"), "s1.jsonl", [
    assistant({ id: "a", req: "a", ts: "2026-11-20T10:00:00Z", input: 10, output: 5, cacheRead: 100, cacheWrite: 1 }),
    assistant({ id: "b", req: "b", ts: new Date().toISOString(), input: 1, output: 2, cacheRead: 3, cacheWrite: 4 }),
  ]);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function scan(...args: string[]) {
  return run(process.execPath, [cli, ...args], { env: { ...process.env, HOME: dir } });
}

describe("scan CLI", () => {
  it("prints the documented JSON snapshot", async () => {
    const { stdout } = await scan("--root", path.join(dir, "root"), "--json", "--tz", "UTC");
    const snapshot = JSON.parse(stdout);
    expect(snapshot.lifetime).toMatchObject({
      input: 11,
      output: 7,
      cacheRead: 103,
      cacheWrite: 5,
      total: 126,
      messages: 2,
      sessions: 1,
    });
    expect(snapshot.today).toMatchObject({ input: 1, output: 2, cacheRead: 3, cacheWrite: 4, total: 10, messages: 1 });
    expect(snapshot.days[0]).toMatchObject({ date: "2026-11-20", input: 10, total: 116, messages: 1 });
    expect(snapshot.stats).toMatchObject({ filesSeen: 1, filesRead: 1, skipped: {} });
    expect(snapshot.sessions).toHaveLength(1);
  });

  it("refreshes from state with nothing to read the second time", async () => {
    const state = path.join(dir, "state.bin");
    await scan("--root", path.join(dir, "root"), "--state", state, "--json");
    const { stdout } = await scan("--root", path.join(dir, "root"), "--state", state, "--json");
    expect(JSON.parse(stdout).stats).toMatchObject({ filesRead: 0, bytesRead: 0 });
  });

  it("prints a readable summary by default", async () => {
    const { stdout } = await scan("--root", path.join(dir, "root"), "--week-start", "sunday");
    expect(stdout).toMatch(/^Today\s+10\s/m);
    expect(stdout).toMatch(/^Lifetime\s+126\s/m);
    expect(stdout).toContain("week starts sunday");
  });

  it("writes CodexBar's local cache file", async () => {
    const out = path.join(dir, "codexbar", "mimo-local-usage.json");
    await scan("--root", path.join(dir, "root"), "--export-codexbar", out);
    const file = JSON.parse(await fs.readFile(out, "utf8"));
    expect(file).toMatchObject({
      source: "local-jsonl-scan",
      sessions_scanned: 1,
      windows: { all_time: { input: 11, output: 7, cache_read: 103, cache_create: 5, messages: 2 } },
    });
    expect(Date.parse(file.updated_at)).not.toBeNaN();
    expect(file.last_activity).not.toBeNull();
  });

  it.each([
    [["--bogus"], /Unknown option/],
    [["--tz", "Mars/Olympus"], /not an IANA time zone/],
    [["--week-start", "friday"], /monday or sunday/],
    [["--model-filter", "("], /not a valid regular expression/],
  ])("rejects %j with a clear message", async (args, message) => {
    await expect(scan(...args)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
  });
});
