/** @jest-environment jsdom */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { useState } from "react";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import {
  getProgressIcon,
  showFailureToast,
  useCachedPromise,
  useCachedState,
  useLocalStorage,
  usePromise,
} from "@raycast/utils";
import * as RaycastApi from "@raycast/api";
import {
  Action,
  ActionPanel,
  Cache,
  Clipboard,
  Color,
  Detail,
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
  useNavigation,
} from "@raycast/api";
import {
  callsTo,
  formatShortcut,
  launchProps,
  raycastCalls,
  resetRaycastDouble,
  setCommand,
  setConfirmAlertAnswer,
  setLaunchType,
  setPreferences,
  toasts,
} from "./api-double";
import * as query from "./query";

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

beforeEach(() => {
  resetRaycastDouble();
});

describe("module surface", () => {
  it("provides at runtime every @raycast/api export that @raycast/utils uses", () => {
    // From node_modules/@raycast/utils/dist/main.js (AI and OAuth are only touched by hooks this extension does not use).
    const usedByUtils = [
      "Action",
      "ActionPanel",
      "Cache",
      "Clipboard",
      "Color",
      "Icon",
      "LaunchType",
      "List",
      "LocalStorage",
      "MenuBarExtra",
      "Toast",
      "environment",
      "open",
      "showToast",
    ];
    const exported = new Set(Object.keys(RaycastApi));
    expect(usedByUtils.filter((name) => !exported.has(name))).toEqual([]);
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
    expect(query.findByTitle("MenuBarExtra.Section", "Today")).toBeTruthy();
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

function SessionActions({ session, onRefresh }: { session: Session; onRefresh: () => void }) {
  return (
    <ActionPanel title={session.title}>
      <Action.Push title="Show Transcript" target={<Transcript session={session} />} />
      <Action.CopyToClipboard title="Copy Title" content={session.title} shortcut={Keyboard.Shortcut.Common.Copy} />
      <ActionPanel.Section title="More">
        <Action
          title="Refresh"
          icon={Icon.ArrowClockwise}
          shortcut={Keyboard.Shortcut.Common.Refresh}
          onAction={onRefresh}
        />
      </ActionPanel.Section>
    </ActionPanel>
  );
}

function Transcript({ session }: { session: Session }) {
  const { pop } = useNavigation();
  return (
    <Detail
      navigationTitle={session.title}
      markdown={`# ${session.title}`}
      actions={
        <ActionPanel>
          <Action title="Back" onAction={pop} />
        </ActionPanel>
      }
    />
  );
}

function SessionsList({ onSelectionChange }: { onSelectionChange?: (id: string | null) => void }) {
  const [project, setProject] = useState<string>();
  const { data, isLoading, revalidate } = useCachedPromise(loadSessions, [project ?? "all"], { execute: !!project });
  return (
    <List
      isLoading={isLoading}
      isShowingDetail
      searchBarPlaceholder="Search sessions"
      onSelectionChange={onSelectionChange}
      searchBarAccessory={
        <List.Dropdown tooltip="Project" onChange={setProject}>
          <List.Dropdown.Item title="All Projects" value="all" />
          <List.Dropdown.Section title="Projects">
            <List.Dropdown.Item title="MiMo" value="mimo" />
            <List.Dropdown.Item title="Docs" value="docs" />
          </List.Dropdown.Section>
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
                    <List.Item.Detail.Metadata.TagList title="Project">
                      <List.Item.Detail.Metadata.TagList.Item text={session.project} color={Color.Blue} />
                    </List.Item.Detail.Metadata.TagList>
                    <List.Item.Detail.Metadata.Link title="Docs" target="https://example.com/mimo" text="MiMo" />
                  </List.Item.Detail.Metadata>
                }
              />
            }
            actions={<SessionActions session={session} onRefresh={revalidate} />}
          />
        ))}
      </List.Section>
    </List>
  );
}

async function renderLoadedSessions(onSelectionChange?: (id: string | null) => void) {
  const view = render(<SessionsList onSelectionChange={onSelectionChange} />);
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
      { title: "MiMo", value: "mimo", section: "Projects" },
      { title: "Docs", value: "docs", section: "Projects" },
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

  it("selects the first item, shows only the selected item's detail and reports selection changes", async () => {
    const onSelectionChange = jest.fn();
    await renderLoadedSessions(onSelectionChange);
    const first = query.findListItem("Refactor parser");
    expect(query.selectedItem()).toBe(first);
    expect(onSelectionChange).toHaveBeenLastCalledWith("s1");
    const detail = query.detailOf(first);
    expect(detail && query.markdownOf(detail)).toBe("## Refactor parser");
    expect(query.detailOf(query.findListItem("Write docs"))).toBeNull();

    query.selectItem(query.findListItem("Write docs"));
    expect(onSelectionChange).toHaveBeenLastCalledWith("s2");
    const secondDetail = query.detailOf(query.findListItem("Write docs"));
    if (!secondDetail) throw new Error("detail missing");
    expect(query.metadataLabels(secondDetail)).toEqual([{ title: "Tokens", text: "300" }]);
    expect(query.findAll("Metadata.TagList.Item", secondDetail).map((tag) => tag.dataset.text)).toEqual(["docs"]);

    fireEvent.click(screen.getByText("MiMo", { selector: "a" }));
    expect(callsTo("open")).toEqual([["https://example.com/mimo"]]);

    // Filtering the selected item away moves the selection to the first remaining one.
    query.typeSearch("fix");
    expect(onSelectionChange).toHaveBeenLastCalledWith("s3");
    query.typeSearch("zzz");
    expect(onSelectionChange).toHaveBeenLastCalledWith(null);
  });

  it("runs actions: copy, push and pop, revalidate", async () => {
    await renderLoadedSessions();
    const item = query.findListItem("Write docs");
    expect(query.actionsOf(item).map((action) => query.titleOf(action))).toEqual([
      "Show Transcript",
      "Copy Title",
      "Refresh",
    ]);
    expect(query.titleOf(query.primaryAction(item))).toBe("Show Transcript");
    expect(query.shortcutKeys(query.findAction(item, "Copy Title"))).toBe("cmd+shift+c");

    query.runAction(item, "Copy Title");
    expect(callsTo("Clipboard.copy")).toEqual([["Write docs"]]);
    await expect(Clipboard.readText()).resolves.toBe("Write docs");

    query.runAction(item, "Show Transcript");
    // The pushed view replaces the list, which stays mounted underneath (hidden) like in Raycast.
    expect(query.findAll("List")).toEqual([]);
    const transcript = query.findOnly("Detail");
    expect(query.propsOf(transcript)).toMatchObject({ navigationTitle: "Write docs", markdown: "# Write docs" });
    query.runAction(transcript, "Back");
    expect(query.findAll("Detail")).toEqual([]);
    expect(query.listItems()).toHaveLength(3);

    sessionsGate = deferred<void>();
    query.runAction(query.findListItem("Write docs"), "Refresh");
    await waitFor(() => expect(query.isLoading(query.list())).toBe(true));
    await act(async () => sessionsGate.resolve());
    await waitFor(() => expect(query.isLoading(query.list())).toBe(false));
  });

  it("leaves filtering to the command when it handles onSearchTextChange", () => {
    const seen: string[] = [];
    function Searching() {
      const [text, setText] = useState("");
      return (
        <List
          searchText={text}
          onSearchTextChange={(next) => {
            seen.push(next);
            setText(next);
          }}
        >
          <List.Item title="Alpha" />
          <List.Item title="Beta" />
        </List>
      );
    }
    render(<Searching />);
    query.typeSearch("alp");
    expect(seen).toEqual(["alp"]);
    expect(query.searchBar().value).toBe("alp");
    expect(query.propsOf(query.list())).toMatchObject({ filtering: false, searchText: "alp" });
    expect(query.listItems()).toHaveLength(2);
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
    setLaunchType(LaunchType.Background);
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

  it("answers confirmAlert as told and runs the chosen action", async () => {
    const primary = jest.fn();
    const dismiss = jest.fn();
    const options = {
      title: "Reset?",
      primaryAction: { title: "Reset", onAction: primary },
      dismissAction: { title: "Keep", onAction: dismiss },
    };
    await expect(RaycastApi.confirmAlert(options)).resolves.toBe(true);
    setConfirmAlertAnswer(false);
    await expect(RaycastApi.confirmAlert(options)).resolves.toBe(false);
    expect(primary).toHaveBeenCalledTimes(1);
    expect(dismiss).toHaveBeenCalledTimes(1);
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
      return <Detail markdown={error ? `Error: ${error.message}` : "Loading"} />;
    }
    const first = render(<Failing />);
    await waitFor(() => expect(query.markdownOf(query.findOnly("Detail"))).toBe("Error: no transcripts"));
    await waitFor(() => expect(toasts()).toHaveLength(1));
    first.unmount();

    resetRaycastDouble();
    setLaunchType(LaunchType.Background);
    render(<Failing />);
    await waitFor(() => expect(query.markdownOf(query.findOnly("Detail"))).toBe("Error: no transcripts"));
    expect(toasts()).toEqual([]);
  });

  it("persists useCachedState and useLocalStorage values", async () => {
    function Counter() {
      const [count, setCount] = useCachedState("count", 0);
      const { value, setValue, isLoading } = useLocalStorage<string>("note", "none");
      return (
        <List>
          <List.Item
            title={`Count ${count}`}
            subtitle={isLoading ? "loading" : value}
            actions={
              <ActionPanel>
                <Action title="Increment" onAction={() => setCount((previous) => previous + 1)} />
                <Action title="Save Note" onAction={() => void setValue("saved")} />
              </ActionPanel>
            }
          />
        </List>
      );
    }
    const first = render(<Counter />);
    query.runAction(query.listItems()[0], "Increment");
    query.runAction(query.listItems()[0], "Save Note");
    await waitFor(() => expect(query.propsOf(query.listItems()[0]).subtitle).toBe("saved"));
    expect(query.titleOf(query.listItems()[0])).toBe("Count 1");
    first.unmount();

    render(<Counter />);
    expect(query.titleOf(query.listItems()[0])).toBe("Count 1");
    await waitFor(() => expect(query.propsOf(query.listItems()[0]).subtitle).toBe("saved"));
    await expect(RaycastApi.LocalStorage.allItems()).resolves.toEqual({ note: '"saved"' });
  });

  it("renders getProgressIcon", () => {
    expect(getProgressIcon(0.5, Color.Green)).toMatch(/^data:image\/svg\+xml,/);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe("Cache", () => {
  it("shares data between instances of a namespace and notifies its own subscribers", () => {
    const writer = new Cache({ namespace: "usage" });
    const subscriber = jest.fn();
    const unsubscribe = writer.subscribe(subscriber);
    writer.set("today", "12");
    expect(new Cache({ namespace: "usage" }).get("today")).toBe("12");
    expect(new Cache().has("today")).toBe(false);
    expect(writer.remove("today")).toBe(true);
    writer.set("a", "1");
    writer.clear({ notifySubscribers: false });
    unsubscribe();
    writer.set("b", "2");
    expect(subscriber.mock.calls).toEqual([
      ["today", "12"],
      ["today", undefined],
      ["a", "1"],
    ]);
    expect(writer.isEmpty).toBe(false);
  });

  it("evicts the least recently used entries beyond its capacity", () => {
    const cache = new Cache({ namespace: "small", capacity: 4 });
    cache.set("a", "11");
    cache.set("b", "22");
    cache.get("a");
    cache.set("c", "33");
    expect([cache.has("a"), cache.has("b"), cache.has("c")]).toEqual([true, false, true]);
  });

  it("is emptied by resetRaycastDouble", () => {
    new Cache().set("k", "v");
    resetRaycastDouble();
    expect(new Cache().get("k")).toBeUndefined();
  });
});
