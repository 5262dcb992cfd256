/** @jest-environment ./test/raycast/environment.ts */
import path from "node:path";
import { render, waitFor } from "@testing-library/react";
import SessionsCommand from "../../src/sessions";
import { callsTo, setPreferences } from "../raycast/api-double";
import {
  accessoriesOf,
  detailOf,
  emptyView,
  findListItem,
  isLoading,
  list,
  listItems,
  metadataLabels,
  pickDropdown,
  propsOf,
  runAction,
  sections,
  titleOf,
  typeSearch,
} from "../raycast/query";
import { CORPUS_TIMES, daySectionTitle, useCommandTestContext } from "../helpers/commands";
import { assistant, writeTranscript } from "../helpers/transcripts";

const ctx = useCommandTestContext("sessions");

async function loaded(): Promise<HTMLElement> {
  await waitFor(() => expect(isLoading(list())).toBe(false));
  return list();
}

function visibleTitles(): string[] {
  return listItems().map((item) => titleOf(item) ?? "");
}

describe("sessions command", () => {
  it("lists the folder's sessions by day once loaded", async () => {
    render(<SessionsCommand />);
    expect(isLoading(list())).toBe(true);
    expect(emptyView()).toBeNull();

    await loaded();
    expect(sections()).toEqual([
      { title: "Today", items: ["shop"] },
      { title: daySectionTitle(CORPUS_TIMES.week), items: ["api"] },
      { title: daySectionTitle(CORPUS_TIMES.old), items: ["legacy"] },
    ]);
    const shop = findListItem("shop");
    expect(propsOf(shop).subtitle).toBe("Checkout page");
    expect(accessoriesOf(shop).slice(0, 2)).toEqual([
      { text: "470K", tooltip: "470,000 tokens" },
      { tag: "mimo-v2.5-pro" },
    ]);
    expect(propsOf(findListItem("api")).subtitle).toBe("e2e-api");
    expect(accessoriesOf(findListItem("api"))[1]).toEqual({ tag: "mimo-v2.5" });
  });

  it("filters by the dropdown and the search text", async () => {
    render(<SessionsCommand />);
    await loaded();
    pickDropdown("today");
    expect(visibleTitles()).toEqual(["shop"]);
    pickDropdown("week");
    expect(visibleTitles()).toEqual(["shop", "api"]);
    pickDropdown("all");
    typeSearch("legacy");
    expect(visibleTitles()).toEqual(["legacy"]);
    typeSearch("e2e-api");
    expect(visibleTitles()).toEqual(["api"]);
    typeSearch("mimo-v2.5-pro");
    expect(visibleTitles()).toEqual(["shop", "legacy"]);
  });

  it("shows a session's detail and copies its resume command", async () => {
    render(<SessionsCommand />);
    await loaded();
    runAction(findListItem("shop"), "Show Detail");
    const detail = detailOf(findListItem("shop"));
    if (!detail) throw new Error("No detail shown");
    expect(metadataLabels(detail)).toEqual(
      expect.arrayContaining([
        { title: "Session ID", text: "e2e-shop" },
        { title: "Project", text: "/Users/me/shop" },
        { title: "Duration", text: "10 min" },
        { title: "Messages", text: "2" },
        { title: "Total Tokens", text: "470K (470,000)" },
        { title: "Estimated Cost", text: "¥1.50" },
        { title: "Transcript", text: path.join(ctx.corpus, "projects", "-Users-me-shop", "e2e-shop.jsonl") },
      ]),
    );
    runAction(findListItem("shop"), "Copy Resume Command");
    await waitFor(() => expect(callsTo("Clipboard.copy")).toEqual([["claude --resume e2e-shop"]]));
  });

  it("rescans from the Refresh action", async () => {
    render(<SessionsCommand />);
    await loaded();
    await writeTranscript(
      ctx.corpus,
      "e2e-new.jsonl",
      [assistant({ id: "n1", req: "n1", session: "e2e-new", ts: "2026-11-25T12:25:00Z", input: 5_000, cwd: "/w/new" })],
      { project: "-w-new" },
    );
    runAction(findListItem("shop"), "Refresh");
    await waitFor(() => expect(sections()[0]).toEqual({ title: "Today", items: ["new", "shop"] }));
  });

  it("says the scan failed when the model filter is broken", async () => {
    setPreferences({ modelFilter: "(" });
    render(<SessionsCommand />);
    await loaded();
    const empty = emptyView();
    expect(empty && titleOf(empty)).toBe("Scan failed");
    expect(empty && propsOf(empty).description).toBe('The model filter "(" is not a valid regular expression.');
  });

  it("says no folder was found when the preference points nowhere", async () => {
    const missing = path.join(ctx.sandbox.dir, "missing");
    setPreferences({ mimoConfigDirs: missing });
    render(<SessionsCommand />);
    await loaded();
    const empty = emptyView();
    expect(empty && titleOf(empty)).toBe("No Claude folder found");
    expect(empty && propsOf(empty).description).toBe(
      `No projects/ folder in ${missing}. Set your MiMo Claude config folder in preferences.`,
    );
  });
});
