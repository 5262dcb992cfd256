import { promises as fs } from "node:fs";
import path from "node:path";
import { wantsEarlyWorker } from "../../src/cli/early-start";
import { tempDir } from "../helpers/transcripts";

describe("the command line's early scan worker", () => {
  let dir: string;
  let saved: string;
  beforeAll(async () => {
    dir = await tempDir("mimo-early-");
    saved = path.join(dir, "state");
    await fs.writeFile(saved, "a state");
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("starts for a scan without state, or with a state still to be made", () => {
    expect(wantsEarlyWorker(["--root", dir, "--json"], {})).toBe(true);
    expect(wantsEarlyWorker(["--root", dir, "--state", path.join(dir, "new")], {})).toBe(true);
    expect(wantsEarlyWorker([`--state=${path.join(dir, "new")}`], {})).toBe(true);
    expect(wantsEarlyWorker(["--state"], {})).toBe(true);
  });

  it("waits when a saved state exists, in either spelling of the option", () => {
    expect(wantsEarlyWorker(["--root", dir, "--state", saved, "--json"], {})).toBe(false);
    expect(wantsEarlyWorker([`--state=${saved}`], {})).toBe(false);
  });

  it("takes the last --state, as the option parser does, and starts when that path cannot be looked at", () => {
    expect(wantsEarlyWorker(["--state", saved, "--state", path.join(dir, "new")], {})).toBe(true);
    expect(wantsEarlyWorker(["--state", path.join(dir, "new"), "--state", saved], {})).toBe(false);
    // A name too long for the file system: stat fails with ENAMETOOLONG rather than "not found".
    expect(wantsEarlyWorker(["--state", path.join(dir, "x".repeat(5000))], {})).toBe(true);
  });

  it("never starts when turned off", () => {
    expect(wantsEarlyWorker(["--json"], { MIMO_SCAN_EARLY_WORKER: "0" })).toBe(false);
  });
});
