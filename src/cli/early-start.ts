import fs from "node:fs";

/**
 * Whether the command line should start its scan worker before anything else loads (see
 * start-worker.ts). Not when `--state FILE` names a file that exists: the refresh then most likely
 * reads only what was appended, and a worker booting beside it would only take a core from it.
 * Should it read a lot all the same (other settings, a rewritten file), the scan starts its worker
 * then, a little later. MIMO_SCAN_EARLY_WORKER=0 turns the early start off.
 */
export function wantsEarlyWorker(args: string[], env: NodeJS.ProcessEnv): boolean {
  if (env.MIMO_SCAN_EARLY_WORKER === "0") return false;
  const at = args.findIndex((arg) => arg === "--state" || arg.startsWith("--state="));
  if (at < 0) return true;
  const file = args[at].startsWith("--state=") ? args[at].slice("--state=".length) : args[at + 1];
  return file === undefined || fs.statSync(file, { throwIfNoEntry: false }) === undefined;
}
