import { spawnSync } from "node:child_process";
import path from "node:path";
import type { OtherClientName } from "../../src/core/scan/clients/types";

/**
 * Runs ccusage 20.0.24 (the pinned dev dependency) on one client's data, offline, with HOME and
 * every data-dir variable pointing into a temp dir: never at the real home.
 */

export interface CcusageDay {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** ccusage's own total, which includes OpenCode's reasoning tokens where its output column does not. */
  total: number;
}

const cli = path.join(path.dirname(require.resolve("ccusage/package.json")), "src", "cli.js");

function record(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object") throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

function count(value: unknown): number {
  if (typeof value !== "number") throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return value;
}

/** Per-day buckets from `ccusage <client> daily --json --offline`, with the client's data under `home`. */
export function ccusageClientDaily(
  client: OtherClientName,
  home: string,
  timeZone = "UTC",
): Record<string, CcusageDay> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_CONFIG_HOME: path.join(home, ".config"),
    CODEX_HOME: path.join(home, ".codex"),
    OPENCLAW_DIR: path.join(home, ".openclaw"),
    CLAUDE_CONFIG_DIR: path.join(home, ".claude"),
    NO_COLOR: "1",
  };
  const run = spawnSync(process.execPath, [cli, client, "daily", "--json", "--offline", "--timezone", timeZone], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`ccusage ${client} failed (${run.status}): ${run.stderr}`);
  const daily = record(JSON.parse(run.stdout)).daily;
  if (!Array.isArray(daily)) throw new Error("ccusage JSON has no daily array");
  const out: Record<string, CcusageDay> = {};
  for (const raw of daily) {
    const day = record(raw);
    out[String(day.date)] = {
      input: count(day.inputTokens),
      output: count(day.outputTokens),
      cacheRead: count(day.cacheReadTokens),
      cacheWrite: count(day.cacheCreationTokens),
      total: count(day.totalTokens),
    };
  }
  return out;
}
