import fs from "node:fs";
import path from "node:path";
import { env, isFile, type LocateContext } from "../paths";

/** Where Codex CLI keeps its rollouts and config.toml. */

export interface CodexSources {
  client: "codex";
  path: string;
  /** `rollout-*.jsonl` (or `.jsonl.zst`, compressed) below `sessions/` and `archived_sessions/`. */
  logs: string[];
  /** `config.toml`, which names each custom provider's base URL. */
  config: string | null;
}

/** `$CODEX_HOME`, else `~/.codex`; rollouts below `sessions/` and `archived_sessions/`. */
export function locateCodex(context: LocateContext): CodexSources {
  const root = env(context, "CODEX_HOME") ?? path.join(context.home, ".codex");
  const logs: string[] = [];
  for (const dir of ["sessions", "archived_sessions"])
    walk(path.join(root, dir), logs, /^rollout-.*\.jsonl(?:\.zst)?$/);
  // While Codex compresses a rollout both may exist for a moment; Codex reads the plain one then.
  const plain = new Set(logs.filter((file) => file.endsWith(".jsonl")));
  const shown = logs.filter((file) => !file.endsWith(".zst") || !plain.has(file.slice(0, -".zst".length)));
  const config = path.join(root, "config.toml");
  return { client: "codex", path: root, logs: shown.sort(), config: isFile(config) ? config : null };
}

function walk(dir: string, out: string[], pattern: RegExp, depth = 0): void {
  // Codex nests rollouts as YYYY/MM/DD; a few levels more are tolerated, symlinks are not followed.
  if (depth > 6) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out, pattern, depth + 1);
    else if (entry.isFile() && pattern.test(entry.name)) out.push(full);
  }
}
