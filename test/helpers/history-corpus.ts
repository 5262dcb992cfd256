import type { Snapshot } from "../../src/core/views/schema";
import { makeReport, type CorpusSession } from "./report";

/**
 * A month of MiMo use for the history tests, seen on 2026-11-25 12:00 UTC in UTC with Monday weeks:
 * - 2026-10-30: "c" in /p/alpha, 550 tokens;
 * - 2026-11-23 23:00 and 2026-11-24 01:00: "long" in /p/alpha across midnight, 1,100 then 2,500 (second
 *   message on mimo-v2.5);
 * - 2026-11-24: "b" in /p/beta, 10,300;
 * - 2026-11-25: "d" in /p/gamma on mimo-v2-flash, 4,400.
 * Build its report with `makeReport({ corpus: HISTORY_CORPUS, now: HISTORY_NOW, platform: null })`.
 */
export const HISTORY_NOW = new Date("2026-11-25T12:00:00Z");

export const HISTORY_CORPUS: readonly CorpusSession[] = [
  {
    id: "long",
    cwd: "/p/alpha",
    lines: [
      { ts: "2026-11-23T23:00:00Z", input: 1000, output: 100 },
      { ts: "2026-11-24T01:00:00Z", input: 2000, cacheRead: 500, model: "mimo-v2.5" },
    ],
  },
  { id: "b", cwd: "/p/beta", lines: [{ ts: "2026-11-24T10:00:00Z", input: 10_000, cacheWrite: 300 }] },
  { id: "c", cwd: "/p/alpha", lines: [{ ts: "2026-10-30T08:00:00Z", input: 500, output: 50 }] },
  {
    id: "d",
    cwd: "/p/gamma",
    lines: [{ ts: "2026-11-25T09:00:00Z", input: 4000, output: 400, model: "mimo-v2-flash" }],
  },
];

/**
 * Scans HISTORY_CORPUS once for the test file that calls this (in its top scope) and removes it
 * afterwards; the returned function gives the snapshot inside tests.
 */
export function useHistorySnapshot(): () => Snapshot {
  let snapshot: Snapshot | null = null;
  let cleanup: (() => Promise<void>) | null = null;
  beforeAll(async () => {
    const made = await makeReport({ corpus: HISTORY_CORPUS, now: HISTORY_NOW, platform: null });
    cleanup = made.cleanup;
    if (!made.report.local) throw new Error("the corpus did not scan");
    snapshot = made.report.local.snapshot;
  });
  afterAll(() => cleanup?.());
  return () => {
    if (!snapshot) throw new Error("the history corpus is scanned in beforeAll");
    return snapshot;
  };
}
