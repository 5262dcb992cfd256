import { spawnSync } from "node:child_process";
import path from "node:path";

/** Runs ccusage 20.0.24 (the pinned dev dependency, native binary) on a corpus, offline, with a throwaway HOME. */

export interface DayBuckets {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const ccusageCli = path.join(path.dirname(require.resolve("ccusage/package.json")), "src", "cli.js");

function field(value: unknown, name: string): unknown {
  if (!value || typeof value !== "object") throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return (value as Record<string, unknown>)[name];
}

function count(value: unknown): number {
  if (typeof value !== "number") throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return value;
}

/** ccusage's per-day token buckets, keyed by local date. */
export function ccusageDaily(corpus: string, home: string, timeZone: string): Record<string, DayBuckets> {
  const run = spawnSync(
    process.execPath,
    [ccusageCli, "claude", "daily", "--json", "--offline", "--timezone", timeZone],
    {
      env: { PATH: process.env.PATH ?? "", HOME: home, CLAUDE_CONFIG_DIR: corpus, NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  if (run.status !== 0) throw new Error(`ccusage failed (${run.status}): ${run.stderr}`);
  const daily = field(JSON.parse(run.stdout), "daily");
  if (!Array.isArray(daily)) throw new Error("ccusage JSON has no daily array");
  const out: Record<string, DayBuckets> = {};
  for (const day of daily) {
    out[String(field(day, "date"))] = {
      input: count(field(day, "inputTokens")),
      output: count(field(day, "outputTokens")),
      cacheRead: count(field(day, "cacheReadTokens")),
      cacheWrite: count(field(day, "cacheCreationTokens")),
    };
  }
  return out;
}
