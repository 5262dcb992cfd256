import path from "node:path";
import type { PlatformResult, UsageReport } from "../../src/core/chain/report-schema";
import { loadUsageReport } from "../../src/core/chain/report";
import { resetRaycastDouble } from "../raycast/api-double";
import { makeReport, PLATFORM, REPORT_NOW, type ReportFixture } from "./report";
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

export interface ReportFixtures {
  /** The default `makeReport()` fixture, made once per file. */
  base: ReportFixture;
  /** Makes another fixture, removed with the others after the file's tests. */
  fixture: (options?: Parameters<typeof makeReport>[0]) => Promise<ReportFixture>;
}

/**
 * The set-up the component tests share: report fixtures made through the real chain (cleaned up
 * after the file), a fresh Raycast double for each test, and no React error allowed (React reports
 * duplicate keys, invalid nesting and updates outside act through console.error). Read `base`
 * inside tests: it is filled in by a hook.
 */
export function useReportFixtures(): ReportFixtures {
  const made: ReportFixture[] = [];
  const fixtures = {
    fixture: async (options = {}) => {
      const fixture = await makeReport(options);
      made.push(fixture);
      return fixture;
    },
  } as ReportFixtures;
  let consoleErrors: jest.SpyInstance;
  beforeAll(async () => {
    fixtures.base = await fixtures.fixture();
  });
  afterAll(async () => {
    await Promise.all(made.map((fixture) => fixture.cleanup()));
  });
  beforeEach(() => {
    resetRaycastDouble();
    consoleErrors = jest.spyOn(console, "error");
  });
  afterEach(() => {
    expect(consoleErrors).not.toHaveBeenCalled();
    consoleErrors.mockRestore();
  });
  return fixtures;
}
