import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { LaunchType, Toast } from "@raycast/api";
import { addDays, localDate, systemTimeZone } from "../../src/core/views/calendar";
import { resetRaycastDouble, setCommand, setPreferences, toasts } from "../raycast/api-double";
import { writeCorpus, type CorpusSession } from "./report";

/**
 * A sandbox for running whole commands through `useUsage`/`loadReport`, which read the preferences, the home folder
 * (`~` expansion, CodexBar's export) and the system time zone: home and every folder live in one temp dir, and the
 * clock is frozen so "today" is known.
 */

/** Chosen so that the corpus's days read the same in every real time zone (see COMMAND_CORPUS). */
export const COMMAND_NOW = new Date("2026-11-25T12:30:00Z");

/** Fakes `Date` only: React, Testing Library's `waitFor` and the file system keep their real timers. */
export function freezeClock(now: Date = COMMAND_NOW): void {
  jest.useFakeTimers({
    now,
    doNotFake: [
      "hrtime",
      "nextTick",
      "performance",
      "queueMicrotask",
      "requestAnimationFrame",
      "cancelAnimationFrame",
      "requestIdleCallback",
      "cancelIdleCallback",
      "setImmediate",
      "clearImmediate",
      "setInterval",
      "clearInterval",
      "setTimeout",
      "clearTimeout",
    ],
  });
}

export interface CommandSandbox {
  dir: string;
  home: string;
  /** A fresh, empty folder inside the sandbox. */
  folder: (prefix: string) => string;
  restore: () => void;
}

/**
 * Points the home folder (`os.homedir()`, which src reads for `~`, and `HOME`) at a temp dir. Call in `beforeAll`
 * and `restore()` in `afterAll`: `node:os` is shared by every test file of the worker.
 */
export function sandboxHome(): CommandSandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mimo-command-test-"));
  const home = path.join(dir, "home");
  fs.mkdirSync(home);
  const realHome = process.env.HOME;
  process.env.HOME = home;
  const spy = jest.spyOn(os, "homedir").mockReturnValue(home);
  // The other clients' own overrides would point the scan at this machine's real data.
  const clientVariables = ["XDG_DATA_HOME", "OPENCODE_DB", "KILO_DB", "OPENCLAW_STATE_DIR", "CODEX_HOME"];
  const realClientVariables = clientVariables.map((name) => [name, process.env[name]] as const);
  for (const name of clientVariables) delete process.env[name];
  return {
    dir,
    home,
    folder: (prefix) => fs.mkdtempSync(path.join(dir, prefix)),
    restore: () => {
      spy.mockRestore();
      process.env.HOME = realHome;
      for (const [name, value] of realClientVariables) if (value !== undefined) process.env[name] = value;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Seen from `COMMAND_NOW` in any real time zone (UTC−12 to UTC+14, Monday weeks): the first two are today, the third
 * is this week but not today, the last is before this week.
 */
export const CORPUS_TIMES = {
  today: ["2026-11-25T12:10:00Z", "2026-11-25T12:20:00Z"],
  week: "2026-11-24T06:00:00Z",
  old: "2026-11-18T12:00:00Z",
} as const;

/**
 * Three sessions: "e2e-shop" today (470K), "e2e-api" earlier this week (1M) and "e2e-legacy" the week before (2M).
 * Today: 470K, week: 1.47M, lifetime: 3.47M. Written with `writeCorpus`.
 */
export const COMMAND_CORPUS: readonly CorpusSession[] = [
  {
    id: "e2e-shop",
    cwd: "/Users/me/shop",
    summary: "Checkout page",
    lines: [
      { ts: CORPUS_TIMES.today[0], input: 300_000, output: 50_000 },
      { ts: CORPUS_TIMES.today[1], input: 100_000, cacheRead: 20_000 },
    ],
  },
  { id: "e2e-api", cwd: "/Users/me/api", lines: [{ ts: CORPUS_TIMES.week, input: 1_000_000, model: "mimo-v2.5" }] },
  { id: "e2e-legacy", cwd: "/x/legacy", lines: [{ ts: CORPUS_TIMES.old, input: 2_000_000 }] },
];

/** The local date of an instant in the zone the commands use (the system's). */
export function localDay(at: string | Date): string {
  return localDate(typeof at === "string" ? Date.parse(at) : at.getTime(), systemTimeZone());
}

/** The section title the session list gives an instant's day, seen from `now`. */
export function daySectionTitle(at: string, now: Date = COMMAND_NOW): string {
  const today = localDay(now);
  const day = localDay(at);
  return day === today ? "Today" : day === addDays(today, -1) ? "Yesterday" : day;
}

export interface CommandTestContext {
  sandbox: CommandSandbox;
  /** A Claude config folder holding COMMAND_CORPUS's transcripts, fresh for each test. */
  corpus: string;
}

/**
 * The set-up every command test file shares: a sandboxed home, a fresh corpus and preferences pointing at it for
 * each test, a frozen clock, and after each test no React error and (unless allowed) no failure toast. Fields are filled in by the
 * hooks, so read them inside tests.
 */
export function useCommandTestContext(
  command: "menu-bar" | "sessions" | "history" | null,
  options: { failureToastsAllowed?: boolean } = {},
): CommandTestContext {
  const context = {} as CommandTestContext;
  let consoleErrors: jest.SpyInstance;
  beforeAll(() => {
    context.sandbox = sandboxHome();
  });
  afterAll(() => {
    context.sandbox.restore();
  });
  beforeEach(async () => {
    resetRaycastDouble();
    freezeClock();
    context.corpus = context.sandbox.folder("mimo-");
    await writeCorpus(context.corpus, COMMAND_CORPUS);
    // Every folder a command may read points into the sandbox; no cookie, so the platform is never asked.
    setPreferences({ mimoConfigDirs: context.corpus, sharedConfigDirs: "", exportCodexBar: false });
    if (command) setCommand(command, LaunchType.UserInitiated);
    consoleErrors = jest.spyOn(console, "error");
  });
  afterEach(() => {
    jest.useRealTimers();
    expect(consoleErrors).not.toHaveBeenCalled();
    consoleErrors.mockRestore();
    if (!options.failureToastsAllowed) {
      expect(toasts().filter((toast) => toast.style === Toast.Style.Failure)).toEqual([]);
    }
  });
  return context;
}
