import { startEarlyWorker } from "../core/scan/early-worker";

// Imported first by scan.ts, so the scan worker boots while the rest of the command loads (see
// scan/early-worker.ts). MIMO_SCAN_EARLY_WORKER=0 leaves it to the scan to start one if needed.
if (process.env.MIMO_SCAN_EARLY_WORKER !== "0") startEarlyWorker();
