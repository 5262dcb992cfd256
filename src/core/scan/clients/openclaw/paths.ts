import path from "node:path";
import { env, isFile, listDir, type LocateContext } from "../paths";

/** Where OpenClaw keeps its session logs and agent databases. */

export interface OpenClawSources {
  client: "openclaw";
  path: string;
  /** Session logs, archives (`.jsonl.reset.*`, `.jsonl.deleted.*`, compressed `….zst`) included. */
  logs: string[];
  /** Per-agent `openclaw-agent.sqlite` stores. */
  databases: string[];
}

/** `$OPENCLAW_STATE_DIR`, else `~/.openclaw`; `agents/<agent>/sessions/*.jsonl*` and `agents/<agent>/agent/openclaw-agent.sqlite`. */
export function locateOpenClaw(context: LocateContext): OpenClawSources {
  const root = env(context, "OPENCLAW_STATE_DIR") ?? path.join(context.home, ".openclaw");
  const agents = path.join(root, "agents");
  const logs: string[] = [];
  const databases: string[] = [];
  for (const agent of listDir(agents).sort()) {
    const sessions = path.join(agents, agent, "sessions");
    for (const name of listDir(sessions).sort()) {
      if (/\.jsonl(?:\.(?:reset|deleted)\.[^/]+)?$/.test(name)) logs.push(path.join(sessions, name));
    }
    const db = path.join(agents, agent, "agent", "openclaw-agent.sqlite");
    if (isFile(db)) databases.push(db);
  }
  return { client: "openclaw", path: root, logs: logs.filter(isFile), databases };
}
