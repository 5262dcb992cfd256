import { promises as fs } from "node:fs";
import path from "node:path";
import { discoverFiles } from "../../../../src/core/scan/claude/discover";
import { loadListings, saveListings } from "../../../../src/core/scan/claude/listings";
import { tempDir } from "../../../helpers/transcripts";

describe("folder listings file", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir("mimo-listings-");
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function listed(): Promise<string> {
    const root = path.join(dir, "root");
    const project = path.join(root, "projects", "p");
    await fs.mkdir(path.join(project, "s1", "subagents"), { recursive: true });
    await fs.writeFile(path.join(project, "s1.jsonl"), "{}\n");
    await fs.writeFile(path.join(project, "s1", "subagents", "agent-1.jsonl"), "{}\n");
    await fs.rm(path.join(project, "link.jsonl"), { force: true });
    await fs.symlink(path.join(project, "s1.jsonl"), path.join(project, "link.jsonl"));
    const discovery = await discoverFiles([{ path: root, kind: "dedicated" }], {});
    const file = path.join(dir, "state.folders");
    await saveListings(file, discovery.listings);
    expect(await loadListings(file)).toEqual(discovery.listings);
    expect(discovery.listings[project].entries).toBe("llink.jsonl/ds1/fs1.jsonl");
    return file;
  }

  it("keeps every folder's entries as they were listed", async () => {
    await listed();
  });

  it("is not reused when a line or an entry is damaged", async () => {
    const file = await listed();
    const lines = (await fs.readFile(file, "utf8")).trimEnd().split("\n");
    const damage = async (line: number, edit: (fields: unknown[]) => unknown[]) => {
      const copy = [...lines];
      copy[line] = JSON.stringify(edit(JSON.parse(copy[line]) as unknown[]));
      await fs.writeFile(file, `${copy.join("\n")}\n`);
      return loadListings(file);
    };
    const last = lines.length - 1;
    expect(Object.keys(await damage(last, (f) => f))).toHaveLength(last);
    for (const entries of ["xname", "d", "dname//fa.jsonl", "/dname", "dname/", 7])
      expect(await damage(last, ([folder, mtime, ino, at]) => [folder, mtime, ino, at, entries])).toEqual({});
    expect(await damage(last, ([folder, mtime, ino]) => [folder, mtime, ino, "soon", "dname"])).toEqual({});
    // No entries at all is a folder with nothing of interest in it.
    expect(Object.keys(await damage(last, ([folder, mtime, ino, at]) => [folder, mtime, ino, at, ""]))).toHaveLength(
      last,
    );
  });
});
