import os from "node:os";
import path from "node:path";
import { isValidTimeZone, systemTimeZone } from "./views/calendar";
import type { EngineConfig } from "./engine";
import { OTHER_CLIENT_NAMES, type OtherClientName } from "./scan/clients/names";
import type { RootConfig } from "./scan/claude/discover";
import type { WeekStart } from "./views/schema";
import { DEFAULT_MODEL_FILTER } from "./scan/model-filter";

export { DEFAULT_MODEL_FILTER };

/**
 * Turns what a person configures (comma-separated folders with `~`, a model filter, a week start)
 * into an engine configuration. Shared by the Raycast commands, the CLI and the AI tools, with the
 * home and support folders injected so tests never touch the real ones.
 */

export const DEFAULT_MIMO_DIR = "~/.claude-envs/mimo/.claude";
export const STATE_FILE = "usage-state.bin";
export const LAST_SNAPSHOT_FILE = "last-snapshot.json";
/** The menu bar's last good snapshot, which holds no sessions (see chain/report.ts). */
export const LAST_MENU_SNAPSHOT_FILE = "last-menu-snapshot.json";
export const LAST_PLATFORM_FILE = "last-platform.json";
export const CODEXBAR_EXPORT = "~/.codexbar/mimo-local-usage.json";

export interface UserSettings {
  mimoConfigDirs?: string;
  sharedConfigDirs?: string;
  modelFilter?: string;
  weekStart?: WeekStart;
  timeZone?: string;
  /** Other clients to read, comma-separated; empty reads every one found, "none" reads none. */
  otherClients?: string;
}

export interface Environment {
  home: string;
  /** Raycast's support folder (or the CLI's choice): where state and the last snapshot live. */
  supportPath: string | null;
  /** Environment variables the other clients' own overrides are read from (CODEX_HOME, …). */
  env?: Readonly<Record<string, string | undefined>>;
}

export function expandHome(dir: string, home: string): string {
  if (dir === "~") return home;
  if (dir.startsWith("~/")) return path.join(home, dir.slice(2));
  return dir;
}

export function splitFolders(list: string | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * The roots to scan, from folders as typed (with `~`). A folder named twice is scanned once, as
 * dedicated if it is named so anywhere: everything in it is MiMo.
 */
export function rootsOf(dedicated: string[], shared: string[], home: string): RootConfig[] {
  const resolve = (dir: string) => path.resolve(expandHome(dir, home));
  const roots: RootConfig[] = [
    ...dedicated.map((dir) => ({ path: resolve(dir), kind: "dedicated" as const })),
    ...shared.map((dir) => ({ path: resolve(dir), kind: "shared" as const })),
  ];
  return roots.filter((root, i) => roots.findIndex((other) => other.path === root.path) === i);
}

export function engineConfigFrom(settings: UserSettings, env: Environment): EngineConfig {
  return engineConfigOf({
    dedicated: splitFolders(settings.mimoConfigDirs ?? DEFAULT_MIMO_DIR),
    shared: splitFolders(settings.sharedConfigDirs),
    modelFilter: settings.modelFilter?.trim() || DEFAULT_MODEL_FILTER,
    timeZone: settings.timeZone && isValidTimeZone(settings.timeZone) ? settings.timeZone : systemTimeZone(),
    weekStart: settings.weekStart === "sunday" ? "sunday" : "monday",
    statePath: env.supportPath ? path.join(env.supportPath, STATE_FILE) : null,
    home: env.home,
    env: env.env ?? {},
    clients: otherClientsFrom(settings.otherClients).clients,
  });
}

/**
 * What a refresh is asked once each choice is made: the extension's preferences (engineConfigFrom)
 * and the command line's flags (cli/scan.ts) each check their own input, then both end here.
 */
export interface EngineChoices {
  /** Folders as typed, with `~`. */
  dedicated: string[];
  shared: string[];
  /** False reads no Claude Code folder at all (the command line's --client without claude-code). */
  claudeCode?: boolean;
  modelFilter: string;
  timeZone: string;
  weekStart: WeekStart;
  statePath: string | null;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  clients: OtherClientName[] | "found";
  now?: () => Date;
}

export function engineConfigOf(choices: EngineChoices): EngineConfig {
  const { home, env, clients, now } = choices;
  return {
    roots: choices.claudeCode === false ? [] : rootsOf(choices.dedicated, choices.shared, home),
    modelFilter: choices.modelFilter,
    timeZone: choices.timeZone,
    weekStart: choices.weekStart,
    statePath: choices.statePath,
    clients: { home, env, enabled: clients },
    ...(now ? { now } : {}),
  };
}

/**
 * The other clients to read, from a comma-separated list as typed ("OpenCode, codex"): empty means
 * every client found, "none" means none. Names it does not know are returned so a caller can say so.
 */
export function otherClientsFrom(list: string | undefined): {
  clients: OtherClientName[] | "found";
  unknown: string[];
} {
  const typed = splitFolders(list);
  if (typed.length === 0) return { clients: "found", unknown: [] };
  const { names, unknown } = clientNamesOf(typed, [...OTHER_CLIENT_NAMES, "none"]);
  return { clients: names.filter((name): name is OtherClientName => name !== "none"), unknown };
}

/**
 * Client names as typed, the one reading for preferences and --client alike: case and spaces do not
 * count ("Open Code" is "opencode"). The known ones once each in the order typed, and the rest.
 */
export function clientNamesOf<T extends string>(
  typed: string[],
  known: readonly T[],
): { names: T[]; unknown: string[] } {
  const normalized = typed.map((name) => name.toLowerCase().replace(/\s+/g, ""));
  const isKnown = (name: string): name is T => (known as readonly string[]).includes(name);
  return { names: [...new Set(normalized.filter(isKnown))], unknown: normalized.filter((name) => !isKnown(name)) };
}

/**
 * Says which typed client names are not known, and the nearest known one when a name looks like a
 * typo of it ("opencod"); null when every name is known.
 */
export function unknownClientsMessage(unknown: string[], known: readonly string[]): string | null {
  if (unknown.length === 0) return null;
  const names = quoteUnknownNames(unknown, known);
  const subject = unknown.length === 1 ? `${names} is not a client` : `${names} are not clients`;
  return `${subject} MiMo Usage knows, so nothing is read for ${unknown.length === 1 ? "it" : "them"}; the known names are ${known.join(", ")}.`;
}

/** `"opencod" (did you mean "opencode"?), "cline"`: each name quoted, with a likely meant one. */
export function quoteUnknownNames(unknown: string[], known: readonly string[]): string {
  return unknown
    .map((name) => {
      const near = nearestName(name, known);
      return near ? `"${name}" (did you mean "${near}"?)` : `"${name}"`;
    })
    .join(", ");
}

/** The known name within two edits of `name` (the closest, the first on a tie), or null. */
function nearestName(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

export function defaultHome(): string {
  return os.homedir();
}
