import { promises as fs } from "node:fs";
import path from "node:path";
import { generateCorpus } from "../../../bench/corpus";
import { refreshUsage, type EngineConfig } from "../../../src/core/chain/local";
import type { ParallelOptions } from "../../../src/core/scan/pool";
import { SCAN_WORKER_SOURCE } from "../../../src/core/scan/worker-source";
import type { Snapshot } from "../../../src/core/views/schema";
import { assistant, configFor, tempDir, user, writeTranscript } from "../../helpers/transcripts";

/**
 * Reading on worker threads must change nothing but the time taken: the same snapshot and the same
 * saved state, byte for byte, as reading everything on the main thread, also when a worker fails.
 */

let dir: string;
let dedicated: string;
let shared: string;
let workerSource: string;

beforeAll(async () => {
  dir = await tempDir("mimo-parallel-");
  dedicated = path.join(dir, "dedicated");
  shared = path.join(dir, "shared");
  // The worker as shipped (embedded text; test/core/scan/embedded.test.ts holds it to its sources).
  workerSource = SCAN_WORKER_SOURCE;
  await generateCorpus({ dir: dedicated, targetBytes: 4 * 1024 * 1024, seed: 7, days: 9 });
  const binary = Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x75, 0x73, 0x61, 0x67, 0x65, 0x22, 0x3a, 0x00, 0x7d]);
  const odd = await writeTranscript(
    dedicated,
    "odd.jsonl",
    [
      '{"type":"summary","summary":"Odd lines","leafUuid":"x"}',
      "not json",
      `${assistant({ id: "crlf", req: "crlf", session: "odd", ts: "2026-11-20T10:00:00Z", input: 3 })}\r`,
      '{"type":"assistant","broken": "usage":}',
      user("2026-11-20T10:00:01Z", "x".repeat(3 * 1024 * 1024)),
      assistant({ id: "big", req: "big", ts: "2026-11-20T10:00:02Z", output: 9, text: "y".repeat(2 * 1024 * 1024) }),
    ],
    { project: "-odd" },
  );
  await fs.appendFile(odd, Buffer.concat([binary, Buffer.from("\n"), Buffer.from(assistant({ ts: "2026-11-21" }))]));
  await writeTranscript(shared, "mixed.jsonl", [
    assistant({ id: "a", req: "a", ts: "2026-11-20T10:00:00Z", model: "claude-sonnet", input: 100 }),
    assistant({ id: "b", req: "b", ts: "2026-11-20T10:00:00Z", model: "mimo-v2.5", input: 5 }),
    assistant({ id: "c", req: "c", ts: "2026-11-20T11:00:00Z", model: "<synthetic>", input: 1 }),
  ]);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sequential: ParallelOptions = { workerSource: null, minBytes: 0, maxWorkers: 0 };

function config(parallel: ParallelOptions, statePath: string | null = null): EngineConfig {
  return configFor([dedicated, { path: shared, kind: "shared" }], { parallel, statePath });
}

async function scan(cfg: EngineConfig): Promise<Snapshot> {
  const result = await refreshUsage(cfg);
  if (!result.ok) throw new Error(result.error);
  return result.snapshot;
}

/** Everything but the time it took. */
function comparable(snapshot: Snapshot): unknown {
  return { ...snapshot, stats: { ...snapshot.stats, durationMs: 0 } };
}

describe("parallel reading", () => {
  let expected: unknown;
  beforeAll(async () => {
    expected = comparable(await scan(config(sequential)));
  });

  it("reads the corpus it is compared on: many files, odd lines, a filtered shared root", () => {
    const s = expected as Snapshot;
    expect(s.stats.filesRead).toBeGreaterThan(20);
    expect(s.stats.skipped).toMatchObject({ malformed: 2, invalidUtf8: 1, otherModel: 1, synthetic: 1 });
    expect(s.sessions.some((session) => session.summary === "Odd lines")).toBe(true);
  });

  it.each([1, 3])("gives the same snapshot with %i worker(s)", async (maxWorkers) => {
    const snapshot = await scan(config({ workerSource, minBytes: 0, maxWorkers }));
    expect(comparable(snapshot)).toEqual(expected);
  });

  it("saves the same state, byte for byte", async () => {
    const one = path.join(dir, "sequential.state");
    const two = path.join(dir, "parallel.state");
    // The state keeps when its files were last checked in full, by the system clock.
    const clock = jest.spyOn(Date, "now").mockReturnValue(Date.now());
    try {
      await scan(config(sequential, one));
      await scan(config({ workerSource, minBytes: 0, maxWorkers: 2 }, two));
    } finally {
      clock.mockRestore();
    }
    expect(await fs.readFile(two)).toEqual(await fs.readFile(one));
  });

  it("reads on the main thread what a worker that cannot start would have read", async () => {
    const snapshot = await scan(
      config({ workerSource: "throw new Error('no worker today')", minBytes: 0, maxWorkers: 1 }),
    );
    expect(comparable(snapshot)).toEqual(expected);
  });

  it("reads again a file a worker claimed before it died", async () => {
    const dying = `
      const { parentPort } = require("node:worker_threads");
      parentPort.on("message", ({ claims }) => {
        Atomics.add(new Int32Array(claims), 0, 3);
        process.exit(1);
      });`;
    const snapshot = await scan(config({ workerSource: dying, minBytes: 0, maxWorkers: 1 }));
    expect(comparable(snapshot)).toEqual(expected);
  });

  it("stays on the main thread for reads below the threshold", async () => {
    const snapshot = await scan(config({ workerSource: "throw new Error('not used')", minBytes: 1e12, maxWorkers: 1 }));
    expect(comparable(snapshot)).toEqual(expected);
  });
});
