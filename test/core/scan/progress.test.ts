import { promises as fs } from "node:fs";
import { refreshUsage } from "../../../src/core/chain/local";
import type { ScanProgress } from "../../../src/core/scan/progress";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";

describe("scan progress", () => {
  let root: string;
  beforeAll(async () => {
    root = await tempDir("mimo-progress-");
    for (let i = 0; i < 5; i++) {
      await writeTranscript(root, `s${i}.jsonl`, [
        assistant({ id: `m${i}`, req: `r${i}`, ts: "2026-11-20T10:00:00Z" }),
      ]);
    }
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it("reports each file counted, in order, up to the files the refresh had to read", async () => {
    const seen: ScanProgress[] = [];
    const statePath = `${root}/state.bin`;
    const result = await refreshUsage(configFor([root], { statePath, onProgress: (p) => seen.push(p) }));
    expect(result.ok).toBe(true);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((filesRead) => ({ filesRead, filesTotal: 5 })));
    // Nothing new: nothing to read, nothing to report.
    seen.length = 0;
    await refreshUsage(configFor([root], { statePath, onProgress: (p) => seen.push(p) }));
    expect(seen).toEqual([]);
  });
});
