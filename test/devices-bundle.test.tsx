/** @jest-environment ./test/raycast/environment.ts */
/**
 * Issue #22's "done when", on what ships: two devices simulated on one machine (two transcript trees,
 * two support/state folders, one sync folder). Device B is a server running the command-line scan
 * with --sync-folder; device A is a Mac running the built menu bar and the built get-usage tool with
 * the Sync Folder preference set.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { createElement, type ComponentType } from "react";
import { render, waitFor } from "@testing-library/react";
import { LaunchType } from "@raycast/api";
import { launchProps, resetRaycastDouble, setCommand, setEnvironment, setPreferences } from "./raycast/api-double";
import * as query from "./raycast/query";
import { builtCli } from "./helpers/cli-build";
import { builtExtension } from "./helpers/ray-build";
import { assistant, writeTranscript } from "./helpers/transcripts";

const run = promisify(execFile);
let workDir = "";
let buildDir = "";
let cli = "";
const realHome = process.env.HOME;
const nodeOs = jest.requireActual<typeof import("node:os")>("node:os");

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "mimo-devices-bundle-"));
  fs.mkdirSync(path.join(workDir, "home"));
  cli = await builtCli();
  buildDir = await builtExtension();
  process.env.HOME = path.join(workDir, "home");
  jest.spyOn(nodeOs, "homedir").mockReturnValue(path.join(workDir, "home"));
}, 240_000);

afterAll(() => {
  jest.restoreAllMocks();
  process.env.HOME = realHome;
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => resetRaycastDouble());

interface CliFigures {
  total: number;
  credits: number;
}
interface CliOutput {
  week: CliFigures;
  devices: { name: string; thisDevice: boolean; week: CliFigures }[];
  allDevices: { week: CliFigures };
}

it("B's command line publishes; A's menu bar shows both names and A's get-usage sums them exactly", async () => {
  const sync = path.join(workDir, "sync");
  fs.mkdirSync(sync);
  const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

  // Device B: a build server without Raycast.
  const mimoB = path.join(workDir, "b", "mimo");
  await writeTranscript(mimoB, "b.jsonl", [
    assistant({ id: "b1", req: "b1", session: "b", ts: minutesAgo(3), input: 500, output: 10 }),
  ]);
  const { stdout } = await run(
    process.execPath,
    [
      cli,
      ...["--root", mimoB, "--client", "claude-code", "--state", path.join(workDir, "b", "state", "state.bin")],
      ...["--sync-folder", sync, "--device-name", "build-server", "--json"],
    ],
    { env: { ...process.env, HOME: path.join(workDir, "b") }, timeout: 30_000 },
  );
  const b = JSON.parse(stdout) as CliOutput;
  expect(b.devices.map((d) => [d.name, d.thisDevice])).toEqual([["build-server", true]]);
  expect(b.week.total).toBe(510);
  expect(fs.readdirSync(path.join(sync, "devices"))).toHaveLength(1);

  // Device A: a Mac with the Sync Folder preference set.
  const mimoA = path.join(workDir, "a", "mimo");
  await writeTranscript(mimoA, "a.jsonl", [
    assistant({ id: "a1", req: "a1", session: "a", ts: minutesAgo(2), input: 2000, output: 20 }),
  ]);
  const supportA = path.join(workDir, "a", "support");
  fs.mkdirSync(supportA, { recursive: true });
  setPreferences({
    mimoConfigDirs: mimoA,
    sharedConfigDirs: "",
    exportCodexBar: false,
    cookie: "",
    otherClients: "none",
    syncFolder: sync,
    deviceName: "Studio",
  });
  setEnvironment({ supportPath: supportA, assetsPath: path.join(buildDir, "assets"), isDevelopment: false });

  setCommand("menu-bar", LaunchType.UserInitiated);
  const loaded = (await import(path.join(buildDir, "menu-bar.js"))) as {
    default: ComponentType<ReturnType<typeof launchProps>>;
  };
  const { unmount } = render(createElement(loaded.default, launchProps()));
  await waitFor(() => expect(query.isLoading(query.menuBarExtra())).toBe(false), { timeout: 20_000 });
  const devices = query.findAll("MenuBarExtra.Section").find((s) => query.titleOf(s) === "Devices");
  expect(devices).toBeDefined();
  expect(query.menuItems(devices).map((item) => query.titleOf(item))).toEqual(["Studio", "build-server"]);
  expect(query.propsOf(query.findMenuItem("build-server", devices)).subtitle).toMatch(
    /^today 510 · week 510 · updated/,
  );
  const week = query.findAll("MenuBarExtra.Section").find((s) => query.titleOf(s)?.startsWith("This Week"));
  expect(query.propsOf(query.findMenuItem("All devices", week)).subtitle).toMatch(/^2\.5K tokens/);
  unmount();

  const tool = (await import(path.join(buildDir, "tools", "get-usage.js"))) as {
    default: (input: Record<string, unknown>) => Promise<Record<string, unknown>>;
  };
  const answer = (await tool.default({ period: "this-week" })) as {
    totalTokens: number;
    credits: number;
    devices: { name: string; thisDevice: boolean; totalTokens: number; credits: number }[];
    allDevices: { totalTokens: number; credits: number };
  };
  expect(answer.totalTokens).toBe(2020);
  expect(answer.devices.map((d) => [d.name, d.thisDevice, d.totalTokens])).toEqual([
    ["Studio", true, 2020],
    ["build-server", false, b.week.total],
  ]);
  expect(answer.allDevices.totalTokens).toBe(answer.totalTokens + b.week.total);
  expect(answer.allDevices.credits).toBe(answer.credits + b.week.credits);
  expect(answer.devices[1].credits).toBe(b.week.credits);
}, 120_000);
