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
  // The last one, as the option parser takes it.
  const at = args.findLastIndex((arg) => arg === "--state" || arg.startsWith("--state="));
  if (at < 0) return true;
  const file = args[at].startsWith("--state=") ? args[at].slice("--state=".length) : args[at + 1];
  if (file === undefined) return true;
  try {
    return fs.statSync(file, { throwIfNoEntry: false }) === undefined;
  } catch {
    // A path that cannot be looked at is the scan's to report; a worker at hand costs nothing here.
    return true;
  }
}
