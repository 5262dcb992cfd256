/** @jest-environment jsdom */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { useState } from "react";
import { act, render, waitFor } from "@testing-library/react";
import { getProgressIcon, showFailureToast, useCachedPromise, usePromise } from "@raycast/utils";
import * as RaycastApi from "@raycast/api";
import {
  Action,
  ActionPanel,
  Cache,
  Color,
  Icon,
  Keyboard,
  LaunchType,
  List,
  MenuBarExtra,
  Toast,
  environment,
  getPreferenceValues,
  launchCommand,
  showHUD,
  updateCommandMetadata,
} from "@raycast/api";
import {
  callsTo,
  formatShortcut,
  launchProps,
  raycastCalls,
  resetRaycastDouble,
  setCommand,
  setEnvironment,
  setPreferences,
  toasts,
} from "./api-double";
import * as query from "./query";

const ROOT = path.resolve(__dirname, "..", "..");

/** A promise the test settles by hand, to observe loading states. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function sourceFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(file) : /\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** Names src/ imports from "@raycast/api" as values (type-only imports vanish at runtime). */
function runtimeImportsOfSrc(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, "src"))) {
    const text = fs.readFileSync(file, "utf8");
    for (const match of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+"@raycast\/api"/g)) {
      if (match[1]) continue;
      for (const part of match[2].split(",")) {
        const name = part.trim();
        if (name && !name.startsWith("type ")) names.add(name.split(/\s+as\s+/)[0]);
      }
    }
  }
  return [...names].sort();
}

beforeEach(() => {
  resetRaycastDouble();
});

describe("module surface", () => {
  it("provides at runtime every @raycast/api export that src/ imports", () => {
    const imports = runtimeImportsOfSrc();
    expect(imports).toEqual(expect.arrayContaining(["List", "MenuBarExtra", "environment", "showHUD"]));
    expect(imports.filter((name) => !(name in RaycastApi))).toEqual([]);
  });

  it("provides at runtime every @raycast/api export that @raycast/utils reads, but AI and OAuth", () => {
    const bundle = fs.readFileSync(path.join(ROOT, "node_modules/@raycast/utils/dist/main.js"), "utf8");
    const used = new Set(Array.from(bundle.matchAll(/\$raycastapi\.(\w+)/g), (match) => match[1]));
    // Only useAI and the OAuth helpers touch these; the extension uses neither.
    used.delete("AI");
    used.delete("OAuth");
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !(name in RaycastApi))).toEqual([]);
  });

  it("takes enum values and icons from the real declarations", () => {
    expect(Icon.Gear).toBe("cog-16");
    expect(Object.keys(Icon).length).toBeGreaterThan(400);
    expect(Color.Red).toBe("raycast-red");
    expect(LaunchType.Background).toBe("background");
    expect(Toast.Style.Failure).toBe("FAILURE");
    expect(formatShortcut(Keyboard.Shortcut.Common.Refresh)).toBe("cmd+r");
    expect(formatShortcut(Keyboard.Shortcut.Common.Copy)).toBe("cmd+shift+c");
    expect(formatShortcut(Keyboard.Shortcut.Common.Open, "Windows")).toBe("ctrl+o");
    expect(formatShortcut(Keyboard.Shortcut.Common.ToggleQuickLook)).toBe("cmd+y");
  });
});

// ---------------------------------------------------------------------------------------------------------------------

let nextUsage = deferred<number>();
/** Module-level so every render hashes to the same `useCachedPromise` cache entry, as one command does across runs. */
async function fetchUsage(): Promise<number> {
  return nextUsage.promise;
}

function UsageMenu() {
  const { data, isLoading, revalidate } = useCachedPromise(fetchUsage);
  return (
    <MenuBarExtra icon={Icon.BarChart} title={data === undefined ? undefined : `${data}`} isLoading={isLoading}>
      <MenuBarExtra.Section title="Today">
        <MenuBarExtra.Item title={`Tokens: ${data ?? "…"}`} />
      </MenuBarExtra.Section>
      <MenuBarExtra.Submenu title="More">
        <MenuBarExtra.Item
          title="Open Sessions"
          onAction={() => launchCommand({ name: "sessions", type: LaunchType.UserInitiated })}
          alternate={
            <MenuBarExtra.Item
              title="Refresh in Background"
              onAction={() => launchCommand({ name: "refresh", type: LaunchType.Background })}
            />
          }
        />
      </MenuBarExtra.Submenu>
      <MenuBarExtra.Separator />
      <MenuBarExtra.Item title="Refresh" shortcut={Keyboard.Shortcut.Common.Refresh} onAction={revalidate} />
    </MenuBarExtra>
  );
}

describe("MenuBarExtra with useCachedPromise", () => {
  beforeEach(() => {
    nextUsage = deferred<number>();
    setCommand("menu-bar");
  });

  it("shows loading, then the data, and fetches again on revalidate", async () => {
    render(<UsageMenu />);
    const menu = query.menuBarExtra();
    expect(query.isLoading(menu)).toBe(true);
    expect(query.findMenuItem("Tokens: …")).toBeTruthy();
    expect(query.propsOf(menu)).toMatchObject({ icon: Icon.BarChart, isLoading: true });

    await act(async () => nextUsage.resolve(1200));
    await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(false));
    expect(query.titleOf(query.menuBarExtra())).toBe("1200");
    expect(query.findMenuItem("Tokens: 1200")).toBeTruthy();

    nextUsage = deferred<number>();
    const refresh = query.findMenuItem("Refresh");
    expect(query.shortcutKeys(refresh)).toBe("cmd+r");
    expect(query.shortcutOf(refresh)).toEqual(Keyboard.Shortcut.Common.Refresh);
    query.clickMenuItem(refresh);
    await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(true));
    // Stale data stays visible while revalidating.
    expect(query.findMenuItem("Tokens: 1200")).toBeTruthy();
    await act(async () => nextUsage.resolve(1500));
    await waitFor(() => expect(query.findMenuItem("Tokens: 1500")).toBeTruthy());
  });

  it("keeps the last data in the Cache across command runs", async () => {
    const first = render(<UsageMenu />);
    await act(async () => nextUsage.resolve(42));
    await waitFor(() => expect(query.findMenuItem("Tokens: 42")).toBeTruthy());
    first.unmount();

    // The next run starts from the cached value while it fetches again.
    nextUsage = deferred<number>();
    render(<UsageMenu />);
    expect(query.findMenuItem("Tokens: 42")).toBeTruthy();
    expect(query.isLoading(query.menuBarExtra())).toBe(true);
    await act(async () => nextUsage.resolve(43));
    await waitFor(() => expect(query.findMenuItem("Tokens: 43")).toBeTruthy());
  });

  it("runs item actions, records launches and keeps alternates apart", async () => {
    render(<UsageMenu />);
    await act(async () => nextUsage.resolve(1));

    expect(query.menuItems().map((item) => query.titleOf(item))).toEqual(["Tokens: 1", "Open Sessions", "Refresh"]);
    expect(query.isDisabled(query.findMenuItem(/^Tokens/))).toBe(true);
    const openSessions = query.findMenuItem("Open Sessions");
    expect(query.isDisabled(openSessions)).toBe(false);

    query.clickMenuItem(openSessions);
    const alternate = query.alternateOf(openSessions);
    expect(alternate && query.titleOf(alternate)).toBe("Refresh in Background");
    if (alternate) query.clickMenuItem(alternate);

    expect(callsTo("launchCommand")).toEqual([
      [{ name: "sessions", type: LaunchType.UserInitiated }],
      [{ name: "refresh", type: LaunchType.Background }],
    ]);
    expect(query.findAll("MenuBarExtra.Separator")).toHaveLength(1);
    expect(query.findAll("MenuBarExtra.Section").map(query.titleOf)).toEqual(["Today"]);
  });

  it("passes the click type to onAction", () => {
    const onAction = jest.fn();
    render(
      <MenuBarExtra>
        <MenuBarExtra.Item title="Click Me" onAction={onAction} />
      </MenuBarExtra>,
    );
    query.clickMenuItem(query.findMenuItem("Click Me"));
    query.clickMenuItem(query.findMenuItem("Click Me"), "right-click");
    expect(onAction.mock.calls).toEqual([[{ type: "left-click" }], [{ type: "right-click" }]]);
  });

  it("names the available items when a lookup fails", () => {
    render(
      <MenuBarExtra>
        <MenuBarExtra.Item title="Alpha" />
      </MenuBarExtra>,
    );
    expect(() => query.findMenuItem("Beta")).toThrow('No MenuBarExtra.Item titled Beta. Titles: "Alpha"');
  });
});

// ---------------------------------------------------------------------------------------------------------------------

interface Session {
  id: string;
  title: string;
  project: string;
  tokens: number;
}

const SESSIONS: Session[] = [
  { id: "s1", title: "Refactor parser", project: "mimo", tokens: 1200 },
  { id: "s2", title: "Write docs", project: "docs", tokens: 300 },
  { id: "s3", title: "Fix flaky test", project: "mimo", tokens: 50 },
];

let sessionsGate = deferred<void>();
async function loadSessions(project: string): Promise<Session[]> {
  await sessionsGate.promise;
  return SESSIONS.filter((session) => project === "all" || session.project === project);
}

function SessionsList() {
  const [project, setProject] = useState<string>();
  const { data, isLoading, revalidate } = useCachedPromise(loadSessions, [project ?? "all"], { execute: !!project });
  return (
    <List
      isLoading={isLoading}
      isShowingDetail
      searchBarPlaceholder="Search sessions"
      searchBarAccessory={
        <List.Dropdown tooltip="Project" onChange={setProject}>
          <List.Dropdown.Item title="All Projects" value="all" />
          <List.Dropdown.Item title="MiMo" value="mimo" />
          <List.Dropdown.Item title="Docs" value="docs" />
        </List.Dropdown>
      }
    >
      <List.EmptyView title="No Sessions" description="Nothing matches." />
      <List.Section title="Sessions">
        {(data ?? []).map((session) => (
          <List.Item
            key={session.id}
            id={session.id}
            title={session.title}
            keywords={[session.project]}
            accessories={[{ text: `${session.tokens} tokens` }, { tag: { value: session.project, color: Color.Blue } }]}
            detail={
              <List.Item.Detail
                markdown={`## ${session.title}`}
                metadata={
                  <List.Item.Detail.Metadata>
                    <List.Item.Detail.Metadata.Label title="Tokens" text={String(session.tokens)} />
                    <List.Item.Detail.Metadata.Separator />
                    <List.Item.Detail.Metadata.Label title="Project" text={session.project} />
                  </List.Item.Detail.Metadata>
                }
              />
            }
            actions={
              <ActionPanel title={session.title}>
                <Action.CopyToClipboard
                  title="Copy Title"
                  content={session.title}
                  shortcut={Keyboard.Shortcut.Common.Copy}
                />
                <ActionPanel.Section title="More">
                  <Action.Open title="Open Project" target={`/projects/${session.project}`} />
                  <Action.ShowInFinder path={`/projects/${session.project}`} />
                  <Action
                    title="Refresh"
                    icon={Icon.ArrowClockwise}
                    shortcut={Keyboard.Shortcut.Common.Refresh}
                    onAction={revalidate}
                  />
                </ActionPanel.Section>
              </ActionPanel>
            }
          />
        ))}
      </List.Section>
    </List>
  );
}

async function renderLoadedSessions() {
  const view = render(<SessionsList />);
  await act(async () => sessionsGate.resolve());
  await waitFor(() => expect(query.listItems()).toHaveLength(3));
  return view;
}

describe("List with a detail pane, a dropdown and useCachedPromise", () => {
  beforeEach(() => {
    sessionsGate = deferred<void>();
    setCommand("sessions");
  });

  it("announces the dropdown's first value on mount, loads, then lists the items", async () => {
    render(<SessionsList />);
    const list = query.list();
    expect(query.propsOf(list)).toMatchObject({ isShowingDetail: true, filtering: true, isLoading: true });
    expect(query.searchBar().placeholder).toBe("Search sessions");
    expect(query.dropdown().value).toBe("all");
    expect(query.dropdownOptions()).toEqual([
      { title: "All Projects", value: "all" },
      { title: "MiMo", value: "mimo" },
      { title: "Docs", value: "docs" },
    ]);
    // No items yet: the empty view shows and the empty section is hidden.
    expect(query.emptyView()).not.toBeNull();
    expect(query.sections()).toEqual([]);

    await act(async () => sessionsGate.resolve());
    await waitFor(() => expect(query.isLoading(query.list())).toBe(false));
    expect(query.sections()).toEqual([
      { title: "Sessions", items: ["Refactor parser", "Write docs", "Fix flaky test"] },
    ]);
    expect(query.emptyView()).toBeNull();
    expect(query.accessoriesOf(query.findListItem("Write docs"))).toEqual([
      { text: "300 tokens" },
      { tag: { value: "docs", color: Color.Blue } },
    ]);
  });

  it("filters on the dropdown value", async () => {
    await renderLoadedSessions();
    query.pickDropdown("docs");
    await waitFor(() => expect(query.listItems().map((item) => query.titleOf(item))).toEqual(["Write docs"]));
    expect(() => query.pickDropdown("nope")).toThrow('Dropdown has no value "nope"');
  });

  it("filters on typed search text by title and keywords, like Raycast's built-in filtering", async () => {
    await renderLoadedSessions();
    query.typeSearch("PARSER");
    expect(query.listItems().map((item) => query.titleOf(item))).toEqual(["Refactor parser"]);
    query.typeSearch("mimo fix");
    expect(query.listItems().map((item) => query.titleOf(item))).toEqual(["Fix flaky test"]);
    query.typeSearch("zzz");
    expect(query.listItems()).toEqual([]);
    expect(query.sections()).toEqual([]);
    expect(query.emptyView()?.dataset.title).toBe("No Sessions");
    query.typeSearch("");
    expect(query.listItems()).toHaveLength(3);
  });

  it("selects the first item and shows only the selected item's detail", async () => {
    await renderLoadedSessions();
    const first = query.findListItem("Refactor parser");
    const detail = query.detailOf(first);
    expect(detail && query.markdownOf(detail)).toBe("## Refactor parser");
    expect(query.detailOf(query.findListItem("Write docs"))).toBeNull();

    query.selectItem(query.findListItem("Write docs"));
    expect(query.detailOf(query.findListItem("Refactor parser"))).toBeNull();
    const secondDetail = query.detailOf(query.findListItem("Write docs"));
    if (!secondDetail) throw new Error("detail missing");
    expect(query.metadataLabels(secondDetail)).toEqual([
      { title: "Tokens", text: "300" },
      { title: "Project", text: "docs" },
    ]);

    // Filtering the selected item away moves the selection to the first remaining one.
    query.typeSearch("fix");
    expect(query.detailOf(query.findListItem("Fix flaky test"))).not.toBeNull();
  });

  it("runs actions: copy, open, show in Finder, revalidate", async () => {
    await renderLoadedSessions();
    const item = query.findListItem("Write docs");
    expect(query.actionsOf(item).map((action) => query.titleOf(action))).toEqual([
      "Copy Title",
      "Open Project",
      "Show in Finder",
      "Refresh",
    ]);
    expect(query.shortcutKeys(query.findAction(item, "Copy Title"))).toBe("cmd+shift+c");

    query.runAction(item, "Copy Title");
    query.runAction(item, "Open Project");
    query.runAction(item, "Show in Finder");
    expect(callsTo("Clipboard.copy")).toEqual([["Write docs"]]);
    expect(callsTo("open")).toEqual([["/projects/docs"]]);
    expect(callsTo("showInFinder")).toEqual([["/projects/docs"]]);

    sessionsGate = deferred<void>();
    query.runAction(query.findListItem("Write docs"), "Refresh");
    await waitFor(() => expect(query.isLoading(query.list())).toBe(true));
    await act(async () => sessionsGate.resolve());
    await waitFor(() => expect(query.isLoading(query.list())).toBe(false));
  });

  it("leaves filtering to the command when it handles onSearchTextChange, unless told to filter", () => {
    const seen: string[] = [];
    function Searching({ filtering }: { filtering?: boolean }) {
      return (
        <List filtering={filtering} onSearchTextChange={(next) => seen.push(next)}>
          <List.Item title="Alpha" />
          <List.Item title="Beta" />
        </List>
      );
    }
    const first = render(<Searching />);
    query.typeSearch("alp");
    expect(seen).toEqual(["alp"]);
    expect(query.propsOf(query.list())).toMatchObject({ filtering: false, searchText: "alp" });
    expect(query.listItems()).toHaveLength(2);
    first.unmount();

    render(<Searching filtering />);
    query.typeSearch("alp");
    expect(seen).toEqual(["alp", "alp"]);
    expect(query.listItems().map((item) => query.titleOf(item))).toEqual(["Alpha"]);
  });

  it("fails loudly on a prop it does not model instead of ignoring it", () => {
    const quiet = jest.spyOn(console, "error").mockImplementation(() => undefined);
    expect(() =>
      render(
        <List>
          <List.Item title="Alpha" quickLook={{ path: "/tmp/alpha" }} />
        </List>,
      ),
    ).toThrow("List.Item does not model quickLook");
    quiet.mockRestore();
  });

  it("restores a stored dropdown value on the next run", () => {
    const onChange = jest.fn();
    const dropdownList = () => (
      <List
        searchBarAccessory={
          <List.Dropdown tooltip="Range" storeValue onChange={onChange}>
            <List.Dropdown.Item title="Today" value="today" />
            <List.Dropdown.Item title="Week" value="week" />
          </List.Dropdown>
        }
      />
    );
    const first = render(dropdownList());
    query.pickDropdown("week");
    first.unmount();
    render(dropdownList());
    expect(query.dropdown().value).toBe("week");
    expect(onChange.mock.calls).toEqual([["today"], ["week"], ["week"]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("no-view commands, preferences and side effects", () => {
  async function refreshCommand(): Promise<void> {
    const { mimoConfigDirs, weekStart } = getPreferenceValues<{ mimoConfigDirs: string; weekStart: string }>();
    await updateCommandMetadata({ subtitle: `${weekStart} · ${mimoConfigDirs}` });
    await launchCommand({ name: "menu-bar", type: LaunchType.Background });
    await showHUD("Refreshed");
  }

  it("returns package.json defaults, overridden by setPreferences", async () => {
    expect(getPreferenceValues()).toEqual({
      mimoConfigDirs: "~/.claude-envs/mimo/.claude",
      sharedConfigDirs: "",
      modelFilter: "mimo",
      weekStart: "monday",
      menuBarFigure: "todayTokens",
      weeklyBudget: "",
      alertThresholds: "80,95",
      otherClients: "",
      plan: "none",
      planCredits: "",
      planRenewsOn: "1",
      syncFolder: "",
      deviceName: "",
      shareSessions: false,
      exportCodexBar: false,
    });
    setPreferences({ mimoConfigDirs: "/tmp/mimo", weekStart: "sunday", cookie: "a=b" });
    setCommand("refresh", LaunchType.Background);
    await refreshCommand();
    expect(callsTo("updateCommandMetadata")).toEqual([[{ subtitle: "sunday · /tmp/mimo" }]]);
    expect(callsTo("launchCommand")).toEqual([[{ name: "menu-bar", type: LaunchType.Background }]]);
    expect(callsTo("showHUD")).toEqual([["Refreshed"]]);
    expect(raycastCalls.map((call) => call.fn)).toEqual(["updateCommandMetadata", "launchCommand", "showHUD"]);
    expect(getPreferenceValues().cookie).toBe("a=b");

    setPreferences({ weekStart: undefined });
    expect(getPreferenceValues().weekStart).toBe("monday");
  });

  it("rejects unknown preferences, wrong value types and dropdown values that are not options", () => {
    expect(() => setPreferences({ mimoConfigDir: "/x" })).toThrow('declares no preference "mimoConfigDir"');
    expect(() => setPreferences({ exportCodexBar: "yes" })).toThrow("takes a boolean");
    expect(() => setPreferences({ weekStart: "friday" })).toThrow('"friday" is not an option of "weekStart"');
  });

  it("rejects launches of commands the extension does not have", async () => {
    await expect(launchCommand({ name: "nope", type: LaunchType.Background })).rejects.toThrow('no command "nope"');
  });

  it("sets command, launch type and launch props", () => {
    setCommand("menu-bar");
    expect(environment).toMatchObject({ commandName: "menu-bar", commandMode: "menu-bar" });
    setEnvironment({ launchType: LaunchType.Background });
    expect(launchProps()).toEqual({ launchType: LaunchType.Background, arguments: {} });
    expect(() => setCommand("missing")).toThrow('no command "missing"');
    resetRaycastDouble();
    expect(environment).toMatchObject({ commandName: "", commandMode: "view", launchType: LaunchType.UserInitiated });
  });

  it("gives each test a temporary supportPath", () => {
    const supportPath = environment.supportPath;
    expect(fs.existsSync(supportPath)).toBe(true);
    expect(path.dirname(supportPath)).toBe(os.tmpdir());
    resetRaycastDouble();
    expect(fs.existsSync(supportPath)).toBe(false);
    expect(environment.supportPath).not.toBe(supportPath);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("toasts and @raycast/utils helpers", () => {
  it("tracks toast updates after they are shown", async () => {
    const toast = await RaycastApi.showToast({ style: Toast.Style.Animated, title: "Scanning" });
    toast.style = Toast.Style.Success;
    toast.title = "Scanned";
    await RaycastApi.showToast(Toast.Style.Failure, "Oops", "details");
    expect(toasts().map(({ style, title, message }) => ({ style, title, message }))).toEqual([
      { style: Toast.Style.Success, title: "Scanned", message: undefined },
      { style: Toast.Style.Failure, title: "Oops", message: "details" },
    ]);
    expect(callsTo("showToast")[0]).toEqual([{ style: Toast.Style.Animated, title: "Scanning" }]);
  });

  it("shows showFailureToast as a failure toast whose action copies the error in development", async () => {
    await showFailureToast(new Error("disk on fire"), { title: "Scan failed" });
    const [failure] = toasts();
    expect(failure).toMatchObject({ style: Toast.Style.Failure, title: "Scan failed", message: "disk on fire" });
    failure.primaryAction?.onAction(failure.toast as unknown as RaycastApi.Toast);
    expect(callsTo("Clipboard.copy")[0][0]).toContain("disk on fire");
    expect(toasts()[0].visible).toBe(false);
  });

  it("reports usePromise failures with a toast only for user-initiated launches", async () => {
    function Failing() {
      const { error } = usePromise(async () => {
        throw new Error("no transcripts");
      });
      return (
        <List>
          <List.EmptyView title={error ? `Error: ${error.message}` : "Loading"} />
        </List>
      );
    }
    const first = render(<Failing />);
    await waitFor(() => expect(query.emptyView()?.dataset.title).toBe("Error: no transcripts"));
    await waitFor(() => expect(toasts()).toHaveLength(1));
    first.unmount();

    resetRaycastDouble();
    setEnvironment({ launchType: LaunchType.Background });
    render(<Failing />);
    await waitFor(() => expect(query.emptyView()?.dataset.title).toBe("Error: no transcripts"));
    expect(toasts()).toEqual([]);
  });

  it("renders getProgressIcon", () => {
    expect(getProgressIcon(0.5, Color.Green)).toMatch(/^data:image\/svg\+xml,/);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("Cache", () => {
  it("shares data between instances of a namespace and notifies the writing instance's subscribers", () => {
    const writer = new Cache({ namespace: "usage" });
    const reader = new Cache({ namespace: "usage" });
    const heard = jest.fn();
    const unheard = jest.fn();
    const unsubscribe = writer.subscribe(heard);
    reader.subscribe(unheard);
    writer.set("today", "12");
    expect(reader.get("today")).toBe("12");
    expect(new Cache().get("today")).toBeUndefined();
    unsubscribe();
    writer.set("today", "13");
    expect(heard.mock.calls).toEqual([["today", "12"]]);
    expect(unheard).not.toHaveBeenCalled();
  });

  it("is emptied by resetRaycastDouble", () => {
    new Cache().set("k", "v");
    resetRaycastDouble();
    expect(new Cache().get("k")).toBeUndefined();
  });
});
