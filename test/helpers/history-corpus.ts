import { promises as fs } from "node:fs";
import path from "node:path";
import type { UsageReport } from "../../src/core/chain/report-schema";
import { loadUsageReport } from "../../src/core/chain/report";
import { assistant, configFor, tempDir, writeTranscript } from "./transcripts";

/**
 * A month of MiMo use for the history tests, seen on 2026-11-25 12:00 UTC in UTC with Monday weeks:
 * - 2026-10-30: "c" in /p/alpha, 550 tokens;
 * - 2026-11-23 23:00 and 2026-11-24 01:00: "long" in /p/alpha across midnight, 1,100 then 2,500 (second
 *   message on mimo-v2.5);
 * - 2026-11-24: "b" in /p/beta, 10,300;
 * - 2026-11-25: "d" in /p/gamma on mimo-v2-flash, 4,400.
 */
export const HISTORY_NOW = new Date("2026-11-25T12:00:00Z");

export async function writeHistoryCorpus(root: string): Promise<void> {
  await writeTranscript(
    root,
    "long.jsonl",
    [
      assistant({
        id: "l1",
        req: "l1",
        session: "long",
        ts: "2026-11-23T23:00:00Z",
        input: 1000,
        output: 100,
        cwd: "/p/alpha",
      }),
      assistant({
        id: "l2",
        req: "l2",
        session: "long",
        ts: "2026-11-24T01:00:00Z",
        input: 2000,
        cacheRead: 500,
        model: "mimo-v2.5",
        cwd: "/p/alpha",
      }),
    ],
    { project: "-p-alpha" },
  );
  await writeTranscript(
    root,
    "b.jsonl",
    [
      assistant({
        id: "b1",
        req: "b1",
        session: "b",
        ts: "2026-11-24T10:00:00Z",
        input: 10_000,
        cacheWrite: 300,
        cwd: "/p/beta",
      }),
    ],
    { project: "-p-beta" },
  );
  await writeTranscript(
    root,
    "c.jsonl",
    [
      assistant({
        id: "c1",
        req: "c1",
        session: "c",
        ts: "2026-10-30T08:00:00Z",
        input: 500,
        output: 50,
        cwd: "/p/alpha",
      }),
    ],
    { project: "-p-alpha" },
  );
  await writeTranscript(
    root,
    "d.jsonl",
    [
      assistant({
        id: "d1",
        req: "d1",
        session: "d",
        ts: "2026-11-25T09:00:00Z",
        input: 4000,
        output: 400,
        model: "mimo-v2-flash",
        cwd: "/p/gamma",
      }),
    ],
    { project: "-p-gamma" },
  );
}

/** The corpus's report through the real source chain, without the platform. */
export async function historyReport(): Promise<{ report: UsageReport; cleanup: () => Promise<void> }> {
  const dir = await tempDir("mimo-history-");
  const root = path.join(dir, "mimo");
  await writeHistoryCorpus(root);
  const report = await loadUsageReport({
    engine: configFor([root], { statePath: path.join(dir, "support", "state.bin"), now: () => HISTORY_NOW }),
    supportPath: path.join(dir, "support"),
    cookie: "",
    refreshIntervalMs: 5 * 60 * 1000,
    now: () => HISTORY_NOW,
    platform: async () => ({ ok: false, error: { kind: "noCookie", message: "No platform cookie is set." } }),
  });
  return { report, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}
