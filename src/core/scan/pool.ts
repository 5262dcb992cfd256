import os from "node:os";
import { Worker } from "node:worker_threads";
import { FileScanner, type ScanJob } from "./claude/read-file";
import type { FileScan } from "../usage-event";
import type { WorkerBatch, WorkerReply } from "./worker";
import { SCAN_WORKER_SOURCE } from "./worker-source";
import { dropEarlyWorker, takeEarlyWorker } from "./early-worker";

/**
 * Reading the files of a refresh, on the main thread alone or, for a big read, on worker threads
 * too. Either way every file's result is handed over in file order, so counting (which stays on the
 * main thread) comes out exactly the same.
 *
 * Where the worker's code comes from: Raycast bundles each command into one file, so a worker
 * cannot count on a file of its own next to the bundle, and `new Worker(__filename)` would re-run a
 * command bundle that imports @raycast/api. The worker therefore runs from source text
 * (`eval: true`): worker.ts bundled by scripts/build-embedded.mjs into worker-source.ts, the same in
 * the command-line scan and in Raycast's build.
 */

export interface ParallelOptions {
  /** Source text of the scan worker bundle; null reads on the main thread only. */
  workerSource: string | null;
  /** Reads smaller than this stay on the main thread (see defaultParallelOptions). */
  minBytes: number;
  /** Workers to start at most; the main thread reads too. */
  maxWorkers: number;
}

export function defaultParallelOptions(): ParallelOptions {
  return {
    workerSource: SCAN_WORKER_SOURCE,
    // A worker takes 20-40 ms to start and warms up its own JIT: on two cores it cost time at
    // 100 MB, broke even at 200 MB and saved a fifth of the wall time at 500 MB.
    minBytes: 128 * 1024 * 1024,
    // The main thread reads as well as counting, so it keeps a core of its own; with more workers
    // than free cores they only crowd each other, and the in-order counting caps the gain anyway.
    maxWorkers: Math.min(3, os.availableParallelism() - 1),
  };
}

export type ScanOutcome = { ok: true; scan: FileScan } | { ok: false };
type OnResult = (index: number, outcome: ScanOutcome) => void;

export interface PlannedScan {
  job: ScanJob;
  /** Bytes the read is expected to cover: the file's size past the offset. */
  bytes: number;
}

/** Reads every planned file and calls `onResult` for each, in plan order. */
export async function scanInOrder(
  planned: PlannedScan[],
  filter: RegExp,
  options: ParallelOptions,
  onResult: OnResult,
): Promise<void> {
  const jobs = planned.map((p) => p.job);
  const bytes = planned.reduce((sum, p) => sum + p.bytes, 0);
  const workers = Math.min(options.maxWorkers, jobs.length - 1);
  if (options.workerSource === null || workers < 1 || bytes < options.minBytes) {
    // Not needed this time; a later refresh in this process starts its own.
    dropEarlyWorker();
    let turn = performance.now();
    for (let i = 0; i < jobs.length; i++) {
      onResult(i, await scanHere(jobs[i], filter, 16));
      // Small files finish within one step; a turn of the event loop now and then lets the menu bar
      // draw the progress it was told about, and timers run, during a long cold scan.
      if (performance.now() - turn > TURN_MS) {
        await yieldToEventLoop();
        turn = performance.now();
      }
    }
    return;
  }
  const run = new ParallelRun(jobs, filter, options.workerSource, workers);
  try {
    await run.countAll(onResult);
  } finally {
    run.close();
  }
}

/**
 * One parallel read. Every thread claims the next file from a shared counter; the main thread
 * also counts, in order, each result whose predecessors are all in.
 */
class ParallelRun {
  private readonly results: (ScanOutcome | undefined)[];
  private readonly claims = new Int32Array(new SharedArrayBuffer(4));
  private readonly workers: Worker[] = [];
  private closed = false;
  private counted = 0;
  /** The file the main thread is reading, if any. */
  private reading = -1;
  /** Files claimed by a worker that died, to be read here. */
  private orphans: number[] = [];
  private wake: (() => void) | null = null;

  constructor(
    private readonly jobs: ScanJob[],
    private readonly filter: RegExp,
    source: string,
    count: number,
  ) {
    this.results = new Array<ScanOutcome | undefined>(jobs.length);
    const batch: WorkerBatch = {
      jobs,
      claims: this.claims.buffer as SharedArrayBuffer,
      filterSource: filter.source,
      filterFlags: filter.flags,
    };
    for (let i = 0; i < count; i++) {
      try {
        this.workers.push(this.start(source, batch));
      } catch {
        // No thread to be had: the main thread reads what the worker would have.
      }
    }
  }

  private start(source: string, batch: WorkerBatch): Worker {
    const worker = takeEarlyWorker(source) ?? new Worker(source, { eval: true });
    worker.on("message", (reply: WorkerReply) => this.answered(reply));
    // A worker that fails leaves its files to the main thread, which reads them as it would have.
    let alive = true;
    const lost = () => {
      if (alive) this.lost();
      alive = false;
    };
    worker.on("error", lost);
    worker.on("exit", lost);
    // An answer that cannot be received is as good as lost, and so is the rest of that worker's work.
    worker.on("messageerror", () => {
      lost();
      void worker.terminate();
    });
    worker.postMessage(batch);
    return worker;
  }

  close(): void {
    this.closed = true;
    for (const worker of this.workers) void worker.terminate();
  }

  async countAll(onResult: OnResult): Promise<void> {
    while (this.counted < this.jobs.length) {
      const ready = this.results[this.counted];
      if (ready) {
        this.results[this.counted] = undefined;
        onResult(this.counted++, ready);
        continue;
      }
      // Workers' answers arrive as events: without a turn of the event loop before each file,
      // files read here back to back would keep answers (and the counting) waiting.
      await yieldToEventLoop();
      if (this.results[this.counted]) continue;
      const mine = this.claim();
      if (mine < 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      this.reading = mine;
      this.results[mine] = await scanHere(this.jobs[mine], this.filter, STEP_CHUNKS);
      this.reading = -1;
    }
  }

  private answered(reply: WorkerReply): void {
    // A file read again here after its worker died may still be answered by another worker.
    if (this.closed || reply.index < this.counted || this.results[reply.index]) return;
    this.results[reply.index] = reply.scan ? { ok: true, scan: reply.scan } : { ok: false };
    this.wakeUp();
  }

  /** A worker died: every claimed file still unanswered is read here (a duplicate is dropped). */
  private lost(): void {
    if (this.closed) return;
    const claimed = Math.min(Atomics.load(this.claims, 0), this.jobs.length);
    for (let i = this.counted; i < claimed; i++) if (!this.results[i] && i !== this.reading) this.orphans.push(i);
    this.wakeUp();
  }

  private claim(): number {
    while (this.orphans.length > 0) {
      const orphan = this.orphans.pop() as number;
      if (orphan >= this.counted && !this.results[orphan]) return orphan;
    }
    const next = Atomics.add(this.claims, 0, 1);
    return next < this.jobs.length ? next : -1;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** Longest the main thread reads small files back to back before giving the event loop a turn. */
const TURN_MS = 50;

/** The main thread's steps are short while workers run, so their answers are counted promptly. */
const STEP_CHUNKS = 4;

/**
 * Reads one file on this thread, yielding to the event loop every `chunks` chunks so timers (a
 * platform request's timeout, a worker's answer) still run during a long read.
 */
async function scanHere(job: ScanJob, filter: RegExp, chunks: number): Promise<ScanOutcome> {
  try {
    const scanner = new FileScanner(job, filter);
    try {
      while (!scanner.step(chunks)) await yieldToEventLoop();
      return { ok: true, scan: scanner.result() };
    } finally {
      scanner.close();
    }
  } catch {
    return { ok: false };
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
