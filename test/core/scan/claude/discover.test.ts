import fg from "fast-glob";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { discoverFiles } from "../../../../src/core/scan/claude/discover";
import { fsPath } from "../../../../src/core/scan/claude/file-names";
import { loadListings, saveListings } from "../../../../src/core/scan/claude/listings";
import { tempDir } from "../../../helpers/transcripts";

// Discovery used to be `fast-glob` with these options; the hand-written walk must find the same
// files, so fast-glob stays here as the reference.
function globbed(projects: string): { path: string; id: string }[] {
  return fg
    .sync("**/*.jsonl", {
      cwd: projects,
      absolute: true,
      stats: true,
      onlyFiles: true,
      followSymbolicLinks: true,
      suppressErrors: true,
    })
    .map((e) => ({ path: e.path, id: `${e.stats?.dev}:${e.stats?.ino}` }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** What discovery keeps of a glob: the first path of every file, in path order. */
function firstOfEach(entries: { path: string; id: string }[]): string[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.id) && seen.add(e.id)).map((e) => e.path);
}

describe("discovery", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir("mimo-discovery-");
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function write(file: string, text = "{}\n"): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  }

  it("finds what fast-glob found, through links, past hidden and broken entries", async () => {
    const root = path.join(dir, "root");
    const projects = path.join(root, "projects");
    const outside = path.join(dir, "outside");
    await write(path.join(projects, "p1", "a.jsonl"));
    await write(path.join(projects, "p1", "s1", "subagents", "agent-1.jsonl"));
    await write(path.join(projects, "p1", "notes.txt"));
    await write(path.join(projects, "p1", "a.jsonl.bak"));
    await write(path.join(projects, "p1", "UPPER.JSONL"));
    await write(path.join(projects, "p1", ".hidden.jsonl"));
    await write(path.join(projects, ".hidden-dir", "x.jsonl"));
    await write(path.join(projects, "p2", "folder.jsonl", "inner.jsonl"));
    await write(path.join(projects, "p2", "with space & ü.jsonl"));
    await write(path.join(outside, "linked-dir", "b.jsonl"));
    await write(path.join(outside, "c.jsonl"));
    await fs.symlink(path.join(outside, "linked-dir"), path.join(projects, "p3"));
    await fs.symlink(path.join(outside, "c.jsonl"), path.join(projects, "p2", "link-to-c.jsonl"));
    await fs.symlink(path.join(projects, "p1"), path.join(projects, "p0-again"));
    await fs.symlink(path.join(dir, "missing.jsonl"), path.join(projects, "p2", "broken.jsonl"));
    await fs.symlink(path.join(dir, "missing-dir"), path.join(projects, "broken-dir"));
    execFileSync("mkfifo", [path.join(projects, "p2", "fifo.jsonl")]);

    const expected = firstOfEach(globbed(projects));
    const discovery = await discoverFiles([{ path: root, kind: "dedicated" }]);
    expect(discovery.files.map((f) => f.path)).toEqual(expected);
    expect(expected).toContain(path.join(projects, "p3", "b.jsonl"));
    expect(expected).toContain(path.join(projects, "p2", "link-to-c.jsonl"));
    expect(expected).toContain(path.join(projects, "p0-again", "a.jsonl"));
    expect(discovery.roots[0]).toMatchObject({ exists: true, files: expected.length });
  });

  it("does not follow a link back into the folder being walked", async () => {
    const root = path.join(dir, "cyclic");
    const projects = path.join(root, "projects");
    await write(path.join(projects, "p", "a.jsonl"));
    await fs.symlink(projects, path.join(projects, "p", "loop"));
    const discovery = await discoverFiles([{ path: root, kind: "dedicated" }]);
    expect(discovery.files.map((f) => f.path)).toEqual([path.join(projects, "p", "a.jsonl")]);
  });

  it("hands files over in path order, also where a folder's name starts a sibling's name", async () => {
    const root = path.join(dir, "ordered");
    const projects = path.join(root, "projects");
    // "-" and "." sort before the "/" that follows a folder's name, so "p-2.jsonl" comes before
    // "p/…" although the walk meets folder "p" first.
    for (const file of ["p/s/z.jsonl", "p/a.jsonl", "p-2.jsonl", "p.3/b.jsonl", "p0.jsonl", "o.jsonl"])
      await write(path.join(projects, ...file.split("/")));
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const folder of [projects, ...fg.sync("**", { cwd: projects, absolute: true, onlyDirectories: true })])
      await fs.utimes(folder, hourAgo, hourAgo);
    const expected = firstOfEach(globbed(projects));
    const roots = [{ path: root, kind: "dedicated" as const }];
    const fresh = await discoverFiles(roots, {});
    expect(fresh.files.map((f) => f.path)).toEqual(expected);
    // Listings kept in any entry order (as an older version kept them) give the same order.
    const shuffled = Object.fromEntries(
      Object.entries(fresh.listings).map(([folder, listing]) => [
        folder,
        { ...listing, entries: listing.entries.split("/").reverse().join("/") },
      ]),
    );
    const reused = await discoverFiles(roots, shuffled);
    expect(reused.listingsChanged).toBe(false);
    expect(reused.files.map((f) => f.path)).toEqual(expected);
  });

  describe("earlier listings", () => {
    const names = (d: { files: { path: string }[] }) => d.files.map((f) => path.basename(f.path));

    it("lists a folder again only when it changed, and never trusts a listing taken just after a change", async () => {
      const root = path.join(dir, "listed");
      const folder = path.join(root, "projects", "p");
      await write(path.join(folder, "a.jsonl"));
      const roots = [{ path: root, kind: "dedicated" as const }];

      // Listed right after a change: the folder's clock may not have ticked, so it is listed again.
      const first = await discoverFiles(roots, {});
      const { mtime } = await fs.stat(folder);
      await write(path.join(folder, "b.jsonl"));
      await fs.utimes(folder, mtime, mtime);
      const second = await discoverFiles(roots, first.listings);
      expect(names(second)).toEqual(["a.jsonl", "b.jsonl"]);

      // A folder still for a while is trusted while its mtime and inode stay the same...
      const hourAgo = new Date(Date.now() - 3600_000);
      await fs.utimes(folder, hourAgo, hourAgo);
      await fs.utimes(path.dirname(folder), hourAgo, hourAgo);
      const settled = await discoverFiles(roots, second.listings);
      expect(settled.listingsChanged).toBe(true);
      await write(path.join(folder, "c.jsonl"));
      await fs.utimes(folder, hourAgo, hourAgo);
      const cached = await discoverFiles(roots, settled.listings);
      expect(cached.listingsChanged).toBe(false);
      expect(names(cached)).toEqual(["a.jsonl", "b.jsonl"]);
      // ...and listed again as soon as it changes.
      await write(path.join(folder, "d.jsonl"));
      expect(names(await discoverFiles(roots, cached.listings))).toEqual(["a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"]);
    });

    it("keeps names that are not UTF-8 through the listings file", async () => {
      const root = path.join(dir, "bytes");
      const folder = Buffer.concat([Buffer.from(path.join(root, "projects", "caf")), Buffer.from([0xe9])]);
      const file = Buffer.concat([folder, Buffer.from("/s"), Buffer.from([0xff]), Buffer.from(".jsonl")]);
      await fs.mkdir(folder, { recursive: true });
      await fs.writeFile(file, "{}\n");
      const hourAgo = new Date(Date.now() - 3600_000);
      await fs.utimes(folder, hourAgo, hourAgo);
      await fs.utimes(path.join(root, "projects"), hourAgo, hourAgo);
      const roots = [{ path: root, kind: "dedicated" as const }];
      const first = await discoverFiles(roots, {});
      expect(first.files).toHaveLength(1);
      expect(fsPath(first.files[0].path)).toEqual(file);
      const saved = path.join(dir, "bytes.folders");
      await saveListings(saved, first.listings);
      const again = await discoverFiles(roots, await loadListings(saved));
      expect(again.listingsChanged).toBe(false);
      expect(again.files).toEqual(first.files);
    });

    it("sees a file grow without listing its folder again", async () => {
      const root = path.join(dir, "growing");
      const folder = path.join(root, "projects", "p");
      await write(path.join(folder, "a.jsonl"), "{}\n");
      const hourAgo = new Date(Date.now() - 3600_000);
      await fs.utimes(folder, hourAgo, hourAgo);
      await fs.utimes(path.dirname(folder), hourAgo, hourAgo);
      const roots = [{ path: root, kind: "dedicated" as const }];
      const first = await discoverFiles(roots, {});
      await fs.appendFile(path.join(folder, "a.jsonl"), "{}\n");
      const again = await discoverFiles(roots, first.listings);
      expect(again.listingsChanged).toBe(false);
      expect(again.files[0].size).toBe(6);
    });
  });
});
