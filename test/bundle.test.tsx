/** @jest-environment ./test/raycast/environment.ts */
/**
 * Loads the bundles `ray build -e dist` produces for each command, not the TypeScript sources, and runs them against
 * the @raycast/api double, so what ships is what is tested.
 *
 * How the bundles resolve their imports here: `ray build` bundles everything except `@raycast/api` and `react`
 * (its esbuild `external` list, which also covers `react/jsx-runtime`); in Raycast the app provides both. Jest maps
 * `@raycast/api` to the double for every module, wherever it lives. For `react`, the build folder gets a
 * `node_modules` symlink to this checkout's, so the bundles load the very React module the test renders with (one
 * React, working hooks). `@raycast/utils` is inlined into each bundle and reaches the double through that same
 * mapping.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createElement, type ComponentType } from "react";
import { render, waitFor } from "@testing-library/react";
import { LaunchType, Toast } from "@raycast/api";
import {
  callsTo,
  launchProps,
  raycastCalls,
  resetRaycastDouble,
  setCommand,
  setEnvironment,
  setPreferences,
  toasts,
} from "./raycast/api-double";
import * as query from "./raycast/query";
import { builtExtension } from "./helpers/ray-build";
import { assistant, writeTranscript } from "./helpers/transcripts";
import { writeCorpus } from "./helpers/report";
import { COMMAND_NOW, CORPUS_TIMES, freezeClock, localDay, COMMAND_CORPUS } from "./helpers/commands";
import { usePlatformStandIn } from "./core/platform/fixtures/server";
import * as fx from "./core/platform/fixtures/fixtures";

const ROOT = path.resolve(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  commands: { name: string; mode: string }[];
};

let workDir = "";
let buildDir = "";
let homeDir = "";
const realHome = process.env.HOME;
// The core module itself (an `import * as` namespace would be a copy), so the bundles see the spy below.
const nodeOs = jest.requireActual<typeof import("node:os")>("node:os");

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "mimo-bundle-test-"));
  homeDir = path.join(workDir, "home");
  fs.mkdirSync(homeDir);
  buildDir = await builtExtension();
  // Anything that still reaches for the home folder (~ expansion, os.homedir()) lands in the sandbox.
  process.env.HOME = homeDir;
  jest.spyOn(nodeOs, "homedir").mockReturnValue(homeDir);
}, 180_000);

afterAll(() => {
  jest.restoreAllMocks();
  process.env.HOME = realHome;
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

let consoleErrors: jest.SpyInstance;
let mimoDir = "";

beforeEach(() => {
  resetRaycastDouble();
  mimoDir = fs.mkdtempSync(path.join(workDir, "mimo-"));
  const supportDir = fs.mkdtempSync(path.join(workDir, "support-"));
  // Empty transcript folders and a sandboxed support folder: nothing outside the temp dir is read or written.
  setPreferences({ mimoConfigDirs: mimoDir, sharedConfigDirs: "", exportCodexBar: false });
  setEnvironment({ supportPath: supportDir, assetsPath: path.join(buildDir, "assets"), isDevelopment: false });
  // React reports broken renders (invalid hooks, duplicate keys, updates after unmount) through console.error.
  consoleErrors = jest.spyOn(console, "error");
});

afterEach(() => {
  consoleErrors.mockRestore();
});

function bundlePath(command: string): string {
  return path.join(buildDir, `${command}.js`);
}

async function loadCommand(command: string): Promise<(props: ReturnType<typeof launchProps>) => unknown> {
  const loaded: unknown = await import(bundlePath(command));
  const entry = (loaded as { default?: unknown } | null)?.default;
  if (typeof entry !== "function") throw new Error(`${command}.js has no default export function`);
  return entry as (props: ReturnType<typeof launchProps>) => unknown;
}

async function loadTool(name: string): Promise<(input?: Record<string, unknown>) => Promise<unknown>> {
  const loaded = (await import(path.join(buildDir, "tools", `${name}.js`))) as { default?: unknown };
  if (typeof loaded.default !== "function") throw new Error(`tools/${name}.js has no default export function`);
  return loaded.default as (input?: Record<string, unknown>) => Promise<unknown>;
}

function failureToasts() {
  return toasts().filter((toast) => toast.style === Toast.Style.Failure);
}

describe("the built bundles", () => {
  it("cover exactly the commands of package.json", () => {
    expect(manifest.commands.map(({ name, mode }) => `${name}:${mode}`)).toEqual([
      "menu-bar:menu-bar",
      "sessions:view",
      "history:view",
      "refresh:no-view",
    ]);
    for (const { name } of manifest.commands) expect(fs.statSync(bundlePath(name)).size).toBeGreaterThan(0);
  });

  it("leave @raycast/api and React to the runtime instead of inlining them", () => {
    for (const { name } of manifest.commands) {
      const code = fs.readFileSync(bundlePath(name), "utf8");
      // React's element tags and internals only appear in code that bundles React itself.
      expect(code).not.toMatch(/react\.(transitional\.)?element|__CLIENT_INTERNALS_DO_NOT_USE|ReactSharedInternals/);
      expect(code).toContain('require("@raycast/api")');
    }
    // The bundles' `require("react/jsx-runtime")` resolves to the module this test renders with.
    expect(require.resolve("react/jsx-runtime", { paths: [buildDir] })).toBe(require.resolve("react/jsx-runtime"));
    expect(require.resolve("react", { paths: [buildDir] })).toBe(require.resolve("react"));
  });
});

describe("menu-bar bundle", () => {
  it("renders a MenuBarExtra with something in the menu bar and at least one item", async () => {
    setCommand("menu-bar", LaunchType.UserInitiated);
    const Command = (await loadCommand("menu-bar")) as ComponentType<ReturnType<typeof launchProps>>;
    render(createElement(Command, launchProps()));

    await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(false), { timeout: 15_000 });
    const menu = query.menuBarExtra();
    const { title, icon } = query.propsOf(menu);
    expect(title ?? icon).toBeTruthy();
    const items = query.menuItems();
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(query.titleOf(item)).toBeTruthy();
    expect(failureToasts()).toEqual([]);
    expect(consoleErrors).not.toHaveBeenCalled();
  });
});

describe("menu-bar bundle pointed at a platform stand-in", () => {
  const server = usePlatformStandIn();

  /** Renders the built menu bar once, waits for its refresh and returns the Plan section's Used row. */
  async function usedRow(Command: ComponentType<ReturnType<typeof launchProps>>, expected: string): Promise<void> {
    const { unmount } = render(createElement(Command, launchProps()));
    await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(false), { timeout: 15_000 });
    const plan = query.findAll("MenuBarExtra.Section").find((s) => query.titleOf(s) === "Plan · Max");
    expect(plan).toBeDefined();
    expect(query.propsOf(query.findMenuItem("Used", plan)).subtitle).toBe(expected);
    expect(query.propsOf(query.findMenuItem("Balance", plan)).subtitle).toBe("12.30 CNY");
    unmount();
  }

  it("estimates the plan exactly after a lapse: the last answer plus this Mac's Credits at MiMo's rates", async () => {
    const now = Date.now();
    const periodEnd = new Date(now + 10 * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(periodEnd),
      "tokenPlan/usage": fx.liveMaxUsage(9_000_000_000),
    });
    setPreferences({ cookie: "api-platform_serviceToken=bundle-token; userId=9" });
    const getPlanStatus = await loadTool("get-plan-status");
    const getUsage = await loadTool("get-usage");
    await expect(getPlanStatus()).resolves.toMatchObject({ source: "platform", quota: { usedCredits: 9_000_000_000 } });

    // The cookie lapses; this Mac then runs a cache-miss-heavy mimo-v2.5 turn and a cache-heavy mimo-v2.5-pro one.
    server.reset(fx.everywhere({ status: 401, body: { code: 401, message: "unauthorized" } }));
    const ts = new Date(now - 60_000).toISOString();
    await writeTranscript(mimoDir, "lapse.jsonl", [
      assistant({
        id: "l1",
        req: "l1",
        ts,
        model: "mimo-v2.5",
        input: 1_200_000,
        cacheWrite: 300_000,
        cacheRead: 400_000,
        output: 100_000,
      }),
      assistant({
        id: "l2",
        req: "l2",
        ts,
        model: "mimo-v2.5-pro",
        input: 100_000,
        cacheRead: 2_000_000,
        output: 50_000,
      }),
    ]);
    // 1.5M misses × 100 + 400K hits × 2 + 100K output × 200, then 100K × 300 + 2M × 2.5 + 50K × 600.
    const burst = 150_000_000 + 800_000 + 20_000_000 + 30_000_000 + 5_000_000 + 30_000_000;
    const status = (await getPlanStatus()) as { source: string; quota: { usedCredits: number; estimated: boolean } };
    expect(status.source).toBe("estimate");
    expect(status.quota.estimated).toBe(true);
    expect(Math.abs(status.quota.usedCredits - 9_235_800_000) / 9_235_800_000).toBeLessThan(0.005);
    expect(status.quota.usedCredits).toBe(9_000_000_000 + burst);
    await expect(getUsage({ period: "today" })).resolves.toMatchObject({ credits: burst, uncreditedTokens: 0 });
  });

  it("shows the plan in Credits, then an estimate that holds still without local use and grows with it", async () => {
    const now = Date.now();
    // A period ending in ten days, in the platform's UTC wall time.
    const periodEnd = new Date(now + 10 * 86_400_000).toISOString().slice(0, 19).replace("T", " ");
    const hourAgo = new Date(now - 3_600_000).toISOString();
    await writeTranscript(mimoDir, "b1.jsonl", [assistant({ id: "b1", req: "b1", ts: hourAgo, input: 1_000_000 })]);
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(periodEnd),
      "tokenPlan/usage": fx.liveMaxUsage(),
    });
    setPreferences({ cookie: "api-platform_serviceToken=bundle-token; userId=9" });
    setCommand("menu-bar", LaunchType.UserInitiated);
    const Command = (await loadCommand("menu-bar")) as ComponentType<ReturnType<typeof launchProps>>;

    await usedRow(Command, "8.58B / 82B Credits · 10%");
    server.reset(fx.everywhere({ status: 401, body: { code: 401, message: "unauthorized" } }));
    await usedRow(Command, "≈ 8.58B / 82B Credits · 10%");
    // 100K more cache-miss tokens of mimo-v2.5-pro at 300 Credits each: 8,582,309,279 + 30,000,000.
    await writeTranscript(mimoDir, "b2.jsonl", [assistant({ id: "b2", req: "b2", ts: hourAgo, input: 100_000 })]);
    await usedRow(Command, "≈ 8.61B / 82B Credits · 11%");
    await usedRow(Command, "≈ 8.61B / 82B Credits · 11%");
    expect(consoleErrors).not.toHaveBeenCalled();
  });
});

describe("the built menu bar and get-usage with the account's daily list", () => {
  const server = usePlatformStandIn();
  afterEach(() => jest.useRealTimers());

  it("asks for the list, shows All devices, and get-usage for today reports the account and elsewhere", async () => {
    freezeClock(COMMAND_NOW);
    const today = localDay(COMMAND_NOW);
    const minuteAgo = new Date(COMMAND_NOW.getTime() - 60_000).toISOString();
    // This Mac: 1,070,000 tokens today; the account: 6,070,000 (5.8M hit, 200K miss, 70K out),
    // 116.5M Credits at 2.5 / 300 / 600.
    await writeTranscript(mimoDir, "a1.jsonl", [
      assistant({ id: "a1", req: "a1", ts: minuteAgo, input: 50_000, output: 20_000, cacheRead: 1_000_000 }),
    ]);
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(),
      "tokenPlan/usage": fx.liveMaxUsage(),
      "usage/token-plan/list": fx.tokenPlanList({
        [today.slice(0, 7)]: [fx.listRow(today, "mimo-v2.5-pro", 5_800_000, 200_000, 70_000)],
      }),
    });
    setPreferences({ cookie: "api-platform_serviceToken=bundle-token; userId=9; api-platform_ph=bundle-ph" });
    setCommand("menu-bar", LaunchType.UserInitiated);
    const Command = (await loadCommand("menu-bar")) as ComponentType<ReturnType<typeof launchProps>>;
    const { unmount } = render(createElement(Command, launchProps()));
    await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(false), { timeout: 15_000 });
    expect(server.requests.filter((r) => r.path.endsWith("usage/token-plan/list")).length).toBe(2);
    const todaySection = query
      .findAll("MenuBarExtra.Section")
      .find((s) => (query.titleOf(s) ?? "").startsWith("Today"));
    expect(query.propsOf(query.findMenuItem("All devices", todaySection)).subtitle).toBe("6.1M tokens · 117M Credits");
    expect(query.propsOf(query.findMenuItem("Elsewhere", todaySection)).subtitle).toBe("5M");
    unmount();

    const asked = server.requests.length;
    const tool = (await import(path.join(buildDir, "tools", "get-usage.js"))) as {
      default: (input: unknown) => Promise<{ totalTokens: number; account?: Record<string, unknown> }>;
    };
    const answer = await tool.default({ period: "today" });
    expect(server.requests.length).toBe(asked);
    expect(answer.totalTokens).toBe(1_070_000);
    expect(answer.account).toMatchObject({
      totalTokens: 6_070_000,
      elsewhereTokens: 5_000_000,
      credits: 116_500_000,
      elsewhereCredits: 87_000_000,
      source: "platform",
    });
    expect(consoleErrors).not.toHaveBeenCalled();
  });

  /** The built menu bar rendered with a cookie, against whatever the stand-in now answers. */
  async function renderMenuBar(): Promise<{ unmount: () => void }> {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    await writeTranscript(mimoDir, "h1.jsonl", [assistant({ id: "h1", req: "h1", ts: hourAgo, input: 1_000_000 })]);
    setPreferences({ cookie: "api-platform_serviceToken=bundle-token; userId=9" });
    setCommand("menu-bar", LaunchType.UserInitiated);
    const Command = (await loadCommand("menu-bar")) as ComponentType<ReturnType<typeof launchProps>>;
    return render(createElement(Command, launchProps()));
  }

  const windowTotal = (prefix: string) => {
    const section = query.findAll("MenuBarExtra.Section").find((s) => (query.titleOf(s) ?? "").startsWith(prefix));
    return section ? query.titleOf(query.findAll("MenuBarExtra.Submenu", section)[0]) : undefined;
  };

  it("shows Today and Lifetime of a first run within 3 s while the platform never finishes", async () => {
    const stall = { mode: "stall" } as const;
    server.reset({ balance: stall, "tokenPlan/detail": stall, "tokenPlan/usage": stall });
    const started = Date.now();
    const { unmount } = await renderMenuBar();
    await waitFor(() => expect(windowTotal("Lifetime")).toMatch(/^1M tokens/), { timeout: 3000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(windowTotal("Today")).toMatch(/^1M tokens/);
    expect(query.isLoading(query.menuBarExtra())).toBe(true);
    server.dropConnections();
    await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(false), { timeout: 15_000 });
    unmount();
  });

  it("leaves a FIFO at credit-history.json alone and still renders", async () => {
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(),
      "tokenPlan/usage": fx.liveMaxUsage(),
    });
    const { environment } = await import("@raycast/api");
    const pipe = path.join(environment.supportPath, "credit-history.json");
    execFileSync("mkfifo", [pipe]);
    const { unmount } = await renderMenuBar();
    await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(false), { timeout: 15_000 });
    expect(windowTotal("Today")).toMatch(/^1M tokens/);
    expect(query.findMenuItem("A file in the support folder was left alone")).toBeDefined();
    expect(fs.lstatSync(pipe).isFIFO()).toBe(true);
    unmount();
  });

  it("stays small when the platform sends an endless body", async () => {
    server.reset({
      balance: { mode: "endless" },
      "tokenPlan/detail": { mode: "endless" },
      "tokenPlan/usage": { mode: "endless" },
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    try {
      const { unmount } = await renderMenuBar();
      await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(false), { timeout: 15_000 });
      expect(query.findMenuItem("Platform answered in an unexpected format")).toBeDefined();
      unmount();
    } finally {
      clearInterval(sampler);
    }
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });
});

describe("sessions bundle", () => {
  it("renders a List that shows sessions or an empty view", async () => {
    setCommand("sessions", LaunchType.UserInitiated);
    const Command = (await loadCommand("sessions")) as ComponentType<ReturnType<typeof launchProps>>;
    render(createElement(Command, launchProps()));

    await waitFor(() => expect(query.isLoading(query.list())).toBe(false), { timeout: 15_000 });
    expect(query.searchBar()).toBeTruthy();
    const empty = query.emptyView();
    if (query.listItems().length === 0) {
      expect(empty && query.titleOf(empty)).toBeTruthy();
    } else {
      expect(empty).toBeNull();
    }
    expect(failureToasts()).toEqual([]);
    expect(consoleErrors).not.toHaveBeenCalled();
  });
});

describe("refresh bundle", () => {
  it.each([LaunchType.UserInitiated, LaunchType.Background])("completes when launched %s", async (launchType) => {
    setCommand("refresh", launchType);
    const Command = await loadCommand("refresh");
    await Command(launchProps());

    // launchCommand targets are checked against package.json by the double (an unknown command rejects above).
    expect(failureToasts()).toEqual([]);
    expect(consoleErrors).not.toHaveBeenCalled();
    if (launchType === LaunchType.UserInitiated) {
      // Bound to a hotkey, it has to tell the user something or hand over to the menu bar.
      const feedback = raycastCalls.filter(({ fn }) => ["showHUD", "showToast", "launchCommand"].includes(fn));
      expect(feedback.length).toBeGreaterThan(0);
    }
    for (const [options] of callsTo("launchCommand"))
      expect(manifest.commands.map(({ name }) => name)).toContain(options.name);
  });
});

describe("history bundle", () => {
  afterEach(() => jest.useRealTimers());

  it("lists every active day of the corpus with its exact total, a chart and a per-model breakdown", async () => {
    const corpus = fs.mkdtempSync(path.join(workDir, "history-corpus-"));
    await writeCorpus(corpus, COMMAND_CORPUS);
    setPreferences({ mimoConfigDirs: corpus, sharedConfigDirs: "", exportCodexBar: false });
    freezeClock(COMMAND_NOW);
    setCommand("history", LaunchType.UserInitiated);
    const Command = (await loadCommand("history")) as ComponentType<ReturnType<typeof launchProps>>;
    render(createElement(Command, launchProps()));

    await waitFor(() => expect(query.isLoading(query.list())).toBe(false), { timeout: 15_000 });
    expect(query.listItems()).toHaveLength(30);
    const active: [string, string][] = [
      [localDay(CORPUS_TIMES.today[0]), "470,000 tokens"],
      [localDay(CORPUS_TIMES.week), "1,000,000 tokens"],
      [localDay(CORPUS_TIMES.old), "2,000,000 tokens"],
    ];
    for (const [date, tooltip] of active)
      expect(query.accessoriesOf(query.findListItem(date))[0].tooltip).toBe(tooltip);
    const today = query.findListItem(localDay(COMMAND_NOW));
    query.selectItem(today);
    const markdown = query.markdownOf(query.detailOf(today) as HTMLElement) ?? "";
    expect(markdown).toMatch(/^!\[Daily tokens by token type\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/);
    expect(markdown).toContain("| mimo-v2.5-pro | 2,470,000 | 3 |");
    expect(markdown).toContain("| mimo-v2.5 | 1,000,000 | 1 |");
    expect(markdown).toContain("| **Total** | **3,470,000** |");
    expect(failureToasts()).toEqual([]);
    expect(consoleErrors).not.toHaveBeenCalled();
  });
});

describe("refresh bundle alerts", () => {
  const server = usePlatformStandIn();
  const realPlatform = process.platform;
  const childProcess = jest.requireActual<typeof import("node:child_process")>("node:child_process");
  const realSpawn = childProcess.spawn;
  // Stands in for osascript: appends the AppleScript it is given on stdin to the file named by its argument.
  const RECORDER =
    'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>require("fs").appendFileSync(process.argv[1],s+"\\n"))';
  let log = "";

  afterEach(() => {
    Object.defineProperty(process, "platform", { value: realPlatform });
  });

  it("posts one notification naming 80% at 85% of the plan, and nothing on the next refresh", async () => {
    server.reset(
      fx.healthy(
        fx.ok({
          monthUsage: {
            percent: 85,
            items: [{ name: "month_total_token", used: 850000, limit: 1000000, percent: 85 }],
          },
        }),
      ),
    );
    setPreferences({ cookie: "api-platform_serviceToken=t; userId=1", alertThresholds: "80,95" });
    log = path.join(workDir, "osascript.log");
    Object.defineProperty(process, "platform", { value: "darwin" });
    const spawn = jest
      .spyOn(childProcess, "spawn")
      .mockImplementation(((command: string, args: string[], options: object) =>
        command === "osascript"
          ? realSpawn(process.execPath, ["-e", RECORDER, log], options)
          : realSpawn(command, args, options)) as unknown as typeof childProcess.spawn);
    try {
      setCommand("refresh", LaunchType.Background);
      const Command = await loadCommand("refresh");
      await Command(launchProps());
      await Command(launchProps());
    } finally {
      spawn.mockRestore();
    }
    const scripts = fs.readFileSync(log, "utf8").trim().split("\n");
    expect(scripts).toEqual([
      expect.stringMatching(
        /^display notification "85% used \(850K of 1M Credits\) · resets .+" with title "MiMo Usage" subtitle "MiMo plan passed 80%"$/,
      ),
    ]);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(consoleErrors).not.toHaveBeenCalled();
  });

  it("never fails the refresh when the notification cannot be posted", async () => {
    server.reset(
      fx.healthy(
        fx.ok({
          monthUsage: {
            percent: 97,
            items: [{ name: "month_total_token", used: 970000, limit: 1000000, percent: 97 }],
          },
        }),
      ),
    );
    setPreferences({ cookie: "api-platform_serviceToken=t; userId=1", alertThresholds: "80,95" });
    // Off macOS, @raycast/utils' runAppleScript rejects.
    setCommand("refresh", LaunchType.Background);
    const Command = await loadCommand("refresh");
    await expect(Command(launchProps())).resolves.toBeUndefined();
    expect(callsTo("updateCommandMetadata")).toHaveLength(1);
    expect(consoleErrors).not.toHaveBeenCalled();
  });
});
