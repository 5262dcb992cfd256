import { execFile, execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { builtCli } from "../helpers/cli-build";
import { assistant, tempDir, writeTranscript } from "../helpers/transcripts";
import * as fx from "../core/platform/fixtures/fixtures";
import { FixtureServer } from "../core/platform/fixtures/server";

const run = promisify(execFile);
const NOW = "2026-11-25T12:00:00Z";
let dir: string;
let cli: string;

beforeAll(async () => {
  dir = await tempDir("mimo-cli-");
  cli = await builtCli();
  await writeTranscript(path.join(dir, "root"), "s1.jsonl", [
    assistant({ id: "a", req: "a", ts: "2026-11-20T10:00:00Z", input: 10, output: 5, cacheRead: 100, cacheWrite: 1 }),
    assistant({ id: "b", req: "b", ts: "2026-11-25T09:00:00Z", input: 1, output: 2, cacheRead: 3, cacheWrite: 4 }),
  ]);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function scan(...args: string[]) {
  // The timeout turns a hang (a FIFO opened for reading) into a failed test instead of a stuck run.
  // The other clients' own overrides would point the scan at this machine's real data: dropped.
  const overrides = ["XDG_DATA_HOME", "OPENCODE_DB", "KILO_DB", "OPENCLAW_STATE_DIR", "CODEX_HOME"];
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !overrides.includes(name)));
  return run(process.execPath, [cli, ...args], { env: { ...env, HOME: dir }, timeout: 20_000 });
}

/** Runs the scan and returns its output even when it exits with an error code. */
async function scanAnyway(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await scan(...args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; killed?: boolean; stdout: string; stderr: string };
    if (e.killed) throw new Error("the scan hung and was killed");
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Enough to see a file was not replaced or changed, without reading a 1 GB sparse file whole. */
async function fingerprint(file: string) {
  const stats = await fs.stat(file);
  const handle = await fs.open(file, "r");
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return {
      ino: stats.ino,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      head: head.subarray(0, bytesRead).toString("hex"),
    };
  } finally {
    await handle.close();
  }
}

describe("files the scan must not replace", () => {
  let place: string;
  beforeEach(async () => {
    place = await tempDir("mimo-cli-files-");
  });
  afterEach(async () => {
    await fs.rm(place, { recursive: true, force: true });
  });

  const others: [string, (file: string) => Promise<void>][] = [
    ["a README", (file) => fs.writeFile(file, "# My notes\n\nDo not lose these.\n")],
    [
      "a transcript",
      (file) =>
        fs.writeFile(file, assistant({ id: "x", req: "x", ts: "2026-11-20T10:00:00Z", input: 1_100_000 }) + "\n"),
    ],
    ["another program's JSON", (file) => fs.writeFile(file, '{"source":"something-else"}\n')],
    [
      "a big sparse file",
      async (file) => {
        await fs.writeFile(file, "");
        await fs.truncate(file, 1024 * 1024 * 1024);
      },
    ],
  ];

  it.each(others)("--state pointed at %s leaves it as it was and still prints the figures", async (_n, make) => {
    const file = path.join(place, "target");
    await make(file);
    const before = await fingerprint(file);
    const { code, stdout, stderr } = await scanAnyway("--root", path.join(dir, "root"), "--state", file, "--json");
    expect(code).toBe(0);
    const snapshot = JSON.parse(stdout);
    expect(snapshot.lifetime.total).toBe(126);
    expect(snapshot.warnings.join(" ")).toMatch(/left as it was because it is not ours/);
    expect(stderr).toMatch(/not ours/);
    expect(await fingerprint(file)).toEqual(before);
    expect(await fs.readdir(place)).toEqual(["target"]);
  });

  it.each(others)("--export-codexbar pointed at %s leaves it as it was, says so and exits 1", async (_n, make) => {
    const file = path.join(place, "target");
    await make(file);
    const before = await fingerprint(file);
    const { code, stdout, stderr } = await scanAnyway("--root", path.join(dir, "root"), "--export-codexbar", file);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Lifetime\s+126\s/m);
    expect(stderr).toMatch(/CodexBar export was not written: .*target exists and is not a CodexBar usage export/);
    expect(await fingerprint(file)).toEqual(before);
  });

  it("neither hangs on nor replaces a FIFO given as --state or --export-codexbar", async () => {
    const pipe = path.join(place, "pipe");
    execFileSync("mkfifo", [pipe]);
    const state = await scanAnyway("--root", path.join(dir, "root"), "--state", pipe, "--json");
    expect(JSON.parse(state.stdout).warnings.join(" ")).toMatch(/not a regular file/);
    const exported = await scanAnyway("--root", path.join(dir, "root"), "--export-codexbar", pipe);
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(/not a regular file/);
    expect((await fs.lstat(pipe)).isFIFO()).toBe(true);
  });

  it("writes through a symbolic link, keeping the link, for both files", async () => {
    const realState = path.join(place, "real-state.bin");
    const realExport = path.join(place, "real-export.json");
    await fs.symlink(realState, path.join(place, "state-link"));
    await fs.symlink(realExport, path.join(place, "export-link"));
    const args = ["--root", path.join(dir, "root"), "--state", path.join(place, "state-link")];
    await scan(...args, "--export-codexbar", path.join(place, "export-link"));
    await scan(...args, "--export-codexbar", path.join(place, "export-link"));
    for (const link of ["state-link", "export-link"])
      expect((await fs.lstat(path.join(place, link))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await fs.readFile(realExport, "utf8")).source).toBe("local-jsonl-scan");
    const { stdout } = await scan(...args, "--json");
    expect(JSON.parse(stdout).stats).toMatchObject({ filesRead: 0, bytesRead: 0 });
    // Besides the two targets, only the folder cache kept beside the state is new.
    expect((await fs.readdir(place)).sort()).toEqual([
      "export-link",
      "real-export.json",
      "real-state.bin",
      "state-link",
      "state-link.folders",
    ]);
  });

  it("replaces its own earlier export", async () => {
    const out = path.join(place, "export.json");
    await scan("--root", path.join(dir, "root"), "--export-codexbar", out);
    const first = JSON.parse(await fs.readFile(out, "utf8")).updated_at;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await scan("--root", path.join(dir, "root"), "--export-codexbar", out);
    expect(JSON.parse(await fs.readFile(out, "utf8")).updated_at).not.toBe(first);
  });
});

describe("scan CLI", () => {
  it("names every unknown --client, with the name a typo was likely meant to be", async () => {
    const { code, stderr } = await scanAnyway("--client", "opencod", "--client", "codex", "--client", "cline");
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^mimo scan: --client: unknown clients "opencod" \(did you mean "opencode"\?\), "cline"; expected one of claude-code, opencode, kilo, openclaw, codex$/m,
    );
  });

  it("prints the documented JSON snapshot", async () => {
    const { stdout } = await scan("--root", path.join(dir, "root"), "--json", "--tz", "UTC", "--now", NOW);
    const snapshot = JSON.parse(stdout);
    expect(snapshot.updatedAt).toBe("2026-11-25T12:00:00.000Z");
    expect(snapshot.windows).toEqual({ today: "2026-11-25", weekFrom: "2026-11-23", lifetimeFrom: "2026-11-20" });
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

  it("counts windows from the instant given with --now, in its time zone", async () => {
    const root = path.join(dir, "root");
    // 09:00 UTC on the 25th: today there, yesterday seen from the 26th, and the 25th in Tokyo too.
    const later = JSON.parse(
      (await scan("--root", root, "--json", "--tz", "UTC", "--now", "2026-11-26T01:00:00Z")).stdout,
    );
    expect(later.windows.today).toBe("2026-11-26");
    expect(later.today.total).toBe(0);
    expect(later.week.total).toBe(10);
    const tokyo = JSON.parse(
      (await scan("--root", root, "--json", "--tz", "Asia/Tokyo", "--now", "2026-11-25T12:00:00+09:00")).stdout,
    );
    expect(tokyo.windows.today).toBe("2026-11-25");
    expect(tokyo.today.total).toBe(10);
  });

  it("refreshes from state with nothing to read the second time", async () => {
    const state = path.join(dir, "state.bin");
    await scan("--root", path.join(dir, "root"), "--state", state, "--json");
    const { stdout } = await scan("--root", path.join(dir, "root"), "--state", state, "--json");
    expect(JSON.parse(stdout).stats).toMatchObject({ filesRead: 0, bytesRead: 0 });
  });

  it("prints a readable summary by default", async () => {
    const { stdout } = await scan("--root", path.join(dir, "root"), "--week-start", "sunday", "--now", NOW);
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
    [["--model-filter", "(a+)+$"], /can make matching hang/],
    [["--now", "yesterday"], /not an instant/],
    [["--now", "2026-11-25"], /not an instant/],
    [["--sync-folder", "/tmp"], /needs --state FILE/],
    [["--device-name", "box"], /go with --sync-folder/],
  ])("rejects %j with a clear message", async (args, message) => {
    await expect(scan(...args)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
  });
});

describe("scan CLI --platform", () => {
  const server = new FixtureServer();
  let baseUrl = "";
  beforeAll(async () => {
    baseUrl = await server.start();
  });
  afterAll(() => server.close());

  const COOKIE = "api-platform_serviceToken=cli-token-77; userId=5; api-platform_ph=cli-ph-88";
  // The account on 11-25: 1,000 hit and 10 miss of mimo-v2.5-pro (1,010 tokens; 1,000 × 2.5 + 10 × 300 =
  // 5,500 Credits) against this Mac's 10 tokens that day.
  const replies = {
    balance: fx.balance(),
    "tokenPlan/detail": fx.planDetail(),
    "tokenPlan/usage": fx.monthUsage(),
    "usage/token-plan/list": fx.tokenPlanList({ "2026-11": [fx.listRow("2026-11-25", "mimo-v2.5-pro", 1_000, 10, 0)] }),
  };

  async function withPlatform(args: string[], cookie: string | null = COOKIE) {
    const env: Record<string, string | undefined> = { ...process.env, HOME: dir, MIMO_API_URL: baseUrl };
    delete env.MIMO_PLATFORM_COOKIE;
    if (cookie !== null) env.MIMO_PLATFORM_COOKIE = cookie;
    const root = path.join(dir, "root");
    const all = ["--root", root, "--tz", "UTC", "--now", NOW, "--client", "claude-code", "--platform", ...args];
    return run(process.execPath, [cli, ...all], { env, timeout: 20_000 });
  }

  it("prints all devices, Credits and elsewhere for today and this week", async () => {
    server.reset(replies);
    const { stdout } = await withPlatform([]);
    expect(stdout).toMatch(/^Today\s+10\s/m);
    expect(stdout).toContain("All devices (the MiMo platform's daily list)");
    expect(stdout).toMatch(/^Today\s+1K tokens · 5\.5K Credits · elsewhere 1K$/m);
    expect(stdout).toMatch(/^This week\s+1K tokens · 5\.5K Credits · elsewhere 1K$/m);
    const list = server.requests.filter((r) => r.path.endsWith("usage/token-plan/list"));
    expect(list).toHaveLength(2);
    expect(list[0].query).toBe("api-platform_ph=cli-ph-88");
  });

  it("answers the account in JSON, and keeps nothing without --state", async () => {
    server.reset(replies);
    const { stdout } = await withPlatform(["--json"]);
    const output = JSON.parse(stdout);
    expect(output.today.total).toBe(10);
    expect(output.platform.account.today.account).toEqual({
      totalTokens: 1_010,
      credits: 5_500,
      elsewhereTokens: 1_000,
      elsewhereCredits: 5_500 - (3 * 2.5 + 5 * 300 + 2 * 600),
      byModel: [expect.objectContaining({ model: "mimo-v2.5-pro", totalTokens: 1_010 })],
      asOf: "2026-11-25T12:00:00.000Z",
      source: "platform",
    });
    expect(stdout).not.toContain("cli-token-77");
  });

  it("takes the cookie only from the environment", async () => {
    await expect(withPlatform([], null)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--platform: set the platform cookie in MIMO_PLATFORM_COOKIE/),
    });
  });

  it("says which cookie to add when api-platform_ph is missing", async () => {
    server.reset(replies);
    const { stdout } = await withPlatform([], "api-platform_serviceToken=cli-token-77; userId=5");
    expect(stdout).toContain("needs the api-platform_ph cookie");
    expect(server.requests.some((r) => r.path.endsWith("usage/token-plan/list"))).toBe(false);
  });
});
