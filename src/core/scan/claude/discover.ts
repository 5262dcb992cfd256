import fsSync from "node:fs";
import path from "node:path";
import type { RootKind, RootReport } from "../../types";
import { isErrno } from "../../io";
import { fsPath, mayHaveLostBytes, nameFromBytes } from "./file-names";

/**
 * Finding transcript files. Reading them is read-file.ts: line by line, without ever holding a whole
 * file, since files reach hundreds of megabytes and the heap budget is a few dozen.
 */

export interface RootConfig {
  path: string;
  kind: RootKind;
}

export interface DiscoveredFile {
  path: string;
  /** The configured folder it was found under. */
  root: string;
  kind: RootKind;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface Discovery {
  files: DiscoveredFile[];
  /**
   * Paths that reach a file of `files` again (a hard link, a symbolic link): the file is read once,
   * under its path in `files`, but these are not gone.
   */
  aliases: DiscoveredFile[];
  roots: RootReport[];
  /** Folders below the roots that could not be listed (permissions, I/O errors). */
  unreadableFolders: number;
  /** The listings to keep for the next discovery, and whether any differs from the ones given. */
  listings: FolderListings;
  listingsChanged: boolean;
}

/**
 * What a folder held when it was last listed: its mtime and inode then, and its entries that
 * matter (sub-folders "d…", transcripts "f…", links "l…"). A folder's mtime changes whenever an
 * entry is added, removed or renamed in it, so an unchanged folder need not be listed again: a
 * stat costs a fraction of a listing, and a refresh with nothing new is mostly this walk.
 */
export interface FolderListing {
  mtimeMs: number;
  ino: number;
  /** When the listing was taken; see LISTING_SETTLE_MS. */
  listedAt: number;
  /**
   * The entries joined by "/" (which no name holds), sorted by name. Kept joined, as the listings
   * file holds them: a refresh walks every listing, and splitting each into strings of its own made
   * thousands of strings a refresh only reads once.
   */
  entries: string;
}

export const ENTRY_SEPARATOR = "/";
export type FolderListings = Record<string, FolderListing>;

/**
 * File system clocks tick coarsely: an entry added in the same tick as the listing leaves the
 * mtime unchanged. A listing is trusted only if the folder had been still for this long when it
 * was taken (the "racy" check git makes on its index).
 */
const LISTING_SETTLE_MS = 2000;

/**
 * Globs `projects/**\/*.jsonl` below every root. A file reached twice (a symlink, a hard link, a
 * folder inside another configured folder) is kept once, under its first path, and a dedicated root
 * wins over a shared one so nothing is filtered that should not be. Within one root, a path that
 * `readBefore` says read this very file before keeps it: the other path is a link made since, and
 * reading the file under it would count its lines without ids a second time.
 */
export async function discoverFiles(
  roots: RootConfig[],
  previous: FolderListings | null = null,
  readBefore?: (file: DiscoveredFile) => boolean,
): Promise<Discovery> {
  const walker = new Walker(previous);
  const ordered = [...roots].sort((a, b) => Number(a.kind === "shared") - Number(b.kind === "shared"));
  const seen = new FileIdentities();
  const files: DiscoveredFile[] = [];
  const aliases: DiscoveredFile[] = [];
  const reports = new Map<RootConfig, RootReport>();
  let unreadableFolders = 0;
  for (const root of ordered) {
    const projects = path.join(root.path, "projects");
    const exists = await isDirectory(projects);
    const report: RootReport = { path: root.path, kind: root.kind, exists, files: 0 };
    reports.set(root, report);
    if (!exists) continue;
    const { found, unreadable } = walker.findTranscripts(projects, root);
    unreadableFolders += unreadable;
    for (const file of inPathOrder(found)) {
      const first = seen.indexOf(file.dev, file.ino, files.length);
      if (first < 0) {
        report.files++;
        files.push(file);
        continue;
      }
      const kept = files[first];
      if (readBefore && kept.root === file.root && readBefore(file) && !readBefore(kept)) {
        files[first] = file;
        aliases.push(kept);
      } else {
        aliases.push(file);
      }
    }
  }
  return {
    files,
    aliases,
    roots: roots.map((root) => reports.get(root) as RootReport),
    unreadableFolders,
    listings: walker.listings,
    listingsChanged: walker.changed,
  };
}

/**
 * Files in the order of their paths. Listings keep their entries sorted by name, so the walk
 * mostly yields that order already and one pass over the paths confirms it; names that sort apart
 * from their paths (a "-" or "." sorts before the "/" that ends a folder's name) take a real sort.
 */
function inPathOrder(found: DiscoveredFile[]): DiscoveredFile[] {
  for (let i = 1; i < found.length; i++) {
    if (found[i - 1].path > found[i].path) return found.sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  return found;
}

/** Files seen so far, by device and inode: a file reached twice (links) is kept once. */
class FileIdentities {
  private readonly byDevice = new Map<number, Map<number, number>>();

  /** Where the file was kept when it was seen before, or -1 after noting it is kept at `index`. */
  indexOf(dev: number, ino: number, index: number): number {
    let inodes = this.byDevice.get(dev);
    if (!inodes) this.byDevice.set(dev, (inodes = new Map()));
    const kept = inodes.get(ino);
    if (kept !== undefined) return kept;
    inodes.set(ino, index);
    return -1;
  }
}

/**
 * Lists `**\/*.jsonl` below a folder with the rules fast-glob applied here before (dot: false,
 * followSymbolicLinks): hidden files and folders are left out, symbolic links are followed, and
 * broken links are passed over. A folder that cannot be listed is passed over too, but counted, so
 * the scan can say so. A plain synchronous walk takes a quarter of fast-glob's time and spares
 * loading it. Unlike fast-glob, a link back to a folder being walked is not followed, so a cycle
 * cannot recurse without end. With earlier listings (see FolderListing), unchanged folders are
 * only stat'ed.
 */
class Walker {
  readonly listings: FolderListings = {};
  changed = false;
  private unreadable = 0;

  constructor(private readonly previous: FolderListings | null) {}

  /** The transcripts below `projects`, as files of `root`. */
  findTranscripts(projects: string, root: RootConfig): { found: DiscoveredFile[]; unreadable: number } {
    const found: DiscoveredFile[] = [];
    this.unreadable = 0;
    const real = realPathOrNull(projects);
    if (real) this.walk(path.resolve(projects), real, { root, found });
    return { found, unreadable: this.unreadable };
  }

  // `real` is the folder's path with links resolved; a linked folder whose target contains the
  // folder being walked would loop. Plain folders need no stat of their own: only files and links do.
  private walk(dir: string, real: string, into: { root: RootConfig; found: DiscoveredFile[] }): void {
    const entries = this.list(dir);
    if (entries === null) return;
    for (let at = 0; at < entries.length;) {
      let end = entries.indexOf(ENTRY_SEPARATOR, at);
      if (end < 0) end = entries.length;
      const kind = entries[at];
      const name = entries.slice(at + 1, end);
      at = end + 1;
      const full = `${dir}${path.sep}${name}`;
      if (kind === "d") {
        this.walk(full, `${real}${path.sep}${name}`, into);
        continue;
      }
      const stats = statOrNull(full);
      if (!stats) continue;
      if (stats.isDirectory()) {
        const target = realPathOrNull(full);
        if (target && real !== target && !real.startsWith(`${target}${path.sep}`)) this.walk(full, target, into);
      } else if (stats.isFile() && name.endsWith(".jsonl")) {
        // Only the numbers are kept: no Stats object outlives its stat.
        const { dev, ino, size, mtimeMs, ctimeMs } = stats;
        into.found.push({ path: full, root: into.root.path, kind: into.root.kind, dev, ino, size, mtimeMs, ctimeMs });
      }
    }
  }

  /** The entries of a folder that matter, from its earlier listing when it has not changed since. */
  private list(dir: string): string | null {
    let folder: fsSync.Stats | null = null;
    if (this.previous) {
      folder = statOrNull(dir);
      const earlier = this.previous[dir];
      if (
        folder &&
        earlier &&
        earlier.mtimeMs === folder.mtimeMs &&
        earlier.ino === folder.ino &&
        earlier.listedAt - folder.mtimeMs > LISTING_SETTLE_MS
      ) {
        this.listings[dir] = earlier;
        return earlier.entries;
      }
    }
    const listedAt = Date.now();
    const entries: string[] = [];
    let lossy = false;
    try {
      for (const entry of fsSync.readdirSync(fsPath(dir), { withFileTypes: true })) {
        // Such a name is taken from the bytes below (see file-names.ts).
        if (mayHaveLostBytes(entry.name)) lossy = true;
        else addEntry(entries, entry, entry.name);
      }
      if (lossy) {
        for (const entry of fsSync.readdirSync(fsPath(dir), { withFileTypes: true, encoding: "buffer" })) {
          const name = nameFromBytes(entry.name);
          if (mayHaveLostBytes(entry.name.toString("utf8"))) addEntry(entries, entry, name);
        }
      }
    } catch (error) {
      // A folder removed while being walked is simply gone; anything else hides transcripts.
      if (!isErrno(error, "ENOENT")) this.unreadable++;
      return null;
    }
    // By name, so walks come out in path order (see inPathOrder).
    const joined = entries.sort((a, b) => (a.slice(1) < b.slice(1) ? -1 : 1)).join(ENTRY_SEPARATOR);
    if (folder) {
      this.listings[dir] = { mtimeMs: folder.mtimeMs, ino: folder.ino, listedAt, entries: joined };
      this.changed = true;
    }
    return joined;
  }
}

/** Keeps the entries that matter; `name` is the entry's name as a string (see file-names.ts). */
function addEntry(entries: string[], entry: fsSync.Dirent<string> | fsSync.Dirent<Buffer>, name: string): void {
  if (name.startsWith(".")) return;
  if (entry.isDirectory()) entries.push(`d${name}`);
  else if (entry.isSymbolicLink()) entries.push(`l${name}`);
  else if (entry.isFile() && name.endsWith(".jsonl")) entries.push(`f${name}`);
}

function realPathOrNull(file: string): string | null {
  try {
    const target = fsPath(file);
    if (typeof target === "string") return fsSync.realpathSync.native(target);
    return nameFromBytes(fsSync.realpathSync.native(target, { encoding: "buffer" }));
  } catch {
    return null;
  }
}

const STAT_OPTIONS = { throwIfNoEntry: false } as const;

/** Follows links; null for a broken link or an entry gone or unreadable since it was listed. */
function statOrNull(file: string): fsSync.Stats | null {
  try {
    return fsSync.statSync(fsPath(file), STAT_OPTIONS) ?? null;
  } catch {
    return null;
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return fsSync.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
