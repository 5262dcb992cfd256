/**
 * The clients the scan knows, in the order the menu lists them, and how people write their names.
 * Kept free of zod so the command-line scan starts without loading it.
 */

export const CLIENT_NAMES = ["claude-code", "opencode", "kilo", "openclaw", "codex"] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

/** The other clients: the ones read by the readers in this folder (Claude Code is today's engine). */
export type OtherClientName = Exclude<ClientName, "claude-code">;
export const OTHER_CLIENT_NAMES = CLIENT_NAMES.filter((name): name is OtherClientName => name !== "claude-code");

export const CLIENT_TITLES: Record<ClientName, string> = {
  "claude-code": "Claude Code",
  opencode: "OpenCode",
  kilo: "Kilo",
  openclaw: "OpenClaw",
  codex: "Codex",
};

export function isClientName(value: unknown): value is ClientName {
  return typeof value === "string" && (CLIENT_NAMES as readonly string[]).includes(value);
}
