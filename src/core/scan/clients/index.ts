import * as z from "zod";
import { readCodex } from "./codex/reader";
import { CodexCursorSchema } from "./codex/schema";
import type { ClientLocation } from "./locate";
import { readOpenClaw } from "./openclaw/reader";
import { OpenClawCursorSchema } from "./openclaw/schema";
import { readOpenCode } from "./opencode/reader";
import { OpenCodeCursorSchema } from "./opencode/schema";
import type { SqliteOptions } from "./sqlite";
import type { ClientReadResult, OtherClientName } from "./types";

/**
 * One entry point for the engine: read one located client from where its cursor says. A cursor
 * that no longer parses (an older state file, another client's) is dropped and the client is read
 * from the start; the ledger's keys make that count nothing twice.
 */

export const ClientCursorsSchema = z
  .object({
    opencode: OpenCodeCursorSchema,
    kilo: OpenCodeCursorSchema,
    openclaw: OpenClawCursorSchema,
    codex: CodexCursorSchema,
  })
  .partial();
export type ClientCursors = z.infer<typeof ClientCursorsSchema>;

export interface ReadClientOptions {
  /** Epoch ms, for telling an unfinished OpenCode message from an abandoned one. */
  now: number;
  sqlite?: SqliteOptions;
}

export async function readClient(
  location: ClientLocation,
  cursors: ClientCursors,
  options: ReadClientOptions,
): Promise<ClientReadResult<ClientCursors[OtherClientName]>> {
  const { sources } = location;
  switch (sources.client) {
    case "opencode":
    case "kilo": {
      const cursor = OpenCodeCursorSchema.safeParse(cursors[sources.client]);
      return readOpenCode({ sources, cursor: cursor.success ? cursor.data : null, ...options });
    }
    case "openclaw": {
      const cursor = OpenClawCursorSchema.safeParse(cursors.openclaw);
      return readOpenClaw({ sources, cursor: cursor.success ? cursor.data : null, sqlite: options.sqlite });
    }
    case "codex": {
      const cursor = CodexCursorSchema.safeParse(cursors.codex);
      return readCodex({ sources, cursor: cursor.success ? cursor.data : null });
    }
  }
}

export { locateClients, type ClientLocation, type LocateContext } from "./locate";
export { isMimoRequest, mimoBasis, type MimoBasis } from "./mimo-rule";
export * from "./types";
