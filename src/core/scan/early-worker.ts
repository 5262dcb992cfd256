import { isMainThread, Worker } from "node:worker_threads";
import { SCAN_WORKER_SOURCE } from "./worker-source";

/**
 * A scan worker takes tens of milliseconds to start. The command-line scan starts one first thing
 * (src/cli/start-worker.ts), so it boots while the command loads and looks for files; a refresh
 * that reads little never uses it, and it is unref'd so it never keeps the process alive. Raycast's
 * commands do not: most of their refreshes read a few kilobytes. This module imports nothing else
 * of ours, so that starting the worker need not wait for the rest of the bundle to load.
 */
let early: Worker | null = null;

export function startEarlyWorker(): void {
  if (early || !isMainThread) return;
  try {
    const worker = new Worker(SCAN_WORKER_SOURCE, { eval: true });
    worker.unref();
    const gone = () => {
      if (early === worker) early = null;
    };
    worker.once("error", gone);
    worker.once("exit", gone);
    early = worker;
  } catch {
    // No thread to be had: reads stay on the main thread.
  }
}

/** The early worker, if it runs this source and is still alive; it can be taken once. */
export function takeEarlyWorker(source: string): Worker | null {
  const worker = source === SCAN_WORKER_SOURCE ? early : null;
  early = null;
  worker?.ref();
  return worker;
}

/** Stops the early worker when a refresh reads too little to use it. */
export function dropEarlyWorker(): void {
  void early?.terminate();
  early = null;
}
