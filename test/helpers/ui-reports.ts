import { resetRaycastDouble } from "../raycast/api-double";
import { makeReport, type ReportFixture } from "./report";

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
