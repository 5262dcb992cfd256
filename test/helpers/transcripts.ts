import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EngineConfig } from "../../src/core/chain/local";
import type { RootConfig } from "../../src/core/scan/claude/discover";

/** Builders for Claude Code transcript lines and folders, written to temp dirs only. */

export interface AssistantOptions {
  id?: string | null;
  req?: string | null;
  session?: string | null;
  ts: string;
  model?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  cwd?: string;
  extra?: Record<string, unknown>;
  text?: string;
}

export function assistant(o: AssistantOptions): string {
  const message: Record<string, unknown> = {
    type: "message",
    role: "assistant",
    model: o.model ?? "mimo-v2.5-pro",
    content: [{ type: "text", text: o.text ?? "ok" }],
    usage: {
      input_tokens: o.input ?? 0,
      output_tokens: o.output ?? 0,
      cache_read_input_tokens: o.cacheRead ?? 0,
      cache_creation_input_tokens: o.cacheWrite ?? 0,
    },
  };
  if (o.id !== null) message.id = o.id ?? "msg_1";
  const line: Record<string, unknown> = {
    parentUuid: null,
    cwd: o.cwd ?? "/work/app",
    type: "assistant",
    message,
    uuid: `u-${Math.random().toString(36).slice(2)}`,
    timestamp: o.ts,
    ...o.extra,
  };
  if (o.session !== null) line.sessionId = o.session ?? "s1";
  if (o.req !== null) line.requestId = o.req ?? "req_1";
  return JSON.stringify(line);
}

export function user(ts: string, content: string, session = "s1"): string {
  return JSON.stringify({ type: "user", sessionId: session, timestamp: ts, message: { role: "user", content } });
}

export async function tempDir(prefix = "mimo-test-"): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Writes `<root>/projects/<project>/<name>` with one line each, newline-terminated unless told. */
export async function writeTranscript(
  root: string,
  name: string,
  lines: string[],
  options: { project?: string; trailingNewline?: boolean } = {},
): Promise<string> {
  const file = path.join(root, "projects", options.project ?? "-work-app", name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const body = lines.join("\n") + (options.trailingNewline === false || lines.length === 0 ? "" : "\n");
  await fs.writeFile(file, body);
  return file;
}

export function configFor(roots: (string | RootConfig)[], overrides: Partial<EngineConfig> = {}): EngineConfig {
  return {
    roots: roots.map((root) => (typeof root === "string" ? { path: root, kind: "dedicated" as const } : root)),
    modelFilter: "mimo",
    timeZone: "UTC",
    weekStart: "monday",
    statePath: null,
    now: () => new Date("2026-11-25T12:00:00Z"),
    ...overrides,
  };
}
