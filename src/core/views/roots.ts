import type { Snapshot } from "./schema";

/**
 * Whether none of the configured folders holds transcripts (or none is configured): a set-up
 * problem, not a quiet day. Every screen that warns about it asks this one question.
 */
export function noConfigFolder(snapshot: Pick<Snapshot, "roots">): boolean {
  return snapshot.roots.every((root) => !root.exists);
}

/** The folders looked in, for a message that says where. */
export function configFolderList(snapshot: Pick<Snapshot, "roots">): string {
  return snapshot.roots.map((root) => root.path).join(", ") || "no folder (the folder preferences are empty)";
}
