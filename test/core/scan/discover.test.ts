import fg from "fast-glob";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { discoverFiles } from "../../../src/core/scan/discover";
import { tempDir } from "../../helpers/transcripts";

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
});
