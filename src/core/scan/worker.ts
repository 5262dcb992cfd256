import { parentPort } from "node:worker_threads";
import { scanFile, type ScanJob } from "./claude/read-file";
import type { FileScan } from "../usage-event";

/**
 * The scan worker: claims files from a shared list and answers with their condensed lines. It is
 * the entry of a separate bundle that the CLI build embeds as source text (scripts/build-cli.mjs),
 * so it imports only what reading needs: no zod, no fast-glob, no state.
 */

/**
 * The files of one refresh and the model filter. `claims[0]` is the next unclaimed index, shared by
 * every thread. The filter comes with the batch, not at start, so a worker can start before it is known.
 */
export interface WorkerBatch {
  jobs: ScanJob[];
  claims: SharedArrayBuffer;
  filterSource: string;
  filterFlags: string;
}

/** A null scan means the file could not be read. */
export interface WorkerReply {
  index: number;
  scan: FileScan | null;
}

/**
 * The first use of the time-zone data costs a fresh process some 20 ms, once for all its threads.
 * The command line starts this worker before it looks for files; loading the data here, meanwhile,
 * spares the main thread that wait when it checks the time zone next.
 */
new Intl.DateTimeFormat("en-CA", { timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).format(0);

const port = parentPort;
if (port) {
  port.on("message", ({ jobs, claims, filterSource, filterFlags }: WorkerBatch) => {
    const filter = new RegExp(filterSource, filterFlags);
    // Claiming one file at a time from a shared counter keeps this thread busy without waiting
    // for the main thread to hand out work, and balances big and small files by itself.
    const next = new Int32Array(claims);
    for (let index = Atomics.add(next, 0, 1); index < jobs.length; index = Atomics.add(next, 0, 1)) {
      let scan: FileScan | null = null;
      try {
        scan = scanFile(jobs[index], filter);
      } catch {
        // Unreadable: the main thread counts it as such, as it would had it read the file itself.
      }
      const reply: WorkerReply = { index, scan };
      port.postMessage(reply, scan ? [scan.events.buffer] : []);
    }
  });
}
