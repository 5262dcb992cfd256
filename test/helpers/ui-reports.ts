import path from "node:path";
import type { PlatformResult, UsageReport } from "../../src/core/report";
import { loadUsageReport } from "../../src/core/sources";
import { PLATFORM, REPORT_NOW, type ReportFixture } from "./report";
import { configFor } from "./transcripts";

/**
 * Runs the real source chain again over a `makeReport` fixture's folders (same transcripts, scan state and support
 * folder), e.g. after deleting a transcript, with a broken model filter (so the cached snapshot stands in) or later.
 */
export async function rescan(
  fixture: ReportFixture,
  options: { now?: Date; modelFilter?: string; platform?: PlatformResult | null } = {},
): Promise<UsageReport> {
  const now = options.now ?? REPORT_NOW;
  const support = path.join(fixture.dir, "support");
  const platform = options.platform === undefined ? { ok: true as const, value: PLATFORM } : options.platform;
  return loadUsageReport({
    engine: configFor([path.join(fixture.dir, "mimo")], {
      statePath: path.join(support, "state.bin"),
      modelFilter: options.modelFilter ?? "mimo",
      now: () => now,
    }),
    supportPath: support,
    cookie: platform ? "api-platform_serviceToken=t; userId=1" : "",
    refreshIntervalMs: 5 * 60 * 1000,
    now: () => now,
    platform: async () => platform ?? { ok: false, error: { kind: "noCookie", message: "No platform cookie is set." } },
  });
}

/** `ms` after `at`, as a Date. */
export function later(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
