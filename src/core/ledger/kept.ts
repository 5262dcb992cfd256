import type { KeyColumns } from "./keys";
import { StateDamaged, UsageState, type UsageDelta } from "./state";
import type { LoadResult } from "./state-file";

/**
 * Usage kept from transcripts that are no longer there belongs to the folder it was found in, not to
 * one combination of settings. When the folders or the model filter change, the state is rebuilt
 * for the new settings: transcripts still on disk are read again from the start, and every kept
 * occurrence of the others is counted again if its folder is configured (and, in a shared folder,
 * its model matches the filter), or kept aside uncounted until it is. Nothing is thrown away, so
 * removing a folder and adding it back, or changing the filter and back, gives the same lifetime.
 */

export type FolderKind = "dedicated" | "shared";

/** The settings a state is counted for: which folders, of which kind, and the model filter. */
export class Scope {
  readonly configKey: string;
  private readonly kinds: Map<string, FolderKind>;

  constructor(
    roots: { path: string; kind: FolderKind }[],
    private readonly filter: RegExp,
    /** The other clients read (see scan/clients/read.ts): a change reads them again from the start. */
    clients?: unknown,
  ) {
    this.configKey = JSON.stringify(
      clients === undefined ? { roots, filter: filter.source } : { roots, filter: filter.source, clients },
    );
    this.kinds = new Map(roots.map((root) => [root.path, root.kind]));
  }

  /** Whether usage of `model` found under the folder `root` counts under these settings. */
  counts(root: string, model: string): boolean {
    const kind = this.kinds.get(root);
    return kind === "dedicated" || (kind === "shared" && this.filter.test(model));
  }

  has(root: string): boolean {
    return this.kinds.has(root);
  }

  /**
   * Whether lines a state saved under `configKey` skipped for their model in `root` might count
   * now: the folder is still configured, and the filter changed or the folder is no longer shared.
   */
  mightCountSkippedOf(configKey: string, root: string): boolean {
    const kind = this.kinds.get(root);
    if (!kind) return false;
    try {
      const before = JSON.parse(configKey) as { filter?: unknown };
      return before.filter !== this.filter.source || kind === "dedicated";
    } catch {
      return true;
    }
  }
}

export interface Rescoped {
  state: UsageState;
  /** What the user should know: usage the new settings do not count, or cannot bring back. */
  notes: string[];
}

/**
 * Builds the state for `scope` from a state saved under other settings. `present` holds the paths
 * discovery found now: those files start over and are read again, since their lines are on disk.
 */
export function rescope(old: UsageState, scope: Scope, present: Set<string>): Rescoped {
  old.loadKeys();
  const next = new UsageState(scope.configKey);
  const fileMap = new Int32Array(old.files.length).fill(-1);
  const usedFiles = new Uint8Array(old.files.length);
  markUsed(old.keys.cols, old.keys.size, usedFiles);
  markUsed(old.uncounted.cols, old.uncounted.size, usedFiles);
  let unrecoverable = 0;
  old.files.forEach((entry, i) => {
    if (present.has(entry.path)) return;
    // Lines a shared folder's filter skipped were never kept, so a new filter cannot count them.
    const skipped = entry.skipped.otherModel ?? 0;
    if (skipped > 0 && scope.mightCountSkippedOf(old.configKey, entry.root)) unrecoverable += skipped;
    if (usedFiles[i]) fileMap[i] = next.addFile({ ...entry, gone: true, tokens: 0, messages: 0 });
  });

  const move = new RowMover(old, next, fileMap, scope);
  move.all(old.keys.cols, old.keys.size);
  move.all(old.uncounted.cols, old.uncounted.size);

  const notes: string[] = [];
  if (move.filteredOut.messages > 0)
    notes.push(
      `${move.filteredOut.messages} responses kept from deleted transcripts do not match the model filter and are not counted; they count again if the filter matches them.`,
    );
  if (unrecoverable > 0)
    notes.push(
      `${unrecoverable} lines in deleted transcripts were skipped by an earlier model filter and cannot be checked against the current one.`,
    );
  return { state: next, notes };
}

function markUsed(cols: KeyColumns, size: number, used: Uint8Array): void {
  for (let row = 0; row < size; row++) used[cols.file[row]] = 1;
}

/** Copies rows of files that are not read again into the new state, counted or kept aside. */
class RowMover {
  readonly filteredOut = { messages: 0 };
  private readonly key = { hi: 0, lo: 0 };
  private readonly usage: UsageDelta = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  private readonly sessionMap = new Map<number, number>();

  constructor(
    private readonly old: UsageState,
    private readonly next: UsageState,
    private readonly fileMap: Int32Array,
    private readonly scope: Scope,
  ) {}

  all(cols: KeyColumns, size: number): void {
    for (let row = 0; row < size; row++) this.one(cols, row);
  }

  private one(cols: KeyColumns, row: number): void {
    const file = this.fileMap[cols.file[row]];
    if (file < 0) return;
    const oldCell = cols.cell[row];
    const model = this.old.models[this.old.cells.model[oldCell]];
    const session = this.session(this.old.cells.session[oldCell]);
    const cell = this.next.cellFor(this.old.cells.slot[oldCell], session, this.next.modelFor(model));
    this.key.hi = cols.hi[row];
    this.key.lo = cols.lo[row];
    this.usage.input = cols.input[row];
    this.usage.output = cols.output[row];
    this.usage.cacheRead = cols.cacheRead[row];
    this.usage.cacheWrite = cols.cacheWrite[row];
    const at = cols.at[row];
    const root = this.next.files[file].root;
    if (this.scope.counts(root, model)) {
      this.next.count(this.key, at, cell, file, this.usage);
      const meta = this.next.sessions[session];
      if (meta.firstAt === 0 || at < meta.firstAt) meta.firstAt = at;
      if (at > meta.lastAt) meta.lastAt = at;
    } else {
      this.next.keepUncounted(this.key, at, cell, file, this.usage);
      if (this.scope.has(root)) this.filteredOut.messages++;
    }
  }

  /** The session in the new state; its times are rebuilt from what is counted. */
  private session(oldIndex: number): number {
    let index = this.sessionMap.get(oldIndex);
    if (index === undefined) {
      const meta = this.old.sessions[oldIndex];
      index = this.next.sessionFor(meta.id);
      Object.assign(this.next.sessions[index], { cwd: meta.cwd, file: meta.file, summary: meta.summary });
      this.sessionMap.set(oldIndex, index);
    }
    return index;
  }
}

/**
 * The saved state for these settings: as saved when the settings are the same, rebuilt when they
 * changed (kept usage follows its folder, see rescope), or a fresh one. `rebuilt` says it differs
 * from the file and must be saved. `canSave` is false when the state path holds a file that is not
 * ours: it is then left exactly as it was. What the user should know is added to `warnings`.
 */
export function openState(
  loaded: LoadResult | null,
  scope: Scope,
  present: Set<string>,
  warnings: string[],
): { state: UsageState; canSave: boolean; rebuilt: boolean } {
  const fresh = (canSave: boolean) => ({ state: new UsageState(scope.configKey), canSave, rebuilt: false });
  if (!loaded) return fresh(false);
  // A state read from an older format is saved again in the current one even if nothing changed.
  if (loaded.ok && loaded.state.configKey === scope.configKey)
    return { state: loaded.state, canSave: true, rebuilt: loaded.upgraded };
  if (loaded.ok) {
    try {
      const rebuilt = rescope(loaded.state, scope, present);
      warnings.push(...rebuilt.notes);
      return { state: rebuilt.state, canSave: true, rebuilt: true };
    } catch (error) {
      if (!(error instanceof StateDamaged)) throw error;
      warnings.push(stateUnusable(error.message));
      return fresh(true);
    }
  }
  if (loaded.reason === "refused") {
    warnings.push(
      `The scan state file was left as it was because it is not ours (${loaded.message}); this refresh read all transcripts and saved no state.`,
    );
    return fresh(false);
  }
  if (loaded.reason === "corrupt" || loaded.reason === "version") warnings.push(stateUnusable(loaded.message));
  return fresh(true);
}

/** The warning for a saved state that could not be used, whatever was wrong with it. */
export function stateUnusable(why: string): string {
  return `Saved scan state could not be used (${why}); everything was scanned again.`;
}
