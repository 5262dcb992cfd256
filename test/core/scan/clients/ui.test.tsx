/** @jest-environment ./test/raycast/environment.ts */
import { promises as fs } from "node:fs";
import path from "node:path";
import { render } from "@testing-library/react";
import { SessionList } from "../../../../src/components/SessionList";
import { UsageMenu } from "../../../../src/components/menu/UsageMenu";
import { loadUsageReport } from "../../../../src/core/chain/report";
import type { UsageReport } from "../../../../src/core/chain/report-schema";
import { formatTokens } from "../../../../src/core/format";
import { resetRaycastDouble } from "../../../raycast/api-double";
import {
  accessoriesOf,
  actionsOf,
  dropdownOptions,
  findAll,
  findListItem,
  findMenuItem,
  listItems,
  menuItems,
  pickDropdown,
  propsOf,
  titleOf,
} from "../../../raycast/query";
import { expectedDays, requestPlan, writeCodexHome, writeOpenCodeDb } from "../../../helpers/clients";
import { assistant, configFor, tempDir, writeTranscript } from "../../../helpers/transcripts";

/** The menu splits each window by client; the session list filters by client. Built through the real chain. */

const NOW = new Date("2026-11-22T20:00:00Z");
const plan = requestPlan();
let home: string;
let report: UsageReport;
let claudeOnly: UsageReport;

async function load(withClients: boolean, statePath: string): Promise<UsageReport> {
  return loadUsageReport({
    engine: configFor([path.join(home, "mimo")], {
      statePath,
      now: () => NOW,
      clients: withClients ? { home, env: {}, enabled: "found", sqlite: { backend: "sqlite3" } } : undefined,
    }),
    supportPath: path.join(home, "support"),
    cookie: "",
    refreshIntervalMs: 5 * 60 * 1000,
    now: () => NOW,
    platform: async () => ({ ok: false, error: { kind: "noCookie", message: "No platform cookie is set." } }),
  });
}

beforeAll(async () => {
  home = await tempDir("mimo-ui-clients-");
  await writeTranscript(path.join(home, "mimo"), "c1.jsonl", [
    assistant({ id: "a", req: "a", session: "c1", ts: "2026-11-22T08:00:00Z", input: 1_200_000, output: 100 }),
  ]);
  await writeOpenCodeDb(path.join(home, ".local", "share"), "opencode", plan);
  await writeCodexHome(path.join(home, ".codex"), plan);
  await fs.mkdir(path.join(home, "support"), { recursive: true });
  report = await load(true, path.join(home, "support", "state.bin"));
  claudeOnly = await load(false, path.join(home, "support", "claude-only.bin"));
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});
beforeEach(() => resetRaycastDouble());

function renderMenu(r: UsageReport) {
  render(
    <UsageMenu
      report={r}
      isLoading={false}
      figure="todayTokens"
      weeklyBudget={null}
      now={NOW}
      onRefresh={() => undefined}
    />,
  );
}

function section(prefix: string): HTMLElement {
  const found = findAll("MenuBarExtra.Section").filter((s) => (titleOf(s) ?? "").startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one section ${prefix}`);
  return found[0];
}

const total = (client: "opencode" | "codex", date: string) => {
  const d = expectedDays(plan, client)[date];
  return d ? d.input + d.output + d.cacheRead + d.cacheWrite : 0;
};

describe("the menu's split by client", () => {
  it("shows each window's clients with their tokens", () => {
    renderMenu(report);
    const today = `Claude Code ${formatTokens(1_200_100)} · OpenCode ${formatTokens(total("opencode", "2026-11-22"))} · Codex ${formatTokens(total("codex", "2026-11-22"))}`;
    expect(propsOf(findMenuItem("By client", section("Today"))).subtitle).toBe(today);
    expect(propsOf(findMenuItem("By client", section("Lifetime"))).subtitle).toMatch(
      /^Claude Code 1\.2M · OpenCode \S+ · Codex \S+$/,
    );
  });

  it("shows no split when only Claude Code is read", () => {
    renderMenu(claudeOnly);
    expect(menuItems(section("Today")).map((item) => titleOf(item))).not.toContain("By client");
  });
});

describe("the session list by client", () => {
  it("offers a client filter and shows only that client's sessions", () => {
    render(<SessionList report={report} isLoading={false} onRefresh={() => undefined} />);
    expect(dropdownOptions().filter((o) => o.section === "Client")).toEqual([
      { title: "Claude Code", value: "client:claude-code", section: "Client" },
      { title: "OpenCode", value: "client:opencode", section: "Client" },
      { title: "Codex", value: "client:codex", section: "Client" },
    ]);
    pickDropdown("client:opencode");
    expect(
      listItems()
        .map((item) => titleOf(item))
        .sort(),
    ).toEqual(["opencode-ses_a", "opencode-ses_b"]);
    const item = findListItem("opencode-ses_b");
    expect(accessoriesOf(item)).toContainEqual(expect.objectContaining({ tag: "OpenCode" }));
    expect(actionsOf(item).map((action) => titleOf(action))).not.toContain("Copy Resume Command");
  });

  it("offers no client filter when only Claude Code is read", () => {
    render(<SessionList report={claudeOnly} isLoading={false} onRefresh={() => undefined} />);
    expect(dropdownOptions().some((o) => o.value.startsWith("client:"))).toBe(false);
  });
});
