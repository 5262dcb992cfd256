/** @jest-environment ./test/raycast/environment.ts */
import * as fs from "node:fs";
import path from "node:path";
import { render, waitFor } from "@testing-library/react";
import { Cache, environment } from "@raycast/api";
import MenuBarCommand from "../../src/menu-bar";
import { execFileSync } from "node:child_process";
import { CODEXBAR_EXPORT, LAST_MENU_SNAPSHOT_FILE, LAST_SNAPSHOT_FILE, STATE_FILE } from "../../src/core/settings";
import { CREDIT_HISTORY_FILE } from "../../src/core/platform/credit-history";
import { callsTo, setPreferences } from "../raycast/api-double";
import {
  clickMenuItem,
  findAll,
  findMenuItem,
  isLoading,
  menuBarExtra,
  menuItems,
  propsOf,
  titleOf,
} from "../raycast/query";
import { COMMAND_NOW, CORPUS_TIMES, localDay, useCommandTestContext, COMMAND_CORPUS } from "../helpers/commands";
import { assistant, writeTranscript } from "../helpers/transcripts";
import { writeCorpus } from "../helpers/report";
import { usePlatformStandIn } from "../core/platform/fixtures/server";
import * as fx from "../core/platform/fixtures/fixtures";

const ctx = useCommandTestContext("menu-bar");

function section(prefix: string): HTMLElement {
  const found = findAll("MenuBarExtra.Section").filter((candidate) => (titleOf(candidate) ?? "").startsWith(prefix));
  if (found.length !== 1) throw new Error(`Expected one section "${prefix}", found ${found.length}`);
  return found[0];
}

function subtitleOf(title: string, prefix: string): unknown {
  return propsOf(findMenuItem(title, section(prefix))).subtitle;
}

async function loaded(): Promise<HTMLElement> {
  await waitFor(() => expect(isLoading(menuBarExtra())).toBe(false));
  return menuBarExtra();
}

describe("menu-bar command", () => {
  it("reads first, then shows the figures of the configured folder", async () => {
    render(<MenuBarCommand />);
    expect(isLoading(menuBarExtra())).toBe(true);
    expect(menuItems().map(titleOf)[0]).toBe("Reading MiMo usage…");

    const menu = await loaded();
    expect(propsOf(menu).title).toBe("470K");
    expect(findAll("MenuBarExtra.Section").map(titleOf)).toEqual([
      `Today · ${localDay(COMMAND_NOW)}`,
      "This Week · since 2026-11-23",
      `Lifetime · since ${localDay(CORPUS_TIMES.old)}`,
      "Status",
      undefined,
    ]);
    expect(subtitleOf("Total", "Today")).toBe("470K tokens");
    expect(subtitleOf("Input", "Today")).toBe("400K");
    expect(subtitleOf("Output", "Today")).toBe("50K");
    expect(subtitleOf("Cache read", "Today")).toBe("20K");
    expect(subtitleOf("Messages", "Today")).toBe("2 in 1 session");
    expect(subtitleOf("Est. cost", "Today")).toBe("¥1.50");
    expect(subtitleOf("Total", "This Week")).toBe("1.5M tokens");
    expect(subtitleOf("Total", "Lifetime")).toBe("3.5M tokens");
    expect(subtitleOf("Source: Local scan", "Status")).toBe("Updated just now");
    // No cookie: the platform is offered, not reported as a failure.
    expect(menuItems(section("Status")).map(titleOf)).toEqual(["Source: Local scan", "Connect MiMo Platform…"]);
  });

  it.each([
    ["todayTokens", "470K"],
    ["weekTokens", "1.5M"],
    ["todayCost", "¥1.50"],
    ["todayCredits", "150M cr"],
    // Without the platform there is no plan left to show: today's tokens stand in.
    ["planLeft", "470K"],
  ])("shows the %s figure chosen in preferences", async (figure, title) => {
    setPreferences({ menuBarFigure: figure });
    render(<MenuBarCommand />);
    expect(propsOf(await loaded()).title).toBe(title);
  });

  it("rescans when Refresh is clicked", async () => {
    render(<MenuBarCommand />);
    await loaded();
    await writeTranscript(
      ctx.corpus,
      "e2e-new.jsonl",
      [assistant({ id: "n1", req: "n1", session: "e2e-new", ts: CORPUS_TIMES.today[1], input: 30_000 })],
      { project: "-Users-me-new" },
    );
    clickMenuItem(findMenuItem("Refresh"));
    await waitFor(() => expect(propsOf(menuBarExtra()).title).toBe("500K"));
    await loaded();
    expect(subtitleOf("Messages", "Today")).toBe("3 in 2 sessions");
  });

  it("shows the last report at once, labelled with its own age, while it rescans", async () => {
    const first = render(<MenuBarCommand />);
    await loaded();
    first.unmount();

    // 20 minutes later, with more usage on disk: the next launch starts from the cached report.
    jest.setSystemTime(new Date(COMMAND_NOW.getTime() + 20 * 60_000));
    await writeTranscript(
      ctx.corpus,
      "e2e-new.jsonl",
      [assistant({ id: "n1", req: "n1", session: "e2e-new", ts: "2026-11-25T12:40:00Z", input: 30_000 })],
      { project: "-Users-me-new" },
    );
    render(<MenuBarCommand />);
    expect(isLoading(menuBarExtra())).toBe(true);
    expect(propsOf(menuBarExtra()).title).toBe("470K");
    expect(subtitleOf("Source: Local scan", "Status")).toBe("Updated 20 min ago · stale");

    await loaded();
    expect(propsOf(menuBarExtra()).title).toBe("500K");
    expect(subtitleOf("Source: Local scan", "Status")).toBe("Updated just now");
  });

  it("expands ~ in the folder preference against the (sandboxed) home folder", async () => {
    const inHome = path.join(ctx.sandbox.home, "mimo-env", ".claude");
    await writeCorpus(inHome, COMMAND_CORPUS);
    setPreferences({ mimoConfigDirs: "~/mimo-env/.claude" });
    render(<MenuBarCommand />);
    expect(propsOf(await loaded()).title).toBe("470K");
    fs.rmSync(path.join(ctx.sandbox.home, "mimo-env"), { recursive: true, force: true });
  });

  it("keeps its state in Raycast's support folder and CodexBar's export in the home folder when asked", async () => {
    setPreferences({ exportCodexBar: true });
    render(<MenuBarCommand />);
    await loaded();
    expect(fs.existsSync(path.join(environment.supportPath, STATE_FILE))).toBe(true);
    // The menu's fallback has no sessions, so it is kept apart from the session list's.
    expect(fs.existsSync(path.join(environment.supportPath, LAST_MENU_SNAPSHOT_FILE))).toBe(true);
    expect(fs.existsSync(path.join(environment.supportPath, LAST_SNAPSHOT_FILE))).toBe(false);
    const exported = path.join(ctx.sandbox.home, CODEXBAR_EXPORT.replace(/^~\//, ""));
    expect(fs.existsSync(exported)).toBe(true);
    fs.rmSync(path.dirname(exported), { recursive: true, force: true });
  });

  it("reports a broken model filter in the menu instead of failing", async () => {
    setPreferences({ modelFilter: "(" });
    render(<MenuBarCommand />);
    const menu = await loaded();
    expect(propsOf(menu).title).toBeUndefined();
    const problem = findMenuItem("Model filter is not a valid pattern: fix it in preferences");
    expect(propsOf(problem).tooltip).toBe('The model filter "(" is not a valid regular expression.');
    clickMenuItem(problem);
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
  });

  it("names an unknown client of Other MiMo Clients and offers the preferences", async () => {
    setPreferences({ otherClients: "opencod, codex" });
    render(<MenuBarCommand />);
    await loaded();
    const problem = findMenuItem("Other MiMo Clients names a client MiMo Usage does not know");
    expect(propsOf(problem).tooltip).toMatch(/^"opencod" \(did you mean "opencode"\?\) is not a client/);
    clickMenuItem(problem);
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
  });

  it("reports a model filter that could hang as a preference to fix, not a scan to retry", async () => {
    setPreferences({ modelFilter: "(a+)+" });
    render(<MenuBarCommand />);
    await loaded();
    const problem = findMenuItem("Model filter is not a valid pattern: fix it in preferences");
    expect(propsOf(problem).tooltip).toMatch(/can make matching hang/);
    clickMenuItem(problem);
    expect(callsTo("openExtensionPreferences")).toHaveLength(1);
  });

  it("points at preferences when the folder does not exist", async () => {
    setPreferences({ mimoConfigDirs: path.join(ctx.sandbox.dir, "missing") });
    render(<MenuBarCommand />);
    const menu = await loaded();
    expect(propsOf(menu).title).toBe("0");
    expect(menuItems(section("Status")).map(titleOf)).toEqual([
      "Source: Local scan",
      "Connect MiMo Platform…",
      "No Claude config folder found",
    ]);
  });
});

describe("the menu bar's report", () => {
  it("leaves sessions out of what it keeps, while the list's report has them", async () => {
    const { loadMenuReport, loadReport } = await import("../../src/raycast/edge");
    const menu = await loadMenuReport();
    const full = await loadReport();
    expect(full.local?.snapshot.sessions.length).toBeGreaterThan(0);
    expect(menu.local?.snapshot.sessions).toEqual([]);
    expect(menu.local?.snapshot.lifetime).toEqual(full.local?.snapshot.lifetime);
  });
});

describe("the menu bar with a platform cookie", () => {
  const secret = "S3cr3t-service-token-77aa";
  const server = usePlatformStandIn();

  it("shows the plan in credits, then keeps an estimate when the cookie lapses; the cookie stays out of every cache", async () => {
    const cached = jest.spyOn(Cache.prototype, "set");
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(),
      "tokenPlan/usage": fx.liveMaxUsage(),
    });
    setPreferences({ cookie: `Cookie: api-platform_serviceToken=${secret}; userId=42`, menuBarFigure: "planLeft" });
    render(<MenuBarCommand />);
    await loaded();
    expect(subtitleOf("Used", "Plan · Max")).toBe("8.58B / 82B Credits · 10%");
    expect(subtitleOf("Balance", "Plan · Max")).toBe("12.30 CNY");
    expect(propsOf(menuBarExtra()).title).toBe("90%");
    expect(
      server.requests.every((request) => request.headers.cookie === `api-platform_serviceToken=${secret}; userId=42`),
    ).toBe(true);

    // The cookie lapses: the plan stays, as an estimate of the last answer while nothing new is used here.
    server.reset(fx.everywhere({ status: 401, body: { code: 401, message: "unauthorized" } }));
    clickMenuItem(findMenuItem("Refresh"));
    await waitFor(() => expect(subtitleOf("Used", "Plan · Max")).toBe("≈ 8.58B / 82B Credits · 10%"));
    await loaded();
    expect(propsOf(menuBarExtra()).title).toBe("≈90%");
    expect(menuItems(section("Status")).map(titleOf)).toContain(
      "Platform: login required — set the cookie in preferences",
    );

    // 347K more cache-miss tokens of mimo-v2.5-pro at 300 Credits each: 8,582,309,279 + 104,100,000.
    await writeTranscript(
      ctx.corpus,
      "e2e-late.jsonl",
      [assistant({ id: "z1", req: "z1", session: "e2e-late", ts: CORPUS_TIMES.today[1], input: 347_000 })],
      { project: "-Users-me-late" },
    );
    clickMenuItem(findMenuItem("Refresh"));
    await waitFor(() => expect(subtitleOf("Used", "Plan · Max")).toBe("≈ 8.69B / 82B Credits · 11%"));
    await loaded();

    const written = cached.mock.calls.map(([key, data]) => `${key}${data}`).join("\n");
    expect(written).toContain("8582309279");
    expect(written).not.toContain(secret);
    for (const file of fs.readdirSync(environment.supportPath, { recursive: true })) {
      const full = path.join(environment.supportPath, String(file));
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).toString("latin1")).not.toContain(secret);
    }
    cached.mockRestore();
  });
});

describe("the menu bar while the platform does not finish", () => {
  const server = usePlatformStandIn();
  const stalled = {
    balance: { mode: "stall" },
    "tokenPlan/detail": { mode: "stall" },
    "tokenPlan/usage": { mode: "stall" },
  } as const;

  beforeEach(() => {
    setPreferences({ cookie: "Cookie: api-platform_serviceToken=t0k3n-value; userId=42" });
  });

  it("shows the local figures of a first run at once, and stays loading until the platform settles", async () => {
    server.reset({ ...stalled });
    render(<MenuBarCommand />);
    // Well before the platform's 10 s timeout: the local figures do not wait for it.
    await waitFor(() => expect(propsOf(menuBarExtra()).title).toBe("470K"), { timeout: 3000 });
    expect(isLoading(menuBarExtra())).toBe(true);
    expect(subtitleOf("Total", "Lifetime")).toBe("3.5M tokens");
    expect(menuItems(section("Status")).map(titleOf)).toEqual(["Source: Local scan", "Asking the MiMo platform…"]);
    server.dropConnections();
    await loaded();
    expect(menuItems(section("Status")).map(titleOf)).toContain("Platform unreachable");
  });

  it("replaces the cached figures with this refresh's while the platform's last answer stands in, marked", async () => {
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(),
      "tokenPlan/usage": fx.liveMaxUsage(),
    });
    const first = render(<MenuBarCommand />);
    await loaded();
    first.unmount();
    await writeTranscript(
      ctx.corpus,
      "e2e-late.jsonl",
      [assistant({ id: "z1", req: "z1", session: "e2e-late", ts: CORPUS_TIMES.today[1], input: 30_000 })],
      { project: "-Users-me-late" },
    );
    server.reset({ ...stalled });
    render(<MenuBarCommand />);
    await waitFor(() => expect(propsOf(menuBarExtra()).title).toBe("500K"), { timeout: 3000 });
    expect(isLoading(menuBarExtra())).toBe(true);
    expect(subtitleOf("Balance", "Plan · Max")).toBe("12.30 CNY");
    expect(subtitleOf("Plan source: Estimate", "Status")).toMatch(/· asking the platform…$/);
    server.dropConnections();
    await loaded();
    expect(propsOf(menuBarExtra()).title).toBe("500K");
  });

  it("leaves a FIFO at credit-history.json alone and still renders", async () => {
    server.reset({
      balance: fx.liveBalance(),
      "tokenPlan/detail": fx.liveMaxDetail(),
      "tokenPlan/usage": fx.liveMaxUsage(),
    });
    fs.mkdirSync(environment.supportPath, { recursive: true });
    const pipe = path.join(environment.supportPath, CREDIT_HISTORY_FILE);
    execFileSync("mkfifo", [pipe]);
    try {
      render(<MenuBarCommand />);
      const menu = await loaded();
      expect(propsOf(menu).title).toBe("470K");
      expect(subtitleOf("Used", "Plan · Max")).toBe("8.58B / 82B Credits · 10%");
      expect(propsOf(findMenuItem("A file in the support folder was left alone")).tooltip).toBe(
        `${pipe} is a FIFO, not a regular file, so it was left alone`,
      );
      expect(fs.lstatSync(pipe).isFIFO()).toBe(true);
    } finally {
      fs.rmSync(pipe);
    }
  });
});
