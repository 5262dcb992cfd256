import os from "node:os";
import path from "node:path";
import { isValidTimeZone, systemTimeZone } from "./views/calendar";
import type { EngineConfig } from "./chain/local";
import { OTHER_CLIENT_NAMES, type OtherClientName } from "./scan/clients/names";
import type { RootConfig } from "./scan/discover";
import type { WeekStart } from "./views/schema";

/**
 * Turns what a person configures (comma-separated folders with `~`, a model filter, a week start)
 * into an engine configuration. Shared by the Raycast commands, the CLI and the AI tools, with the
 * home and support folders injected so tests never touch the real ones.
 */

export const DEFAULT_MIMO_DIR = "~/.claude-envs/mimo/.claude";
export const DEFAULT_MODEL_FILTER = "mimo";
export const STATE_FILE = "usage-state.bin";
export const LAST_SNAPSHOT_FILE = "last-snapshot.json";
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

export function rootsFrom(settings: UserSettings, home: string): RootConfig[] {
  return rootsOf(
    splitFolders(settings.mimoConfigDirs ?? DEFAULT_MIMO_DIR),
    splitFolders(settings.sharedConfigDirs),
    home,
  );
}

export function engineConfigFrom(settings: UserSettings, env: Environment): EngineConfig {
  const timeZone = settings.timeZone && isValidTimeZone(settings.timeZone) ? settings.timeZone : systemTimeZone();
  return {
    roots: rootsFrom(settings, env.home),
    modelFilter: settings.modelFilter?.trim() || DEFAULT_MODEL_FILTER,
    timeZone,
    weekStart: settings.weekStart === "sunday" ? "sunday" : "monday",
    statePath: env.supportPath ? path.join(env.supportPath, STATE_FILE) : null,
    clients: { home: env.home, env: env.env ?? {}, enabled: otherClientsFrom(settings.otherClients).clients },
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
  const names = splitFolders(list).map((name) => name.toLowerCase().replace(/\s+/g, ""));
  if (names.length === 0) return { clients: "found", unknown: [] };
  const known = (name: string): name is OtherClientName => (OTHER_CLIENT_NAMES as string[]).includes(name);
  const clients = [...new Set(names.filter(known))];
  return { clients, unknown: names.filter((name) => !known(name) && name !== "none") };
}

export type FilterCheck = { ok: true; filter: RegExp } | { ok: false; message: string };

/** Longer than any sensible filter of model names; a longer one is a paste gone wrong. */
const MAX_FILTER_LENGTH = 200;

/**
 * The model filter as a case-insensitive RegExp, or why it cannot be used. Besides syntax errors,
 * a pattern that repeats a group which itself repeats or alternates (`(a+)+`, `(a|ab)*`) is
 * refused: on a non-matching name such patterns can backtrack for minutes, and the filter runs on
 * every line of a shared folder.
 */
export function compileModelFilter(pattern: string): FilterCheck {
  const source = pattern.trim() || DEFAULT_MODEL_FILTER;
  const quoted = `"${source.length > 60 ? `${source.slice(0, 60)}…` : source}"`;
  if (source.length > MAX_FILTER_LENGTH)
    return { ok: false, message: `The model filter ${quoted} is longer than ${MAX_FILTER_LENGTH} characters.` };
  let filter: RegExp;
  try {
    filter = new RegExp(source, "i");
  } catch {
    return { ok: false, message: `The model filter ${quoted} is not a valid regular expression.` };
  }
  if (hasNestedRepetition(source))
    return {
      ok: false,
      message: `The model filter ${quoted} repeats a group that itself repeats or has alternatives (like "(a+)+"), which can make matching hang; write it without that nesting, such as "mimo".`,
    };
  return { ok: true, filter };
}

/**
 * True when a quantifier that repeats (`*`, `+`, `{n,}`, `{n,m}` with m > 1) applies to a group
 * containing a repeating quantifier or an alternation: the shapes behind catastrophic
 * backtracking. Escapes and character classes are skipped; the pattern already compiled.
 */
function hasNestedRepetition(source: string): boolean {
  const groups: { repeats: boolean }[] = [{ repeats: false }];
  let lastGroup: { repeats: boolean } | null = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const repeat = repeatingQuantifierAt(source, i);
    if (repeat > 0) {
      if (lastGroup?.repeats) return true;
      groups[groups.length - 1].repeats = true;
      i += repeat - 1;
      lastGroup = null;
      continue;
    }
    lastGroup = null;
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(source, i);
    else if (c === "(") groups.push({ repeats: false });
    else if (c === "|") groups[groups.length - 1].repeats = true;
    else if (c === ")" && groups.length > 1) {
      lastGroup = groups.pop() as { repeats: boolean };
      if (lastGroup.repeats) groups[groups.length - 1].repeats = true;
    }
  }
  return false;
}

/** The length of a repeating quantifier starting at `i` (with a lazy `?`), or 0. */
function repeatingQuantifierAt(source: string, i: number): number {
  const c = source[i];
  let length = 0;
  if (c === "*" || c === "+") length = 1;
  else if (c === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (match && match[2] !== undefined && (match[3] === "" || Number(match[3]) > 1)) length = match[0].length;
    else if (match && Number(match[1]) > 1) length = match[0].length;
  }
  if (length > 0 && source[i + length] === "?") length++;
  return length;
}

function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === "]") return i;
  }
  return source.length;
}

export function defaultHome(): string {
  return os.homedir();
}
