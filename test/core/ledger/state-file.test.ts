import fsSync, { promises as fs } from "node:fs";
import path from "node:path";
import { refreshUsage } from "../../../src/core/chain/local";
import { StateDamaged } from "../../../src/core/ledger/state";
import { loadState } from "../../../src/core/ledger/state-file";
import { assistant, configFor, tempDir, writeTranscript } from "../../helpers/transcripts";

/**
 * A loaded state reads its key section from the file only when a refresh has something to count.
 * The file it reads must be the one it loaded, whatever happened at the path since, and it must not
 * stay open once the refresh is done.
 */

let dir: string;
let root: string;
let statePath: string;

beforeEach(async () => {
  dir = await tempDir("mimo-state-file-");
  root = path.join(dir, "mimo");
  statePath = path.join(dir, "support", "usage-state.bin");
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

async function refresh(): Promise<void> {
  const result = await refreshUsage(configFor([root], { statePath }));
  if (!result.ok) throw new Error(result.error);
}

const line = (n: number) =>
  assistant({ id: `m${n}`, req: `r${n}`, session: `s${n}`, ts: "2026-11-25T10:00:00Z", input: n });

describe("the key section of a loaded state", () => {
  it("comes from the file that was loaded, even after a newer state replaced it at its path", async () => {
    await writeTranscript(root, "a.jsonl", [line(1)]);
    await refresh();
    const loaded = await loadState(statePath);
    if (!loaded.ok) throw new Error(loaded.message);

    await writeTranscript(root, "b.jsonl", [line(2), line(3)]);
    await refresh();
    const newer = await loadState(statePath);
    if (!newer.ok) throw new Error(newer.message);

    expect(loaded.state.keys.size).toBe(1);
    expect(newer.state.keys.size).toBe(3);
  });

  it("is checked when it is read, and stays refused after", async () => {
    await writeTranscript(root, "a.jsonl", [line(1)]);
    await refresh();
    const bytes = await fs.readFile(statePath);
    bytes[bytes.length - 9] ^= 0xff;
    await fs.writeFile(statePath, bytes);
    const loaded = await loadState(statePath);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(() => loaded.state.loadKeys()).toThrow(StateDamaged);
    expect(() => loaded.state.keys).toThrow(StateDamaged);
  });

  const fdDir = "/proc/self/fd";
  // Linux lists a process's open files there; CI runs on Linux.
  (fsSync.existsSync(fdDir) ? it : it.skip)(
    "leaves no file open after refreshes that read nothing or something",
    async () => {
      await writeTranscript(root, "a.jsonl", [line(1)]);
      await refresh();
      const before = fsSync.readdirSync(fdDir).length;
      for (let i = 0; i < 5; i++) await refresh();
      await writeTranscript(root, "b.jsonl", [line(2)]);
      await refresh();
      expect(fsSync.readdirSync(fdDir).length).toBe(before);
    },
  );
});

describe("a released state", () => {
  it("refuses to read its keys instead of reading whatever file got the descriptor since", async () => {
    await writeTranscript(root, "a.jsonl", [line(1)]);
    await refresh();
    const big = path.join(dir, "big.bin");
    await fs.writeFile(big, Buffer.alloc(1 << 20, 1));
    const loaded = await loadState(statePath);
    if (!loaded.ok) throw new Error(loaded.message);
    loaded.state.release();
    // Whatever opens next may get the descriptor's number, here a file a read would succeed on.
    const other = fsSync.openSync(big, "r");
    try {
      expect(() => loaded.state.loadKeys()).toThrow(StateDamaged);
      expect(() => loaded.state.packedKeys()).toThrow(StateDamaged);
    } finally {
      fsSync.closeSync(other);
    }
  });
});
