import { locateCodex, type CodexSources } from "./codex/paths";
import { locateOpenClaw, type OpenClawSources } from "./openclaw/paths";
import { locateOpenCode, type OpenCodeSources } from "./opencode/paths";
import type { LocateContext } from "./paths";
import type { OtherClientName } from "./types";

/**
 * Every other client's place, found or not. Each client's default place and the environment
 * variable it honours to move it are in its own `paths.ts`.
 */

export type { LocateContext } from "./paths";

export type ClientSources = OpenCodeSources | OpenClawSources | CodexSources;

export interface ClientLocation {
  client: OtherClientName;
  path: string;
  found: boolean;
  sources: ClientSources;
}

/** Every other client, found or not, in a fixed order. */
export function locateClients(context: LocateContext): ClientLocation[] {
  const all: ClientSources[] = [
    locateOpenCode(context, "opencode"),
    locateOpenCode(context, "kilo"),
    locateOpenClaw(context),
    locateCodex(context),
  ];
  return all.map((sources) => ({ client: sources.client, path: sources.path, found: hasData(sources), sources }));
}

function hasData(sources: ClientSources): boolean {
  if ("legacyDir" in sources) return sources.databases.length > 0 || sources.legacyDir !== null;
  if (sources.client === "codex") return sources.logs.length > 0;
  return sources.logs.length > 0 || sources.databases.length > 0;
}
