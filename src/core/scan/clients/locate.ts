import fs from "node:fs";
import path from "node:path";
import type { OtherClientName } from "./types";

/**
 * Where each client keeps its data: its default place and the environment variable the client
 * itself honours to move it. Home and environment are passed in, never read from the process, so a
 * test points every client at a temp dir.
 */

export interface LocateContext {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** OpenCode and Kilo: SQLite databases plus the JSON files from before the database. */
export interface OpenCodeSources {
  client: "opencode" | "kilo";
  /** The data folder shown to the user. */
  path: string;
  databases: string[];
  /** `storage/` with legacy `message/` and `part/` JSON, when present. */
  legacyDir: string | null;
}

export interface OpenClawSources {
  client: "openclaw";
  path: string;
  /** Session logs, archives (`.jsonl.reset.*`, `.jsonl.deleted.*`, compressed `….zst`) included. */
  logs: string[];
  /** Per-agent `openclaw-agent.sqlite` stores. */
  databases: string[];
}

export interface CodexSources {
  client: "codex";
  path: string;
  /** `rollout-*.jsonl` (or `.jsonl.zst`, compressed) below `sessions/` and `archived_sessions/`. */
  logs: string[];
  /** `config.toml`, which names each custom provider's base URL. */
  config: string | null;
}

export type ClientSources = OpenCodeSources | OpenClawSources | CodexSources;

export interface ClientLocation {
  client: OtherClientName;
  path: string;
  found: boolean;
  sources: ClientSources;
}

/** Every other client, found or not, in a fixed order. */
export function locateClients(context: LocateContext): ClientLocation[] {
  const all: ClientSources[] = [
    locateOpenCode(context, "opencode"),
    locateOpenCode(context, "kilo"),
    locateOpenClaw(context),
    locateCodex(context),
  ];
  return all.map((sources) => ({ client: sources.client, path: sources.path, found: hasData(sources), sources }));
}

function hasData(sources: ClientSources): boolean {
  if ("legacyDir" in sources) return sources.databases.length > 0 || sources.legacyDir !== null;
  if (sources.client === "codex") return sources.logs.length > 0;
  return sources.logs.length > 0 || sources.databases.length > 0;
}

function env(context: LocateContext, name: string): string | null {
  const value = context.env[name]?.trim();
  return value ? value : null;
}

/** `$XDG_DATA_HOME` when it is an absolute path, else `~/.local/share` (also on macOS, as both clients do). */
function dataHome(context: LocateContext): string {
  const xdg = env(context, "XDG_DATA_HOME");
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(context.home, ".local", "share");
}

const DB_ENV = { opencode: "OPENCODE_DB", kilo: "KILO_DB" } as const;

/**
 * `<data>/<name>/<name>.db` plus channel builds' `<name>-<channel>.db`; `OPENCODE_DB` / `KILO_DB`
 * name one file instead, a relative one inside the client's data folder, where the client itself
 * resolves it.
 */
export function locateOpenCode(context: LocateContext, client: "opencode" | "kilo"): OpenCodeSources {
  const dir = path.join(dataHome(context), client);
  const override = env(context, DB_ENV[client]);
  if (override) {
    const file = path.resolve(dir, override);
    return { client, path: file, databases: isFile(file) ? [file] : [], legacyDir: null };
  }
  const channel = new RegExp(`^${client}-[A-Za-z0-9_-]+\\.db$`);
  const databases = listDir(dir)
    .filter((name) => name === `${client}.db` || channel.test(name))
    .sort((a, b) => Number(b === `${client}.db`) - Number(a === `${client}.db`) || a.localeCompare(b))
    .map((name) => path.join(dir, name))
    .filter(isFile);
  const storage = path.join(dir, "storage");
  return { client, path: dir, databases, legacyDir: isDir(path.join(storage, "message")) ? storage : null };
}

/** `$OPENCLAW_STATE_DIR`, else `~/.openclaw`; `agents/<agent>/sessions/*.jsonl*` and `agents/<agent>/agent/openclaw-agent.sqlite`. */
export function locateOpenClaw(context: LocateContext): OpenClawSources {
  const root = env(context, "OPENCLAW_STATE_DIR") ?? path.join(context.home, ".openclaw");
  const agents = path.join(root, "agents");
  const logs: string[] = [];
  const databases: string[] = [];
  for (const agent of listDir(agents).sort()) {
    const sessions = path.join(agents, agent, "sessions");
    for (const name of listDir(sessions).sort()) {
      if (/\.jsonl(?:\.(?:reset|deleted)\.[^/]+)?$/.test(name)) logs.push(path.join(sessions, name));
    }
    const db = path.join(agents, agent, "agent", "openclaw-agent.sqlite");
    if (isFile(db)) databases.push(db);
  }
  return { client: "openclaw", path: root, logs: logs.filter(isFile), databases };
}

/** `$CODEX_HOME`, else `~/.codex`; rollouts below `sessions/` and `archived_sessions/`. */
export function locateCodex(context: LocateContext): CodexSources {
  const root = env(context, "CODEX_HOME") ?? path.join(context.home, ".codex");
  const logs: string[] = [];
  for (const dir of ["sessions", "archived_sessions"])
    walk(path.join(root, dir), logs, /^rollout-.*\.jsonl(?:\.zst)?$/);
  // While Codex compresses a rollout both may exist for a moment; Codex reads the plain one then.
  const plain = new Set(logs.filter((file) => file.endsWith(".jsonl")));
  const shown = logs.filter((file) => !file.endsWith(".zst") || !plain.has(file.slice(0, -".zst".length)));
  const config = path.join(root, "config.toml");
  return { client: "codex", path: root, logs: shown.sort(), config: isFile(config) ? config : null };
}

function walk(dir: string, out: string[], pattern: RegExp, depth = 0): void {
  // Codex nests rollouts as YYYY/MM/DD; a few levels more are tolerated, symlinks are not followed.
  if (depth > 6) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out, pattern, depth + 1);
    else if (entry.isFile() && pattern.test(entry.name)) out.push(full);
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
