import { startEarlyWorker } from "../core/scan/early-worker";
import { wantsEarlyWorker } from "./early-start";

// Imported first by scan.ts, so the scan worker boots while the rest of the command loads (see
// scan/early-worker.ts), unless the refresh will most likely read little (early-start.ts).
if (wantsEarlyWorker(process.argv.slice(2), process.env)) startEarlyWorker();
